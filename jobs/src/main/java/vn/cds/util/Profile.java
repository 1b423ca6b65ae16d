package vn.cds.util;

import java.util.Locale;

/** {@code -Dcds.profile=true}: each step prints its wall time ("[profile] what 1.23 s"), for finding where a run goes. */
public final class Profile {
  private Profile() {}

  public static final boolean ENABLED = Boolean.getBoolean("cds.profile");

  /** Prints {@code what} with the time since {@code startNanos} (from System.nanoTime), when profiling. */
  public static void done(String what, long startNanos) {
    if (ENABLED) System.out.printf(Locale.ROOT, "    [profile] %s %.2f s%n", what, (System.nanoTime() - startNanos) / 1e9);
  }

  /**
   * When profiling, what Spark's driver spent on every query of the run so far: its analyzer and optimizer rules, and
   * compiling generated code. On a small input these, not the rows, are most of a run (a 40-unit run: ~6 s of rules,
   * ~680 classes compiled in ~9 s).
   */
  public static void driverWork() {
    if (!ENABLED) return;
    double rules = org.apache.spark.sql.catalyst.rules.RuleExecutor.getCurrentMetrics().time() / 1e9;
    var compiled = org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME(); // ms, a sample of them
    System.out.printf(Locale.ROOT, "    [profile] analyzer and optimizer rules %.2f s; generated classes compiled: %d, about %.1f s%n", rules,
        compiled.getCount(), compiled.getSnapshot().getMean() * compiled.getCount() / 1000);
  }

  /** When profiling, what the stage checkpoints hold now: Spark's persisted blocks, in memory and on disk. */
  public static void heldBlocks(String when) {
    if (!ENABLED) return;
    var spark = org.apache.spark.sql.SparkSession.getDefaultSession();
    if (spark.isEmpty()) return;
    long memory = 0, disk = 0;
    int n = 0;
    for (org.apache.spark.storage.RDDInfo info : spark.get().sparkContext().getRDDStorageInfo()) {
      memory += info.memSize();
      disk += info.diskSize();
      n++;
    }
    System.out.printf(Locale.ROOT, "    [profile] %s: %d persisted datasets, %.0f MB in memory, %.0f MB on disk%n", when, n, memory / 1e6, disk / 1e6);
  }
}
