package vn.cds.transform;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The inspection sample: which self-assessments the managing bodies verify on site this year. At least the given share
 * of the units under each managing body, spread over its areas and school levels in proportion to their size, and
 * within each of those strata the riskiest first:
 * <ul>
 *   <li>{@code past_gap}: in an earlier year its self-assessment exceeded the external one by more than the oversight
 *       threshold, or claimed a higher level;
 *   <li>{@code large_jump}: its self-assessed total rose by at least {@code jump_points} over last year's official
 *       result, or by two levels;
 *   <li>{@code near_threshold}: a claimed Mức 2 or 3 rests on points within {@code near_threshold_points} of the bound;
 *   <li>{@code never_inspected}: never externally assessed nor drawn in an earlier sample.
 * </ul>
 * Ties are broken by a hash of the seed and the unit code, so a seed always draws the same sample from the same data.
 */
public final class Inspection {
  private Inspection() {}

  /** The Sở's rules for the sample, from schemas/oversight.json. */
  public record Rules(double share, long seed, double gapPoints, double jumpPoints, double nearThresholdPoints, int weightPastGap,
      int weightLargeJump, int weightNearThreshold, int weightNeverInspected) implements java.io.Serializable {}

  /** The group-result columns {@link #riskFactors} reads. */
  public static final String[] RESULT_COLUMNS = {"row_key", "unit_code", "school_year", "stage", "set_id", "group_id", "submitted_on", "source_file",
      "row_number", "status", "is_official", "points", "level", "total_points", "overall_level"};

  private static final Column USABLE = col("status").isin("draft", "returned").unary_$bang();

  /**
   * The units registered in {@code year} with their managing body, area, school level and indicator set. A unit with
   * no managing body in the registry (the Sở, answerable to the Ministry) is not the province's to inspect.
   */
  public static Dataset<Row> population(Dataset<Row> unitYearLevels, Dataset<Row> unitYears, String year) {
    return unitYearLevels.filter(col("scope").equalTo("overall").and(col("school_year").equalTo(year)))
        .select("unit_code", "school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level", "indicator_set")
        .join(unitYears.filter(col("managing_unit_code").isNotNull()).select("unit_code", "school_year", "managing_unit_code"),
            new String[] {"unit_code", "school_year"});
  }

  /**
   * One result per unit × school year × stage (self, external), from group results: the latest usable form, its total
   * points (sum of the groups) and overall level.
   */
  static Dataset<Row> resultsPerStage(Dataset<Row> groupResults) {
    Dataset<Row> forms = groupResults.filter(USABLE).groupBy("row_key", "unit_code", "school_year", "stage", "set_id", "submitted_on",
            "source_file", "row_number")
        .agg(Exact.sum(col("points"), 4).as("total_points"), max("overall_level").as("overall_level"));
    WindowSpec latest = Window.partitionBy("unit_code", "school_year", "stage")
        .orderBy(col("submitted_on").desc_nulls_last(), col("source_file").desc(), col("row_number").desc());
    return forms.withColumn("rn", row_number().over(latest)).filter(col("rn").equalTo(1)).drop("rn");
  }

  /**
   * The risk factors of every unit that submitted a usable self-assessment in {@code year}. {@code population} holds
   * the units registered that year with their managing body, area and school level; {@code pastSamples} the units
   * drawn in earlier years (unit_code, school_year).
   */
  public static Dataset<Row> riskFactors(Dataset<Row> groupResults, Dataset<Row> population, Dataset<Row> pastSamples, String year,
      String previousYear, CatalogFrames catalog, Rules rules) {
    Dataset<Row> perStage = resultsPerStage(groupResults);
    Dataset<Row> selfNow = perStage.filter(col("stage").equalTo("self").and(col("school_year").equalTo(year)))
        .select(col("unit_code"), col("row_key"), col("set_id"), col("total_points").as("self_points"), col("overall_level").as("self_level"));

    // Claims just above a bound: per group for sets levelled per group, on the total otherwise.
    Dataset<Row> bands = catalog.levelBand.filter(col("scope").equalTo(CatalogFrames.LEVEL_RULE_SCOPE))
        .select(col("set_id"), col("level").as("claimed_level"), col("lower"));
    Dataset<Row> claims = groupResults.join(selfNow.select("row_key"), "row_key")
        .join(broadcast(catalog.indicatorSet.select("set_id", "basis")), "set_id")
        .select(col("unit_code"), col("set_id"),
            when(col("basis").equalTo("per_group"), concat_ws(" ", lit("nhóm"), col("group_id"))).otherwise(lit("tổng điểm")).as("claim_scope"),
            when(col("basis").equalTo("per_group"), col("points")).otherwise(col("total_points")).as("claim_points"),
            when(col("basis").equalTo("per_group"), col("level")).otherwise(col("overall_level")).as("claimed_level"))
        .distinct()
        .join(broadcast(bands), new String[] {"set_id", "claimed_level"})
        .filter(col("claimed_level").geq(2).and(col("claim_points").minus(col("lower")).leq(rules.nearThresholdPoints())))
        .groupBy("unit_code").agg(min(struct(col("claim_points").minus(col("lower")).as("margin"), col("claim_scope"), col("claim_points"),
            col("lower"), col("claimed_level"))).as("near"));

    Dataset<Row> before = perStage.filter(col("school_year").lt(year));
    Dataset<Row> pastGap = before.filter(col("stage").equalTo("self")).alias("s")
        .join(before.filter(col("stage").equalTo("external")).alias("e"), new String[] {"unit_code", "school_year"})
        .withColumn("diff", col("s.total_points").minus(col("e.total_points")))
        .filter(col("diff").gt(rules.gapPoints()).or(col("s.overall_level").gt(col("e.overall_level"))))
        .groupBy("unit_code").agg(count(lit(1)).cast("int").as("past_gap_years"), round(max("diff"), 2).as("past_max_diff"));
    Dataset<Row> previousOfficial = groupResults.filter(col("is_official").and(col("school_year").equalTo(lit(previousYear))))
        .groupBy("unit_code").agg(Exact.sum(col("points"), 4).as("previous_points"), max("overall_level").as("previous_level"));
    Dataset<Row> inspectedBefore = before.filter(col("stage").equalTo("external")).select("unit_code")
        .unionByName(pastSamples.filter(col("school_year").lt(year)).select("unit_code")).distinct().withColumn("inspected_before", lit(true));

    Column jump = col("self_points").minus(col("previous_points"));
    return population.join(selfNow, "unit_code")
        .join(claims, new String[] {"unit_code"}, "left")
        .join(pastGap, new String[] {"unit_code"}, "left")
        .join(previousOfficial, new String[] {"unit_code"}, "left")
        .join(inspectedBefore, new String[] {"unit_code"}, "left")
        .withColumn("past_gap", col("past_gap_years").isNotNull())
        .withColumn("large_jump", coalesce(jump.geq(rules.jumpPoints()).or(col("self_level").minus(col("previous_level")).geq(2)), lit(false)))
        .withColumn("near_threshold", col("near").isNotNull())
        .withColumn("never_inspected", col("inspected_before").isNull())
        .withColumn("risk_score", when(col("past_gap"), rules.weightPastGap()).otherwise(0)
            .plus(when(col("large_jump"), rules.weightLargeJump()).otherwise(0))
            .plus(when(col("near_threshold"), rules.weightNearThreshold()).otherwise(0))
            .plus(when(col("never_inspected"), rules.weightNeverInspected()).otherwise(0)))
        .withColumn("reason_codes", concat_ws(",", when(col("past_gap"), lit("past_gap")), when(col("large_jump"), lit("large_jump")),
            when(col("near_threshold"), lit("near_threshold")), when(col("never_inspected"), lit("never_inspected"))))
        .withColumn("reason", concat_ws("; ",
            when(col("past_gap"), concat_ws("", lit("tự đánh giá cao hơn đánh giá ngoài ở "), col("past_gap_years"),
                lit(" năm trước (chênh nhiều nhất "), format_number(col("past_max_diff"), 2), lit(" điểm)"))),
            when(col("large_jump"), concat_ws("", lit("tăng mạnh so với năm trước: "), format_number(col("previous_points"), 2), lit(" → "),
                format_number(col("self_points"), 2), lit(" điểm, Mức "), col("previous_level"), lit(" → Mức "), col("self_level"))),
            when(col("near_threshold"), concat_ws("", lit("sát ngưỡng Mức "), col("near.claimed_level"), lit(" ("), col("near.claim_scope"),
                lit(": "), format_number(col("near.claim_points"), 2), lit(" điểm, ngưỡng "), format_number(col("near.lower"), 0), lit(")"))),
            when(col("never_inspected"), lit("chưa từng được đánh giá ngoài hay kiểm tra"))))
        .withColumn("reason", when(col("reason").equalTo(""), lit("chọn ngẫu nhiên để đại diện cho khu vực và cấp học")).otherwise(col("reason")))
        .drop("near", "inspected_before", "row_key", "set_id");
  }

  /**
   * (The quota subtracts 1e-9 before rounding up: 10 × 0.3 is 3.0000000000000004 in floating point, not a 4th unit.)
   *
   * <p>Draws the sample from {@link #riskFactors}: each managing body's quota is ceil(share × its units); its strata
   * (area × school level) contribute in proportion to their size, by interleaving each stratum's units, riskiest
   * first, at their relative position in the stratum.
   */
  public static Dataset<Row> draw(Dataset<Row> risk, Rules rules, String source) {
    Column tieBreak = xxhash64(lit(rules.seed()), col("unit_code"));
    WindowSpec stratum = Window.partitionBy("managing_unit_code", "area_code", "school_level");
    WindowSpec body = Window.partitionBy("managing_unit_code");
    return risk
        .withColumn("tie_break", tieBreak)
        .withColumn("stratum_units", count(lit(1)).over(stratum).cast("int"))
        .withColumn("stratum_rank", row_number().over(stratum.orderBy(col("risk_score").desc(), col("tie_break"), col("unit_code"))))
        .withColumn("stratum_position", col("stratum_rank").minus(0.5).divide(col("stratum_units")))
        .withColumn("managing_units", count(lit(1)).over(body).cast("int"))
        .withColumn("managing_quota", ceil(col("managing_units").multiply(rules.share()).minus(1e-9)).cast("int"))
        .withColumn("pick_rank", row_number().over(body.orderBy(col("stratum_position"), col("risk_score").desc(), col("tie_break"),
            col("unit_code"))))
        .filter(col("pick_rank").leq(col("managing_quota")))
        .withColumn("share", lit(rules.share()))
        .withColumn("seed", lit(rules.seed()))
        .withColumn("source", lit(source))
        .drop("tie_break", "stratum_rank", "stratum_position");
  }
}
