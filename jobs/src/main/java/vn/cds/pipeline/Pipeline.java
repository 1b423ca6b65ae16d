package vn.cds.pipeline;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;
import vn.cds.catalog.Milestones;
import vn.cds.ingest.ExportReader;
import vn.cds.ingest.IngestSchemas;
import vn.cds.ingest.Reasons;
import vn.cds.mart.MartBuilder;
import vn.cds.transform.Analytics;
import vn.cds.transform.CatalogFrames;
import vn.cds.transform.Inspection;
import vn.cds.transform.NextLevel;
import vn.cds.transform.Registry;
import vn.cds.transform.Scoring;
import vn.cds.transform.Submissions;
import vn.cds.transform.Validation;
import vn.cds.util.Concurrently;

/**
 * {@code cds run}: input folder -> Parquet lake -> DuckDB mart. Reads at the start, writes at the end; everything in
 * between is a pure transform from the transform package. The caller owns the SparkSession.
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
  private record Inputs(Catalogs catalogs, List<String> provisional, Oversight oversight, Milestones milestones, Dataset<Row> units,
      Dataset<Row> areas, Dataset<Row> deadlines, CatalogFrames catalog, Dataset<Row> criterionCosts, Dataset<Row> documentDeadlines,
      InputFolder.Submissions submissions, InputFolder.Exports exports) {}

  private Result runLocked(Config cfg) throws Exception {
    cfg = new Config(cfg.input(), Lake.localFolder(cfg.out()), cfg.catalogs(), cfg.strict(), cfg.lake());
    Lake lake = Lake.of(cfg.lake(), cfg.out(), spark.sparkContext().hadoopConfiguration());
    Instant started = Instant.now();
    String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC).format(started)
        + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
    Inputs in = readInputs(cfg, lake);
    // Work off the path to the analyses (the documents, the issues, the inspection sample) runs on threads of its own
    // and is waited for where it is used: on a small input a step is mostly driver work on one core. A thread per
    // piece, so that a piece waiting for another never waits for a thread.
    ExecutorService beside = Executors.newCachedThreadPool();
    try {
      Future<Documents> documents = beside.submit(() -> trackDocuments(lake, in.milestones(), in.oversight(),
          in.submissions(), in.documentDeadlines(), in.units(), in.areas()));
      return runExports(cfg, lake, runId, started, in, beside, documents);
    } catch (Exception | Error e) {
      spark.sparkContext().cancelAllJobs(); // what still runs beside a failed run would write for nothing
      throw e;
    } finally {
      beside.shutdownNow();
    }
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
    Dataset<Row> units = stageBoundary(input.units(spark));
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

  private Result runExports(Config cfg, Lake lake, String runId, Instant started, Inputs in, ExecutorService beside,
      Future<Documents> documentsTracked) throws Exception {
    Catalogs catalogs = in.catalogs();
    Oversight oversight = in.oversight();
    Milestones milestones = in.milestones();
    Dataset<Row> units = in.units(), areas = in.areas(), deadlines = in.deadlines();
    CatalogFrames catalog = in.catalog();
    InputFolder.Exports exports = in.exports();
    List<InputFolder.ExportFile> files = exports.files();
    Progress.Stage stage;

    // ---- read (edge) ----
    stage = progress.stage("read");
    Dataset<Row> parsed = withSmallGeneratedMethods(() -> stageBoundary(parseFiles(files)));
    Row read = parsed.selectExpr("sum(summary.rows_read)", "count_if(summary.error_code IS NOT NULL)").first();
    long rowsRead = read.isNullAt(0) ? 0 : read.getLong(0);
    stage.done(files.size() + " files, " + Progress.count(rowsRead) + " rows");
    reportSkipped(exports.skipped());
    reportColumns(parsed);
    if (rowsRead == 0)
      throw new ConfigException("Không đọc được dòng dữ liệu nào từ " + files.size() + " tệp (nothing readable in any export file: "
          + read.getLong(1) + " with errors)");
    stage = progress.stage("validate");
    Dataset<Row> summaries = parsed.select("summary.*");
    Dataset<Row> rawRows = parsed.select(explode(col("rows")).as("r")).select("r.*");

    // ---- transform (pure) ----
    Dataset<Row> resolved = stageBoundary(Validation.resolve(rawRows, units, catalog));
    Dataset<Row> found = stageBoundary(Validation.issues(resolved, catalog));
    Dataset<Row> assessments = stageBoundary(Scoring.markOfficial(Validation.dispositions(resolved, found)));
    Future<Dataset<Row>> validationIssues = beside.submit(() -> stageBoundary(Validation.withSupersededIssues(found,
        assessments)));
    List<String> years = assessments.filter(col("school_year").isNotNull()).select("school_year").distinct().sort("school_year")
        .as(Encoders.STRING()).collectAsList();
    stage.done(Progress.count(assessments.count()) + " rows, school years " + String.join(", ", years));

    stage = progress.stage("scoring");
    // Units first; then authorities, whose derived criteria (QĐ 3806 KQ) come from the official results of their units.
    // each accepted row's cells parsed once, kept wide: the units' group results read them as they are, and the
    // criterion rows the analyses and the lake need are exploded from them
    Dataset<Row> valueRows = stageBoundary(Validation.valueRows(resolved, assessments, catalog));
    List<Dataset<Row>> scored = Concurrently.all(List.of(
        // the units' group results from one wide row per assessment: no criterion row is aggregated for them
        () -> stageBoundary(Scoring.groupResultsOfWideRows(valueRows, catalog)),
        () -> stageBoundary(Registry.unitYears(units, years))));
    Dataset<Row> unitResults = scored.get(0), unitYears = scored.get(1);
    Dataset<Row> derivedSets = broadcast(catalog.criterion.filter(col("derived_metric").isNotNull()).select("set_id").distinct());
    // The units' criterion rows are exploded from the wide rows by each step that reads them, not kept: exploding
    // the ~190,000 national wide rows again costs no more than caching ~5.4 million criterion rows and reading them back.
    Dataset<Row> unitScores = Scoring.criterionScores(Validation.criterionValues(valueRows.join(derivedSets, new String[] {"set_id"}, "left_anti")), catalog);
    Dataset<Row> officialResults = unitResults.select("row_key", "overall_level").distinct()
        .join(assessments.filter(col("is_official")).select("row_key", "unit_code", "school_year", "managing_unit_code"), "row_key");
    Dataset<Row> authorityScores = Scoring.criterionScores(Validation.criterionValues(valueRows.join(derivedSets, new String[] {"set_id"}, "left_semi")), catalog);
    Dataset<Row> derived = Scoring.derivedPoints(authorityScores, officialResults, unitYears, assessments, deadlines);
    Dataset<Row> authorityCriterionScores = stageBoundary(Scoring.withDerived(authorityScores, derived));
    Dataset<Row> criterionScores = unitScores.unionByName(authorityCriterionScores);
    Dataset<Row> groupResults = unitResults.unionByName(Scoring.groupResults(authorityCriterionScores, catalog));
    Dataset<Row> factAssessment = stageBoundary(groupResults.join(assessments.select("row_key", "source_file", "sheet", "row_number", "unit_name",
        "registry_unit_name", "school_level", "ownership", "province_code", "district_code", "commune_code", "managing_unit_code",
        "submitted_on", "status", "is_official"), "row_key"));
    Future<Dataset<Row>> issuesFound = beside.submit(() -> stageBoundary(Concurrently.result(validationIssues)
        .unionByName(Registry.declaredMismatches(assessments, factAssessment)).unionByName(fileIssues(summaries))));
    stage.done(Progress.count(factAssessment.count()) + " group results");

    stage = progress.stage("analytics");
    Dataset<Row> unitYearLevels = stageBoundary(Analytics.unitYearLevels(unitYears, factAssessment, areas, catalog));
    // The lake's years once this run's results are written in. When they are this run's own, the run holds the whole
    // history: the trends are made with the analyses, and the inspection sample beside them, without waiting for the lake.
    List<String> allYears = yearsAfterWrite(lake.years(Lake.GROUP_RESULT), years, factAssessment);
    boolean wholeHistory = allYears.equals(years);
    Future<String> inspected = wholeHistory ? beside.submit(() -> drawInspection(lake, years, allYears, unitYearLevels, factAssessment,
        unitYears, units, catalog, oversight)) : null;
    // The analyses are independent of each other: two are made at a time. Those read by nothing but their lake
    // write (funding priority, the next-level summary) are made by the write, as the others are written.
    List<Callable<Dataset<Row>>> steps = new ArrayList<>(List.of(
        () -> stageBoundary(NextLevel.steps(factAssessment, criterionScores, catalog)),
        () -> stageBoundary(Analytics.criterionGap(criterionScores, factAssessment, unitYearLevels)),
        () -> stageBoundary(Analytics.levelDistribution(unitYearLevels)),
        () -> stageBoundary(Analytics.selfVsExternal(factAssessment, unitYearLevels, oversight.gapPoints())),
        () -> stageBoundary(Analytics.unitCoverage(unitYearLevels, assessments, deadlines)),
        () -> stageBoundary(reconcile(summaries, assessments, Concurrently.result(issuesFound)))));
    if (wholeHistory) steps.addAll(trendSteps(unitYearLevels, allYears));
    List<Dataset<Row>> analyses = Concurrently.all(steps);
    Dataset<Row> nextLevelSteps = analyses.get(0), criterionGap = analyses.get(1), levelDistribution = analyses.get(2),
        selfVsExternal = analyses.get(3), unitCoverage = analyses.get(4), ingestFiles = analyses.get(5);
    Dataset<Row> fundingPriority = Analytics.fundingPriority(criterionScores, factAssessment, unitYearLevels, catalog);
    Dataset<Row> nextLevel = NextLevel.summary(factAssessment, nextLevelSteps, unitYearLevels, catalog);
    stage.done(Progress.count(levelDistribution.count()) + " distribution, " + Progress.count(criterionGap.count()) + " criterion-gap, "
        + Progress.count(selfVsExternal.count()) + " self-vs-external, " + Progress.count(unitCoverage.count()) + " coverage rows");

    // ---- write (edge) ----
    stage = progress.stage("lake");
    // What scoring used (group, max points, whether a condition) stays on each criterion row; what only describes the
    // criterion (how it is derived, its place in the catalog) the mart takes from dim_criterion. Each column less is
    // encoded 7.8 million times at national scale.
    Dataset<Row> criterionScoresToStore = criterionScores.drop("derived_metric", "derived_level");
    // The outputs are independent: Spark runs concurrent jobs, which keeps both cores busy on small writes.
    lake.writeAll(List.of(
        () -> lake.writePartitioned(assessments, Lake.ASSESSMENT, years),
        () -> lake.writePartitioned(criterionScoresToStore, Lake.CRITERION_SCORE, years),
        () -> lake.writePartitioned(factAssessment, Lake.GROUP_RESULT, years),
        () -> lake.writePartitioned(Concurrently.result(issuesFound).drop("row_key"), Lake.ISSUE, years),
        () -> lake.writePartitioned(levelDistribution, Lake.LEVEL_DISTRIBUTION, years),
        () -> lake.writePartitioned(criterionGap, Lake.CRITERION_GAP, years),
        () -> lake.writePartitioned(selfVsExternal, Lake.SELF_VS_EXTERNAL, years),
        () -> lake.writePartitioned(unitCoverage, Lake.UNIT_COVERAGE, years),
        () -> lake.writePartitioned(fundingPriority, Lake.FUNDING_PRIORITY, years),
        () -> lake.writePartitioned(Analytics.coverage(unitCoverage), Lake.COVERAGE, years),
        () -> lake.writePartitioned(nextLevel, Lake.UNIT_NEXT_LEVEL, years),
        () -> lake.writePartitioned(nextLevelSteps, Lake.UNIT_NEXT_LEVEL_STEP, years),
        () -> lake.writeWhole(in.criterionCosts(), Lake.DIM_CRITERION_COST),
        () -> lake.writePartitioned(ingestFiles, Lake.INGEST_FILE, years),
        () -> lake.writeWhole(units, Lake.DIM_UNIT),
        () -> lake.writeWhole(areas, Lake.DIM_AREA),
        () -> lake.writeWhole(deadlines, Lake.DEADLINE),
        () -> lake.writeWhole(catalog.indicatorSet, Lake.DIM_INDICATOR_SET),
        () -> lake.writeWhole(catalog.group, Lake.DIM_GROUP),
        () -> lake.writeWhole(catalog.criterion, Lake.DIM_CRITERION),
        () -> lake.writeWhole(catalog.levelBand, Lake.DIM_LEVEL_BAND)));
    stage.done("Parquet under " + lake.root());

    // Trends compare each year with the one before, so they are computed over the lake's whole history, not only the
    // years of this run: re-ingesting one year must not lose the others' trends.
    stage = progress.stage("trends");
    if (!lake.years(Lake.GROUP_RESULT).equals(allYears))
      throw new IllegalStateException("the lake's school years are not those expected after the write: " + lake.years(Lake.GROUP_RESULT) + " / " + allYears);
    List<Dataset<Row>> trends = wholeHistory ? analyses.subList(6, 8) : null;
    if (!wholeHistory) {
      Dataset<Row> historyLevels = stageBoundary(Analytics.unitYearLevels(Registry.unitYears(units, allYears),
          spark.read().parquet(lake.path(Lake.GROUP_RESULT)).filter(col("school_year").isNotNull()), areas, catalog));
      // the inspection sample needs the history's levels and nothing of the trends: it is drawn beside them
      inspected = beside.submit(() -> drawInspection(lake, years, allYears, historyLevels, factAssessment, unitYears, units, catalog, oversight));
      trends = Concurrently.all(trendSteps(historyLevels, allYears));
    }
    Dataset<Row> levelTrend = trends.get(0), levelTransition = trends.get(1);
    lake.writeAll(List.of(() -> lake.writeWhole(levelTrend, Lake.LEVEL_TREND), () -> lake.writeWhole(levelTransition, Lake.LEVEL_TRANSITION)));
    stage.done(Progress.count(levelTrend.count()) + " trend, " + Progress.count(levelTransition.count()) + " transition rows over "
        + String.join(", ", allYears));

    stage = progress.stage("documents");
    Documents documents = Concurrently.result(documentsTracked);
    stage.done(documents.files().isEmpty() ? "no submissions file: no document tracked"
        : Progress.count(documents.read()) + " rows of " + String.join(", ", documents.files()));

    stage = progress.stage("inspection");
    stage.done(Concurrently.result(inspected));
    String latest = allYears.get(allYears.size() - 1);

    // files read gave rows; files refused gave none, with a reason: a file that is neither has vanished, and the files do not reconcile
    Row totals = ingestFiles.agg(sum(when(col("rows_read").gt(0), 1).otherwise(0)), sum("rows_read"), sum("rows_accepted"), sum("rows_rejected"),
        sum("rows_superseded"), sum(when(col("rows_read").equalTo(0).and(col("error_code").isNotNull()), 1).otherwise(0)), sum("rows_flagged")).first();
    printFileSummary(ingestFiles);
    MartBuilder.FileCounts fileCounts = new MartBuilder.FileCounts(exports.found(), totals.getLong(0), totals.getLong(5), exports.skipped().size());
    printDocuments(documents, milestones);

    stage = progress.stage("mart");
    MartBuilder mart = new MartBuilder(lake.local(Path.of(cfg.out(), LAKE_COPY)), Path.of(cfg.out(), "mart"));
    List<String> groupIds = new ArrayList<>();
    catalogs.sets().forEach(s -> s.groups().forEach(g -> { if (!groupIds.contains(g.id())) groupIds.add(g.id()); }));
    MartBuilder.RunInfo runInfo = new MartBuilder.RunInfo(runId, started, cfg.input(), cfg.catalogs().toString(), spark.version(),
        totals.getLong(1), totals.getLong(2), totals.getLong(3), totals.getLong(4), fileCounts, in.provisional());
    Path martFile = mart.build(runInfo, groupIds);
    if (mart.publishedFigures().present()) progress.line(mart.publishedFigures().reconciliation());
    InspectionSample.writeCsv(martFile, latest, InspectionSample.csvFile(cfg.out(), latest));
    stage.done(martFile.toString());

    stage = progress.stage("report");
    vn.cds.report.ReportFiles.Written report = vn.cds.report.ReportFiles.write(martFile, Path.of(cfg.out(), "reports"), latest, null,
        vn.cds.report.ReportConfig.load(cfg.catalogs().toAbsolutePath().getParent(), null));
    stage.done(report.xlsx() + ", " + report.units() + " units in the published list, " + report.followUpLists() + " follow-up lists");
    return new Result(runInfo, totals.getLong(6), martFile, documents);
  }

  /** The level trend and the level transitions over the history's unit-year levels. */
  private List<Callable<Dataset<Row>>> trendSteps(Dataset<Row> historyLevels, List<String> allYears) {
    Dataset<Row> previousYears = Analytics.previousYears(spark, allYears);
    return List.of(() -> stageBoundary(Analytics.levelTrend(historyLevels, previousYears)),
        () -> stageBoundary(Analytics.levelTransition(historyLevels, previousYears)));
  }

  /**
   * The school years of the lake's group results once this run's are written (Lake.writePartitioned): the run's years
   * replace the lake's, and only years with results have a partition.
   */
  static List<String> yearsAfterWrite(List<String> lakeYears, List<String> runYears, Dataset<Row> factAssessment) {
    java.util.TreeSet<String> after = new java.util.TreeSet<>(lakeYears);
    after.removeAll(runYears);
    after.addAll(factAssessment.filter(col("school_year").isNotNull()).select("school_year").distinct().as(Encoders.STRING()).collectAsList());
    return List.copyOf(after);
  }

  /**
   * The latest year's inspection sample, unless one was drawn on purpose (cds inspect-sample) for it; the stage's line.
   * {@code historyLevels}: the unit-year levels of every year in the lake.
   */
  private String drawInspection(Lake lake, List<String> years, List<String> allYears, Dataset<Row> historyLevels, Dataset<Row> factAssessment,
      Dataset<Row> unitYears, Dataset<Row> units, CatalogFrames catalog, Oversight oversight) {
    String latest = allYears.get(allYears.size() - 1);
    Dataset<Row> storedSamples = stageBoundary(InspectionSample.stored(spark, lake));
    List<String> sources = storedSamples.filter(col("school_year").equalTo(latest)).select("source").distinct().as(Encoders.STRING()).collectAsList();
    boolean decided = sources.contains(InspectionSample.SOURCE_COMMAND), haveSample = !sources.isEmpty();
    if (decided || (!years.contains(latest) && haveSample))
      return decided ? "kept the sample drawn by cds inspect-sample for " + latest : "no new school year";
    // The history narrowed to the columns the draw reads: it scans them ~8 times, and a checkpoint is read whole.
    Dataset<Row> history = stageBoundary((allYears.equals(years) ? factAssessment
        : spark.read().parquet(lake.path(Lake.GROUP_RESULT)).filter(col("school_year").isNotNull())).selectExpr(Inspection.RESULT_COLUMNS));
    // the levels of the trends hold the latest year's units already
    Dataset<Row> population = Inspection.population(historyLevels, years.contains(latest) ? unitYears : Registry.unitYears(units, List.of(latest)),
        latest);
    Dataset<Row> sample = stageBoundary(InspectionSample.draw(history, population, storedSamples, allYears, latest, catalog,
        oversight.inspection(), InspectionSample.SOURCE_RUN));
    lake.writePartitioned(sample, Lake.INSPECTION_SAMPLE, List.of(latest));
    return Progress.count(sample.count()) + " units to inspect in " + latest + " (share " + oversight.inspection().share() + ", seed "
        + oversight.inspection().seed() + ")";
  }

  /**
   * The yearly cycle's documents: submissions checked (pure transforms), every required document of every unit tracked
   * in each school year the submissions record (one with no accepted row was not tracked by the Sở: showing every
   * unit as missing everything would be noise), and all of it written whole (submissions.csv describes the whole
   * cycle, not one year).
   */
  private Documents trackDocuments(Lake lake, Milestones milestones, Oversight oversight, InputFolder.Submissions submissions,
      Dataset<Row> deadlines, Dataset<Row> units, Dataset<Row> areas) {
    Dataset<Row> documents = Submissions.documents(spark, milestones, oversight.inspection().share());
    Dataset<Row> requirements = Submissions.requirements(spark, milestones);
    Dataset<Row> disposed = stageBoundary(Submissions.dispositions(Submissions.resolve(submissions.rows(), units, documents, requirements,
        milestones.reformSchoolYear())));
    Dataset<Row> issues = stageBoundary(Submissions.issues(disposed).unionByName(Submissions.fileIssues(submissions.fileProblems())));
    List<String> years = disposed.filter(col("disposition").equalTo(Validation.ACCEPTED)).select("school_year").distinct().sort("school_year")
        .as(Encoders.STRING()).collectAsList();
    Dataset<Row> unitDocuments = stageBoundary(Submissions.unitDocuments(Registry.unitYears(units, years), areas, documents,
        requirements, deadlines, disposed, milestones.reformSchoolYear()));
    lake.writeAll(List.of(
        () -> lake.writeWhole(disposed.drop("problems", "column_letters", "first_row", "province_code"), Lake.SUBMISSION),
        () -> lake.writeWhole(issues, Lake.SUBMISSION_ISSUE),
        () -> lake.writeWhole(unitDocuments, Lake.UNIT_DOCUMENT),
        () -> lake.writeWhole(documents, Lake.DIM_DOCUMENT),
        () -> lake.writeWhole(requirements, Lake.DIM_DOCUMENT_REQUIREMENT),
        () -> lake.writeWhole(deadlines, Lake.DOCUMENT_DEADLINE)));
    // rows read counted from the reader's rows, not from the dispositions: a transform that lost or doubled a row shows
    long read = submissions.rows().count();
    Row c = disposed.agg(sum(when(col("disposition").equalTo(Validation.ACCEPTED), 1).otherwise(0)),
        sum(when(col("disposition").equalTo(Validation.REJECTED), 1).otherwise(0)),
        sum(when(col("disposition").equalTo(Validation.SUPERSEDED), 1).otherwise(0))).first();
    return new Documents(submissions.files(), read, c.isNullAt(0) ? 0 : c.getLong(0), c.isNullAt(1) ? 0 : c.getLong(1),
        c.isNullAt(2) ? 0 : c.getLong(2), submissions.fileProblems().count());
  }

  private void printDocuments(Documents d, Milestones milestones) {
    if (!d.files().isEmpty())
      progress.line(String.format(Locale.ROOT, "Đối chiếu văn bản (%s): %s dòng đọc = %s nhận + %s loại + %s thay thế%s; %d tệp lỗi.",
          String.join(", ", d.files()), Progress.count(d.read()), Progress.count(d.accepted()), Progress.count(d.rejected()),
          Progress.count(d.superseded()), d.reconciled() ? " ✓" : " ✗ KHÔNG KHỚP", d.filesFailed()));
    if (milestones.provisional() && !milestones.documents().isEmpty())
      progress.line("⚠ Hạn nộp văn bản là mặc định lấy từ công văn (" + milestones.sourceFile() + ", tạm thời) trừ khi document_deadlines.csv "
          + "đặt hạn khác (document deadlines are the letters' defaults, provisional, unless document_deadlines.csv sets them).");
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

  private static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";

  /**
   * For the read only (unless the user set it): Spark falls back from whole-stage code generation where a generated
   * method would be over HotSpot's 8,000-byte JIT limit. The encoder of the parsed files' nested rows is such a method,
   * and it otherwise runs interpreted (a third of the read's CPU): the national read 26-37 s -> 21-25 s. For the whole
   * run the setting cost more in the analytics than it saved here, and the validation gained nothing measurable
   * (BENCHMARKS.md, "What was tried", sessions 9 and 10).
   */
  private Dataset<Row> withSmallGeneratedMethods(java.util.function.Supplier<Dataset<Row>> step) {
    if (spark.conf().contains(HUGE_METHOD_LIMIT)) return step.get();
    spark.conf().set(HUGE_METHOD_LIMIT, "8000");
    try {
      return step.get(); // the step is a stage boundary: it has run when it returns
    } finally {
      spark.conf().unset(HUGE_METHOD_LIMIT);
    }
  }

  static long shufflePartitions(long inputBytes, int cores) {
    long wanted = Math.max(2, Math.min(64, inputBytes / (16L << 20)));
    long perCore = Math.max(1, cores);
    return Math.min(Math.max(64, perCore), (wanted + perCore - 1) / perCore * perCore);
  }

  /**
   * Materialises a stage's output and cuts its lineage: later stages reuse it many times, and without the cut each
   * use would re-plan (and the plans grow to megabytes) every step before it.
   *
   * <p>Kept serialized and compressed (spark.rdd.compress, set in {@link Sessions}), not as row objects: the parsed
   * national exports alone took 880 MB as objects, so the checkpoints outgrew the memory store and 8.8 GB of blocks
   * were dropped from it to disk in a run; compressed, 0.16 GB was, the GC pauses halved and the peak shrank by
   * ~170 MB (BENCHMARKS.md, "What was tried", session 8).
   */
  private static Dataset<Row> stageBoundary(Dataset<Row> ds) {
    return profiled(() -> ds.localCheckpoint(true, org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK_SER()));
  }

  /** Times the step by its line in this file ({@link vn.cds.util.Profile}). */
  private static Dataset<Row> profiled(java.util.function.Supplier<Dataset<Row>> step) {
    long start = System.nanoTime();
    Dataset<Row> done = step.get();
    if (vn.cds.util.Profile.ENABLED) vn.cds.util.Profile.done("Pipeline.java:" + Thread.currentThread().getStackTrace()[3].getLineNumber(), start);
    return done;
  }

  private Dataset<Row> parseFiles(List<InputFolder.ExportFile> files) {
    List<Row> paths = files.stream().map(f -> org.apache.spark.sql.RowFactory.create(f.uri(), f.relativeName())).toList();
    int slices = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism() * 4));
    return spark.createDataFrame(paths, org.apache.spark.sql.types.StructType.fromDDL("uri string, name string"))
        .repartition(slices)
        .map((MapFunction<Row, Row>) r -> IngestSchemas.toRow(ExportReader.read(r.getString(0), r.getString(1))),
            Encoders.row(IngestSchemas.PARSED_FILE));
  }

  /** A file that yielded no rows (empty, unreadable, no header) is itself a reject: it must show up somewhere. */
  static Dataset<Row> fileIssues(Dataset<Row> summaries) {
    return summaries.filter(col("error_code").isNotNull().and(col("rows_read").equalTo(0)))
        .select(lit(null).cast("string").as("row_key"), col("source_file"), col("sheet"), lit(null).cast("int").as("row_number"),
            lit(null).cast("string").as("unit_code"), lit(null).cast("string").as("school_year"), lit(null).cast("string").as("stage"),
            lit(null).cast("string").as("column_ref"), lit(null).cast("string").as("header"), lit(null).cast("string").as("raw_value"),
            col("error_code").as("reason_code"), col("error_message").as("message"), lit(Reasons.SEVERITY_REJECTED).as("severity"));
  }

  /**
   * Per file: rows read = accepted + rejected + superseded, and whether that holds; and the school year the file is
   * filed under in the lake (the year most of its rows carry; none for a file with no readable year), so that a run
   * adding a year keeps the files of the other years, and re-ingesting a year replaces that year's files.
   */
  static Dataset<Row> reconcile(Dataset<Row> summaries, Dataset<Row> assessments, Dataset<Row> issues) {
    Dataset<Row> fileYears = assessments.filter(col("school_year").isNotNull()).groupBy("source_file", "school_year").count()
        .groupBy("source_file").agg(max(struct(col("count"), col("school_year"))).getField("school_year").as("school_year"));
    Dataset<Row> counts = assessments.groupBy("source_file").agg(
        sum(when(col("disposition").equalTo(Validation.ACCEPTED), 1).otherwise(0)).cast("int").as("rows_accepted"),
        sum(when(col("disposition").equalTo(Validation.REJECTED), 1).otherwise(0)).cast("int").as("rows_rejected"),
        sum(when(col("disposition").equalTo(Validation.SUPERSEDED), 1).otherwise(0)).cast("int").as("rows_superseded"));
    Dataset<Row> flagged = issues.filter(col("severity").equalTo(Reasons.SEVERITY_FLAGGED)).groupBy("source_file")
        .agg(org.apache.spark.sql.functions.countDistinct("row_key").cast("int").as("rows_flagged"));
    return summaries.join(counts, new String[] {"source_file"}, "left").join(flagged, new String[] {"source_file"}, "left")
        .join(fileYears, new String[] {"source_file"}, "left")
        .withColumn("rows_accepted", coalesce(col("rows_accepted"), lit(0)))
        .withColumn("rows_rejected", coalesce(col("rows_rejected"), lit(0)))
        .withColumn("rows_superseded", coalesce(col("rows_superseded"), lit(0)))
        .withColumn("rows_flagged", coalesce(col("rows_flagged"), lit(0)))
        .withColumn("reconciled", col("rows_read").equalTo(col("rows_accepted").plus(col("rows_rejected")).plus(col("rows_superseded"))));
  }

  /** The OS's litter under exports/ is not read, and said so once, with its count, so that no file leaves unseen. */
  private void reportSkipped(List<String> skipped) {
    if (skipped.isEmpty()) return;
    progress.line(String.format(Locale.ROOT, "  Bỏ qua %d tệp ẩn hoặc tệp rác của hệ điều hành/Office (skipped %d hidden, OS or Office lock files): %s%s",
        skipped.size(), skipped.size(), String.join(", ", skipped.subList(0, Math.min(5, skipped.size()))), skipped.size() > 5 ? ", …" : ""));
  }

  /** Contact columns dropped and unknown columns ignored, each with the number of files it appeared in. */
  private void reportColumns(Dataset<Row> parsed) {
    for (String[] kind : new String[][] {{"dropped_columns", "Cột thông tin liên hệ đã bỏ, không lưu (contact columns dropped)"},
        {"ignored_columns", "Cột không nhận ra, bỏ qua (unknown columns ignored)"}}) {
      List<Row> columns = parsed.selectExpr("explode(summary." + kind[0] + ") AS c")
          .selectExpr("regexp_replace(c, '^[A-Z]+ ', '') AS header").groupBy("header").count().sort("header").collectAsList();
      if (columns.isEmpty()) continue;
      StringBuilder sb = new StringBuilder("  " + kind[1] + ": ");
      for (int i = 0; i < columns.size(); i++)
        sb.append(i > 0 ? ", " : "").append('"').append(columns.get(i).getString(0)).append("\" (").append(columns.get(i).getLong(1)).append(" tệp)");
      progress.line(sb.toString());
    }
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

  private void printFileSummary(Dataset<Row> ingestFiles) {
    List<Row> rows = ingestFiles.sort("source_file").select("source_file", "rows_read", "rows_accepted", "rows_rejected", "rows_superseded",
        "rows_flagged", "error_code", "reconciled").collectAsList();
    progress.line(String.format(Locale.ROOT, "  %-58s %7s %8s %8s %10s %7s", "tệp (file)", "đọc", "nhận", "loại", "thay thế", "cờ"));
    for (Row r : rows) {
      boolean interesting = r.getInt(3) > 0 || r.getInt(4) > 0 || r.getInt(5) > 0 || !r.isNullAt(6) || !r.getBoolean(7);
      if (rows.size() > 40 && !interesting) continue; // long runs list only the files with something to say
      progress.line(String.format(Locale.ROOT, "  %-58s %7d %8d %8d %10d %7d%s%s", abbreviate(r.getString(0), 58), r.getInt(1), r.getInt(2),
          r.getInt(3), r.getInt(4), r.getInt(5), r.isNullAt(6) ? "" : "  " + r.getString(6), r.getBoolean(7) ? "" : "  KHÔNG KHỚP"));
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
  }
}
