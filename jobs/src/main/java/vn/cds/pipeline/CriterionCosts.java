package vn.cds.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * The optional {@code criterion_costs.csv} of the input folder: what it costs to bring one criterion to full points at
 * one unit, in VND. It turns "units that would rise a level" into units lifted per VND. A Sở's own estimates go here;
 * rows marked {@code illustrative} are examples, and every output that uses them says so.
 */
public final class CriterionCosts {
  public static final String FILE = "criterion_costs.csv";
  public static final StructType RAW = StructType.fromDDL("indicator_set string, criterion_id string, cost_vnd_per_unit string, illustrative string");
  public static final StructType SCHEMA = StructType.fromDDL("indicator_set string, criterion_id string, cost_vnd_per_unit double, illustrative boolean");

  private CriterionCosts() {}

  /** The costs, checked against the catalogs; none when the file is absent. A bad row stops the run with its row number. */
  public static Dataset<Row> load(SparkSession spark, InputFolder input, Catalogs catalogs) {
    String path = input.root() + "/" + FILE;
    if (!input.exists(path)) return spark.createDataFrame(List.of(), SCHEMA);
    List<Row> costs = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    input.reference(spark, FILE, RAW, List.of("indicator_set", "criterion_id", "cost_vnd_per_unit"), (r, where) -> {
      Optional<IndicatorSet> set = catalogs.byAlias(r[0]);
      if (set.isEmpty()) throw new ConfigException(where + "bộ chỉ số không có trong danh mục (unknown indicator_set) '" + r[0] + "'");
      String criterion = r[1];
      Optional<IndicatorSet.Criterion> c = set.get().criteria().stream().filter(x -> x.id().equals(criterion)).findFirst();
      if (c.isEmpty()) throw new ConfigException(where + "tiêu chí không có trong " + set.get().id() + " (unknown criterion_id) '" + criterion + "'");
      if (c.get().mandatory() || c.get().derived())
        throw new ConfigException(where + criterion + " là điều kiện bắt buộc hoặc tiêu chí dẫn xuất, không có điểm để đầu tư "
            + "(a mandatory condition or derived criterion has no points to fund)");
      double cost;
      try {
        cost = Double.parseDouble(r[2]);
      } catch (NumberFormatException e) {
        cost = -1;
      }
      if (!(cost >= 0) || Double.isInfinite(cost))
        throw new ConfigException(where + "chi phí phải là số không âm, tính bằng đồng (cost_vnd_per_unit must be a number ≥ 0) '" + r[2] + "'");
      String flag = r[3] == null ? "false" : r[3].toLowerCase(Locale.ROOT);
      if (!List.of("true", "false").contains(flag))
        throw new ConfigException(where + "illustrative phải là true hoặc false (must be true or false) '" + r[3] + "'");
      if (!seen.add(set.get().id() + "/" + criterion))
        throw new ConfigException(where + "tiêu chí " + set.get().id() + " " + criterion + " đã có ở dòng trước (duplicate criterion)");
      costs.add(RowFactory.create(set.get().id(), criterion, cost, flag.equals("true")));
    });
    return spark.createDataFrame(costs, SCHEMA);
  }
}
