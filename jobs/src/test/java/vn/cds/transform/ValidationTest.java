package vn.cds.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;
import vn.cds.catalog.Catalogs;
import vn.cds.ingest.ExportReader;
import vn.cds.ingest.IngestSchemas;
import vn.cds.pipeline.InputFolder;

class ValidationTest {

  @Test
  void everyRowIsAcceptedRejectedOrSupersededWithItsReason() {
    SparkSession spark = TestSupport.spark();
    String csv = String.join("\n",
        "Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,Ngày nộp,DH1,DH4,ND2,QT3.3",
        "T1,Trường T1,2024-2025,Tự đánh giá,10/01/2025,Đạt,7.5,,8",       // 2 superseded by row 3 (later date)
        "T1,Trường T1,2024-2025,Tự đánh giá,12/01/2025,Đạt,8,,8",         // 3 accepted; set chosen from school level TH
        "ZZ,Không rõ,2024-2025,Tự đánh giá,12/01/2025,Đạt,8,,8",          // 4 unknown unit
        "OLD,Trường cũ,2024-2025,Tự đánh giá,12/01/2025,Đạt,8,,8",        // 5 closed after 2023-2024
        "T2,Trường T2,2024-2025,Tự đánh giá,12/01/2025,Đạt,11,,8",        // 6 DH4 above its max 10
        "T2,Trường T2,2024-2025,Đánh giá ngoài,12/03/2025,Đạt,9,5,8",     // 7 ND2 is a preschool criterion
        "M1,Mầm non M1,2023-2024,Tự đánh giá,12/01/2024,,,5,",            // 8 no preschool set before 2024-2025
        "M1,Mầm non M1,2024-2025,Tự đánh giá,12/01/2025,,,5,8",           // 9 accepted under QD3267 (QT3.3 is its criterion too)
        "T3,Trường T3,2024-2025,Tự đánh giá,xx,Chưa đạt,2,,1") + "\n";    // 10 bad date: flagged, accepted
    Row file = IngestSchemas.toRow(ExportReader.parse(csv.getBytes(StandardCharsets.UTF_8), "exports/t.csv"));
    Dataset<Row> raw = spark.createDataFrame(List.of(file), IngestSchemas.PARSED_FILE).select(functions.explode(functions.col("rows")).as("r"))
        .select("r.*");
    Dataset<Row> registry = spark.createDataFrame(List.of(
        unit("T1", "TH"), unit("T2", "THCS"), unit("T3", "THPT"), unit("M1", "MN"),
        RowFactory.create("OLD", "Trường cũ", "TH", "cong_lap", "31", "303", null, "P", "2022-2023", "2023-2024")), InputFolder.UNITS);
    Validation.Result result = Validation.validate(raw, registry, new CatalogFrames(spark, Catalogs.load(TestSupport.catalogs())));

    Map<Integer, String> dispositions = new TreeMap<>();
    result.assessments().select("row_number", "disposition", "set_id").collectAsList()
        .forEach(r -> dispositions.put(r.getInt(0), r.getString(1) + (r.isNullAt(2) ? "" : " " + r.getString(2))));
    assertEquals(Map.of(2, "superseded QD4725", 3, "accepted QD4725", 4, "rejected", 5, "rejected", 6, "rejected QD4725",
        7, "rejected QD4725", 8, "rejected", 9, "accepted QD3267", 10, "accepted QD4725"), dispositions);

    Map<Integer, String> reasons = new TreeMap<>();
    result.issues().orderBy("row_number", "reason_code").select("row_number", "reason_code", "column_ref", "severity").collectAsList()
        .forEach(r -> reasons.merge(r.getInt(0), r.getString(1) + "@" + r.getString(2) + "/" + r.getString(3), (a, b) -> a + "," + b));
    assertEquals(Map.of(2, "DUPLICATE_SUPERSEDED@null/superseded", 4, "UNIT_UNKNOWN@A/rejected", 5, "UNIT_NOT_VALID_IN_YEAR@A/rejected",
        6, "VALUE_OUT_OF_RANGE@G/rejected", 7, "CRITERION_NOT_IN_SET@H/rejected", 8, "INDICATOR_SET_NOT_APPLICABLE@null/rejected",
        10, "DATE_INVALID@E/flagged"), reasons);

    Map<String, Object> values = new TreeMap<>();
    result.criterionValues().filter("points IS NOT NULL OR passed IS NOT NULL").join(result.assessments().select("row_key", "row_number"), "row_key").collectAsList()
        .forEach(r -> values.put(r.getAs("row_number") + ":" + r.getAs("criterion_id"), r.getAs("points") != null ? r.getAs("points") : r.getAs("passed")));
    assertEquals(Map.of("3:DH1", true, "3:DH4", 8.0, "3:QT3.3", 8.0, "9:ND2", 5.0, "9:QT3.3", 8.0, "10:DH1", false, "10:DH4", 2.0, "10:QT3.3", 1.0), values);
  }

  @Test
  void aCriterionGivenTwiceInOneRowRejectsTheRowAndOnceIsFine() {
    SparkSession spark = TestSupport.spark();
    String csv = String.join("\n",
        "Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,Ngày nộp,DH4,DH4 (nhập lại),QT3.3",
        "T1,Trường T1,2024-2025,Tự đánh giá,10/01/2025,7,8,8",  // 2 two values for DH4: which one counts is unknowable
        "T2,Trường T2,2024-2025,Tự đánh giá,10/01/2025,,6,8",   // 3 one value, in the second column: accepted
        "T3,Trường T3,2024-2025,Tự đánh giá,10/01/2025,5,,8") + "\n"; // 4 one value, in the first column: accepted
    Row file = IngestSchemas.toRow(ExportReader.parse(csv.getBytes(StandardCharsets.UTF_8), "exports/r.csv"));
    Dataset<Row> raw = spark.createDataFrame(List.of(file), IngestSchemas.PARSED_FILE).select(functions.explode(functions.col("rows")).as("r"))
        .select("r.*");
    Dataset<Row> registry = spark.createDataFrame(List.of(unit("T1", "TH"), unit("T2", "TH"), unit("T3", "TH")), InputFolder.UNITS);
    Validation.Result result = Validation.validate(raw, registry, new CatalogFrames(spark, Catalogs.load(TestSupport.catalogs())));

    Map<Integer, String> dispositions = new TreeMap<>();
    result.assessments().select("row_number", "disposition").collectAsList().forEach(r -> dispositions.put(r.getInt(0), r.getString(1)));
    assertEquals(Map.of(2, "rejected", 3, "accepted", 4, "accepted"), dispositions);
    List<Row> issues = result.issues().select("row_number", "reason_code", "column_ref", "raw_value", "message").collectAsList();
    assertEquals(1, issues.size());
    assertEquals(List.of(2, "CRITERION_REPEATED", "G", "8"), List.of(issues.get(0).get(0), issues.get(0).get(1), issues.get(0).get(2), issues.get(0).get(3)));
    assertEquals("Tiêu chí được nhập nhiều lần trong cùng một phiếu: DH4 = \"8\" (cột G), đã có \"7\" (cột F) "
        + "(criterion given more than once in the same row)", issues.get(0).getString(4));
    Map<String, Object> values = new TreeMap<>();
    result.criterionValues().filter("criterion_id = 'DH4'").join(result.assessments().select("row_key", "row_number"), "row_key").collectAsList()
        .forEach(r -> values.put(r.getAs("row_number") + ":" + r.getAs("criterion_id"), r.getAs("points")));
    assertEquals(Map.of("3:DH4", 6.0, "4:DH4", 5.0), values);
  }

  private static Row unit(String code, String level) {
    return RowFactory.create(code, "Trường " + code, level, "cong_lap", "31", "303", null, "P", "2022-2023", null);
  }
}
