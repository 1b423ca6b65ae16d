package vn.cds.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;
import vn.cds.catalog.Catalogs;

/** Risk factors and the draw of the inspection sample, on units whose histories were written to trigger one factor each. */
class InspectionTest {
  static final StructType GROUPS = StructType.fromDDL("row_key string, unit_code string, school_year string, stage string, status string, "
      + "set_id string, group_id string, points double, level int, overall_level int, total_points double, is_official boolean, "
      + "submitted_on date, source_file string, row_number int");
  static final StructType POPULATION = StructType.fromDDL("unit_code string, school_year string, province_code string, area_type string, "
      + "area_code string, former_district_code string, school_level string, indicator_set string, managing_unit_code string");
  static final String Y = "2025-2026", Y1 = "2024-2025", Y2 = "2023-2024";
  static final Inspection.Rules RULES = new Inspection.Rules(0.3, 7, 10, 20, 3, 3, 2, 2, 1);

  static int level(double p) {
    return p < 50 ? 1 : p <= 75 ? 2 : 3;
  }

  /** A form's two QĐ 4725 groups, levelled by the 4725 bands. */
  static void form(List<Row> out, String unit, String year, String stage, boolean official, double dh, double qt) {
    String key = unit + "/" + year + "/" + stage;
    int overall = Math.min(level(dh), level(qt));
    Date on = Date.valueOf(year.substring(5) + "-01-15");
    out.add(RowFactory.create(key, unit, year, stage, "approved", "QD4725", "DH", dh, level(dh), overall, dh + qt, official, on, "f.csv", 2));
    out.add(RowFactory.create(key, unit, year, stage, "approved", "QD4725", "QT", qt, level(qt), overall, dh + qt, official, on, "f.csv", 2));
  }

  static Row unit(String code, String level, String body) {
    return RowFactory.create(code, Y, "31", "commune", "11003", "303", level, "QD4725", body);
  }

  @Test
  void riskFactorsAndTheDrawByHand() {
    SparkSession spark = TestSupport.spark();
    CatalogFrames catalog = new CatalogFrames(spark, Catalogs.load(TestSupport.catalogs()));
    List<Row> g = new ArrayList<>();
    // U1: in 2023-2024 its self-assessment (150) exceeded the external one (130) by 20 > 10 points
    form(g, "U1", Y2, "self", false, 75, 75); form(g, "U1", Y2, "external", true, 65, 65);
    form(g, "U1", Y1, "external", true, 70, 65); form(g, "U1", Y, "self", false, 70, 70);
    // U2: official 100 last year, self-assessed 130 now: +30 >= 20
    form(g, "U2", Y1, "external", true, 50, 50); form(g, "U2", Y, "self", false, 65, 65);
    // U3: claims Mức 2 with DH at 51, within 3 points of 50
    form(g, "U3", Y1, "external", true, 55, 55); form(g, "U3", Y, "self", false, 51, 60);
    // U4: only ever self-assessed
    form(g, "U4", Y1, "self", true, 57, 58); form(g, "U4", Y, "self", false, 60, 60);
    // U5, U6 (THCS): nothing to see
    form(g, "U5", Y1, "external", true, 58, 60); form(g, "U5", Y, "self", false, 60, 60);
    form(g, "U6", Y1, "external", true, 58, 60); form(g, "U6", Y, "self", false, 60, 60);
    // V1 has no self-assessment this year and is not in the population; V2 is the only one under P2
    form(g, "V1", Y1, "external", true, 60, 60); form(g, "V2", Y, "self", false, 60, 60); form(g, "V2", Y1, "external", true, 60, 60);
    Dataset<Row> groups = spark.createDataFrame(g, GROUPS);
    Dataset<Row> population = spark.createDataFrame(List.of(unit("U1", "TH", "P1"), unit("U2", "TH", "P1"), unit("U3", "TH", "P1"),
        unit("U4", "TH", "P1"), unit("U5", "THCS", "P1"), unit("U6", "THCS", "P1"), unit("V1", "TH", "P2"), unit("V2", "TH", "P2")), POPULATION);
    Dataset<Row> noPastSamples = spark.createDataFrame(List.of(), StructType.fromDDL("unit_code string, school_year string"));

    Dataset<Row> risk = Inspection.riskFactors(groups, population, noPastSamples, Y, Y1, catalog, RULES).cache();
    Map<String, String> factors = new TreeMap<>();
    for (Row r : risk.collectAsList())
      factors.put(r.getAs("unit_code"), r.getAs("risk_score") + " " + r.getAs("reason_codes"));
    assertEquals(Map.of("U1", "3 past_gap", "U2", "2 large_jump", "U3", "2 near_threshold", "U4", "1 never_inspected", "U5", "0 ",
        "U6", "0 ", "V2", "0 "), factors);
    assertEquals("sát ngưỡng Mức 2 (nhóm DH: 51.00 điểm, ngưỡng 50)", risk.filter("unit_code = 'U3'").first().getAs("reason"));
    assertEquals("tăng mạnh so với năm trước: 100.00 → 130.00 điểm, Mức 2 → Mức 2",
        risk.filter("unit_code = 'U2'").first().getAs("reason"));

    // P1 has 6 units: quota ceil(0.3 × 6) = 2. TH (4 units) and THCS (2) interleave by relative position: U1, the riskiest
    // TH unit, sits at 1/8 of its stratum; the first THCS unit at 1/4 comes next; U2 and U3 (3/8) would follow.
    List<Row> sample = Inspection.draw(risk, RULES, "command").orderBy("managing_unit_code", "pick_rank").collectAsList();
    List<String> picks = sample.stream().map(r -> r.getAs("managing_unit_code") + " " + r.getAs("pick_rank") + " " + r.getAs("unit_code")
        .toString().charAt(0) + " quota " + r.getAs("managing_quota")).toList();
    assertEquals(List.of("P1 1 U quota 2", "P1 2 U quota 2", "P2 1 V quota 1"), picks);
    assertEquals("U1", sample.get(0).getAs("unit_code"));
    assertTrue(List.of("U5", "U6").contains(sample.get(1).<String>getAs("unit_code")), "the second pick represents THCS: " + sample.get(1));
    assertEquals("chọn ngẫu nhiên để đại diện cho khu vực và cấp học", sample.get(1).getAs("reason"));
    assertEquals(sample, Inspection.draw(risk, RULES, "command").orderBy("managing_unit_code", "pick_rank").collectAsList(), "same seed, same sample");

    // 10 × 0.3 is 3.0000000000000004 in floating point: still 3 units, not 4
    List<Row> ten = new ArrayList<>();
    for (int i = 0; i < 10; i++) ten.add(RowFactory.create("T" + i, Y, "31", "commune", "11003", "303", "TH", "QD4725", "P3", 0, ""));
    Dataset<Row> tenRisk = spark.createDataFrame(ten, POPULATION.add("risk_score", "int").add("reason_codes", "string"));
    assertEquals(3, Inspection.draw(tenRisk, RULES, "command").count());
  }
}
