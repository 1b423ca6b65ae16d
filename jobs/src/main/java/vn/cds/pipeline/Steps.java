package vn.cds.pipeline;

import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import vn.cds.util.Profile;

/** How the stages cut their work into steps: what a step materialises, and its time in a profile. */
final class Steps {
  private Steps() {}

  /**
   * Materialises a step's output and cuts its lineage: later steps reuse it many times, and without the cut each use
   * would re-plan (and the plans grow to megabytes) every step before it.
   *
   * <p>Kept serialized and compressed (spark.rdd.compress, set in {@link Sessions}), not as row objects: the parsed
   * national exports alone took 880 MB as objects, so the checkpoints outgrew the memory store and 8.8 GB of blocks
   * were dropped from it to disk in a run; compressed, 0.16 GB was, the GC pauses halved and the peak shrank by
   * ~170 MB (BENCHMARKS.md, "What was tried", session 8).
   */
  static Dataset<Row> boundary(Dataset<Row> ds) {
    return profiled(() -> ds.localCheckpoint(true, StorageLevel.MEMORY_AND_DISK_SER()));
  }

  /**
   * The row counts of several datasets in one Spark job, not a job each: a console line's figures. On a small input
   * each job costs its scheduling, whatever its size.
   */
  static long[] counts(List<Dataset<Row>> datasets) {
    Dataset<Row> all = null;
    for (int i = 0; i < datasets.size(); i++) {
      Dataset<Row> one = datasets.get(i).groupBy().count().withColumn("i", functions.lit(i));
      all = all == null ? one : all.unionByName(one);
    }
    long[] counts = new long[datasets.size()];
    if (all != null) for (Row r : all.collectAsList()) counts[r.getInt(1)] = r.getLong(0);
    return counts;
  }

  /** Times the step by the file and line that asked for it ({@link Profile}). */
  static Dataset<Row> profiled(Supplier<Dataset<Row>> step) {
    long start = System.nanoTime();
    Dataset<Row> done = step.get();
    if (Profile.ENABLED) {
      StackTraceElement caller = Thread.currentThread().getStackTrace()[3];
      Profile.done(caller.getFileName() + ":" + caller.getLineNumber(), start);
    }
    return done;
  }
}
