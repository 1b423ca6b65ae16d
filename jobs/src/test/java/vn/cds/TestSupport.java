package vn.cds;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** What every test shares: the repository root and one local SparkSession per test JVM (each session costs ~3 s). */
public final class TestSupport {
  private TestSupport() {}

  private static SparkSession spark;

  public static Path repoRoot() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("schemas/indicator-sets"))) p = p.getParent();
    if (p == null) throw new IllegalStateException("cannot find the repository root (schemas/indicator-sets) above " + System.getProperty("user.dir"));
    return p;
  }

  /** The JVM options file the launcher passes (Spark's module openings), as a java @argfile argument for child JVMs. */
  public static String jvmOptions() {
    return "@" + repoRoot().resolve("jobs/jvm.options");
  }

  public static Path catalogs() {
    return repoRoot().resolve("schemas/indicator-sets");
  }

  public static synchronized SparkSession spark() {
    // a CLI test runs `cds run`, which stops the process's session at its end, as the real command does
    if (spark == null || spark.sparkContext().isStopped()) {
      spark = vn.cds.pipeline.Sessions.settings(SparkSession.builder().master("local[2]").appName("cds-tests"))
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
    }
    return spark;
  }
}
