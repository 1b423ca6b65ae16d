package vn.cds.transform;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The analytics the dashboards and the report read, computed from scored results. Pure: each function takes
 * datasets and returns one. Areas are the district up to 2024-2025 and the commune after the 2025 reform; every row
 * also carries the former district (through the crosswalk in areas.csv) so a district's series can continue.
 */
public final class Analytics {
  private Analytics() {}

  /**
   * Every registered unit × school year for which an indicator set is in force, with its area as of that year, the
   * former district, and its official result (null when not assessed): one row per unit-year and scope, where scope
   * is "overall" or a group id (groups only for sets levelled per group).
   */
  public static Dataset<Row> unitYearLevels(Dataset<Row> unitYears, Dataset<Row> factAssessment, Dataset<Row> areas, CatalogFrames catalog) {
    Dataset<Row> applicable = unitYears
        .join(broadcast(catalog.setAppliesTo), "school_level")
        .join(broadcast(catalog.indicatorSet.select("set_id", "first_school_year", "last_school_year", "basis")), "set_id")
        .filter(col("first_school_year").leq(col("school_year"))
            .and(col("last_school_year").isNull().or(col("school_year").leq(col("last_school_year")))))
        .select(col("unit_code"), col("school_year"), col("school_level"), col("ownership"), col("province_code"), col("district_code"),
            col("commune_code"), col("set_id").as("indicator_set"), col("basis"));
    Dataset<Row> withFormer = withAreas(applicable, areas).select("unit_code", "school_year", "school_level", "ownership", "province_code",
        "area_type", "area_code", "indicator_set", "basis", "former_district_code");
    Dataset<Row> official = factAssessment.filter(col("is_official"))
        .select(col("unit_code"), col("school_year"), col("group_id"), col("level"), col("overall_level"), col("points"), col("stage"));
    Dataset<Row> overall = official.groupBy("unit_code", "school_year")
        .agg(min("overall_level").as("level"), Exact.sum(col("points"), 4).as("points"), min("stage").as("stage"))
        .withColumn("scope", lit("overall"));
    Dataset<Row> groups = official.filter(col("level").isNotNull()).select(col("unit_code"), col("school_year"), col("level"), col("points"),
        col("stage"), col("group_id").as("scope"));
    Dataset<Row> scopes = withFormer.withColumn("scope", lit("overall"))
        .unionByName(withFormer.filter(col("basis").equalTo("per_group"))
            .join(broadcast(catalog.group.select(col("set_id").as("indicator_set"), col("group_id").as("scope"))), "indicator_set"));
    return scopes.join(overall.unionByName(groups), new String[] {"unit_code", "school_year", "scope"}, "left").drop("basis");
  }

  /**
   * Adds each row's area as of its school year ({@code area_type}, {@code area_code}: its district before the 2025
   * reform, its commune after, the province for the Sở) and {@code former_district_code}: the district itself, or the
   * district its commune was carved from (the crosswalk rows of areas.csv), so a district's series continues.
   */
  public static Dataset<Row> withAreas(Dataset<Row> rows, Dataset<Row> areas) {
    Dataset<Row> located = rows
        // the Sở sits in neither a district nor a commune: its area is the province
        .withColumn("area_type", when(col("district_code").isNotNull(), lit("district")).when(col("commune_code").isNotNull(), lit("commune"))
            .otherwise(lit("province")))
        .withColumn("area_code", coalesce(col("district_code"), col("commune_code"), col("province_code")))
        .withColumn("own_area", coalesce(col("district_code"), col("commune_code")));
    Dataset<Row> formerDistrict = areas.filter(col("area_type").equalTo("district").and(col("successor_code").isNotNull()))
        .groupBy(col("successor_code").as("own_area")).agg(min("area_code").as("former_district_code"));
    return located.join(broadcast(formerDistrict), new String[] {"own_area"}, "left")
        .withColumn("former_district_code", when(col("area_type").equalTo("district"), col("area_code")).otherwise(col("former_district_code")))
        .drop("own_area");
  }

  /** Each school year with the one before it among the years present (the first year has none). */
  public static Dataset<Row> previousYears(org.apache.spark.sql.SparkSession spark, java.util.List<String> years) {
    java.util.List<Row> pairs = new java.util.ArrayList<>();
    java.util.List<String> sorted = years.stream().sorted().toList();
    for (int i = 1; i < sorted.size(); i++) pairs.add(org.apache.spark.sql.RowFactory.create(sorted.get(i), sorted.get(i - 1)));
    return spark.createDataFrame(pairs, org.apache.spark.sql.types.StructType.fromDDL("school_year string, previous_year string"));
  }

  /**
   * Unit-year-scope rows once per grouping of a trend: the whole province, and the former district (the district up
   * to 2024-2025, the district a commune was carved from after), so a series continues across the 2025 reform.
   */
  static Dataset<Row> byTrendGrouping(Dataset<Row> unitYearLevels) {
    return unitYearLevels
        .withColumn("g", org.apache.spark.sql.functions.explode(org.apache.spark.sql.functions.array(
            org.apache.spark.sql.functions.struct(lit("province").as("grouping"), col("province_code").as("group_code")),
            org.apache.spark.sql.functions.struct(lit("former_district").as("grouping"), col("former_district_code").as("group_code")))))
        .select(col("*"), col("g.grouping"), col("g.group_code")).drop("g");
  }

  private static final String[] TREND_KEYS = {"grouping", "group_code", "school_level", "indicator_set", "scope"};

  /**
   * Per grouping × school level × set × scope and school year: mean points, share at Mức 2+ and Mức 3, the same
   * figures the year before and the change; and all of it again over only the units assessed in both years
   * ("same_" columns), so that units arriving through a merger are never mistaken for progress.
   */
  public static Dataset<Row> levelTrend(Dataset<Row> unitYearLevels, Dataset<Row> previousYears) {
    java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of(TREND_KEYS));
    keys.add("school_year");
    Column[] byKeys = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> all = aggregate(byTrendGrouping(unitYearLevels).groupBy(byKeys), trendMetrics("level", "points", ""));
    Dataset<Row> previous = all.withColumnRenamed("school_year", "previous_year");
    for (String m : new String[] {"assessed", "mean_points", "share_level_2_plus", "share_level_3"}) previous = previous.withColumnRenamed(m, "prev_" + m);
    java.util.List<String> joinKeys = new java.util.ArrayList<>(java.util.List.of(TREND_KEYS));
    joinKeys.add("previous_year");
    Dataset<Row> withPrevious = all.join(broadcast(previousYears), new String[] {"school_year"}, "left")
        .join(previous, joinKeys.toArray(new String[0]), "left");

    // same units: assessed this year and the year before, in the same scope. A unit's two years are paired before its
    // rows are repeated per grouping (half the rows to join), and both years' figures come from one aggregation.
    Dataset<Row> assessed = unitYearLevels.filter(col("level").isNotNull());
    Dataset<Row> before = assessed.select(col("unit_code"), col("school_year").as("previous_year"), col("scope"), col("level").as("prev_level"),
        col("points").as("prev_points"));
    Dataset<Row> paired = byTrendGrouping(assessed.join(broadcast(previousYears), "school_year")
        .join(before, new String[] {"unit_code", "previous_year", "scope"}));
    java.util.List<Column> sameMetrics = new java.util.ArrayList<>(trendMetrics("level", "points", "same_"));
    sameMetrics.addAll(trendMetrics("prev_level", "prev_points", "same_prev_"));
    Dataset<Row> same = aggregate(paired.groupBy(byKeys), sameMetrics);
    return withPrevious.join(same, keys.toArray(new String[0]), "left")
        .withColumn("change_mean_points", round(col("mean_points").minus(col("prev_mean_points")), 2))
        .withColumn("change_share_level_2_plus", round(col("share_level_2_plus").minus(col("prev_share_level_2_plus")), 4))
        .withColumn("change_share_level_3", round(col("share_level_3").minus(col("prev_share_level_3")), 4))
        .withColumn("same_change_mean_points", round(col("same_mean_points").minus(col("same_prev_mean_points")), 2))
        .withColumn("same_change_share_level_2_plus", round(col("same_share_level_2_plus").minus(col("same_prev_share_level_2_plus")), 4))
        .withColumn("same_change_share_level_3", round(col("same_share_level_3").minus(col("same_prev_share_level_3")), 4))
        .drop("same_prev_assessed").withColumnRenamed("same_assessed", "same_units");
  }

  /** Units assessed, mean points, shares at Mức 2+ and Mức 3, from the given level and points columns. */
  private static java.util.List<Column> trendMetrics(String level, String points, String prefix) {
    Column assessed = col(level).isNotNull();
    return java.util.List.of(
        sum(when(assessed, 1).otherwise(0)).cast("int").as(prefix + "assessed"),
        Exact.avg(when(assessed, col(points)), 2).as(prefix + "mean_points"),
        Exact.avg(when(assessed, when(col(level).geq(2), 1.0).otherwise(0.0)), 4).as(prefix + "share_level_2_plus"),
        Exact.avg(when(assessed, when(col(level).equalTo(3), 1.0).otherwise(0.0)), 4).as(prefix + "share_level_3"));
  }

  private static Dataset<Row> aggregate(org.apache.spark.sql.RelationalGroupedDataset grouped, java.util.List<Column> metrics) {
    return grouped.agg(metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new));
  }

  /**
   * Units registered in two consecutive years, counted by their overall level the year before and this year; level 0
   * stands for "not assessed", so units that stopped or started reporting are visible too.
   */
  public static Dataset<Row> levelTransition(Dataset<Row> unitYearLevels, Dataset<Row> previousYears) {
    Dataset<Row> overall = unitYearLevels.filter(col("scope").equalTo("overall"));
    Dataset<Row> before = overall.select(col("unit_code"), col("school_year").as("previous_year"), coalesce(col("level"), lit(0)).as("level_from"));
    // paired before the rows are repeated per grouping, as in levelTrend
    return byTrendGrouping(overall.join(broadcast(previousYears), "school_year").join(before, new String[] {"unit_code", "previous_year"}))
        .withColumn("level_to", coalesce(col("level"), lit(0)))
        .groupBy("school_year", "previous_year", "grouping", "group_code", "school_level", "indicator_set", "level_from", "level_to")
        .agg(count(lit(1)).cast("int").as("units"));
  }

  /** Counts and shares of units per level, with the denominators beside them, per year × area × level × ownership × set × scope. */
  public static Dataset<Row> levelDistribution(Dataset<Row> unitYearLevels) {
    Column assessed = col("level").isNotNull();
    return unitYearLevels.groupBy("school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level", "ownership",
            "indicator_set", "scope")
        .agg(count(lit(1)).cast("int").as("registered"),
            sum(when(assessed, 1).otherwise(0)).cast("int").as("assessed"),
            sum(when(assessed, 0).otherwise(1)).cast("int").as("not_assessed"),
            sum(when(col("level").equalTo(1), 1).otherwise(0)).cast("int").as("level_1"),
            sum(when(col("level").equalTo(2), 1).otherwise(0)).cast("int").as("level_2"),
            sum(when(col("level").equalTo(3), 1).otherwise(0)).cast("int").as("level_3"))
        .withColumn("share_level_2_plus", when(col("assessed").gt(0), round(col("level_2").plus(col("level_3")).divide(col("assessed")), 4)))
        .withColumn("share_level_3", when(col("assessed").gt(0), round(col("level_3").divide(col("assessed")), 4)));
  }

  /**
   * Per criterion × school year × area × school level, over official results: mean attainment (points / max) of the
   * units that reported it, shares at full points, at zero and not reported, the gap to max in points, and the rank of
   * the weakest criteria within the area (1 = weakest). Mandatory conditions are pass/fail and have no gap.
   *
   * @param wideRows the official assessments' wide rows ({@code row_key, set_id, vals}: one {@link CellValues#VALUE}
   *     per criterion, derived criteria filled in): each area's figures are summed over them ({@link CriterionGapTotals}),
   *     and only the figures are made one row per criterion
   */
  public static Dataset<Row> criterionGap(Dataset<Row> wideRows, Dataset<Row> factAssessment, Dataset<Row> unitYearLevels, CatalogFrames catalog) {
    // the official assessments are few enough to broadcast: the wide rows then need no shuffle before they are summed
    Dataset<Row> official = wideRows.select("row_key", "set_id", "vals")
        .join(broadcast(officialAreas(factAssessment, unitYearLevels)), "row_key")
        .filter(col("set_id").equalTo(col("indicator_set")));
    Dataset<Row> gap = perCriterion(official, CriterionGapTotals.udaf(catalog.catalogs).apply(col("set_id"), col("vals")))
        .withColumn("gap_to_max", round(col("max_points").minus(col("mean_points")), 4));
    var weakestFirst = Window.partitionBy("school_year", "area_code", "school_level", "indicator_set")
        .orderBy(col("mean_attainment").asc_nulls_last(), col("criterion_id"));
    return gap.withColumn("weakness_rank", row_number().over(weakestFirst));
  }

  /** What the criterion gap and funding priority are figured per: the area, the school level and the indicator set. */
  private static final String[] AREA_SET = {"school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level",
      "indicator_set"};

  /** {@code totals}, a {@link CriterionTotals} aggregate, over the rows of each area, school level and set: one row per criterion. */
  private static Dataset<Row> perCriterion(Dataset<Row> rows, Column totals) {
    return rows.groupBy(AREA_SET[0], java.util.Arrays.copyOfRange(AREA_SET, 1, AREA_SET.length)).agg(totals.as("totals"))
        .selectExpr(with(AREA_SET, "explode(totals.criteria) AS c")).selectExpr(with(AREA_SET, "c.*"));
  }

  private static String[] with(String[] columns, String more) {
    String[] all = java.util.Arrays.copyOf(columns, columns.length + 1);
    all[columns.length] = more;
    return all;
  }

  /**
   * Each official assessment of a unit-year with a level, and the unit's area that year: row_key -> area fields, one
   * row per indicator set in force for the unit (the caller matches the set).
   */
  static Dataset<Row> officialAreas(Dataset<Row> factAssessment, Dataset<Row> unitYearLevels) {
    Dataset<Row> official = factAssessment.filter(col("is_official")).select("row_key", "unit_code", "school_year").distinct();
    Dataset<Row> units = unitYearLevels.filter(col("scope").equalTo("overall").and(col("level").isNotNull()))
        .select("unit_code", "school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level", "indicator_set");
    return official.join(units, new String[] {"unit_code", "school_year"}).drop("unit_code");
  }

  /**
   * Self vs external assessment per unit × school year × group (and "overall" for the total), for units with both an
   * accepted self-assessment and an accepted external assessment: points and levels of each, their difference, and
   * flags where the self-assessment claims a higher level or exceeds the external points by more than
   * {@code gapThreshold}. Area fields come from the unit-year rows.
   */
  public static Dataset<Row> selfVsExternal(Dataset<Row> factAssessment, Dataset<Row> unitYearLevels, double gapThreshold) {
    Dataset<Row> groups = factAssessment.select(col("unit_code"), col("school_year"), col("stage"), col("group_id").as("scope"), col("points"),
        col("level"));
    Dataset<Row> overall = factAssessment.groupBy("unit_code", "school_year", "stage")
        .agg(Exact.sum(col("points"), 4).as("points"), min("overall_level").as("level")).withColumn("scope", lit("overall"));
    Dataset<Row> both = groups.unionByName(overall);
    Dataset<Row> self = both.filter(col("stage").equalTo("self")).drop("stage").withColumnRenamed("points", "self_points")
        .withColumnRenamed("level", "self_level");
    Dataset<Row> external = both.filter(col("stage").equalTo("external")).drop("stage").withColumnRenamed("points", "external_points")
        .withColumnRenamed("level", "external_level");
    Dataset<Row> area = unitYearLevels.filter(col("scope").equalTo("overall")).select("unit_code", "school_year", "province_code", "area_type",
        "area_code", "former_district_code", "school_level", "indicator_set");
    Column diff = col("self_points").minus(col("external_points"));
    return self.join(external, new String[] {"unit_code", "school_year", "scope"}).join(area, new String[] {"unit_code", "school_year"})
        .withColumn("points_diff", round(diff, 4))
        .withColumn("claims_higher_level", coalesce(col("self_level").gt(col("external_level")), lit(false)))
        .withColumn("exceeds_gap", diff.gt(gapThreshold))
        .withColumn("gap_threshold", lit(gapThreshold));
  }

  /**
   * One row per registered unit × school year: whether it submitted a self-assessment (accepted, not a draft or
   * returned), by the deadline of its province (null when no deadline is set), was externally assessed, and whether
   * its official result is approved; and, for units that did not submit, why: nothing at all, only drafts or returned
   * forms, or only rejected rows.
   */
  public static Dataset<Row> unitCoverage(Dataset<Row> unitYearLevels, Dataset<Row> assessments, Dataset<Row> deadlines) {
    Column usable = col("disposition").equalTo(Validation.ACCEPTED).and(col("status").isin("draft", "returned").unary_$bang());
    Dataset<Row> perUnit = assessments.filter(col("unit_code").isNotNull().and(col("school_year").isNotNull()))
        .join(broadcast(deadlines.filter(col("stage").equalTo("self")).select("school_year", "province_code", "deadline")),
            new String[] {"school_year", "province_code"}, "left")
        .groupBy("unit_code", "school_year").agg(
            org.apache.spark.sql.functions.max(when(usable.and(col("stage").equalTo("self")), true).otherwise(false)).as("self_submitted"),
            org.apache.spark.sql.functions.max(when(usable.and(col("stage").equalTo("self")),
                when(col("deadline").isNull(), lit(null).cast("boolean")).otherwise(col("submitted_on").leq(col("deadline"))))).as("self_on_time"),
            org.apache.spark.sql.functions.max(when(usable.and(col("stage").equalTo("external")), true).otherwise(false)).as("externally_assessed"),
            org.apache.spark.sql.functions.max(when(col("is_official").and(col("status").equalTo("approved")), true).otherwise(false)).as("approved"),
            org.apache.spark.sql.functions.max(when(col("stage").equalTo("self").and(col("disposition").equalTo(Validation.ACCEPTED)), true)
                .otherwise(false)).as("self_any_accepted"),
            org.apache.spark.sql.functions.max(when(col("stage").equalTo("self").and(col("disposition").equalTo(Validation.REJECTED)), true)
                .otherwise(false)).as("self_rejected"));
    Dataset<Row> registered = unitYearLevels.filter(col("scope").equalTo("overall"))
        .select("unit_code", "school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level", "indicator_set");
    return registered.join(perUnit, new String[] {"unit_code", "school_year"}, "left")
        .withColumn("self_submitted", coalesce(col("self_submitted"), lit(false)))
        .withColumn("externally_assessed", coalesce(col("externally_assessed"), lit(false)))
        .withColumn("approved", coalesce(col("approved"), lit(false)))
        .withColumn("missing_reason", when(col("self_submitted"), lit(null).cast("string"))
            .when(coalesce(col("self_any_accepted"), lit(false)), lit("draft_or_returned_only"))
            .when(coalesce(col("self_rejected"), lit(false)), lit("rejected_only"))
            .otherwise(lit("no_self_assessment")))
        .drop("self_any_accepted", "self_rejected");
  }

  /** Coverage and deadline compliance per school year × area × school level × set, from {@link #unitCoverage}. */
  public static Dataset<Row> coverage(Dataset<Row> unitCoverage) {
    return unitCoverage.groupBy("school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level", "indicator_set")
        .agg(count(lit(1)).cast("int").as("registered"),
            sum(when(col("self_submitted"), 1).otherwise(0)).cast("int").as("self_submitted"),
            sum(when(col("self_on_time"), 1).otherwise(0)).cast("int").as("self_on_time"),
            sum(when(col("externally_assessed"), 1).otherwise(0)).cast("int").as("externally_assessed"),
            sum(when(col("approved"), 1).otherwise(0)).cast("int").as("approved"))
        .withColumn("share_self_submitted", round(col("self_submitted").divide(col("registered")), 4))
        .withColumn("share_self_on_time", round(col("self_on_time").divide(col("registered")), 4))
        .withColumn("share_externally_assessed", round(col("externally_assessed").divide(col("registered")), 4))
        .withColumn("share_approved", round(col("approved").divide(col("registered")), 4));
  }

  /**
   * What to fund: for each scored criterion, how many units (official results, sets levelled per group) would rise a
   * group level, and an overall level, if that criterion alone were brought to full points. Levels are recomputed
   * with the set's own bands and mandatory-condition policy, so a unit capped by a failed condition never "rises".
   * {@code valueRows}: {@code row_key} and {@code vals}, the assessment's criteria's values as {@link CellValues#VALUE}.
   */
  public static Dataset<Row> fundingPriority(Dataset<Row> valueRows, Dataset<Row> factAssessment, Dataset<Row> unitYearLevels,
      CatalogFrames catalog) {
    // each official assessment of a set levelled per group with its groups in one row, few enough to broadcast: the
    // wide rows meet them where they are, and each criterion's relevelling is one Java call over the row (FundingUplift)
    Dataset<Row> perGroupSets = catalog.indicatorSet.filter(col("basis").equalTo("per_group")).select("set_id");
    Dataset<Row> groups = factAssessment.filter(col("is_official")).join(broadcast(perGroupSets), "set_id")
        .groupBy("row_key", "unit_code", "school_year", "set_id", "overall_level")
        .agg(collect_list(struct(col("group_id"), col("points"), col("level"), col("mandatory_failed"))).as("groups"));
    Dataset<Row> uplifts = valueRows.select("row_key", "vals").join(broadcast(groups), "row_key")
        .select(col("unit_code"), col("school_year"), col("set_id").as("indicator_set"),
            FundingUplift.udf(catalog.catalogs).apply(col("set_id"), col("vals"), col("groups"), col("overall_level")).as("uplifts"));
    Dataset<Row> area = unitYearLevels.filter(col("scope").equalTo("overall")).select("unit_code", "school_year", "province_code", "area_type",
        "area_code", "former_district_code", "school_level");
    // each area's figures summed over the assessments' uplifts (FundingTotals): no row per assessment × criterion
    return perCriterion(uplifts.join(broadcast(area), new String[] {"unit_code", "school_year"}),
        FundingTotals.udaf(catalog.catalogs).apply(col("indicator_set"), col("uplifts")));
  }
}
