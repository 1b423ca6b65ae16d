package vn.cds.pipeline;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;
import static vn.cds.pipeline.Steps.boundary;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.cds.transform.CatalogFrames;
import vn.cds.transform.Registry;
import vn.cds.transform.Scoring;
import vn.cds.transform.Validation;
import vn.cds.util.Concurrently;

/**
 * Scores every accepted assessment by the rules of its indicator set: the units first, then the authorities, whose
 * derived criteria (QĐ 3806 KQ) come from the official results of their units.
 */
final class ScoreStage {
  private ScoreStage() {}

  record Config(IngestStage.Result ingested, Dataset<Row> units, Dataset<Row> deadlines, CatalogFrames catalog, Progress progress) {}

  /**
   * @param valueRows the wide rows of every accepted assessment: its criteria's values as read (derived ones null)
   * @param authorityScores the criterion rows of the assessments whose set has derived criteria, those filled in
   * @param factAssessment one row per accepted assessment × group with its levels and the assessment's fields
   * @param unitYears every registered unit × school year of the run, with its registry fields as of that year
   */
  record Result(Dataset<Row> valueRows, Dataset<Row> authorityScores, CatalogFrames catalog, Dataset<Row> factAssessment,
      Dataset<Row> unitYears) {
    /**
     * One row per accepted assessment × criterion of its set. The units' rows are exploded from the wide rows by each
     * step that reads them, not kept: exploding the ~190,000 national wide rows again costs no more than caching ~5.4
     * million criterion rows and reading them back.
     */
    Dataset<Row> criterionScores() {
      return scores(unitValueRows(), authorityScores);
    }

    /**
     * The wide rows ({@code row_key, set_id, vals}) of every accepted assessment with derived criteria filled in: the
     * authorities' few criterion rows gathered back into one row each.
     */
    Dataset<Row> filledValueRows() {
      Dataset<Row> authorities = authorityScores.groupBy("row_key", "set_id")
          .agg(collect_list(struct("criterion_id", "points", "passed")).as("vals"));
      return unitValueRows().select("row_key", "set_id", "vals").unionByName(authorities);
    }

    /** The wide rows of the assessments whose set has no derived criterion: their criterion rows need nothing else. */
    private Dataset<Row> unitValueRows() {
      return valueRows.join(derivedSets(catalog), new String[] {"set_id"}, "left_anti");
    }

    private Dataset<Row> scores(Dataset<Row> unitWideRows, Dataset<Row> authorityRows) {
      return Scoring.criterionScores(Validation.criterionValues(unitWideRows), catalog).unionByName(authorityRows);
    }
  }

  static Result run(SparkSession spark, Config cfg) {
    Progress.Stage stage = cfg.progress().stage("scoring");
    CatalogFrames catalog = cfg.catalog();
    Dataset<Row> assessments = cfg.ingested().assessments();
    // each accepted row's cells parsed once, kept wide: the units' group results read them as they are, and the
    // criterion rows the analyses and the lake need are exploded from them
    Dataset<Row> valueRows = boundary(Validation.valueRows(cfg.ingested().resolved(), assessments));
    List<Dataset<Row>> scored = Concurrently.all(List.of(
        // the units' group results from one wide row per assessment: no criterion row is aggregated for them
        () -> boundary(Scoring.groupResultsOfWideRows(valueRows, catalog)),
        () -> boundary(Registry.unitYears(cfg.units(), cfg.ingested().years()))));
    Dataset<Row> unitResults = scored.get(0), unitYears = scored.get(1);
    Dataset<Row> derivedSets = derivedSets(catalog);
    Dataset<Row> officialResults = unitResults.select("row_key", "overall_level").distinct()
        .join(assessments.filter(col("is_official")).select("row_key", "unit_code", "school_year", "managing_unit_code"), "row_key");
    Dataset<Row> authorityScores = Scoring.criterionScores(Validation.criterionValues(valueRows.join(derivedSets, new String[] {"set_id"}, "left_semi")), catalog);
    Dataset<Row> derived = Scoring.derivedPoints(authorityScores, officialResults, unitYears, assessments, cfg.deadlines());
    Dataset<Row> authorityCriterionScores = boundary(Scoring.withDerived(authorityScores, derived));
    Dataset<Row> groupResults = unitResults.unionByName(Scoring.groupResults(authorityCriterionScores, catalog));
    Dataset<Row> factAssessment = boundary(groupResults.join(assessments.select("row_key", "source_file", "sheet", "row_number", "unit_name",
        "registry_unit_name", "school_level", "ownership", "province_code", "district_code", "commune_code", "managing_unit_code",
        "submitted_on", "status", "is_official"), "row_key"));
    stage.done(Progress.count(factAssessment.count()) + " group results");
    return new Result(valueRows, authorityCriterionScores, catalog, factAssessment, unitYears);
  }

  /** The sets with a criterion computed from other units' results (QĐ 3806 KQ). */
  private static Dataset<Row> derivedSets(CatalogFrames catalog) {
    return broadcast(catalog.criterion.filter(col("derived_metric").isNotNull()).select("set_id").distinct());
  }
}
