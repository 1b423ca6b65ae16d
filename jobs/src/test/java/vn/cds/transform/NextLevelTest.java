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

/** The plan to the next level, on units whose plans were worked out by hand from the QĐ 4725 and 3806 bands. */
class NextLevelTest {
  static final StructType FACT = StructType.fromDDL("row_key string, unit_code string, school_year string, set_id string, group_id string, "
      + "group_order int, points double, level int, overall_level int, total_points double, mandatory_failed int, is_official boolean");
  static final StructType SCORES = StructType.fromDDL("row_key string, group_id string, criterion_id string, max_points double, "
      + "mandatory boolean, points double, passed boolean, reported boolean, derived_metric string");
  static final StructType UNIT_YEARS = StructType.fromDDL("unit_code string, school_year string, scope string, province_code string, "
      + "area_type string, area_code string, former_district_code string, school_level string");
  static final String Y = "2025-2026";

  static Row group(String key, String unit, String set, String group, int order, double points, int level, int overall, double total,
      int mandatoryFailed, boolean official) {
    return RowFactory.create(key, unit, Y, set, group, order, points, level, overall, total, mandatoryFailed, official);
  }

  static Row crit(String key, String group, String id, double max, Double points) {
    return RowFactory.create(key, group, id, max, false, points, null, points != null, null);
  }

  static Row condition(String key, String group, String id, boolean passed) {
    return RowFactory.create(key, group, id, 0.0, true, null, passed, true, null);
  }

  /** The criterion rows gathered into one row per assessment, as scoring's wide rows hold them ({@code row_key, vals}). */
  static Dataset<Row> valueRows(Dataset<Row> criterionRows) {
    return criterionRows.groupBy("row_key").agg(functions.collect_list(functions.struct("criterion_id", "points", "passed")).as("vals"));
  }

  @Test
  void plansWorkedOutByHand() {
    SparkSession spark = TestSupport.spark();
    CatalogFrames catalog = new CatalogFrames(spark, Catalogs.load(TestSupport.catalogs()));
    Dataset<Row> fact = spark.createDataFrame(List.of(
        // A: DH 45 (Mức 1) holds the unit at Mức 1; DH needs 5 points to reach 50 (inclusive)
        group("a", "A", "QD4725", "DH", 0, 45, 1, 1, 105, 0, true), group("a", "A", "QD4725", "QT", 1, 60, 2, 1, 105, 0, true),
        group("a-self", "A", "QD4725", "DH", 0, 20, 1, 1, 40, 0, false), group("a-self", "A", "QD4725", "QT", 1, 20, 1, 1, 40, 0, false),
        // B: Mức 2 → 3 needs more than 75 in both groups: DH 70 needs 5.01 but has only 5 points of headroom
        group("b", "B", "QD4725", "DH", 0, 70, 2, 2, 144, 0, true), group("b", "B", "QD4725", "QT", 1, 74, 2, 2, 144, 0, true),
        // C: DH has the points for Mức 2 but failed DH1, so it is capped at Mức 1: passing DH1 is the whole plan
        group("c", "C", "QD4725", "DH", 0, 60, 1, 1, 115, 1, true), group("c", "C", "QD4725", "QT", 1, 55, 2, 1, 115, 0, true),
        // D: already at Mức 3
        group("d", "D", "QD4725", "DH", 0, 80, 3, 3, 160, 0, true), group("d", "D", "QD4725", "QT", 1, 80, 3, 3, 160, 0, true),
        // P: a Phòng (QĐ 3806, levelled on the total): 40 of 50 for Mức 2; KQ is derived, not its own to raise
        group("p", "P", "QD3806", "LD", 0, 25, 0, 1, 40, 0, true), group("p", "P", "QD3806", "KQ", 1, 15, 0, 1, 40, 0, true)), FACT)
        .withColumn("level", org.apache.spark.sql.functions.expr("nullif(level, 0)"));
    Dataset<Row> scores = spark.createDataFrame(List.of(
        crit("a", "DH", "DH3.1", 6, 0.0), crit("a", "DH", "DH4", 10, 7.0), crit("a", "DH", "DH5.1", 15, 11.0), crit("a", "QT", "QT3.1", 6, 0.0),
        crit("a-self", "DH", "DH3.1", 6, 0.0),
        crit("b", "DH", "DH4", 10, 8.0), crit("b", "DH", "DH6.1", 7, 4.0), crit("b", "DH", "DH5.2", 5, 5.0),
        crit("b", "QT", "QT3.1", 6, null), crit("b", "QT", "QT3.3", 10, 9.0),
        condition("c", "DH", "DH1", false), condition("c", "DH", "DH2", true), crit("c", "DH", "DH4", 10, 5.0), condition("c", "QT", "QT1", false),
        crit("d", "DH", "DH4", 10, 5.0),
        crit("p", "LD", "LD1", 10, 5.0), crit("p", "LD", "LD2", 8, 8.0), crit("p", "LD", "LD3", 8, 2.0),
        RowFactory.create("p", "KQ", "KQ1", 20.0, false, 5.0, null, true, "share_units_at_level")), SCORES);
    Dataset<Row> unitYears = spark.createDataFrame(List.of(
        RowFactory.create("A", Y, "overall", "31", "commune", "11003", "303", "TH"), RowFactory.create("B", Y, "overall", "31", "commune", "11003", "303", "TH"),
        RowFactory.create("C", Y, "overall", "31", "commune", "11003", "303", "THCS"), RowFactory.create("D", Y, "overall", "31", "commune", "11003", "303", "TH"),
        RowFactory.create("P", Y, "overall", "31", "district", "303", "303", "PHONG")), UNIT_YEARS);

    Dataset<Row> plans = NextLevel.plans(fact, valueRows(scores), catalog);
    Dataset<Row> steps = NextLevel.steps(plans);
    Dataset<Row> summary = NextLevel.summary(plans, unitYears);
    Map<String, String> got = new TreeMap<>();
    for (Row r : summary.collectAsList())
      got.put(r.getAs("unit_code"), List.<Object>of(r.getAs("current_level"), r.getAs("target_level"), r.getAs("groups_to_raise"),
          r.getAs("points_needed"), r.getAs("criteria_to_raise"), r.getAs("conditions_to_pass"), r.getAs("reachable"), r.getAs("plan")).toString());
    assertEquals(Map.of(
        "A", "[1, 2, DH, 5.0, 1, 0, true, DH3.1 +5]",
        // DH: 75 - 70 + 0.01 = 5.01, but DH6.1 (+3) and DH4 (+2) hold only 5; QT: 75 - 74 + 0.01 = 1.01 from the unreported QT3.1
        "B", "[2, 3, DH, QT, 6.02, 3, 0, false, DH6.1 +3; DH4 +2; QT3.1 +1.01]",
        // QT1 failed too, but QT is already at Mức 2: only DH must rise, and for DH only the condition stands in the way
        "C", "[1, 2, DH, 0.0, 0, 1, true, DH1 đạt]",
        "P", "[1, 2, TOTAL, 10.0, 2, 0, true, LD3 +6; LD1 +4]"), got);
    assertEquals("THCS 11003 303", summary.filter("unit_code = 'C'").selectExpr("concat_ws(' ', school_level, area_code, former_district_code)")
        .first().getString(0));
    assertEquals(List.of("LD3 raise_points 6.0 6.0", "LD1 raise_points 5.0 4.0"), steps.filter("unit_code = 'P'").orderBy("step_order")
        .selectExpr("concat_ws(' ', criterion_id, step_kind, max_points - points, points_to_add)").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList());
  }
}
