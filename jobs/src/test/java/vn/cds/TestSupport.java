package vn.cds;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import vn.cds.pipeline.Pipeline;
import vn.cds.pipeline.Progress;

/** What every test shares: the repository root and one local SparkSession per test JVM (each session costs ~3 s). */
public final class TestSupport {
  private TestSupport() {}

  private static SparkSession spark;
  private static SampleRun sampleRun;

  /** The pipeline's run over the committed sample: where it wrote, what it returned and what it printed. */
  public record SampleRun(Path out, Pipeline.Result result, String console) {
    public Path mart() {
      return out.resolve("mart/cds.duckdb");
    }
  }

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

  /**
   * {@code cds ARGS} in a JVM of its own, as the launcher starts it for a small input (the C1 JIT alone), with
   * {@code heap} (e.g. "1g"); its output and errors merged. Not started: the caller reads or kills it.
   */
  public static ProcessBuilder cdsProcess(String heap, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-XX:TieredStopAtLevel=1", jvmOptions(), "-Dcds.home=" + repoRoot(), "-cp", System.getProperty("java.class.path"), "vn.cds.Cli"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  /** `cds sql` in its own JVM, a reader process of its own: the first row of the answer. */
  public static String sqlInAnotherProcess(Path mart, String query) throws Exception {
    Process p = cdsProcess("256m", "sql", "--mart", mart.toString(), query).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("the reader process failed: " + output);
    return output.lines().skip(1).findFirst().orElse("");
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

  /**
   * The pipeline over the committed sample, run once per test JVM (~30-80 s each time) and shared by every test that
   * reads its outputs. Read-only: a test that writes (a report, a copy of the mart) writes into a folder of its own.
   */
  public static synchronized SampleRun sampleRun() throws Exception {
    if (sampleRun == null) {
      Path out = Files.createTempDirectory("cds-sample-run");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(out)));
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      Pipeline.Result result = new Pipeline(spark(), new Progress(new PrintStream(console, true, StandardCharsets.UTF_8)))
          .run(new Pipeline.Config(repoRoot().resolve("sample-data").toString(), out.toString(), catalogs(), false));
      sampleRun = new SampleRun(out, result, console.toString(StandardCharsets.UTF_8));
    }
    return sampleRun;
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a temporary folder: the OS cleans what is left
    }
  }

  /** Every row of a query, its values joined by spaces: what a test compares with the counts it expects. */
  public static java.util.List<String> rows(java.sql.Connection c, String sql) throws java.sql.SQLException {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) sb.append(i > 1 ? " " : "").append(rs.getString(i));
        out.add(sb.toString());
      }
    }
    return out;
  }
}
