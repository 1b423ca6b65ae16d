package vn.cds.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The Parquet lake under {@code <out>/lake/}. Facts are partitioned by school year (and stage) and overwritten per
 * partition, so re-ingesting a school year replaces only that year. Dimensions and the per-run file table are
 * replaced whole. Layout: see README, "What lands in out/".
 */
public final class Lake {
  public static final String ASSESSMENT = "assessment";
  public static final String CRITERION_SCORE = "criterion_score";
  public static final String GROUP_RESULT = "group_result";
  public static final String ISSUE = "issue";
  public static final String INGEST_FILE = "ingest_file";
  public static final String DIM_UNIT = "dim_unit";
  public static final String DIM_AREA = "dim_area";
  public static final String DIM_INDICATOR_SET = "dim_indicator_set";
  public static final String DIM_GROUP = "dim_group";
  public static final String DIM_CRITERION = "dim_criterion";
  public static final String DIM_LEVEL_BAND = "dim_level_band";
  public static final String DEADLINE = "deadline";

  private final String root;

  public Lake(String outDir) {
    this.root = outDir + "/lake";
  }

  public String path(String table) {
    return root + "/" + table;
  }

  /** Overwrites only the partitions present in {@code data} (spark.sql.sources.partitionOverwriteMode=dynamic). */
  public void writePartitioned(Dataset<Row> data, String table, String... partitionColumns) {
    data.write().mode(SaveMode.Overwrite).partitionBy(partitionColumns).parquet(path(table));
  }

  public void writeWhole(Dataset<Row> data, String table) {
    data.coalesce(1).write().mode(SaveMode.Overwrite).parquet(path(table));
  }

  /** Runs independent writes concurrently (two at a time) and rethrows the first failure. */
  public void writeAll(java.util.List<Runnable> writes) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
      for (Runnable w : writes) running.add(pool.submit(w));
      for (java.util.concurrent.Future<?> f : running) f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }
}
