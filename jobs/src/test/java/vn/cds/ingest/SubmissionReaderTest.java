package vn.cds.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;
import vn.cds.catalog.Milestones;
import vn.cds.transform.Submissions;

/** submissions.csv / .xlsx as people write them: Vietnamese headers, a title row, date cells; a missing column rejects every row. */
class SubmissionReaderTest {
  private static byte[] workbook() throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet sh = wb.createSheet("Văn bản đã nhận");
      sh.createRow(0).createCell(0).setCellValue("DANH SÁCH VĂN BẢN ĐÃ NHẬN NĂM HỌC 2024-2025");
      Row h = sh.createRow(1);
      String[] headers = {"Mã đơn vị", "Năm học", "Văn bản", "Ngày gửi", "Số hiệu / Đường link", "Ghi chú"};
      for (int i = 0; i < headers.length; i++) h.createCell(i).setCellValue(headers[i]);
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
      Row r = sh.createRow(2);
      r.createCell(0).setCellValue("T1");
      r.createCell(1).setCellValue("2024 - 2025");
      r.createCell(2).setCellValue("ke_hoach");
      r.createCell(3).setCellValue(java.time.LocalDate.of(2024, 11, 20));
      r.getCell(3).setCellStyle(date);
      r.createCell(4).setCellValue("12/KH-TH1");
      Row r2 = sh.createRow(4); // row 4 (Excel 4) left blank
      r2.createCell(0).setCellValue("T2");
      r2.createCell(1).setCellValue("2024-2025");
      r2.createCell(2).setCellValue("cong_bo");
      r2.createCell(3).setCellValue("21/05/2025");
      r2.createCell(4).setCellValue("https://th2.edu.vn/cds");
      r2.createCell(5).setCellValue("đã đăng");
      wb.write(out);
      return out.toByteArray();
    }
  }

  @Test
  void anXlsxWithATitleRowVietnameseHeadersAndDateCells() throws Exception {
    SubmissionReader.Read read = SubmissionReader.read(workbook(), "submissions.xlsx");
    assertEquals(List.of(), read.fileProblems());
    assertEquals(List.of("submissions.xlsx Văn bản đã nhận 3 T1 2024 - 2025 ke_hoach 20/11/2024 12/KH-TH1 null",
        "submissions.xlsx Văn bản đã nhận 5 T2 2024-2025 cong_bo 21/05/2025 https://th2.edu.vn/cds đã đăng"),
        read.rows().stream().map(r -> java.util.stream.IntStream.range(0, 9).mapToObj(i -> String.valueOf(r.get(i)))
            .collect(java.util.stream.Collectors.joining(" "))).toList());
    assertEquals(java.util.Map.of("unit_code", "A", "school_year", "B", "document", "C", "submitted_on", "D", "reference", "E", "note", "F"),
        scala.jdk.javaapi.CollectionConverters.asJava(read.rows().get(0).<scala.collection.Map<String, String>>getAs(10)), "the cells' columns");
  }

  @Test
  void anEmptyFileIsAFileProblem() {
    SubmissionReader.Read read = SubmissionReader.read(new byte[0], "submissions.csv");
    assertEquals(0, read.rows().size());
    assertEquals("submissions.csv null FILE_EMPTY Tệp rỗng, không có dòng dữ liệu (empty file)", read.fileProblems().get(0).mkString(" "));
  }

  @Test
  void aMissingColumnRejectsEveryRowOfTheFile() {
    byte[] csv = "Mã đơn vị;Năm học;Văn bản;Ngày gửi\nT1;2024-2025;ke_hoach;20/11/2024\nT2;2024-2025;ke_hoach;21/11/2024\n".getBytes(StandardCharsets.UTF_8);
    SubmissionReader.Read read = SubmissionReader.read(csv, "submissions.csv");
    var spark = TestSupport.spark();
    Dataset<org.apache.spark.sql.Row> raw = spark.createDataFrame(read.rows(), SubmissionReader.RAW);
    Dataset<org.apache.spark.sql.Row> units = spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create("T1", "TH", "31", "P1", "2024-2025", null), org.apache.spark.sql.RowFactory.create("T2", "TH", "31", "P1",
            "2024-2025", null)), org.apache.spark.sql.types.StructType.fromDDL("unit_code string, school_level string, province_code string, "
            + "managing_unit_code string, valid_from string, valid_to string"));
    Milestones rules = Milestones.load(TestSupport.repoRoot().resolve("schemas/" + Milestones.FILE));
    Dataset<org.apache.spark.sql.Row> disposed = Submissions.dispositions(Submissions.resolve(raw, units, Submissions.documents(spark, rules, 0.3),
        Submissions.requirements(spark, rules), rules.reformSchoolYear()));
    assertEquals(List.of("2 rejected"), disposed.groupBy("disposition").count().collectAsList().stream().map(r -> r.get(1) + " " + r.get(0)).toList());
    assertEquals(List.of("2 null FILE_MISSING_COLUMN Thiếu cột bắt buộc: reference (required column missing)",
        "3 null FILE_MISSING_COLUMN Thiếu cột bắt buộc: reference (required column missing)"),
        Submissions.issues(disposed).sort("row_number").collectAsList().stream()
            .map(r -> r.getAs("row_number") + " " + r.getAs("column_ref") + " " + r.getAs("reason_code") + " " + r.getAs("message")).toList());
  }
}
