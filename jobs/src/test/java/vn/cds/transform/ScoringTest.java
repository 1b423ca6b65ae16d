package vn.cds.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;
import vn.cds.catalog.IndicatorSet.Criterion;

class ScoringTest {
  private static SparkSession spark;
  private static Catalogs catalogs;
  private static CatalogFrames catalog;

  private static final StructType ASSESSMENT = StructType.fromDDL("row_key string, unit_code string, school_year string, stage string, "
      + "set_id string, disposition string, status string, submitted_on date, source_file string, row_number int, managing_unit_code string, "
      + "province_code string");
  private static final StructType ROW_CELLS = new StructType().add("row_key", "string").add("set_id", "string")
      .add("cells", org.apache.spark.sql.types.DataTypes.createArrayType(vn.cds.ingest.IngestSchemas.CELL, false));

  @BeforeAll
  static void setUp() {
    spark = TestSupport.spark();
    catalogs = Catalogs.load(TestSupport.catalogs());
    catalog = new CatalogFrames(spark, catalogs);
  }

  private static Row assessment(String key, String unit, String set) {
    return RowFactory.create(key, unit, "2024-2025", "self", set, "accepted", "approved", Date.valueOf("2025-01-10"), "f.csv", 2, "P", "31");
  }

  /** Values for one group that add up to {@code total}, filling criteria in catalog order; mandatory ones pass. */
  private static List<Row> fill(String key, String setId, String groupId, double total) {
    List<Row> rows = new ArrayList<>();
    double left = total;
    for (Criterion c : catalogs.byId(setId).orElseThrow().groups().stream().filter(g -> g.id().equals(groupId)).findFirst().orElseThrow().criteria()) {
      if (c.mandatory()) rows.add(RowFactory.create(key, c.id(), null, true));
      else if (!c.derived()) {
        double p = Math.min(left, c.maxPoints());
        rows.add(RowFactory.create(key, c.id(), Math.round(p * 10000) / 10000.0, null));
        left -= p;
      }
    }
    return rows;
  }

  /**
   * Criterion scores the way a run makes them: values of read criteria as export cells ("Đạt"/"Chưa đạt" or the points
   * as written) through {@link Validation#criterionValues}, and values of derived criteria through {@link Scoring#withDerived}.
   * {@code values}: (row_key, criterion_id, points, passed).
   */
  private static Dataset<Row> criterionScores(List<Row> assessments, List<Row> values) {
    java.util.Set<String> derivedIds = new java.util.HashSet<>();
    catalogs.sets().forEach(set -> set.criteria().stream().filter(c -> c.derivedMetric() != null).forEach(c -> derivedIds.add(c.id())));
    Map<String, List<Row>> cellsByKey = new java.util.LinkedHashMap<>();
    List<Row> derived = new ArrayList<>();
    for (Row v : values) {
      if (derivedIds.contains(v.getString(1))) {
        derived.add(RowFactory.create(v.getString(0), v.getString(1), v.get(2)));
        continue;
      }
      String raw = !v.isNullAt(2) ? String.valueOf(v.getDouble(2)) : v.isNullAt(3) ? null : v.getBoolean(3) ? "Đạt" : "Chưa đạt";
      cellsByKey.computeIfAbsent(v.getString(0), k -> new ArrayList<>()).add(RowFactory.create(null, v.getString(1), v.getString(1), raw));
    }
    Dataset<Row> scores = Scoring.criterionScores(
        Validation.criterionValues(cellsRead(assessments, cellsByKey), spark.createDataFrame(assessments, ASSESSMENT)), catalog);
    return Scoring.withDerived(scores, spark.createDataFrame(derived, StructType.fromDDL("row_key string, criterion_id string, points double")));
  }

  /** Each assessment's cells read against its set, as a run's resolve step leaves them ({@link Validation#readCells}). */
  private static Dataset<Row> cellsRead(List<Row> assessments, Map<String, List<Row>> cellsByKey) {
    Map<String, String> setOf = new HashMap<>();
    assessments.forEach(a -> setOf.put(a.getString(0), a.getString(4)));
    List<Row> rows = new ArrayList<>();
    cellsByKey.forEach((key, cells) -> rows.add(RowFactory.create(key, setOf.get(key), scala.jdk.javaapi.CollectionConverters.asScala(cells).toSeq())));
    return Validation.readCells(spark.createDataFrame(rows, ROW_CELLS), catalog);
  }

  /** (row_key, group_id) -> [points, level, overall_level, criteria_reported, criteria_not_reported, mandatory_failed, mandatory_not_reported] */
  private static Map<String, List<Object>> score(List<Row> assessments, List<Row> values) {
    return byGroup(Scoring.groupResults(criterionScores(assessments, values), catalog));
  }

  /** Group results by "row_key/group_id", as {@link #score} returns them. */
  private static Map<String, List<Object>> byGroup(Dataset<Row> groupResults) {
    Map<String, List<Object>> out = new HashMap<>();
    for (Row r : groupResults
        .select("row_key", "group_id", "points", "level", "overall_level", "criteria_reported", "criteria_not_reported", "mandatory_failed",
            "mandatory_not_reported").collectAsList())
      out.put(r.getString(0) + "/" + r.getString(1), java.util.Arrays.asList(r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7), r.get(8)));
    return out;
  }

  @Test
  void groupLevelsAtTheBoundariesAndTheOverallLevel() {
    double[][] cases = {{49.99, 80}, {50, 80}, {75, 80}, {75.01, 80}, {100, 100}, {75.5, 40}};
    List<Row> assessments = new ArrayList<>();
    List<Row> values = new ArrayList<>();
    for (int i = 0; i < cases.length; i++) {
      assessments.add(assessment("k" + i, "U" + i, "QD4725"));
      values.addAll(fill("k" + i, "QD4725", "DH", cases[i][0]));
      values.addAll(fill("k" + i, "QD4725", "QT", cases[i][1]));
    }
    Map<String, List<Object>> s = score(assessments, values);
    int[][] expected = {{1, 3, 1}, {2, 3, 2}, {2, 3, 2}, {3, 3, 3}, {3, 3, 3}, {3, 1, 1}}; // DH level, QT level, overall (lower of the two)
    for (int i = 0; i < cases.length; i++) {
      assertEquals(cases[i][0], s.get("k" + i + "/DH").get(0), "DH points of case " + i);
      assertEquals(expected[i][0], s.get("k" + i + "/DH").get(1), "DH level at " + cases[i][0]);
      assertEquals(expected[i][1], s.get("k" + i + "/QT").get(1), "QT level at " + cases[i][1]);
      assertEquals(expected[i][2], s.get("k" + i + "/DH").get(2), "overall level of case " + i);
      assertEquals(expected[i][2], s.get("k" + i + "/QT").get(2), "overall level is on every group row");
    }
  }

  @Test
  void failedMandatoryConditionCapsTheGroupAtLevel1() {
    List<Row> values = new ArrayList<>(fill("m", "QD4725", "DH", 90));
    values.replaceAll(r -> r.getString(1).equals("DH1") ? RowFactory.create("m", "DH1", null, false) : r);
    values.addAll(fill("m", "QD4725", "QT", 90));
    Map<String, List<Object>> s = score(List.of(assessment("m", "U", "QD4725")), values);
    assertEquals(List.of(90.0, 1, 1, 16, 0, 1, 0), s.get("m/DH"), "90 points but DH1 failed: Mức 1");
    assertEquals(List.of(90.0, 3, 1, 14, 0, 0, 0), s.get("m/QT"), "QT has 14 criteria");
  }

  @Test
  void notReportedAddsNothingAndIsCountedApartFromZero() {
    List<Row> zero = new ArrayList<>(fill("zero", "QD4725", "DH", 60));
    zero.replaceAll(r -> r.getString(1).equals("DH7.3") ? RowFactory.create("zero", "DH7.3", 0.0, null) : r);
    List<Row> blank = new ArrayList<>(fill("blank", "QD4725", "DH", 60));
    blank.removeIf(r -> r.getString(1).equals("DH7.3") || r.getString(1).equals("DH2"));
    List<Row> values = new ArrayList<>(zero);
    values.addAll(blank);
    Map<String, List<Object>> s = score(List.of(assessment("zero", "U1", "QD4725"), assessment("blank", "U2", "QD4725")), values);
    assertEquals(List.of(60.0, 2, 1, 16, 0, 0, 0), s.get("zero/DH"), "QT entirely blank: 0 points, Mức 1 overall");
    assertEquals(List.of(60.0, 2, 1, 14, 2, 0, 1), s.get("blank/DH"), "same points, two criteria not reported, one of them mandatory");
    assertEquals(List.of(0.0, 1, 1, 0, 14, 0, 2), s.get("zero/QT"));
  }

  /** The same as {@link #score}, through the wide rows: each assessment's values scored per group without criterion rows. */
  private static Map<String, List<Object>> scoreWide(List<Row> assessments, List<Row> values) {
    Map<String, List<Row>> cellsByKey = new java.util.LinkedHashMap<>();
    for (Row v : values) {
      String raw = !v.isNullAt(2) ? String.valueOf(v.getDouble(2)) : v.isNullAt(3) ? null : v.getBoolean(3) ? "Đạt" : "Chưa đạt";
      cellsByKey.computeIfAbsent(v.getString(0), k -> new ArrayList<>()).add(RowFactory.create(null, v.getString(1), v.getString(1), raw));
    }
    Dataset<Row> valueRows = Validation.valueRows(cellsRead(assessments, cellsByKey), spark.createDataFrame(assessments, ASSESSMENT));
    return byGroup(Scoring.groupResultsOfWideRows(valueRows, catalog));
  }

  @Test
  void theWideRowScoresAsTheCriterionRowsDo() {
    List<Row> failed = new ArrayList<>(fill("m", "QD4725", "DH", 90));
    failed.replaceAll(r -> r.getString(1).equals("DH1") ? RowFactory.create("m", "DH1", null, false) : r);
    failed.addAll(fill("m", "QD4725", "QT", 90));
    List<Row> blank = new ArrayList<>(fill("blank", "QD4725", "DH", 60));
    blank.removeIf(r -> r.getString(1).equals("DH7.3") || r.getString(1).equals("DH2"));
    List<Row> edge = new ArrayList<>(fill("edge", "QD4725", "DH", 49.99));
    edge.addAll(fill("edge", "QD4725", "QT", 75.01));
    List<Row> values = new ArrayList<>(failed);
    values.addAll(blank);
    values.addAll(edge);
    List<Row> assessments = List.of(assessment("m", "U1", "QD4725"), assessment("blank", "U2", "QD4725"), assessment("edge", "U3", "QD4725"));
    Map<String, List<Object>> wide = scoreWide(assessments, values);
    assertEquals(List.of(90.0, 1, 1, 16, 0, 1, 0), wide.get("m/DH"), "90 points but DH1 failed: Mức 1");
    assertEquals(List.of(90.0, 3, 1, 14, 0, 0, 0), wide.get("m/QT"));
    assertEquals(List.of(60.0, 2, 1, 14, 2, 0, 1), wide.get("blank/DH"), "two criteria not reported, one of them mandatory");
    assertEquals(List.of(0.0, 1, 1, 0, 14, 0, 2), wide.get("blank/QT"), "QT entirely blank");
    assertEquals(List.of(49.99, 1, 1, 16, 0, 0, 0), wide.get("edge/DH"));
    assertEquals(6, wide.size(), "one row per assessment and group: " + wide.keySet());
    assertEquals(score(assessments, values), wide, "the long rows' aggregation gives the same");
  }

  @Test
  void authoritySetLevelsTheTotalNotTheGroups() {
    List<Row> values = new ArrayList<>(fill("a", "QD3806", "LD", 40));
    values.addAll(List.of(RowFactory.create("a", "KQ1", 20.0, null), RowFactory.create("a", "KQ2", 10.0, null), RowFactory.create("a", "KQ3", 6.0, null)));
    values.addAll(fill("b", "QD3806", "LD", 40));
    values.add(RowFactory.create("b", "KQ1", 20.0, null));
    values.add(RowFactory.create("b", "KQ2", 15.0, null));
    Map<String, List<Object>> s = score(List.of(assessment("a", "P1", "QD3806"), assessment("b", "P2", "QD3806")), values);
    assertNull(s.get("a/LD").get(1), "no group level when the level rule is on the total");
    assertEquals(3, s.get("a/KQ").get(2), "40 + 36 = 76: Mức 3");
    assertEquals(2, s.get("b/LD").get(2), "40 + 35 = 75: Mức 2");
  }

  @Test
  void officialResultPrefersAnExternalAssessmentThatIsNotADraft() {
    List<Row> rows = List.of(
        RowFactory.create("x-self", "X", "2024-2025", "self", "QD4725", "accepted", "approved", Date.valueOf("2025-01-10"), "a.csv", 2, "P", "31"),
        RowFactory.create("x-ext", "X", "2024-2025", "external", "QD4725", "accepted", "draft", Date.valueOf("2025-03-01"), "b.csv", 2, "P", "31"),
        RowFactory.create("y-self", "Y", "2024-2025", "self", "QD4725", "accepted", "submitted", Date.valueOf("2025-01-10"), "a.csv", 3, "P", "31"),
        RowFactory.create("y-ext", "Y", "2024-2025", "external", "QD4725", "accepted", "approved", Date.valueOf("2025-03-01"), "b.csv", 3, "P", "31"),
        RowFactory.create("z-self", "Z", "2024-2025", "self", "QD4725", "accepted", "returned", Date.valueOf("2025-01-10"), "a.csv", 4, "P", "31"),
        RowFactory.create("w-bad", "W", "2024-2025", "external", "QD4725", "rejected", "approved", Date.valueOf("2025-03-01"), "b.csv", 4, "P", "31"),
        RowFactory.create("w-self", "W", "2024-2025", "self", "QD4725", "accepted", "submitted", Date.valueOf("2025-01-02"), "a.csv", 5, "P", "31"));
    Map<String, Boolean> official = new HashMap<>();
    Scoring.markOfficial(spark.createDataFrame(rows, ASSESSMENT)).select("row_key", "is_official").collectAsList()
        .forEach(r -> official.put(r.getString(0), r.getBoolean(1)));
    assertEquals(Map.of("x-self", true, "x-ext", false, "y-self", false, "y-ext", true, "z-self", false, "w-bad", false, "w-self", true), official);
  }

  @Test
  void derivedCriteriaComeFromTheUnitsAnAuthorityManages() {
    Dataset<Row> scores = criterionScores(List.of(assessment("p", "P", "QD3806")), fill("p", "QD3806", "LD", 30));
    Dataset<Row> official = spark.createDataFrame(List.of(RowFactory.create("P", "2024-2025", 3), RowFactory.create("P", "2024-2025", 2),
        RowFactory.create("P", "2024-2025", 1)), StructType.fromDDL("managing_unit_code string, school_year string, overall_level int"));
    Dataset<Row> unitYears = spark.createDataFrame(List.of(RowFactory.create("A", "P", "2024-2025"), RowFactory.create("B", "P", "2024-2025"),
        RowFactory.create("C", "P", "2024-2025"), RowFactory.create("D", "P", "2024-2025")),
        StructType.fromDDL("unit_code string, managing_unit_code string, school_year string"));
    Dataset<Row> assessments = spark.createDataFrame(List.of(
        RowFactory.create("a", "A", "2024-2025", "self", "QD4725", "accepted", "approved", Date.valueOf("2025-01-31"), "f", 1, "P", "31"),
        RowFactory.create("b", "B", "2024-2025", "self", "QD4725", "accepted", "approved", Date.valueOf("2025-01-05"), "f", 2, "P", "31"),
        RowFactory.create("c", "C", "2024-2025", "self", "QD4725", "accepted", "approved", Date.valueOf("2025-02-01"), "f", 3, "P", "31")), ASSESSMENT);
    Dataset<Row> deadlines = spark.createDataFrame(List.of(RowFactory.create("2024-2025", "31", "self", Date.valueOf("2025-01-31"))),
        StructType.fromDDL("school_year string, province_code string, stage string, deadline date"));
    Map<String, Double> points = new HashMap<>();
    Scoring.derivedPoints(scores, official, unitYears, assessments, deadlines).collectAsList()
        .forEach(r -> points.put(r.getString(1), r.getDouble(2)));
    // 4 registered units: 2 at Mức 2+, 1 at Mức 3, 2 self-assessed by 31/01 (the unit that never reported counts as not)
    assertEquals(Map.of("KQ1", 10.0, "KQ2", 3.75, "KQ3", 7.5), points);
  }
}
