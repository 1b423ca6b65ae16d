package vn.cds.pipeline;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;
import vn.cds.catalog.Milestones;
import vn.cds.mart.MartBuilder;
import vn.cds.transform.CatalogFrames;

/**
 * {@code cds run}: input folder -> Parquet lake -> DuckDB mart. It reads the rules and reference files, then composes
 * the stages, each a {@code run(spark, config)} returning an immutable result: {@link IngestStage} (read, validate),
 * {@link ScoreStage}, {@link AnalyseStage} and {@link PublishStage} (lake, trends, mart, report), with
 * {@link DocumentsStage} (the yearly cycle's documents) beside them. Between their reads and writes every step is a
 * pure transform from the transform package. The caller owns the SparkSession.
 */
public final class Pipeline {
  /** {@code lake}: the lake's root, a local path or any Hadoop URI; null for {@code <out>/lake}. */
  public record Config(String input, String out, Path catalogs, boolean strict, String lake) {
    public Config(String input, String out, Path catalogs, boolean strict) {
      this(input, out, catalogs, strict, null);
    }
  }

  /** What a run did, for the console, the mart and the caller's exit code: what the mart records, and more. */
  public record Result(MartBuilder.RunInfo run, long flagged, Path mart, Documents documents) {
    public String runId() {
      return run.runId();
    }

    public long rowsRead() {
      return run.rowsRead();
    }

    public long accepted() {
      return run.accepted();
    }

    public long rejected() {
      return run.rejected();
    }

    public long superseded() {
      return run.superseded();
    }

    public long filesRefused() {
      return run.files().refused();
    }

    public List<String> provisionalSets() {
      return run.provisionalSets();
    }

    /** The exports' rows and files, and the submissions' rows. */
    public boolean reconciled() {
      return run.reconciled() && documents.reconciled();
    }

    /** The run's last word: rows read = accepted + rejected + superseded, files found = read + refused + skipped. */
    public String reconciliation() {
      MartBuilder.FileCounts f = run.files();
      return String.format(Locale.ROOT, "Đối chiếu (reconciliation): %s dòng đọc = %s nhận + %s loại + %s thay thế%s; %s dòng có cờ; "
          + "%s tệp tìm thấy = %s đọc + %s từ chối + %s bỏ qua%s.%s", Progress.count(rowsRead()), Progress.count(accepted()), Progress.count(rejected()),
          Progress.count(superseded()), mark(run.rowsReconciled()), Progress.count(flagged), Progress.count(f.found()), Progress.count(f.read()),
          Progress.count(f.refused()), Progress.count(f.skipped()), mark(f.reconciled()),
          provisionalSets().isEmpty() ? "" : " Bộ chỉ số tạm thời: " + String.join(", ", provisionalSets()) + ".");
    }

    private static String mark(boolean ok) {
      return ok ? " ✓" : " ✗ KHÔNG KHỚP";
    }
  }

  /** The rows of submissions.csv / .xlsx: read = accepted + rejected + superseded, and the files that gave no row. */
  public record Documents(List<String> files, long read, long accepted, long rejected, long superseded, long filesFailed) {
    public boolean reconciled() {
      return read == accepted + rejected + superseded;
    }
  }

  /** Where a lake that is not on the local file system is copied for DuckDB to build the mart from, under --out. */
  public static final String LAKE_COPY = "lake-copy";

  private final SparkSession spark;
  private final Progress progress;

  public Pipeline(SparkSession spark, Progress progress) {
    this.spark = spark;
    this.progress = progress;
  }

  /**
   * Runs under the output folder's lock, so that a killed run's leftovers (a temporary mart, a half-swapped partition)
   * are tidied only by the one run that may write there. The CLI took the lock already (it is re-entrant); a run
   * started from code takes it here.
   */
  public Result run(Config cfg) throws Exception {
    try (OutputLock lock = OutputLock.acquire(Path.of(Lake.localFolder(cfg.out())), "cds run (" + cfg.input() + ")", false, progress::line)) {
      return runLocked(cfg);
    }
  }

  /** What a run reads before the exports: the rules, the reference files (checked first) and the exports' list. */
  record Inputs(Catalogs catalogs, List<String> provisional, Oversight oversight, Milestones milestones, Dataset<Row> units,
      Dataset<Row> areas, Dataset<Row> deadlines, CatalogFrames catalog, Dataset<Row> criterionCosts, Dataset<Row> documentDeadlines,
      InputFolder.Submissions submissions, InputFolder.Exports exports) {}

  private Result runLocked(Config cfg) throws Exception {
    cfg = new Config(cfg.input(), Lake.localFolder(cfg.out()), cfg.catalogs(), cfg.strict(), cfg.lake());
    Lake lake = Lake.of(cfg.lake(), cfg.out(), spark.sparkContext().hadoopConfiguration());
    Instant started = Instant.now();
    String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC).format(started)
        + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
    // this run's jobs carry its tag (threads started from here inherit it), so that a failure cancels them and only them
    String jobTag = "cds-run-" + runId;
    spark.sparkContext().addJobTag(jobTag);
    try {
      return runTagged(cfg, lake, runId, started, jobTag);
    } finally {
      spark.sparkContext().removeJobTag(jobTag);
    }
  }

  private Result runTagged(Config cfg, Lake lake, String runId, Instant started, String jobTag) throws Exception {
    Inputs in = readInputs(cfg, lake);
    // Work off the path to the analyses (the documents, the issues, the inspection sample) runs on threads of its own
    // and is waited for where it is used: on a small input a step is mostly driver work on one core. A thread per
    // piece, so that a piece waiting for another never waits for a thread.
    ExecutorService beside = Executors.newCachedThreadPool();
    try {
      Future<Documents> documents = beside.submit(() -> DocumentsStage.run(spark, new DocumentsStage.Config(lake, in.milestones(),
          in.oversight(), in.submissions(), in.documentDeadlines(), in.units(), in.areas())));
      IngestStage.Result ingested = IngestStage.run(spark, new IngestStage.Config(in.exports(), in.units(), in.catalog(), progress, beside));
      ScoreStage.Result scored = ScoreStage.run(spark, new ScoreStage.Config(ingested, in.units(), in.deadlines(), in.catalog(), progress));
      AnalyseStage.Result analysed = AnalyseStage.run(spark, new AnalyseStage.Config(ingested, scored, in.units(), in.areas(), in.deadlines(),
          in.catalog(), in.oversight(), lake, progress, beside));
      return PublishStage.run(spark, new PublishStage.Config(cfg, lake, runId, started, in, ingested, scored, analysed, documents, progress,
          beside));
    } catch (Exception | Error e) {
      stopEverything(jobTag, beside); // what still runs beside a failed run would write for nothing
      throw e;
    } finally {
      beside.shutdownNow();
      vn.cds.util.Profile.driverWork();
    }
  }

  /**
   * Cancels this run's jobs and waits (a minute at most) until their tasks and the threads beside have stopped, so that
   * a failed run returns, and gives up its output folder, with nothing of it still writing there. Cancelling only asks
   * the tasks to stop; a `cds` process then stops its session, which waits, but a host's session goes on.
   */
  private void stopEverything(String jobTag, ExecutorService beside) throws InterruptedException {
    spark.sparkContext().cancelJobsWithTag(jobTag);
    beside.shutdownNow();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    beside.awaitTermination(1, TimeUnit.MINUTES);
    while (hasRunningTasks(jobTag) && System.nanoTime() < deadline) Thread.sleep(50);
  }

  private boolean hasRunningTasks(String jobTag) {
    org.apache.spark.SparkStatusTracker status = spark.sparkContext().statusTracker();
    for (int job : status.getJobIdsForTag(jobTag)) {
      scala.Option<org.apache.spark.SparkJobInfo> info = status.getJobInfo(job);
      if (info.isEmpty()) continue;
      for (int stage : info.get().stageIds()) {
        scala.Option<org.apache.spark.SparkStageInfo> stageInfo = status.getStageInfo(stage);
        if (stageInfo.isDefined() && stageInfo.get().numActiveTasks() > 0) return true;
      }
    }
    return false;
  }

  private Inputs readInputs(Config cfg, Lake lake) {
    Progress.Stage stage = progress.stage("catalogs");
    Catalogs catalogs = Catalogs.load(cfg.catalogs());
    List<String> provisional = catalogs.sets().stream().filter(IndicatorSet::provisional).map(IndicatorSet::id).toList();
    stage.done(catalogs.sets().size() + " indicator sets from " + cfg.catalogs());
    warnProvisional(catalogs);
    Oversight oversight = Oversight.load(cfg.catalogs());
    Milestones milestones = Milestones.find(cfg.catalogs()).map(Milestones::load).orElse(Milestones.NONE);

    InputFolder input = new InputFolder(cfg.input());
    input.requireLayout();
    lake.recover(); // undo what a killed run left half done
    // the reference files are checked before any work: a bad row in them stops the run with one line
    Dataset<Row> units = Steps.boundary(input.units(spark));
    Dataset<Row> areas = input.areas(spark);
    Dataset<Row> deadlines = input.deadlines(spark);
    CatalogFrames catalog = new CatalogFrames(spark, catalogs);
    Dataset<Row> criterionCosts = CriterionCosts.load(spark, input, catalogs);
    Dataset<Row> documentDeadlines = input.documentDeadlines(spark, milestones);
    InputFolder.Submissions submissions = input.submissions(spark);
    InputFolder.Exports exports = input.exports();
    if (exports.files().isEmpty()) throw new ConfigException("Không có tệp báo cáo nào trong " + cfg.input() + "/exports (no export files found)");
    sizeShufflePartitions(InputFolder.totalBytes(exports.files()));
    return new Inputs(catalogs, provisional, oversight, milestones, units, areas, deadlines, catalog, criterionCosts, documentDeadlines,
        submissions, exports);
  }

  /**
   * Shuffle partitions in proportion to the input (one per ~16 MB of exports, 2 to 64), unless the user set them:
   * a province's few MB need 2, a national run dozens. Each extra partition is an extra task in every shuffle. The
   * count is rounded up to a multiple of the cores, so that no core waits out a last wave of one task: on 2 cores the
   * national 3 partitions became 4 (a national run 259 s -> 241 s, one run each).
   */
  private void sizeShufflePartitions(long inputBytes) {
    if (spark.sparkContext().getConf().contains("spark.sql.shuffle.partitions")) return;
    spark.conf().set("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions(inputBytes, spark.sparkContext().defaultParallelism())));
  }

  static long shufflePartitions(long inputBytes, int cores) {
    long wanted = Math.max(2, Math.min(64, inputBytes / (16L << 20)));
    long perCore = Math.max(1, cores);
    return Math.min(Math.max(64, perCore), (wanted + perCore - 1) / perCore * perCore);
  }

  private void warnProvisional(Catalogs catalogs) {
    for (IndicatorSet s : catalogs.sets()) {
      if (!s.provisional()) continue;
      progress.line(String.format(Locale.ROOT,
          "⚠ Bộ chỉ số %s (%s) chưa được xác minh đầy đủ: %d tiêu chí tạm thời, %d suy luận; quy tắc mức: %s. Kết quả dựa trên danh mục tạm thời "
              + "(results rest on a provisional catalog).",
          s.id(), s.version(), s.countCriteriaWithStatus("provisional"), s.countCriteriaWithStatus("inferred"), s.levelRule().status()));
    }
  }
}
