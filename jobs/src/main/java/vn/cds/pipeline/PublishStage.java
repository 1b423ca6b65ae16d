package vn.cds.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static vn.cds.pipeline.Steps.boundary;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.cds.catalog.Milestones;
import vn.cds.mart.MartBuilder;
import vn.cds.report.ReportConfig;
import vn.cds.report.ReportFiles;
import vn.cds.transform.Analytics;
import vn.cds.transform.Registry;
import vn.cds.util.Concurrently;

/**
 * The edge where a run's results go out: the Parquet lake, the trends over the lake's whole history, the DuckDB mart
 * and the annual report; and the run's last word, its reconciliation.
 */
final class PublishStage {
  private PublishStage() {}

  /** {@code documents}: the yearly cycle's documents, tracked beside the exports since the run began. */
  record Config(Pipeline.Config run, Lake lake, String runId, Instant started, Pipeline.Inputs inputs, IngestStage.Result ingested,
      ScoreStage.Result scored, AnalyseStage.Result analysed, Future<Pipeline.Documents> documents, Progress progress, ExecutorService beside) {}

  static Pipeline.Result run(SparkSession spark, Config cfg) throws Exception {
    writeLake(cfg);
    Future<String> inspected = writeTrends(spark, cfg);
    Progress.Stage stage = cfg.progress().stage("documents");
    Pipeline.Documents documents = Concurrently.result(cfg.documents());
    stage.done(documents.files().isEmpty() ? "no submissions file: no document tracked"
        : Progress.count(documents.read()) + " rows of " + String.join(", ", documents.files()));
    stage = cfg.progress().stage("inspection");
    stage.done(Concurrently.result(inspected));
    return buildMartAndReport(spark, cfg, documents);
  }

  private static void writeLake(Config cfg) {
    Progress.Stage stage = cfg.progress().stage("lake");
    Lake lake = cfg.lake();
    List<String> years = cfg.ingested().years();
    AnalyseStage.Result a = cfg.analysed();
    Pipeline.Inputs in = cfg.inputs();
    // What scoring used (group, max points, whether a condition) stays on each criterion row; what only describes the
    // criterion (how it is derived, its place in the catalog) the mart takes from dim_criterion. Each column less is
    // encoded 5.4 million times at national scale.
    Dataset<Row> criterionScoresToStore = cfg.scored().criterionScores().drop("derived_metric", "derived_level");
    // The outputs are independent: Spark runs concurrent jobs, which keeps both cores busy on small writes.
    lake.writeAll(List.of(
        () -> lake.writePartitioned(cfg.ingested().assessments(), Lake.ASSESSMENT, years),
        () -> lake.writePartitioned(criterionScoresToStore, Lake.CRITERION_SCORE, years),
        () -> lake.writePartitioned(cfg.scored().factAssessment(), Lake.GROUP_RESULT, years),
        () -> lake.writePartitioned(Concurrently.result(a.issues()).drop("row_key"), Lake.ISSUE, years),
        () -> lake.writePartitioned(a.levelDistribution(), Lake.LEVEL_DISTRIBUTION, years),
        () -> lake.writePartitioned(a.criterionGap(), Lake.CRITERION_GAP, years),
        () -> lake.writePartitioned(a.selfVsExternal(), Lake.SELF_VS_EXTERNAL, years),
        () -> lake.writePartitioned(a.unitCoverage(), Lake.UNIT_COVERAGE, years),
        () -> lake.writePartitioned(a.fundingPriority(), Lake.FUNDING_PRIORITY, years),
        () -> lake.writePartitioned(Analytics.coverage(a.unitCoverage()), Lake.COVERAGE, years),
        () -> lake.writePartitioned(a.nextLevel(), Lake.UNIT_NEXT_LEVEL, years),
        () -> lake.writePartitioned(a.nextLevelSteps(), Lake.UNIT_NEXT_LEVEL_STEP, years),
        () -> lake.writeWhole(in.criterionCosts(), Lake.DIM_CRITERION_COST),
        () -> lake.writePartitioned(a.ingestFiles(), Lake.INGEST_FILE, years),
        () -> lake.writeWhole(in.units(), Lake.DIM_UNIT),
        () -> lake.writeWhole(in.areas(), Lake.DIM_AREA),
        () -> lake.writeWhole(in.deadlines(), Lake.DEADLINE),
        () -> lake.writeWhole(in.catalog().indicatorSet, Lake.DIM_INDICATOR_SET),
        () -> lake.writeWhole(in.catalog().group, Lake.DIM_GROUP),
        () -> lake.writeWhole(in.catalog().criterion, Lake.DIM_CRITERION),
        () -> lake.writeWhole(in.catalog().levelBand, Lake.DIM_LEVEL_BAND)));
    stage.done("Parquet under " + lake.root());
  }

  /**
   * Trends compare each year with the one before, so they are computed over the lake's whole history, not only the
   * years of this run: re-ingesting one year must not lose the others' trends. Returns the inspection's line to come.
   */
  private static Future<String> writeTrends(SparkSession spark, Config cfg) {
    Progress.Stage stage = cfg.progress().stage("trends");
    Lake lake = cfg.lake();
    AnalyseStage.Result a = cfg.analysed();
    Pipeline.Inputs in = cfg.inputs();
    List<String> allYears = a.allYears();
    if (!lake.years(Lake.GROUP_RESULT).equals(allYears))
      throw new IllegalStateException("the lake's school years are not those expected after the write: " + lake.years(Lake.GROUP_RESULT) + " / " + allYears);
    List<Dataset<Row>> trends = a.trends();
    Future<String> inspected = a.inspected();
    if (!a.wholeHistory()) {
      Dataset<Row> historyLevels = boundary(Analytics.unitYearLevels(Registry.unitYears(in.units(), allYears),
          spark.read().parquet(lake.path(Lake.GROUP_RESULT)).filter(col("school_year").isNotNull()), in.areas(), in.catalog()));
      // the inspection sample needs the history's levels and nothing of the trends: it is drawn beside them
      inspected = cfg.beside().submit(() -> InspectionStage.run(spark, new InspectionStage.Config(lake, cfg.ingested().years(), allYears,
          historyLevels, cfg.scored().factAssessment(), cfg.scored().unitYears(), in.units(), in.catalog(), in.oversight())));
      trends = Concurrently.all(AnalyseStage.trendSteps(spark, historyLevels, allYears));
    }
    Dataset<Row> levelTrend = trends.get(0), levelTransition = trends.get(1);
    lake.writeAll(List.of(() -> lake.writeWhole(levelTrend, Lake.LEVEL_TREND), () -> lake.writeWhole(levelTransition, Lake.LEVEL_TRANSITION)));
    long[] n = Steps.counts(List.of(levelTrend, levelTransition));
    stage.done(Progress.count(n[0]) + " trend, " + Progress.count(n[1]) + " transition rows over "
        + String.join(", ", allYears));
    return inspected;
  }

  private static Pipeline.Result buildMartAndReport(SparkSession spark, Config cfg, Pipeline.Documents documents) throws Exception {
    Pipeline.Config run = cfg.run();
    Pipeline.Inputs in = cfg.inputs();
    Dataset<Row> ingestFiles = cfg.analysed().ingestFiles();
    List<String> allYears = cfg.analysed().allYears();
    String latest = allYears.get(allYears.size() - 1);
    // files read gave rows; files refused gave none, with a reason: a file that is neither has vanished, and the files do not reconcile
    Row totals = ingestFiles.agg(sum(when(col("rows_read").gt(0), 1).otherwise(0)), sum("rows_read"), sum("rows_accepted"), sum("rows_rejected"),
        sum("rows_superseded"), sum(when(col("rows_read").equalTo(0).and(col("error_code").isNotNull()), 1).otherwise(0)), sum("rows_flagged")).first();
    printFileSummary(cfg.progress(), ingestFiles);
    InputFolder.Exports exports = in.exports();
    MartBuilder.FileCounts fileCounts = new MartBuilder.FileCounts(exports.found(), totals.getLong(0), totals.getLong(5), exports.skipped().size());
    printDocuments(cfg.progress(), documents, in.milestones());

    Progress.Stage stage = cfg.progress().stage("mart");
    MartBuilder mart = new MartBuilder(cfg.lake().local(Path.of(run.out(), Pipeline.LAKE_COPY)), Path.of(run.out(), "mart"));
    List<String> groupIds = new ArrayList<>();
    in.catalogs().sets().forEach(s -> s.groups().forEach(g -> { if (!groupIds.contains(g.id())) groupIds.add(g.id()); }));
    MartBuilder.RunInfo runInfo = new MartBuilder.RunInfo(cfg.runId(), cfg.started(), run.input(), run.catalogs().toString(), spark.version(),
        totals.getLong(1), totals.getLong(2), totals.getLong(3), totals.getLong(4), fileCounts, in.provisional());
    Path martFile = mart.build(runInfo, groupIds);
    if (mart.publishedFigures().present()) cfg.progress().line(mart.publishedFigures().reconciliation());
    InspectionSample.writeCsv(martFile, latest, InspectionSample.csvFile(run.out(), latest));
    stage.done(martFile.toString());

    stage = cfg.progress().stage("report");
    ReportFiles.Written report = ReportFiles.write(martFile, Path.of(run.out(), "reports"), latest, null,
        ReportConfig.load(run.catalogs().toAbsolutePath().getParent(), null));
    stage.done(report.xlsx() + ", " + report.units() + " units in the published list, " + report.followUpLists() + " follow-up lists");
    return new Pipeline.Result(runInfo, totals.getLong(6), martFile, documents);
  }

  private static void printDocuments(Progress progress, Pipeline.Documents d, Milestones milestones) {
    if (!d.files().isEmpty())
      progress.line(String.format(Locale.ROOT, "Đối chiếu văn bản (%s): %s dòng đọc = %s nhận + %s loại + %s thay thế%s; %d tệp lỗi.",
          String.join(", ", d.files()), Progress.count(d.read()), Progress.count(d.accepted()), Progress.count(d.rejected()),
          Progress.count(d.superseded()), d.reconciled() ? " ✓" : " ✗ KHÔNG KHỚP", d.filesFailed()));
    if (milestones.provisional() && !milestones.documents().isEmpty())
      progress.line("⚠ Hạn nộp văn bản là mặc định lấy từ công văn (" + milestones.sourceFile() + ", tạm thời) trừ khi document_deadlines.csv "
          + "đặt hạn khác (document deadlines are the letters' defaults, provisional, unless document_deadlines.csv sets them).");
  }

  private static void printFileSummary(Progress progress, Dataset<Row> ingestFiles) {
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
