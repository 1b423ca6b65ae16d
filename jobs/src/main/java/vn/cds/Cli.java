package vn.cds;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.cds.catalog.CatalogException;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;
import vn.cds.generate.SampleGenerator;
import vn.cds.pipeline.ConfigException;
import vn.cds.pipeline.OutputLock;
import vn.cds.pipeline.Pipeline;
import vn.cds.pipeline.Progress;
import vn.cds.pipeline.Sessions;

/** {@code cds}: the command line of the CĐS pipeline. Exit codes: 0 ok, 1 bad rows under --strict, 2 fatal problem. */
@Command(name = "cds", mixinStandardHelpOptions = true, version = "cds 0.1.0",
    description = "Phân tích mức độ chuyển đổi số của các cơ sở giáo dục (CĐS maturity pipeline).",
    subcommands = {Cli.Run.class, Cli.Dashboards.class, Cli.Report.class, Cli.InspectSample.class, Cli.Catalog.class, Cli.Generate.class, Cli.Sql.class, Cli.Bench.class})
public final class Cli implements Callable<Integer> {
  public static final int EXIT_OK = 0;
  public static final int EXIT_BAD_ROWS = 1;
  public static final int EXIT_FATAL = 2;

  @Option(names = "--debug", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  /** Where the project lives (set by the ./cds launcher); the default catalogs are under it. */
  static Path home() {
    return Path.of(System.getProperty("cds.home", "."));
  }

  static Path defaultCatalogs() {
    return home().resolve("schemas/indicator-sets");
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return EXIT_OK;
  }

  /** The command line as given, for the output lock's holder line. */
  private static volatile String commandLine = "cds";

  /** --wait, for every command that writes under an output folder. */
  static final class LockOptions {
    @Option(names = "--wait", description = "Wait for another command writing the same output folder to end, instead of refusing at once.")
    boolean wait;

    /** The output folder's lock (see OutputLock), taken before anything in it is touched. */
    OutputLock take(Path folder) throws java.io.IOException {
      return OutputLock.acquire(folder.toAbsolutePath().normalize(), commandLine, wait, System.out::println);
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Chạy toàn bộ: đọc báo cáo, kiểm tra, tính điểm, ghi Parquet và DuckDB (ingest, validate, score, load the mart).")
  static final class Run implements Callable<Integer> {
    @Option(names = "--input", defaultValue = "sample-data", description = "Input folder (units.csv, areas.csv, deadlines.csv, exports/). Default: ${DEFAULT-VALUE}")
    String input;

    @Option(names = "--out", defaultValue = "out", description = "Output folder (lake/, mart/). Default: ${DEFAULT-VALUE}")
    String out;

    @Option(names = "--catalogs", description = "Indicator-set catalog folder. Default: the project's schemas/indicator-sets")
    Path catalogs;

    @Option(names = "--master", description = "Spark master URL. Default: spark-submit's, $CDS_SPARK_MASTER, or local[*]")
    String master;

    @Option(names = "--lake", description = "Parquet lake: a folder or any Hadoop URI (file:, hdfs:, s3a:); on a cluster of several hosts, "
        + "storage every executor reaches. The mart is built from a local copy in <out>/lake-copy. Default: <out>/lake")
    String lake;

    @Option(names = "--strict", description = "Exit with code 1 when any row was rejected.")
    boolean strict;

    @Option(names = "--timings", description = "Also write each stage's wall time and peak memory to this JSON file (for benchmarks).")
    Path timings;

    @CommandLine.Mixin LockOptions lock;

    @Override
    public Integer call() throws Exception {
      Progress progress = new Progress(System.out);
      long start = System.nanoTime();
      out = vn.cds.pipeline.Lake.localFolder(out); // before Spark starts: a wrong --out costs nothing, a busy one neither
      try (OutputLock held = lock.take(Path.of(out))) {
        return run(progress, start);
      }
    }

    private Integer run(Progress progress, long start) throws Exception {
      try (Sessions.Command session = Sessions.forRun(master, input)) {
        SparkSession spark = session.spark();
        Pipeline.Result r = new Pipeline(spark, progress).run(new Pipeline.Config(input, out, catalogs != null ? catalogs : defaultCatalogs(), strict, lake));
        progress.line(r.reconciliation());
        Progress.Stage stage = progress.stage("dashboards");
        vn.cds.dashboards.Dashboards.Written dash = vn.cds.dashboards.Dashboards.write(home().resolve("dashboards/superset"), r.mart(), r.mart(),
            Path.of(out, "dashboards"));
        stage.done(dash.pages() + " (mở trực tiếp, offline), " + dash.bundle() + " (Superset)");
        double seconds = Progress.secondsSince(start);
        progress.line(String.format(Locale.ROOT, "Xong (done) in %.1f s: mart %s, run %s", seconds, r.mart(), r.runId()));
        if (timings != null) vn.cds.bench.RunTimings.write(timings, progress.timings(), seconds, r.rowsRead(), spark);
        if (!r.reconciled()) return EXIT_FATAL;
        return strict && (r.rejected() > 0 || r.filesRefused() > 0) ? EXIT_BAD_ROWS : EXIT_OK;
      }
    }
  }

  @Command(name = "dashboards", mixinStandardHelpOptions = true,
      description = "Bảng điều khiển (dashboards): the Superset import bundle pointing at --mart, and the offline HTML page.")
  static final class Dashboards implements Callable<Integer> {
    @Option(names = "--mart", required = true, description = "Path of the mart file as Superset will open it (e.g. /srv/cds/mart/cds.duckdb).")
    Path mart;

    @Option(names = "--local-mart", defaultValue = "out/mart/cds.duckdb", description = "Mart to read the offline page's numbers from. Default: ${DEFAULT-VALUE}")
    Path localMart;

    @Option(names = "--out", defaultValue = "out/dashboards", description = "Folder to write. Default: ${DEFAULT-VALUE}")
    Path out;

    @CommandLine.Mixin LockOptions lock;

    /** The run's output folder when this is its dashboards/ (the default), so that a run and this command exclude each other. */
    Path lockedFolder() {
      Path abs = out.toAbsolutePath().normalize();
      return abs.getFileName() != null && abs.getFileName().toString().equals("dashboards") && abs.getParent() != null ? abs.getParent() : abs;
    }

    @Override
    public Integer call() throws Exception {
      vn.cds.dashboards.Dashboards.Written w;
      try (OutputLock held = lock.take(lockedFolder())) {
        w = vn.cds.dashboards.Dashboards.write(home().resolve("dashboards/superset"), mart, localMart, out);
      }
      System.out.println("Gói Superset (bundle): " + w.bundle() + " → " + mart.toAbsolutePath().normalize() + "; trang offline: " + w.pages());
      return EXIT_OK;
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Báo cáo năm gửi Bộ GDĐT và danh sách công bố (the annual report as XLSX, its tables as CSV, the published list as CSV and "
          + "JSON), from the mart of a previous run.")
  static final class Report implements Callable<Integer> {
    @Option(names = "--year", required = true, description = "School year to report, e.g. 2024-2025.")
    String year;

    @Option(names = "--compare", description = "School year to compare with. Default: the year before, when the mart has it.")
    String compare;

    @Option(names = "--out", defaultValue = "out", description = "Output folder of cds run (mart/); reports go to <out>/reports. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--date", description = "Report date, yyyy-mm-dd. Default: schemas/report.json, else today (Vietnam time).")
    java.time.LocalDate date;

    @CommandLine.Mixin LockOptions lock;

    @Override
    public Integer call() throws Exception {
      vn.cds.report.ReportFiles.Written w;
      try (OutputLock held = lock.take(out)) {
        w = vn.cds.report.ReportFiles.write(out.resolve("mart").resolve(vn.cds.mart.MartBuilder.MART_FILE), out.resolve("reports"), year, compare,
            vn.cds.report.ReportConfig.load(home().resolve("schemas"), date));
      }
      System.out.printf(Locale.ROOT, "Báo cáo %s (report): %s; %d đơn vị trong danh sách công bố → %s, %s; các bảng CSV trong %s; "
          + "%d danh sách nhắc nộp văn bản (follow-up lists)%n", year, w.xlsx(), w.units(), w.publishedCsv(), w.publishedJson(), w.csvFolder(),
          w.followUpLists());
      return EXIT_OK;
    }
  }

  @Command(name = "inspect-sample", mixinStandardHelpOptions = true,
      description = "Chọn mẫu đơn vị để kiểm tra kết quả tự đánh giá (draw the inspection sample of a school year): at least the share of "
          + "units under each managing body, stratified by area and school level, riskiest first; the same seed draws the same sample.")
  static final class InspectSample implements Callable<Integer> {
    @Option(names = "--year", required = true, description = "School year, e.g. 2025-2026.")
    String year;

    @Option(names = "--share", description = "Share of units to inspect under each managing body, in (0, 1]. Default: schemas/oversight.json")
    Double share;

    @Option(names = "--seed", description = "Random seed for ties. Default: schemas/oversight.json")
    Long seed;

    @Option(names = "--out", defaultValue = "out", description = "Output folder of cds run (lake/, mart/). Default: ${DEFAULT-VALUE}")
    String out;

    @Option(names = "--lake", description = "The lake cds run wrote, if not <out>/lake (a folder or any Hadoop URI).")
    String lake;

    @Option(names = "--catalogs", description = "Indicator-set catalog folder. Default: the project's schemas/indicator-sets")
    Path catalogs;

    @Option(names = "--master", description = "Spark master URL. Default: spark-submit's, $CDS_SPARK_MASTER, or local[*]")
    String master;

    @CommandLine.Mixin LockOptions lock;

    @Override
    public Integer call() throws Exception {
      try (OutputLock held = lock.take(Path.of(vn.cds.pipeline.Lake.localFolder(out)))) {
        return draw();
      }
    }

    private Integer draw() throws Exception {
      try (Sessions.Command session = Sessions.forCommand(master)) {
        vn.cds.pipeline.InspectionSample.Drawn d = vn.cds.pipeline.InspectionSample.command(session.spark(), out, lake,
            catalogs != null ? catalogs : defaultCatalogs(), year, share, seed);
        System.out.printf(Locale.ROOT, "Mẫu kiểm tra %s (inspection sample): %d đơn vị thuộc %d đơn vị quản lý → %s; kho dữ liệu %s%n",
            d.year(), d.units(), d.managingBodies(), d.csv(), d.mart());
        return EXIT_OK;
      }
    }
  }

  @Command(name = "catalog", mixinStandardHelpOptions = true, description = "Bộ chỉ số (indicator-set catalogs).",
      subcommands = {Catalog.Check.class})
  static final class Catalog implements Callable<Integer> {
    @Override
    public Integer call() {
      new CommandLine(this).usage(System.out);
      return EXIT_OK;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
        description = "Kiểm tra danh mục bộ chỉ số và quy định văn bản (milestones.json bên cạnh): lược đồ JSON và tính toàn vẹn (validate schema and integrity).")
    static final class Check implements Callable<Integer> {
      @Parameters(arity = "0..1", description = "Catalog folder. Default: the project's schemas/indicator-sets")
      Path dir;

      @Override
      public Integer call() {
        Path folder = dir != null ? dir : defaultCatalogs();
        Catalogs catalogs = Catalogs.load(folder);
        for (IndicatorSet s : catalogs.sets()) {
          System.out.printf(Locale.ROOT, "OK %s %s (%s): %d nhóm, %d tiêu chí; %d tạm thời, %d suy luận%s%n", s.id(), s.version(), s.sourceFile(),
              s.groups().size(), s.criteria().size(), s.countCriteriaWithStatus("provisional"), s.countCriteriaWithStatus("inferred"),
              s.provisional() ? " — PROVISIONAL" : "");
        }
        // the yearly cycle's documents sit beside the catalogs (schemas/milestones.json)
        java.util.Optional<Path> milestonesFile = vn.cds.catalog.Milestones.find(folder);
        if (milestonesFile.isEmpty()) {
          System.out.println("— không có " + vn.cds.catalog.Milestones.FILE + " (no document rules beside " + folder + ": documents are not tracked)");
        } else {
          vn.cds.catalog.Milestones m = vn.cds.catalog.Milestones.load(milestonesFile.get());
          System.out.printf(Locale.ROOT, "OK %s: %d văn bản (documents), %d quy định (requirements), cải cách từ %s%s%n", m.sourceFile(),
              m.documents().size(), m.documents().stream().mapToInt(d -> d.requirements().size()).sum(), m.reformSchoolYear(),
              m.provisional() ? " — PROVISIONAL (hạn nộp mặc định lấy từ công văn, default deadlines from the letters)" : "");
        }
        return EXIT_OK;
      }
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Sinh dữ liệu mẫu tổng hợp, tất định (deterministic synthetic sample data).")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "2025", description = "Random seed. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--out", description = "Folder to write. Default: sample-data (province), out/national-data (national)")
    Path out;

    @Option(names = "--scale", defaultValue = "1", description = "Multiply the number of units per area. Default: ${DEFAULT-VALUE}")
    int scale;

    @Option(names = "--profile", defaultValue = "province",
        description = "province: the bundled sample (one province, 4 school years); national: 63 provinces, ~43,000 units, 5 school years. Default: ${DEFAULT-VALUE}")
    String profile;

    @Override
    public Integer call() throws Exception {
      SampleGenerator.Profile p = switch (profile.toLowerCase(Locale.ROOT)) {
        case "province" -> SampleGenerator.Profile.PROVINCE;
        case "national" -> SampleGenerator.Profile.NATIONAL;
        default -> throw new ConfigException("--profile phải là province hoặc national (unknown profile): " + profile);
      };
      if (scale < 1) throw new ConfigException("--scale phải ≥ 1 (must be at least 1): " + scale);
      if (out == null) out = Path.of(p == SampleGenerator.Profile.NATIONAL ? "out/national-data" : "sample-data");
      SampleGenerator.Stats stats = new SampleGenerator(seed, scale, p).write(out);
      System.out.println("Đã sinh dữ liệu mẫu (generated) in " + out + ": " + stats);
      return EXIT_OK;
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = "Đo hiệu năng (benchmark): cds run on generated datasets in fresh JVMs, the DuckDB-only baseline, dashboard view latency.")
  static final class Bench implements Callable<Integer> {
    @Option(names = "--datasets", split = ",", defaultValue = "province,province-2x,province-4x,national",
        description = "Datasets: province, province-Nx (the sample with N times the units), national, reference (53,000 units in 62 "
            + "provinces, three years: the national reference layout). Default: ${DEFAULT-VALUE}")
    java.util.List<String> datasets;

    @Option(names = "--incremental", description = "Also add this dataset's last school year to a lake holding its other years (two more runs).")
    String incremental;

    @Option(names = "--out", defaultValue = "out/bench", description = "Folder for data, runs and results. Default: ${DEFAULT-VALUE}")
    Path out;

    @Override
    public Integer call() throws Exception {
      for (String d : datasets) vn.cds.bench.Benchmark.dataset(d); // unknown names fail before any work
      if (incremental != null && !datasets.contains(incremental)) throw new ConfigException("--incremental " + incremental + " is not among --datasets");
      new vn.cds.bench.Benchmark(home(), out).run(datasets, incremental);
      System.out.println(java.nio.file.Files.readString(out.resolve("results.md")));
      System.out.println("Kết quả (results): " + out.resolve("results.json") + ", " + out.resolve("results.md"));
      return EXIT_OK;
    }
  }

  @Command(name = "sql", mixinStandardHelpOptions = true,
      description = "Truy vấn kho dữ liệu DuckDB, chỉ đọc (query the DuckDB mart read-only) and print the result as tab-separated text.")
  static final class Sql implements Callable<Integer> {
    @Option(names = "--mart", defaultValue = "out/mart/cds.duckdb", description = "Mart file. Default: ${DEFAULT-VALUE}")
    Path mart;

    @Parameters(arity = "1", description = "One SQL query.")
    String query;

    @Override
    public Integer call() throws Exception {
      if (!java.nio.file.Files.exists(mart)) throw new ConfigException("Không thấy kho dữ liệu (mart not found): " + mart);
      java.util.Properties readOnly = new java.util.Properties();
      readOnly.setProperty("duckdb.read_only", "true");
      try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + mart.toAbsolutePath(), readOnly);
          java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(query)) {
        int n = rs.getMetaData().getColumnCount();
        StringBuilder header = new StringBuilder();
        for (int i = 1; i <= n; i++) header.append(i > 1 ? "\t" : "").append(rs.getMetaData().getColumnLabel(i));
        System.out.println(header);
        while (rs.next()) {
          StringBuilder line = new StringBuilder();
          for (int i = 1; i <= n; i++) line.append(i > 1 ? "\t" : "").append(rs.getString(i));
          System.out.println(line);
        }
      }
      return EXIT_OK;
    }
  }

  public static int execute(String... args) {
    commandLine = "cds " + String.join(" ", args);
    CommandLine cli = new CommandLine(new Cli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      boolean debug = parsed.originalArgs().contains("--debug");
      if (debug) e.printStackTrace();
      if (e instanceof CatalogException ce) {
        System.err.println("Lỗi danh mục bộ chỉ số (catalog error):");
        ce.problems().forEach(p -> System.err.println("  " + p));
      } else if (e instanceof OutputLock.BusyException) {
        System.err.println("Đang bận (busy): " + e.getMessage());
      } else if (e instanceof ConfigException) {
        System.err.println("Lỗi cấu hình (configuration error): " + e.getMessage());
      } else {
        System.err.println("Lỗi (error): " + e + (debug ? "" : "  — chạy lại với --debug để xem chi tiết (rerun with --debug)"));
      }
      return EXIT_FATAL;
    });
    cli.setParameterExceptionHandler((e, args2) -> {
      System.err.println(e.getMessage());
      e.getCommandLine().usage(System.err);
      return EXIT_FATAL;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
