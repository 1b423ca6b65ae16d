package vn.cds.transform;

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
}
