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
    return b.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.compression.codec", "zstd")
        .getOrCreate();
  }
}
