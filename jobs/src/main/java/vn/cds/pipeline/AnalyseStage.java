package vn.cds.pipeline;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static vn.cds.pipeline.Steps.boundary;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.cds.ingest.Reasons;
import vn.cds.transform.Analytics;
import vn.cds.transform.CatalogFrames;
import vn.cds.transform.NextLevel;
import vn.cds.transform.Registry;
import vn.cds.transform.Validation;
import vn.cds.util.Concurrently;

/**
 * The analyses the dashboards and the report read, from the scored results: levels per unit-year, distributions,
 * criterion gaps, self vs external, coverage, the next level's steps, funding priority, the files' reconciliation and,
 * when the run holds the lake's whole history, the trends.
 */
final class AnalyseStage {
  private AnalyseStage() {}

  /** {@code lake}: read for its school years (and the inspection's stored samples); {@code beside}: for work off the path. */
  record Config(IngestStage.Result ingested, ScoreStage.Result scored, Dataset<Row> units, Dataset<Row> areas, Dataset<Row> deadlines,
      CatalogFrames catalog, Oversight oversight, Lake lake, Progress progress, ExecutorService beside) {}

  /**
   * @param allYears the lake's school years once this run's results are written in
   * @param nextLevelSteps, fundingPriority, nextLevel read by nothing but their lake write, so made by it (the
   *     next-level steps and summary from the plans made with the analyses)
   * @param trends the level trend and transitions; null when the lake holds years this run does not, and the trends
   *     are made from the lake after the write
   * @param inspected the inspection stage's line once drawn; null in that case too
   * @param issues every issue of the run: validation's, the registry mismatches and the files'
   */
  record Result(List<String> allYears, Dataset<Row> unitYearLevels, Dataset<Row> nextLevelSteps, Dataset<Row> criterionGap,
      Dataset<Row> levelDistribution, Dataset<Row> selfVsExternal, Dataset<Row> unitCoverage, Dataset<Row> ingestFiles,
      Dataset<Row> fundingPriority, Dataset<Row> nextLevel, List<Dataset<Row>> trends, Future<String> inspected, Future<Dataset<Row>> issues) {
    boolean wholeHistory() {
      return trends != null;
    }
  }

  static Result run(SparkSession spark, Config cfg) {
    Progress.Stage stage = cfg.progress().stage("analytics");
    IngestStage.Result ingested = cfg.ingested();
    Dataset<Row> assessments = ingested.assessments(), factAssessment = cfg.scored().factAssessment();
    CatalogFrames catalog = cfg.catalog();
    Future<Dataset<Row>> issues = cfg.beside().submit(() -> boundary(Concurrently.result(ingested.validationIssues())
        .unionByName(Registry.declaredMismatches(assessments, factAssessment)).unionByName(fileIssues(ingested.summaries()))));
    Dataset<Row> unitYearLevels = boundary(Analytics.unitYearLevels(cfg.scored().unitYears(), factAssessment, cfg.areas(), catalog));
    // The lake's years once this run's results are written in. When they are this run's own, the run holds the whole
    // history: the trends are made with the analyses, and the inspection sample beside them, without waiting for the lake.
    List<String> allYears = yearsAfterWrite(cfg.lake().years(Lake.GROUP_RESULT), ingested.years(), factAssessment);
    boolean wholeHistory = allYears.equals(ingested.years());
    Future<String> inspected = wholeHistory ? cfg.beside().submit(() -> InspectionStage.run(spark, new InspectionStage.Config(cfg.lake(),
        ingested.years(), allYears, unitYearLevels, factAssessment, cfg.scored().unitYears(), cfg.units(), catalog, cfg.oversight()))) : null;
    // The analyses are independent of each other: two are made at a time. Those read by nothing but their lake
    // write (funding priority; the next-level steps and summary, from the plans) are made by the write, as the others
    // are written.
    List<Callable<Dataset<Row>>> steps = new ArrayList<>(List.of(
        () -> boundary(NextLevel.plans(factAssessment, cfg.scored().valueRows(), catalog)),
        () -> boundary(Analytics.criterionGap(cfg.scored().filledValueRows(), factAssessment, unitYearLevels, catalog)),
        () -> boundary(Analytics.levelDistribution(unitYearLevels)),
        () -> boundary(Analytics.selfVsExternal(factAssessment, unitYearLevels, cfg.oversight().gapPoints())),
        () -> boundary(Analytics.unitCoverage(unitYearLevels, assessments, cfg.deadlines())),
        () -> boundary(reconcile(ingested.summaries(), assessments, Concurrently.result(issues)))));
    if (wholeHistory) steps.addAll(trendSteps(spark, unitYearLevels, allYears));
    List<Dataset<Row>> analyses = Concurrently.all(steps);
    Dataset<Row> nextLevelPlans = analyses.get(0);
    Result result = new Result(allYears, unitYearLevels, NextLevel.steps(nextLevelPlans), analyses.get(1), analyses.get(2), analyses.get(3),
        analyses.get(4), analyses.get(5), Analytics.fundingPriority(cfg.scored().valueRows(), factAssessment, unitYearLevels, catalog),
        NextLevel.summary(nextLevelPlans, unitYearLevels), wholeHistory ? analyses.subList(6, 8) : null, inspected, issues);
    long[] n = Steps.counts(List.of(result.levelDistribution(), result.criterionGap(), result.selfVsExternal(), result.unitCoverage()));
    stage.done(Progress.count(n[0]) + " distribution, " + Progress.count(n[1]) + " criterion-gap, " + Progress.count(n[2]) + " self-vs-external, "
        + Progress.count(n[3]) + " coverage rows");
    return result;
  }

  /** The level trend and the level transitions over the history's unit-year levels. */
  static List<Callable<Dataset<Row>>> trendSteps(SparkSession spark, Dataset<Row> historyLevels, List<String> allYears) {
    Dataset<Row> previousYears = Analytics.previousYears(spark, allYears);
    return List.of(() -> boundary(Analytics.levelTrend(historyLevels, previousYears)),
        () -> boundary(Analytics.levelTransition(historyLevels, previousYears)));
  }

  /**
   * The school years of the lake's group results once this run's are written (Lake.writePartitioned): the run's years
   * replace the lake's, and only years with results have a partition.
   */
  static List<String> yearsAfterWrite(List<String> lakeYears, List<String> runYears, Dataset<Row> factAssessment) {
    TreeSet<String> after = new TreeSet<>(lakeYears);
    after.removeAll(runYears);
    after.addAll(factAssessment.filter(col("school_year").isNotNull()).select("school_year").distinct().as(Encoders.STRING()).collectAsList());
    return List.copyOf(after);
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
}
