package vn.cds.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/** The one SparkSession of a process. The master comes from --master, else spark-submit / CDS_SPARK_MASTER, else local[*]. */
public final class Sessions {
  private Sessions() {}

  private static SparkSession create(String master, boolean interpreted) {
    SparkSession.Builder b = SparkSession.builder().appName("cds");
    String chosen = master != null ? master : System.getenv("CDS_SPARK_MASTER");
    if (chosen != null) b.master(chosen);
    else if (System.getProperty("spark.master") == null) b.master("local[*]");
    if (interpreted) b.config("spark.sql.codegen.wholeStage", "false").config("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    return settings(b).getOrCreate();
  }

  /**
   * Below this many bytes of exports, a run interprets Spark's expressions instead of generating and compiling code
   * for them: a small run is ~10 generated classes per query whatever its rows, compiled by Janino at ~14 ms each.
   * Measured (whole runs, pairs in turn, BENCHMARKS.md): 40 units 0.82, 300 units 0.86, 1,200 units (836 KB) 0.97,
   * 2,800 units (1.96 MB) 1.10, 6,000 units (4.2 MB) 1.42. The marts are equal either way.
   */
  static final long INTERPRETED_BELOW_BYTES = 1L << 20;

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
    return forCommand(master, false);
  }

  /** The session of a run over {@code input}: a small input's expressions interpreted, see {@link #INTERPRETED_BELOW_BYTES}. */
  public static Command forRun(String master, String input) {
    return forCommand(master, smallInput(input));
  }

  private static Command forCommand(String master, boolean interpreted) {
    boolean hostHasOne = SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined();
    // a host's session keeps its settings: getOrCreate would set these on it, for every command it runs
    return new Command(create(master, interpreted && !hostHasOne), !hostHasOne);
  }

  /**
   * Whether the exports are small enough to interpret, unless the code-generation settings were given explicitly. Read
   * from the local folder (a path or a file: URI) before Spark starts; an input elsewhere, or unreadable, keeps Spark's default.
   */
  static boolean smallInput(String input) {
    return smallInput(input, System.getProperties());
  }

  static boolean smallInput(String input, Properties given) {
    if (given.getProperty("spark.sql.codegen.wholeStage") != null || given.getProperty("spark.sql.codegen.factoryMode") != null) return false;
    Path root;
    try {
      root = input.startsWith("file:") ? Path.of(URI.create(input)) : Path.of(input);
    } catch (IllegalArgumentException notLocal) {
      return false;
    }
    // java.nio, not InputFolder's listing: that starts Hadoop's file system before Spark does, and the OS's litter it
    // leaves out weighs nothing against the threshold
    try (Stream<Path> files = Files.walk(root.resolve("exports"), FileVisitOption.FOLLOW_LINKS)) {
      long bytes = 0;
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) bytes += Files.size(file);
      return bytes < INTERPRETED_BELOW_BYTES;
    } catch (IOException | UncheckedIOException unreadable) {
      return false;
    }
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
