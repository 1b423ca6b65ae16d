package vn.cds.transform;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Scores assessments by the rules of their indicator set, all of which come from {@link CatalogFrames}: group points,
 * mandatory conditions, group levels, the overall level, the official result of each unit-year, and the derived
 * criteria of authorities (QĐ 3806 KQ), computed from the results of the units they manage.
 */
public final class Scoring {
  private Scoring() {}

  /** Sums are rounded so that 49.99999999 from float addition cannot cross a band boundary. */
  private static final int POINT_DECIMALS = 4;

  /**
   * One row per accepted assessment × criterion of its set, reported or not, from {@link Validation#criterionValues}.
   * A blank cell is "not reported": it adds no points and is counted apart from a reported 0.
   */
  public static Dataset<Row> criterionScores(Dataset<Row> criterionValues, CatalogFrames catalog) {
    return criterionValues
        .join(broadcast(catalog.criterion.select("set_id", "group_id", "criterion_id", "max_points", "mandatory", "derived_metric", "derived_level")),
            new String[] {"set_id", "criterion_id"})
        .withColumn("reported", col("points").isNotNull().or(col("passed").isNotNull()))
        .select("row_key", "criterion_id", "set_id", "unit_code", "school_year", "stage", "group_id", "max_points", "mandatory", "derived_metric",
            "derived_level", "points", "passed", "reported");
  }

  /** Fills derived criteria (points computed from subordinate units) into criterion scores. */
  public static Dataset<Row> withDerived(Dataset<Row> criterionScores, Dataset<Row> derivedPoints) {
    return criterionScores.join(derivedPoints.withColumnRenamed("points", "derived_points"), new String[] {"row_key", "criterion_id"}, "left")
        .withColumn("points", when(col("derived_metric").isNotNull(), col("derived_points")).otherwise(col("points")))
        .withColumn("reported", col("points").isNotNull().or(col("passed").isNotNull()))
        .drop("derived_points");
  }

  /** Per assessment × group: points, counts, mandatory failures, the group level and, on every row, the overall level. */
  public static Dataset<Row> groupResults(Dataset<Row> criterionScores, CatalogFrames catalog) {
    Column isTrue = lit(1);
    return scored(criterionScores.groupBy("row_key", "unit_code", "school_year", "stage", "set_id", "group_id").agg(
        coalesce(Exact.sum(when(col("mandatory").unary_$bang(), col("points")), POINT_DECIMALS), lit(0.0)).as("points"),
        sum(when(col("reported"), isTrue).otherwise(0)).cast("int").as("criteria_reported"),
        sum(when(col("reported"), 0).otherwise(isTrue)).cast("int").as("criteria_not_reported"),
        sum(when(col("mandatory").and(col("passed").equalTo(false)), isTrue).otherwise(0)).cast("int").as("mandatory_failed"),
        sum(when(col("mandatory").and(col("reported").unary_$bang()), isTrue).otherwise(0)).cast("int").as("mandatory_not_reported")), catalog);
  }

  /**
   * The same group results as {@link #groupResults}, from one wide row per assessment ({@code row_key, unit_code,
   * school_year, stage, set_id} and {@code vals}, the values of {@link CellValues#read}: one value per criterion of
   * the set, in catalog order), for sets without derived criteria. Each row's groups are summed and counted in one
   * Java call from the catalog ({@link WideScores}), so no criterion row is made and nothing is shuffled per criterion.
   */
  public static Dataset<Row> groupResultsOfWideRows(Dataset<Row> valueRows, CatalogFrames catalog) {
    return scored(valueRows.select(col("row_key"), col("unit_code"), col("school_year"), col("stage"), col("set_id"),
        explode(WideScores.groupTotals(catalog.catalogs)).as("g")).select(col("*"), col("g.*")).drop("g"), catalog);
  }

  /** Group totals (one row per assessment × group) -> levels by the catalog's bands and rules, and the overall level. */
  private static Dataset<Row> scored(Dataset<Row> groupTotals, CatalogFrames catalog) {
    Dataset<Row> groups = groupTotals
        .join(broadcast(catalog.group.select("set_id", "group_id", "max_points", "group_order")), new String[] {"set_id", "group_id"})
        .join(broadcast(catalog.indicatorSet.select("set_id", "version", "basis", "mandatory_failed", "overall_rule", "provisional")
            .withColumnRenamed("mandatory_failed", "mandatory_failed_policy").withColumnRenamed("version", "catalog_version")), "set_id");
    Dataset<Row> withBand = levelOf(groups, col("points"), catalog, "points_level");
    Dataset<Row> grouped = withBand.withColumn("level",
        when(col("basis").notEqual("per_group"), lit(null).cast("int"))
            .when(col("mandatory_failed").gt(0).and(col("mandatory_failed_policy").equalTo("cap_group_at_level_1")), lit(1))
            .otherwise(col("points_level")));

    // the overall level from every group of the assessment: a window over its rows, not a self-join of the groups
    var perAssessment = Window.partitionBy("row_key");
    Dataset<Row> withTotals = grouped
        .withColumn("total_points", Exact.sum(col("points"), POINT_DECIMALS, perAssessment))
        .withColumn("min_group_level", min("level").over(perAssessment))
        .withColumn("total_mandatory_failed", sum("mandatory_failed").over(perAssessment));
    Dataset<Row> overall = levelOf(withTotals, col("total_points"), catalog, "total_level")
        .withColumn("overall_level",
            when(col("total_mandatory_failed").gt(0).and(col("mandatory_failed_policy").equalTo("cap_overall_at_level_1")), lit(1))
                .when(col("overall_rule").equalTo("min_of_groups"), col("min_group_level"))
                .otherwise(col("total_level")))
        .drop("points_level", "overall_rule", "mandatory_failed_policy", "basis", "total_level", "min_group_level", "total_mandatory_failed");
    // row_key first, as group_result has always had it in the lake and the mart
    return overall.select("row_key", java.util.Arrays.stream(overall.columns()).filter(c -> !c.equals("row_key")).toArray(String[]::new));
  }

  /** The level band of the set's level rule that contains {@code points}: a non-equi join on band data. */
  public static Dataset<Row> levelOf(Dataset<Row> rows, Column points, CatalogFrames catalog, String outColumn) {
    Dataset<Row> bands = catalog.levelBand.filter(col("scope").equalTo(CatalogFrames.LEVEL_RULE_SCOPE))
        .select(col("set_id").as("band_set_id"), col("level").as(outColumn), col("lower"), col("lower_inclusive"), col("upper"), col("upper_inclusive"));
    Column inBand = col("set_id").equalTo(col("band_set_id"))
        .and(when(col("lower_inclusive"), points.geq(col("lower"))).otherwise(points.gt(col("lower"))))
        .and(when(col("upper_inclusive"), points.leq(col("upper"))).otherwise(points.lt(col("upper"))));
    return rows.join(broadcast(bands), inBand, "left").drop("band_set_id", "lower", "lower_inclusive", "upper", "upper_inclusive");
  }

  /**
   * Marks the official result of each unit × school year: its external assessment when there is one that is not a
   * draft or returned, otherwise its latest such self-assessment. Input and output: one row per assessment.
   */
  public static Dataset<Row> markOfficial(Dataset<Row> assessments) {
    Column eligible = col("disposition").equalTo(Validation.ACCEPTED).and(col("status").isin("draft", "returned").unary_$bang());
    var byPreference = Window.partitionBy("unit_code", "school_year")
        .orderBy(when(eligible, 0).otherwise(1), when(col("stage").equalTo("external"), 0).otherwise(1),
            col("submitted_on").desc_nulls_last(), col("source_file").desc(), col("row_number").desc());
    return assessments.withColumn("is_official", eligible.and(row_number().over(byPreference).equalTo(1)));
  }

  /**
   * Points of derived criteria for each authority assessment, from the official results of the units it manages that
   * year: share at or above a level, or share that self-assessed on time, times the criterion's max points. The
   * denominator is every unit the registry places under the authority that year, assessed or not.
   */
  public static Dataset<Row> derivedPoints(Dataset<Row> criterionScores, Dataset<Row> officialResults, Dataset<Row> unitYears,
      Dataset<Row> assessments, Dataset<Row> deadlines) {
    Dataset<Row> registered = unitYears.groupBy("managing_unit_code", "school_year").agg(count(lit(1)).as("n_registered"));
    Dataset<Row> levels = officialResults.groupBy("managing_unit_code", "school_year").agg(
        sum(when(col("overall_level").geq(2), 1).otherwise(0)).as("n_level_2"),
        sum(when(col("overall_level").geq(3), 1).otherwise(0)).as("n_level_3"));
    Dataset<Row> onTime = assessments.filter(col("disposition").equalTo(Validation.ACCEPTED).and(col("stage").equalTo("self"))
            .and(col("status").isin("draft", "returned").unary_$bang()))
        .join(deadlines.filter(col("stage").equalTo("self")).select("school_year", "province_code", "deadline"), new String[] {"school_year", "province_code"})
        .filter(col("submitted_on").leq(col("deadline")))
        .groupBy("managing_unit_code", "school_year").agg(countDistinct("unit_code").as("n_on_time"));
    Dataset<Row> stats = registered.join(levels, new String[] {"managing_unit_code", "school_year"}, "left")
        .join(onTime, new String[] {"managing_unit_code", "school_year"}, "left")
        .withColumnRenamed("managing_unit_code", "unit_code");
    Column share = when(col("derived_metric").equalTo("share_units_self_assessed_on_time"), coalesce(col("n_on_time"), lit(0)))
        .when(col("derived_level").equalTo(3), coalesce(col("n_level_3"), lit(0)))
        .otherwise(coalesce(col("n_level_2"), lit(0)))
        .divide(col("n_registered"));
    return criterionScores.filter(col("derived_metric").isNotNull())
        .join(stats, new String[] {"unit_code", "school_year"})
        .select(col("row_key"), col("criterion_id"), round(share.multiply(col("max_points")), 2).as("points"));
  }
}
