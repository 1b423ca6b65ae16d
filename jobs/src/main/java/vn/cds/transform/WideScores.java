package vn.cds.transform;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * The catalog's groups worked out over an assessment's wide row of values ({@code vals}, from {@link CellValues#read}:
 * one struct per criterion of the set, in catalog order), in one Java call per row. Each group's points are summed in
 * decimals and rounded as {@link Exact#sum} does, so the results equal those of the long criterion rows. (As Spark
 * SQL, higher-order functions over the row's array, which Spark interprets row by row; the same sums written out as
 * compiled expressions were slower still, most likely one generated method too large for the JIT.)
 */
final class WideScores implements Serializable {
  /** One per group of the row's set: points of its non-mandatory criteria, criteria reported and not, conditions failed and not reported. */
  static final StructType GROUP_TOTAL = StructType.fromDDL("group_id string, points double, criteria_reported int, criteria_not_reported int, "
      + "mandatory_failed int, mandatory_not_reported int");

  /** A group's criteria by their index in the set's catalog order. */
  private record Group(String id, int[] optional, int[] mandatory) implements Serializable {}

  private final HashMap<String, ArrayList<Group>> bySet = new HashMap<>(); // HashMaps: serialised to the executors

  private WideScores(Catalogs catalogs) {
    for (IndicatorSet s : catalogs.sets()) {
      if (hasDerived(s)) continue;
      List<IndicatorSet.Criterion> all = s.criteria();
      ArrayList<Group> groups = new ArrayList<>();
      for (IndicatorSet.Group g : s.groups()) {
        if (g.criteria().isEmpty()) continue; // no criterion row, no group row: as the long rows' aggregation
        groups.add(new Group(g.id(), indexes(all, g, false), indexes(all, g, true)));
      }
      bySet.put(s.id(), groups);
    }
  }

  private static int[] indexes(List<IndicatorSet.Criterion> all, IndicatorSet.Group g, boolean mandatory) {
    return g.criteria().stream().filter(c -> c.mandatory() == mandatory).mapToInt(all::indexOf).toArray();
  }

  /** Whether the set has a criterion computed from other units' results: those are scored from long rows. */
  static boolean hasDerived(IndicatorSet s) {
    return s.criteria().stream().anyMatch(c -> c.derivedMetric() != null);
  }

  /** {@code groupTotals(set_id, vals)}: an array of {@link #GROUP_TOTAL}; null for a set with derived criteria or none. */
  static Column groupTotals(Catalogs catalogs) {
    WideScores scores = new WideScores(catalogs);
    return functions.udf((UDF2<String, scala.collection.Seq<Row>, scala.collection.immutable.Seq<Row>>) scores::totals,
        DataTypes.createArrayType(GROUP_TOTAL, false)).apply(functions.col("set_id"), functions.col("vals"));
  }

  private scala.collection.immutable.Seq<Row> totals(String setId, scala.collection.Seq<Row> vals) {
    ArrayList<Group> groups = setId == null ? null : bySet.get(setId);
    if (groups == null) return null;
    List<Row> out = new ArrayList<>(groups.size());
    for (Group g : groups) {
      int reported = 0, failed = 0, conditionsNotReported = 0;
      BigDecimal points = BigDecimal.ZERO.setScale(Exact.SCALE);
      for (int i : g.optional()) {
        Row v = value(vals, i);
        if (v != null && !v.isNullAt(POINTS)) points = points.add(Exact.decimal(v.getDouble(POINTS)));
        if (isReported(v)) reported++;
      }
      for (int i : g.mandatory()) {
        Row v = value(vals, i);
        if (isReported(v)) reported++;
        else conditionsNotReported++;
        if (v != null && !v.isNullAt(PASSED) && !v.getBoolean(PASSED)) failed++;
      }
      int all = g.optional().length + g.mandatory().length;
      out.add(RowFactory.create(g.id(), Exact.rounded(points, 4), reported, all - reported, failed,
          conditionsNotReported));
    }
    return CollectionConverters.asScala(out).toSeq();
  }

  private static final int POINTS = 1, PASSED = 2; // fields of CellValues.VALUE

  /** The row's value of the criterion at {@code index} of its set; none when the row has no values (all then count as blank). */
  private static Row value(scala.collection.Seq<Row> vals, int index) {
    return vals == null ? null : vals.apply(index);
  }

  private static boolean isReported(Row v) {
    return v != null && (!v.isNullAt(POINTS) || !v.isNullAt(PASSED));
  }
}
