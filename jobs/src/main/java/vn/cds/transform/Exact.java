package vn.cds.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Sums and means in decimal arithmetic. Floating-point addition is not associative, so a double's sum depends on the
 * order Spark happens to add rows in (its partitioning): 0.70625 came out as 0.7062 on one machine and 0.7063 on a
 * cluster. Decimal sums are exact, so every result is the same however the work is split.
 */
final class Exact {
  private Exact() {}

  private static final String DECIMAL = "decimal(28,10)";

  /** Sum, rounded to {@code scale} decimals, as a double. */
  static Column sum(Column c, int scale) {
    return functions.round(functions.sum(c.cast(DECIMAL)), scale).cast("double");
  }

  /** The same sum over a window: every row of the window gets it. */
  static Column sum(Column c, int scale, org.apache.spark.sql.expressions.WindowSpec window) {
    return functions.round(functions.sum(c.cast(DECIMAL)).over(window), scale).cast("double");
  }

  /** Mean of the non-null values, rounded to {@code scale} decimals, as a double. */
  static Column avg(Column c, int scale) {
    return functions.round(functions.avg(c.cast(DECIMAL)), scale).cast("double");
  }

  // The same figures worked out in Java, for the steps that sum a row's values in one call (WideScores,
  // CriterionGapTotals, FundingTotals): each must equal the SQL above to the last digit.

  /** The scale of {@link #DECIMAL}. */
  static final int SCALE = 10;

  /** The few distinct values of a run, each cast once (a cast costs ~100 additions). */
  private static final java.util.concurrent.ConcurrentHashMap<Double, BigDecimal> CAST = new java.util.concurrent.ConcurrentHashMap<>();

  /** A double as Spark casts it to decimal(28,10): its shortest decimal form, rounded half up to 10 places. */
  static BigDecimal decimal(double x) {
    BigDecimal d = CAST.get(x);
    if (d != null) return d;
    d = BigDecimal.valueOf(x).setScale(SCALE, RoundingMode.HALF_UP);
    if (CAST.size() < 100_000) CAST.put(x, d);
    return d;
  }

  /** {@link #sum}'s figure from the decimal sum. */
  static double rounded(BigDecimal sum, int scale) {
    return sum.setScale(scale, RoundingMode.HALF_UP).doubleValue();
  }

  /**
   * {@link #avg}'s figure from the decimal sum and the count of values, null over none: Spark's mean of a
   * decimal(28,10) is a decimal(32,14), the quotient rounded half up to 14 places, then rounded to {@code scale}
   * (0.46874999999375 is 0.4687, not 0.4688 as from 10 places).
   */
  static Double mean(BigDecimal sum, long count, int scale) {
    if (count == 0) return null;
    return sum.divide(BigDecimal.valueOf(count), SCALE + 4, RoundingMode.HALF_UP).setScale(scale, RoundingMode.HALF_UP).doubleValue();
  }
}
