package vn.cds.pipeline;

import org.apache.spark.sql.SparkSession;

/** The one SparkSession of a process. The master comes from --master, else spark-submit / CDS_SPARK_MASTER, else local[*]. */
public final class Sessions {
  private Sessions() {}

  public static SparkSession create(String master) {
    SparkSession.Builder b = SparkSession.builder().appName("cds");
    String chosen = master != null ? master : System.getenv("CDS_SPARK_MASTER");
    if (chosen != null) b.master(chosen);
    else if (System.getProperty("spark.master") == null) b.master("local[*]");
    return settings(b).getOrCreate();
  }

  /** The settings every session of the project has, tests' included. */
  public static SparkSession.Builder settings(SparkSession.Builder b) {
    return b.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.compression.codec", "zstd")
        // no per-session class loader: the project adds no artifacts to a session (that isolation is for Spark
        // Connect), and with it every class the generated code looks up went through a loader per session, asking the
        // driver over RPC for each name not on the class path
        .config("spark.sql.artifact.isolation.enabled", "false")
        // the stage checkpoints are kept serialized (Steps.boundary): compressed, they fit in memory
        .config("spark.rdd.compress", "true")
        // a task writes each school year's file as its rows come instead of sorting them by year first (the national
        // criterion scores, 7.8 million rows: 15.5 s -> 12.8 s); more years than this in one task fall back to the sort
        .config("spark.sql.maxConcurrentOutputFileWriters", "8");
  }
}
