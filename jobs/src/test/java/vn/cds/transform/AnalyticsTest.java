package vn.cds.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;
import vn.cds.catalog.Catalogs;
import vn.cds.pipeline.InputFolder;

/** Level distribution and criterion gaps on a fixture small enough to count by hand. */
class AnalyticsTest {
  static final StructType UNIT_YEARS = InputFolder.UNITS.add("school_year", "string");
  static final StructType FACT = StructType.fromDDL("row_key string, unit_code string, school_year string, stage string, group_id string, "
      + "points double, level int, overall_level int, is_official boolean");
  static final StructType SCORES = StructType.fromDDL("row_key string, unit_code string, school_year string, set_id string, group_id string, "
      + "criterion_id string, max_points double, mandatory boolean, points double, reported boolean");

  static Row unit(String code, String level, String district, String commune, String year) {
    return RowFactory.create(code, "Trường " + code, level, "cong_lap", "31", district, commune, "P", "2022-2023", null, year);
  }

  static Row fact(String key, String unit, String year, String group, double points, Integer level, int overall, boolean official) {
    return RowFactory.create(key, unit, year, "external", group, points, level, overall, official);
  }

  static Row score(String key, String unit, String criterion, double max, Double points) {
    return RowFactory.create(key, unit, "2024-2025", "QD4725", "DH", criterion, max, false, points, points != null);
  }

  @Test
  void distributionAndGapsCountedByHand() {
    SparkSession spark = TestSupport.spark();
    CatalogFrames catalog = new CatalogFrames(spark, Catalogs.load(TestSupport.catalogs()));
    Dataset<Row> unitYears = spark.createDataFrame(List.of(unit("A", "TH", "303", null, "2024-2025"), unit("B", "TH", "303", null, "2024-2025"),
        unit("C", "TH", "303", null, "2024-2025"), unit("M", "MN", "303", null, "2023-2024"), unit("D", "THCS", null, "11003", "2025-2026")), UNIT_YEARS);
    Dataset<Row> fact = spark.createDataFrame(List.of(
        fact("a", "A", "2024-2025", "DH", 60, 2, 2, true), fact("a", "A", "2024-2025", "QT", 80, 3, 2, true),
        fact("a0", "A", "2024-2025", "DH", 90, 3, 3, false), fact("a0", "A", "2024-2025", "QT", 90, 3, 3, false), // A's self-assessment: not official
        fact("b", "B", "2024-2025", "DH", 40, 1, 1, true), fact("b", "B", "2024-2025", "QT", 30, 1, 1, true),
        fact("d", "D", "2025-2026", "DH", 80, 3, 3, true), fact("d", "D", "2025-2026", "QT", 90, 3, 3, true)), FACT);
    Dataset<Row> areas = spark.createDataFrame(List.of(RowFactory.create("303", "Quận Hồng Bàng", "district", "31", "2022-2023", "2024-2025", "11003"),
        RowFactory.create("11003", "Phường Hồng Bàng", "commune", "31", "2025-2026", null, null)), InputFolder.AREAS);

    Dataset<Row> levels = Analytics.unitYearLevels(unitYears, fact, areas, catalog);
    Map<String, String> dist = new TreeMap<>();
    for (Row r : Analytics.levelDistribution(levels).collectAsList())
      dist.put(String.join(" ", r.<String>getAs("school_year"), r.<String>getAs("area_code"), r.<String>getAs("former_district_code"),
              r.<String>getAs("school_level"), r.<String>getAs("scope")),
          List.<Object>of(r.getAs("registered"), r.getAs("assessed"), r.getAs("not_assessed"), r.getAs("level_1"), r.getAs("level_2"), r.getAs("level_3"),
              String.valueOf(r.<Double>getAs("share_level_2_plus")), String.valueOf(r.<Double>getAs("share_level_3"))).toString());
    // registered / assessed / not assessed / Mức 1 / Mức 2 / Mức 3 / share 2+ / share 3; the preschool has no set in 2023-2024
    assertEquals(Map.of(
        "2024-2025 303 303 TH overall", "[3, 2, 1, 1, 1, 0, 0.5, 0.0]",
        "2024-2025 303 303 TH DH", "[3, 2, 1, 1, 1, 0, 0.5, 0.0]",
        "2024-2025 303 303 TH QT", "[3, 2, 1, 1, 0, 1, 0.5, 0.5]",
        "2025-2026 11003 303 THCS overall", "[1, 1, 0, 0, 0, 1, 1.0, 1.0]",
        "2025-2026 11003 303 THCS DH", "[1, 1, 0, 0, 0, 1, 1.0, 1.0]",
        "2025-2026 11003 303 THCS QT", "[1, 1, 0, 0, 0, 1, 1.0, 1.0]"), dist);

    Dataset<Row> scores = spark.createDataFrame(List.of(
        score("a", "A", "DH4", 10, 10.0), score("b", "B", "DH4", 10, 0.0),
        score("a", "A", "DH5.1", 15, 3.0), score("b", "B", "DH5.1", 15, null),
        score("a0", "A", "DH5.1", 15, 15.0)), SCORES); // not official: ignored
    Map<String, String> gap = new TreeMap<>();
    // the scores as the wide rows the gap is summed over: one row per assessment, its criteria's values in one array
    Dataset<Row> wideRows = scores.groupBy("row_key", "set_id").agg(functions.collect_list(functions.struct(functions.col("criterion_id"),
        functions.col("points"), functions.lit(null).cast("boolean").as("passed"))).as("vals"));
    for (Row r : Analytics.criterionGap(wideRows, fact, levels, catalog).collectAsList())
      gap.put(r.getAs("criterion_id"), List.<Object>of(r.getAs("units"), r.getAs("units_reported"), r.getAs("mean_attainment"), r.getAs("mean_points"),
          r.getAs("gap_to_max"), r.getAs("share_full"), r.getAs("share_zero"), r.getAs("share_not_reported"), r.getAs("weakness_rank")).toString());
    // units / reported / attainment / mean points / gap to max / full / zero / not reported / rank
    assertEquals(Map.of(
        "DH4", "[2, 2, 0.5, 5.0, 5.0, 0.5, 0.5, 0.0, 2]",
        "DH5.1", "[2, 1, 0.2, 3.0, 12.0, 0.0, 0.0, 0.5, 1]"), gap);
  }

  /**
   * The criterion gap summed over wide rows ({@link CriterionGapTotals}) against the long rows' SQL it replaced, over
   * 106 units in four districts with random points (sevenths, hundredths), zeros, full points, blanks and failed
   * conditions, and one mean on a rounding edge: every figure of every row the same.
   */
  @Test
  void theCriterionGapOfWideRowsIsThatOfTheCriterionRows() {
    SparkSession spark = TestSupport.spark();
    Catalogs catalogs = Catalogs.load(TestSupport.catalogs());
    CatalogFrames catalog = new CatalogFrames(spark, catalogs);
    List<Row> unitYears = new java.util.ArrayList<>(), fact = new java.util.ArrayList<>(), wide = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    // district 309: 16 TH schools whose DH7.2 (max 7) points are 4, 2.5 × 4 and 3.5 × 11: attainments 4/7 and 2.5/7
    // are cast a little low, so their mean is 0.4687499999875 (0.4688 if rounded at 10 places first, as Spark does not)
    double[] edge = {4, 2.5, 2.5, 2.5, 2.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5};
    for (int u = 0; u < 90 + edge.length; u++) {
      String code = "U" + u, key = "k" + u;
      unitYears.add(unit(code, u >= 90 ? "TH" : u % 4 == 0 ? "THCS" : "TH", u >= 90 ? "309" : "30" + (u % 3), null, "2024-2025"));
      fact.add(fact(key, code, "2024-2025", "DH", 60, 2, 2, true));
      fact.add(fact(key, code, "2024-2025", "QT", 60, 2, 2, true));
      List<Row> vals = new java.util.ArrayList<>();
      for (vn.cds.catalog.IndicatorSet.Criterion c : catalogs.byId("QD4725").orElseThrow().criteria()) {
        int draw = random.nextInt(7);
        Double points = c.mandatory() || draw == 0 ? null : draw == 1 ? 0.0 : draw == 2 ? c.maxPoints() : draw == 3 ? random.nextInt(400) / 100.0
            : Math.round(c.maxPoints() * random.nextInt(8)) / 7.0;
        if (u >= 90 && c.id().equals("DH7.2")) points = edge[u - 90];
        vals.add(RowFactory.create(c.id(), points, c.mandatory() ? (Boolean) (draw != 4) : null));
      }
      wide.add(RowFactory.create(key, "QD4725", vals));
    }
    Dataset<Row> areas = spark.createDataFrame(List.of(), InputFolder.AREAS);
    Dataset<Row> factRows = spark.createDataFrame(fact, FACT);
    Dataset<Row> levels = Analytics.unitYearLevels(spark.createDataFrame(unitYears, UNIT_YEARS), factRows, areas, catalog);
    Dataset<Row> wideRows = spark.createDataFrame(wide, StructType.fromDDL("row_key string, set_id string")
        .add("vals", org.apache.spark.sql.types.DataTypes.createArrayType(CellValues.VALUE)));

    List<String> ours = Analytics.criterionGap(wideRows, factRows, levels, catalog).drop("weakness_rank").toJSON().collectAsList();
    List<String> sql = criterionGapOfLongRows(Scoring.criterionScores(Validation.criterionValues(wideRows.withColumn("unit_code", functions.lit("u"))
        .withColumn("school_year", functions.lit("2024-2025")).withColumn("stage", functions.lit("external"))), catalog), factRows, levels)
        .toJSON().collectAsList();
    assertEquals(new java.util.TreeSet<>(sql), new java.util.TreeSet<>(ours));
    assertEquals(sql.size(), ours.size());
    assertEquals((2 * 3 + 1) * 26, ours.size(), "two school levels in three districts and one in 309, the 26 criteria of QĐ 4725 that are not conditions");
    Row dh72 = Analytics.criterionGap(wideRows, factRows, levels, catalog).filter("area_code = '309' AND criterion_id = 'DH7.2'").first();
    assertEquals(List.of(16, 16, 0.4687, 3.2813, 3.7187), List.of(dh72.getAs("units"), dh72.getAs("units_reported"), dh72.getAs("mean_attainment"),
        dh72.getAs("mean_points"), dh72.getAs("gap_to_max")));
  }

  /** The criterion gap as Spark SQL made it from one row per assessment × criterion, before {@link CriterionGapTotals}. */
  private static Dataset<Row> criterionGapOfLongRows(Dataset<Row> criterionScores, Dataset<Row> factAssessment, Dataset<Row> unitYearLevels) {
    Dataset<Row> scores = criterionScores.filter(functions.col("mandatory").unary_$bang())
        .select("row_key", "set_id", "group_id", "criterion_id", "max_points", "points", "reported")
        .join(functions.broadcast(Analytics.officialAreas(factAssessment, unitYearLevels)), "row_key")
        .filter(functions.col("set_id").equalTo(functions.col("indicator_set")));
    org.apache.spark.sql.Column reported = functions.col("reported"), points = functions.col("points"), max = functions.col("max_points");
    return scores.groupBy("school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level", "indicator_set", "group_id",
            "criterion_id", "max_points")
        .agg(functions.count(functions.lit(1)).cast("int").as("units"), functions.sum(functions.when(reported, 1).otherwise(0)).cast("int").as("units_reported"),
            Exact.avg(functions.when(reported, points.divide(max)), 4).as("mean_attainment"), Exact.avg(functions.when(reported, points), 4).as("mean_points"),
            Exact.avg(functions.when(reported.and(points.geq(max)), 1.0).otherwise(0.0), 4).as("share_full"),
            Exact.avg(functions.when(reported.and(points.equalTo(0)), 1.0).otherwise(0.0), 4).as("share_zero"),
            Exact.avg(functions.when(reported, 0.0).otherwise(1.0), 4).as("share_not_reported"))
        .withColumn("gap_to_max", functions.round(max.minus(functions.col("mean_points")), 4));
  }

  static Row level(String unit, String year, String district, Integer level, Double points) {
    return RowFactory.create(unit, year, "TH", "cong_lap", "31", "district", district, district, "QD4725", "overall", level, points, "external");
  }

  @Test
  void trendsCompareAllUnitsAndTheSameUnitsAndTransitionsCountEveryPair() {
    SparkSession spark = TestSupport.spark();
    StructType schema = StructType.fromDDL("unit_code string, school_year string, school_level string, ownership string, province_code string, "
        + "area_type string, area_code string, former_district_code string, indicator_set string, scope string, level int, points double, stage string");
    // 2023-2024: A Mức 1 (40), B Mức 2 (60). 2024-2025: A Mức 2 (70), B not assessed, N (new) Mức 1 (20), C Mức 3 (90; not registered before)
    Dataset<Row> levels = spark.createDataFrame(List.of(
        level("A", "2023-2024", "303", 1, 40.0), level("B", "2023-2024", "303", 2, 60.0),
        level("A", "2024-2025", "303", 2, 70.0), level("B", "2024-2025", "303", null, null), level("N", "2024-2025", "303", 1, 20.0),
        level("C", "2024-2025", "304", 3, 90.0)), schema);
    Dataset<Row> previous = Analytics.previousYears(spark, List.of("2024-2025", "2023-2024"));

    Map<String, String> trend = new TreeMap<>();
    for (Row r : Analytics.levelTrend(levels, previous).collectAsList())
      trend.put(r.<String>getAs("school_year") + " " + r.<String>getAs("grouping") + " " + r.<String>getAs("group_code"),
          List.<Object>of(r.getAs("assessed"), r.getAs("mean_points"), r.getAs("share_level_2_plus"), String.valueOf(r.<Object>getAs("prev_assessed")),
              String.valueOf(r.<Object>getAs("change_mean_points")), String.valueOf(r.<Object>getAs("same_units")),
              String.valueOf(r.<Object>getAs("same_change_mean_points")), String.valueOf(r.<Object>getAs("same_change_share_level_2_plus"))).toString());
    // assessed / mean / share 2+ / prev assessed / change mean / same units / same change mean / same change share 2+
    assertEquals(Map.of(
        "2024-2025 province 31", "[3, 60.0, 0.6667, 2, 10.0, 1, 30.0, 1.0]",    // (70+20+90)/3 vs (40+60)/2; only A in both years: 40 -> 70
        "2024-2025 former_district 303", "[2, 45.0, 0.5, 2, -5.0, 1, 30.0, 1.0]", // (70+20)/2 vs 50: the newcomer drags the mean, A still rose
        "2024-2025 former_district 304", "[1, 90.0, 1.0, null, null, null, null, null]",
        "2023-2024 province 31", "[2, 50.0, 0.5, null, null, null, null, null]",
        "2023-2024 former_district 303", "[2, 50.0, 0.5, null, null, null, null, null]"), trend);

    Map<String, Integer> transition = new TreeMap<>();
    for (Row r : Analytics.levelTransition(levels, previous).filter("grouping = 'province'").collectAsList())
      transition.put(r.<Integer>getAs("level_from") + "->" + r.<Integer>getAs("level_to"), r.getAs("units"));
    assertEquals(Map.of("1->2", 1, "2->0", 1), transition, "A rose a level, B stopped reporting; N and C have no previous year");
  }

  @Test
  void selfVsExternalFlagsHigherClaimsAndLargeGaps() {
    SparkSession spark = TestSupport.spark();
    StructType factSchema = StructType.fromDDL("unit_code string, school_year string, stage string, group_id string, points double, level int, "
        + "overall_level int");
    Dataset<Row> fact = spark.createDataFrame(List.of(
        RowFactory.create("A", "2024-2025", "self", "DH", 80.0, 3, 2), RowFactory.create("A", "2024-2025", "self", "QT", 60.0, 2, 2),
        RowFactory.create("A", "2024-2025", "external", "DH", 68.0, 2, 2), RowFactory.create("A", "2024-2025", "external", "QT", 60.0, 2, 2),
        RowFactory.create("B", "2024-2025", "self", "DH", 50.0, 2, 2), RowFactory.create("B", "2024-2025", "self", "QT", 50.0, 2, 2),
        RowFactory.create("C", "2024-2025", "self", "DH", 90.0, 3, 3), RowFactory.create("C", "2024-2025", "self", "QT", 90.0, 3, 3)), factSchema);
    StructType levelSchema = StructType.fromDDL("unit_code string, school_year string, school_level string, province_code string, area_type string, "
        + "area_code string, former_district_code string, indicator_set string, scope string");
    Dataset<Row> levels = spark.createDataFrame(List.of(RowFactory.create("A", "2024-2025", "TH", "31", "district", "303", "303", "QD4725", "overall"),
        RowFactory.create("B", "2024-2025", "TH", "31", "district", "303", "303", "QD4725", "overall")), levelSchema);
    Map<String, String> rows = new TreeMap<>();
    for (Row r : Analytics.selfVsExternal(fact, levels, 10).collectAsList())
      rows.put(r.<String>getAs("unit_code") + " " + r.<String>getAs("scope"), List.<Object>of(r.getAs("self_points"), r.getAs("external_points"),
          r.getAs("points_diff"), r.getAs("claims_higher_level"), r.getAs("exceeds_gap")).toString());
    // only A has both stages; DH: 80 vs 68 is 12 points (> 10) and Mức 3 vs Mức 2; overall: 140 vs 128, both Mức 2
    assertEquals(Map.of("A DH", "[80.0, 68.0, 12.0, true, true]", "A QT", "[60.0, 60.0, 0.0, false, false]",
        "A overall", "[140.0, 128.0, 12.0, false, true]"), rows);
  }

  @Test
  void coverageCountsSubmissionsDeadlinesAndWhoIsMissing() {
    SparkSession spark = TestSupport.spark();
    StructType levelSchema = StructType.fromDDL("unit_code string, school_year string, school_level string, province_code string, area_type string, "
        + "area_code string, former_district_code string, indicator_set string, scope string");
    Dataset<Row> registered = spark.createDataFrame(List.of("A", "B", "C", "D", "E").stream()
        .map(u -> RowFactory.create(u, "2024-2025", "TH", "31", "district", "303", "303", "QD4725", "overall")).toList(), levelSchema);
    StructType aSchema = StructType.fromDDL("unit_code string, school_year string, province_code string, stage string, status string, "
        + "disposition string, submitted_on date, is_official boolean");
    Dataset<Row> assessments = spark.createDataFrame(List.of(
        RowFactory.create("A", "2024-2025", "31", "self", "approved", "accepted", java.sql.Date.valueOf("2025-01-20"), false),
        RowFactory.create("A", "2024-2025", "31", "external", "approved", "accepted", java.sql.Date.valueOf("2025-03-01"), true),
        RowFactory.create("B", "2024-2025", "31", "self", "submitted", "accepted", java.sql.Date.valueOf("2025-02-10"), true),
        RowFactory.create("C", "2024-2025", "31", "self", "draft", "accepted", java.sql.Date.valueOf("2025-01-05"), false),
        RowFactory.create("D", "2024-2025", "31", "self", "submitted", "rejected", java.sql.Date.valueOf("2025-01-05"), false)), aSchema);
    Dataset<Row> deadlines = spark.createDataFrame(List.of(RowFactory.create("2024-2025", "31", "self", java.sql.Date.valueOf("2025-01-31"))),
        StructType.fromDDL("school_year string, province_code string, stage string, deadline date"));
    Dataset<Row> units = Analytics.unitCoverage(registered, assessments, deadlines);
    Map<String, String> missing = new TreeMap<>();
    units.filter("NOT self_submitted").collectAsList().forEach(r -> missing.put(r.getAs("unit_code"), r.getAs("missing_reason")));
    assertEquals(Map.of("C", "draft_or_returned_only", "D", "rejected_only", "E", "no_self_assessment"), missing);
    Row c = Analytics.coverage(units).first();
    // 5 registered; A and B submitted, only A by 31/01; A externally assessed and approved
    assertEquals(List.of(5, 2, 1, 1, 1, 0.4, 0.2, 0.2, 0.2), List.of(c.getAs("registered"), c.getAs("self_submitted"), c.getAs("self_on_time"),
        c.getAs("externally_assessed"), c.getAs("approved"), c.getAs("share_self_submitted"), c.getAs("share_self_on_time"),
        c.getAs("share_externally_assessed"), c.getAs("share_approved")));
  }

  @Test
  void fundingPriorityCountsUnitsThatWouldRiseALevel() {
    SparkSession spark = TestSupport.spark();
    CatalogFrames catalog = new CatalogFrames(spark, Catalogs.load(TestSupport.catalogs()));
    StructType factSchema = StructType.fromDDL("row_key string, unit_code string, school_year string, set_id string, group_id string, points double, "
        + "level int, mandatory_failed int, overall_level int, is_official boolean");
    // A: DH 48 (Mức 1), QT 80 (Mức 3), overall 1. B: DH 48 but DH1 failed, so capped at Mức 1 whatever its points.
    Dataset<Row> fact = spark.createDataFrame(List.of(
        RowFactory.create("a", "A", "2024-2025", "QD4725", "DH", 48.0, 1, 0, 1, true), RowFactory.create("a", "A", "2024-2025", "QD4725", "QT", 80.0, 3, 0, 1, true),
        RowFactory.create("b", "B", "2024-2025", "QD4725", "DH", 48.0, 1, 1, 1, true), RowFactory.create("b", "B", "2024-2025", "QD4725", "QT", 80.0, 3, 0, 1, true)),
        factSchema);
    // each assessment's criteria in one row (here only some: those not given are not counted); max points from the catalog
    Dataset<Row> scores = NextLevelTest.valueRows(spark.createDataFrame(List.of(
        RowFactory.create("a", "DH4", 6.0, null), RowFactory.create("a", "DH5.1", 14.5, null), RowFactory.create("a", "QT5", 10.0, null),
        RowFactory.create("b", "DH4", 6.0, null), RowFactory.create("b", "DH5.1", 14.5, null)),
        StructType.fromDDL("row_key string, criterion_id string, points double, passed boolean")));
    StructType levelSchema = StructType.fromDDL("unit_code string, school_year string, school_level string, province_code string, area_type string, "
        + "area_code string, former_district_code string, indicator_set string, scope string");
    Dataset<Row> levels = spark.createDataFrame(List.of(RowFactory.create("A", "2024-2025", "TH", "31", "district", "303", "303", "QD4725", "overall"),
        RowFactory.create("B", "2024-2025", "TH", "31", "district", "303", "303", "QD4725", "overall")), levelSchema);
    Map<String, String> rows = new TreeMap<>();
    for (Row r : Analytics.fundingPriority(scores, fact, levels, catalog).collectAsList())
      rows.put(r.getAs("criterion_id"), List.<Object>of(r.getAs("units"), r.getAs("units_below_full"), r.getAs("mean_points_missing"),
          r.getAs("units_rising_group_level"), r.getAs("units_rising_overall_level")).toString());
    // DH4 full: A's DH 48 -> 52 (Mức 2), overall min(2, 3) = 2; B stays capped. DH5.1 full: 48.5, still Mức 1. QT5 is full already.
    assertEquals(Map.of("DH4", "[2, 2, 4.0, 1, 1]", "DH5.1", "[2, 2, 0.5, 0, 0]", "QT5", "[1, 0, 0.0, 0, 0]"), rows);
  }
}
