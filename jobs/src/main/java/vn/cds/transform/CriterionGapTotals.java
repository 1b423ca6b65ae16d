package vn.cds.transform;

import java.math.BigDecimal;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.StructType;
import vn.cds.catalog.Catalogs;

/**
 * The criterion gap's figures ({@link Analytics#criterionGap}) of one area × school level × set, over the wide rows of
 * its official assessments ({@code vals}: one {@link CellValues#VALUE} per criterion); mandatory conditions have none.
 */
final class CriterionGapTotals extends CriterionTotals {
  private static final int UNITS = 0, REPORTED = 1, WITH_POINTS = 2, WITH_ATTAINMENT = 3, FULL = 4, ZERO = 5; // counts
  private static final int POINTS_SUM = 0, ATTAINMENT_SUM = 1; // sums
  private static final int CRITERION_ID = 0, POINTS = 1, PASSED = 2; // fields of CellValues.VALUE

  private CriterionGapTotals(Catalogs catalogs) {
    super(catalogs, c -> !c.mandatory(), CRITERION_ID, 6, 2, StructType.fromDDL("units int, units_reported int, mean_attainment double, "
        + "mean_points double, share_full double, share_zero double, share_not_reported double"));
  }

  /** {@code criterionGapTotals(set_id, vals)}. */
  static UserDefinedFunction udaf(Catalogs catalogs) {
    return udaf(new CriterionGapTotals(catalogs), CellValues.VALUE);
  }

  @Override
  void add(int[][] count, BigDecimal[][] sum, int at, Spec c, Row v) {
    count[UNITS][at]++;
    if (v.isNullAt(POINTS) && v.isNullAt(PASSED)) return; // not reported
    count[REPORTED][at]++;
    if (v.isNullAt(POINTS)) return;
    double points = v.getDouble(POINTS);
    count[WITH_POINTS][at]++;
    sum[POINTS_SUM][at] = sum[POINTS_SUM][at].add(Exact.decimal(points));
    if (c.maxPoints() != 0) { // Spark SQL's points / 0 is no value (or, under ANSI, an error): no attainment
      count[WITH_ATTAINMENT][at]++;
      sum[ATTAINMENT_SUM][at] = sum[ATTAINMENT_SUM][at].add(Exact.decimal(points / c.maxPoints()));
    }
    if (points >= c.maxPoints()) count[FULL][at]++;
    if (points == 0) count[ZERO][at]++;
  }

  @Override
  Object[] figures(int[] count, BigDecimal[] sum) {
    int n = count[UNITS];
    return new Object[] {n, count[REPORTED], Exact.mean(sum[ATTAINMENT_SUM], count[WITH_ATTAINMENT], 4), Exact.mean(sum[POINTS_SUM], count[WITH_POINTS], 4),
        Exact.mean(BigDecimal.valueOf(count[FULL]), n, 4), Exact.mean(BigDecimal.valueOf(count[ZERO]), n, 4),
        Exact.mean(BigDecimal.valueOf(n - count[REPORTED]), n, 4)};
  }
}
