package vn.cds.pipeline;

import org.apache.spark.sql.SparkSession;

/** The one SparkSession of a process. The master comes from --master, else spark-submit / CDS_SPARK_MASTER, else local[*]. */
public final class Sessions {
  private Sessions() {}

  private static SparkSession create(String master) {
    SparkSession.Builder b = SparkSession.builder().appName("cds");
    String chosen = master != null ? master : System.getenv("CDS_SPARK_MASTER");
    if (chosen != null) b.master(chosen);
    else if (System.getProperty("spark.master") == null) b.master("local[*]");
    return settings(b).getOrCreate();
  }

  /**
   * The session of one command: started here and stopped when the command ends, as a `cds` process does; or, when the
   * process already has one (a host that embeds the command line, the tests), that one, left running for its owner.
   */
  public record Command(SparkSession spark, boolean started) implements AutoCloseable {
    @Override
    public void close() {
      if (started) spark.stop();
    }
  }

  public static Command forCommand(String master) {
    boolean hostHasOne = SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined();
    return new Command(create(master), !hostHasOne);
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
        .config("spark.sql.maxConcurrentOutputFileWriters", "8")
        // memory pages of 2 MB, not the 64 MB Spark derives from a 4 GB heap: every hash aggregate, hash map and sort of
        // every task takes at least one page and zeroes it, while most of ours hold a few thousand rows (a 40-unit run
        // allocated 1.4 GB in pages; the national run's peak 3.42 -> 2.86 GiB, BENCHMARKS.md); a big one takes more pages
        .config("spark.buffer.pageSize", "2m")
        // each job's task binary is broadcast into chunks of this size: 1 MB, not 4, as ours are tens of KB
        .config("spark.broadcast.blockSize", "1m")
        // file: folders made without a chmod process each (LocalFiles)
        .config("spark.hadoop.fs.file.impl", LocalFiles.class.getName());
  }
}
