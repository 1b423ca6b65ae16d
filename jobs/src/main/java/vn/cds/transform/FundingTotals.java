package vn.cds.transform;

import java.math.BigDecimal;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.StructType;
import vn.cds.catalog.Catalogs;

/**
 * Funding priority's figures ({@link Analytics#fundingPriority}) of one area × school level × set, over each official
 * assessment's uplifts ({@link FundingUplift#UPLIFT}, one per criterion that can be funded).
 */
final class FundingTotals extends CriterionTotals {
  private static final int UNITS = 0, BELOW_FULL = 1, WITH_UPLIFT = 2, RISING_GROUP = 3, RISING_OVERALL = 4; // counts
  private static final int UPLIFT_SUM = 0; // sums
  private static final int CRITERION_ID = 1, UPLIFT = 3, RISES_GROUP = 4, RISES_OVERALL = 5; // fields of FundingUplift.UPLIFT

  private FundingTotals(Catalogs catalogs) {
    super(catalogs, c -> !c.mandatory() && c.derivedMetric() == null, CRITERION_ID, 5, 1, StructType.fromDDL("units int, units_below_full int, "
        + "mean_points_missing double, units_rising_group_level int, units_rising_overall_level int"));
  }

  /** {@code fundingTotals(set_id, uplifts)}. */
  static UserDefinedFunction udaf(Catalogs catalogs) {
    return udaf(new FundingTotals(catalogs), FundingUplift.UPLIFT);
  }

  @Override
  void add(int[][] count, BigDecimal[][] sum, int at, Spec c, Row u) {
    count[UNITS][at]++;
    if (!u.isNullAt(UPLIFT)) {
      double uplift = u.getDouble(UPLIFT);
      if (uplift > 0) count[BELOW_FULL][at]++;
      count[WITH_UPLIFT][at]++;
      sum[UPLIFT_SUM][at] = sum[UPLIFT_SUM][at].add(Exact.decimal(uplift));
    }
    if (!u.isNullAt(RISES_GROUP) && u.getBoolean(RISES_GROUP)) count[RISING_GROUP][at]++;
    if (!u.isNullAt(RISES_OVERALL) && u.getBoolean(RISES_OVERALL)) count[RISING_OVERALL][at]++;
  }

  @Override
  Object[] figures(int[] count, BigDecimal[] sum) {
    return new Object[] {count[UNITS], count[BELOW_FULL], Exact.mean(sum[UPLIFT_SUM], count[WITH_UPLIFT], 4), count[RISING_GROUP],
        count[RISING_OVERALL]};
  }
}
