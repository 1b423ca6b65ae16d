package vn.cds.transform;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Predicate;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * Per-criterion figures of one area × school level × indicator set, summed over one row per assessment that holds its
 * criteria in an array ({@code set_id}, then the array), instead of over one row per assessment × criterion: the
 * ~2.9 million national criterion rows need not be made and grouped on ten text keys. A subclass says which criteria
 * count, what one criterion of one row adds (counts and decimal sums) and what figures the sums give.
 *
 * <p>The figures are {@link Exact}'s to the last digit ({@link Exact#decimal}, {@link Exact#mean}): they replace Spark
 * SQL aggregations, and the tests hold them to those.
 */
abstract class CriterionTotals extends Aggregator<Row, CriterionTotals.Sums, Row> {
  /** A criterion that counts, in its set's catalog order. */
  record Spec(String groupId, String criterionId, double maxPoints) implements Serializable {}

  private final HashMap<String, ArrayList<Spec>> specs = new HashMap<>(); // by set
  private final HashMap<String, HashMap<String, Integer>> indexes = new HashMap<>(); // by set: criterion id -> its index
  private final int criterionField, counts, sums;
  private final StructType output;

  /**
   * @param criterionField the field of an array element that names its criterion
   * @param counts, sums how many counts (the first: the rows that hold the criterion) and decimal sums one criterion has
   * @param figures the struct of one criterion's figures, after group_id, criterion_id and max_points
   */
  CriterionTotals(Catalogs catalogs, Predicate<IndicatorSet.Criterion> counted, int criterionField, int counts, int sums, StructType figures) {
    for (IndicatorSet s : catalogs.sets()) {
      ArrayList<Spec> all = new ArrayList<>();
      HashMap<String, Integer> index = new HashMap<>();
      for (IndicatorSet.Group g : s.groups())
        for (IndicatorSet.Criterion c : g.criteria())
          if (counted.test(c)) {
            index.put(c.id(), all.size());
            all.add(new Spec(g.id(), c.id(), c.maxPoints()));
          }
      specs.put(s.id(), all);
      indexes.put(s.id(), index);
    }
    this.criterionField = criterionField;
    this.counts = counts;
    this.sums = sums;
    StructType criterion = StructType.fromDDL("group_id string, criterion_id string, max_points double");
    for (var f : figures.fields()) criterion = criterion.add(f);
    this.output = new StructType().add("criteria", DataTypes.createArrayType(criterion, false), false);
  }

  /** The aggregate over ({@code set_id}, an array of {@code element}): a struct whose {@code criteria} are one row each. */
  static UserDefinedFunction udaf(CriterionTotals totals, StructType element) {
    StructType input = new StructType().add("set_id", DataTypes.StringType).add("items", DataTypes.createArrayType(element));
    return functions.udaf(totals, Encoders.row(input));
  }

  /** What criterion {@code at} (of {@code c}) of one row adds: {@code count[k][at]++}, {@code sum[k][at] = …add(…)}. */
  abstract void add(int[][] count, BigDecimal[][] sum, int at, Spec c, Row item);

  /** The figures of one criterion (after its group, id and max points), from its counts and sums. */
  abstract Object[] figures(int[] count, BigDecimal[] sum);

  /** One group's running figures, per criterion index of its set (all the rows of a group have one set: it is a grouping key). */
  public static final class Sums implements Serializable {
    String setId;
    int[][] count;
    BigDecimal[][] sum;
  }

  @Override
  public Sums zero() {
    return new Sums();
  }

  @Override
  public Sums reduce(Sums s, Row in) {
    String setId = in.getString(0);
    List<Spec> set = specs.get(setId);
    if (set == null || in.isNullAt(1)) return s;
    if (s.setId == null) start(s, setId, set.size());
    List<Row> items = in.getList(1);
    for (int i = 0; i < items.size(); i++) {
      Row item = items.get(i);
      int at = indexOf(setId, set, item.getString(criterionField), i);
      if (at >= 0) add(s.count, s.sum, at, set.get(at), item);
    }
    return s;
  }

  private void start(Sums s, String setId, int criteria) {
    s.setId = setId;
    s.count = new int[counts][criteria];
    s.sum = new BigDecimal[sums][criteria];
    for (BigDecimal[] one : s.sum) Arrays.fill(one, BigDecimal.ZERO);
  }

  /** The criterion's index in its set: its position in the row when the row is in catalog order, as scoring's rows are. */
  private int indexOf(String setId, List<Spec> set, String criterionId, int position) {
    if (position < set.size() && set.get(position).criterionId().equals(criterionId)) return position;
    Integer at = indexes.get(setId).get(criterionId);
    return at == null ? -1 : at;
  }

  @Override
  public Sums merge(Sums a, Sums b) {
    if (b.setId == null) return a;
    if (a.setId == null) return b;
    for (int k = 0; k < counts; k++)
      for (int i = 0; i < a.count[k].length; i++) a.count[k][i] += b.count[k][i];
    for (int k = 0; k < sums; k++)
      for (int i = 0; i < a.sum[k].length; i++) a.sum[k][i] = a.sum[k][i].add(b.sum[k][i]);
    return a;
  }

  @Override
  public Row finish(Sums s) {
    List<Row> out = new ArrayList<>();
    List<Spec> set = s.setId == null ? List.of() : specs.get(s.setId);
    for (int i = 0; i < set.size(); i++) {
      if (s.count[0][i] == 0) continue; // no row held it: no figures, as no criterion row would have been grouped
      int[] count = new int[counts];
      BigDecimal[] sum = new BigDecimal[sums];
      for (int k = 0; k < counts; k++) count[k] = s.count[k][i];
      for (int k = 0; k < sums; k++) sum[k] = s.sum[k][i];
      Spec c = set.get(i);
      List<Object> row = new ArrayList<>(List.of(c.groupId(), c.criterionId(), c.maxPoints()));
      row.addAll(Arrays.asList(figures(count, sum)));
      out.add(RowFactory.create(row.toArray()));
    }
    return RowFactory.create(CollectionConverters.asScala(out).toSeq());
  }

  @Override
  public Encoder<Sums> bufferEncoder() {
    return Encoders.javaSerialization(Sums.class);
  }

  @Override
  public Encoder<Row> outputEncoder() {
    return Encoders.row(output);
  }
}
