package vn.cds.pipeline;

import static org.apache.spark.sql.functions.col;
import static vn.cds.pipeline.Steps.boundary;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.cds.transform.CatalogFrames;
import vn.cds.transform.Inspection;
import vn.cds.transform.Registry;

/** The latest year's inspection sample, unless one was drawn on purpose (cds inspect-sample) for it. */
final class InspectionStage {
  private InspectionStage() {}

  /**
   * @param years the run's school years; {@code allYears} the lake's once the run's results are in
   * @param historyLevels the unit-year levels of every year in the lake
   */
  record Config(Lake lake, List<String> years, List<String> allYears, Dataset<Row> historyLevels, Dataset<Row> factAssessment,
      Dataset<Row> unitYears, Dataset<Row> units, CatalogFrames catalog, Oversight oversight) {}

  /** Draws the sample and writes it to the lake; the stage's line. */
  static String run(SparkSession spark, Config cfg) {
    Lake lake = cfg.lake();
    List<String> years = cfg.years(), allYears = cfg.allYears();
    String latest = allYears.get(allYears.size() - 1);
    Dataset<Row> storedSamples = boundary(InspectionSample.stored(spark, lake));
    List<String> sources = storedSamples.filter(col("school_year").equalTo(latest)).select("source").distinct().as(Encoders.STRING()).collectAsList();
    boolean decided = sources.contains(InspectionSample.SOURCE_COMMAND), haveSample = !sources.isEmpty();
    if (decided || (!years.contains(latest) && haveSample))
      return decided ? "kept the sample drawn by cds inspect-sample for " + latest : "no new school year";
    // The history narrowed to the columns the draw reads: it scans them ~8 times, and a checkpoint is read whole.
    Dataset<Row> history = boundary((allYears.equals(years) ? cfg.factAssessment()
        : spark.read().parquet(lake.path(Lake.GROUP_RESULT)).filter(col("school_year").isNotNull())).selectExpr(Inspection.RESULT_COLUMNS));
    // the levels of the trends hold the latest year's units already
    Dataset<Row> population = Inspection.population(cfg.historyLevels(),
        years.contains(latest) ? cfg.unitYears() : Registry.unitYears(cfg.units(), List.of(latest)), latest);
    Dataset<Row> sample = boundary(InspectionSample.draw(history, population, storedSamples, allYears, latest, cfg.catalog(),
        cfg.oversight().inspection(), InspectionSample.SOURCE_RUN));
    lake.writePartitioned(sample, Lake.INSPECTION_SAMPLE, List.of(latest));
    return Progress.count(sample.count()) + " units to inspect in " + latest + " (share " + cfg.oversight().inspection().share() + ", seed "
        + cfg.oversight().inspection().seed() + ")";
  }
}
