package vn.cds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
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
   * {@code cds ARGS} started in a JVM of its own, as the launcher starts it for a small input: the C1 JIT alone, the
   * parallel collector, the project's classes in a jar and the class-data archive the first `run` that ends well
   * leaves behind (a 40-unit run ~25 s -> ~21 s); with {@code heap} (e.g. "1g"), its output and errors merged. The
   * caller reads or kills it.
   */
  public static Process startCds(String heap, String... args) throws IOException {
    Path archive = childArchive();
    boolean dump = args.length > 0 && args[0].equals("run") && !Files.exists(archive);
    // each dumping run writes an archive of its own; the first to end well moves it into place (a killed one leaves none)
    Path dumped = archive.resolveSibling("cds-" + System.nanoTime() + ".jsa");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC", "-Xlog:cds=off,cds+dynamic=off"));
    if (dump) cmd.add("-XX:ArchiveClassesAtExit=" + dumped);
    else if (Files.exists(archive)) cmd.add("-XX:SharedArchiveFile=" + archive);
    cmd.addAll(List.of(jvmOptions(), "-Dcds.home=" + repoRoot(), "-cp", childClassPath(), "vn.cds.Cli"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    if (dump) p.onExit().thenAccept(ended -> keepArchive(ended.exitValue() == 0, dumped, archive));
    return p;
  }

  private static void keepArchive(boolean ranWell, Path dumped, Path archive) {
    try {
      if (ranWell && Files.exists(dumped)) Files.move(dumped, archive, StandardCopyOption.ATOMIC_MOVE);
      else Files.deleteIfExists(dumped);
    } catch (IOException e) {
      dumped.toFile().delete(); // the next run dumps again
    }
  }

  private static Path appJar;

  /** Where the child JVMs' class-data archive goes: beside this test JVM's jar of the project's classes. */
  private static Path childArchive() throws IOException {
    return appJar().resolveSibling("cds-classes.jsa");
  }

  /** The jar of the project's classes, then its runtime dependencies: a class path the JVM can archive (no folder). */
  public static String childClassPath() throws IOException {
    return appJar() + java.io.File.pathSeparator + Files.readString(repoRoot().resolve("jobs/target/runtime-classpath.txt")).trim();
  }

  /**
   * The project's classes as a thin jar (no Spark, no dependencies), made once per test JVM: what spark-submit would be
   * given, and what a JVM can map from a class-data archive (classes in a folder it cannot).
   */
  public static synchronized Path appJar() throws IOException {
    if (appJar != null) return appJar;
    Path dir = Files.createTempDirectory("cds-app-jar"), jar = dir.resolve("cds-jobs.jar"), classes = repoRoot().resolve("jobs/target/classes");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    try (var out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
    appJar = jar;
    return jar;
  }

  /** `cds sql` in its own JVM, a reader process of its own: the first row of the answer. */
  public static String sqlInAnotherProcess(Path mart, String query) throws Exception {
    Process p = startCds("256m", "sql", "--mart", mart.toString(), query);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("the reader process failed: " + output);
    return output.lines().skip(1).findFirst().orElse("");
  }

  public static Path catalogs() {
    return repoRoot().resolve("schemas/indicator-sets");
  }

  public static synchronized SparkSession spark() {
    if (spark == null || spark.sparkContext().isStopped()) {
      spark = vn.cds.pipeline.Sessions.settings(SparkSession.builder().master("local[2]").appName("cds-tests"))
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
    }
    return spark;
  }

  /**
   * A session of its own for a class that sets or reads the session's SQL settings while other classes run beside it:
   * the tests' SparkContext, with settings of its own (Spark's newSession).
   */
  public static SparkSession ownSession() {
    return spark().newSession();
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
