package vn.cds.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import vn.cds.ingest.RawRecords.ParsedFile;
import vn.cds.ingest.RawRecords.RawRow;

class ExportReaderTest {

  private static Map<String, String> cells(RawRow r) {
    return r.cells().stream().filter(c -> c.rawValue() != null).collect(Collectors.toMap(RawRecords.Cell::criterionId, RawRecords.Cell::rawValue));
  }

  @Test
  void csvWithBomSemicolonsDecimalCommasQuotedNewlinesAndNfdHeaders() {
    String header = Normalizer.normalize("MÃ ĐƠN VỊ ; Tên  đơn vị;Năm học;Hình thức đánh giá;Ngày nộp;Trạng thái;DH1 - Kế hoạch;DH4;Tổng điểm DH;Số điện thoại;Cột lạ",
        Normalizer.Form.NFD);
    String csv = "\uFEFF" + header + "\r\n"
        + "U1;\"Trường \"\"A\"\"; cơ sở\n2\";2024 - 2025;Tự đánh giá;05/01/2025;;Đạt;7,5;7,5;0912345678;x\r\n"
        + ";;;;;;;;;;\r\n"
        + "U2;Trường B;2024-2025;Đánh giá ngoài;31/02/2025;Nháp;x;;0;;\r\n";
    ParsedFile f = ExportReader.parse(csv.getBytes(StandardCharsets.UTF_8), "exports/a.csv");
    assertEquals(2, f.summary().rowsRead(), "the blank row is layout, not data");
    assertNull(f.summary().errorCode());
    assertEquals(List.of("J Số điện thoại"), f.summary().droppedColumns().stream().map(s -> Normalizer.normalize(s, Normalizer.Form.NFC)).toList());
    assertEquals(List.of("K Cột lạ"), f.summary().ignoredColumns().stream().map(s -> Normalizer.normalize(s, Normalizer.Form.NFC)).toList());
    RawRow u1 = f.rows().get(0);
    assertEquals(2, u1.rowNumber(), "row numbers count records as Excel shows them: the quoted newline stays in row 2");
    assertEquals("U1", u1.unitCode());
    assertEquals("Trường \"A\"; cơ sở\n2", u1.unitName());
    assertEquals("2024-2025", u1.schoolYear());
    assertEquals("self", u1.stage());
    assertEquals("submitted", u1.status(), "a blank status means Đã nộp");
    assertEquals(LocalDate.of(2025, 1, 5), u1.submittedOn());
    assertEquals(Map.of("DH1", "Đạt", "DH4", "7,5"), cells(u1));
    assertEquals("G", u1.cells().get(0).columnRef());
    assertEquals(List.of("points"), u1.declared().stream().map(RawRecords.Declared::kind).toList());
    RawRow u2 = f.rows().get(1);
    assertEquals(4, u2.rowNumber());
    assertEquals("external", u2.stage());
    assertEquals("draft", u2.status());
    assertNull(u2.submittedOn());
    assertEquals(List.of("DATE_INVALID"), u2.issues().stream().map(RawRecords.Issue::reasonCode).toList());
    assertEquals("E", u2.issues().get(0).columnRef());
  }

  @Test
  void missingRequiredColumnRejectsEveryRowOfTheFile() {
    String csv = "Mã đơn vị,Năm học,Hình thức đánh giá,DH4\nU1,2024-2025,Tự đánh giá,5\nU2,2024-2025,Tự đánh giá,6\n";
    ParsedFile f = ExportReader.parse(csv.getBytes(StandardCharsets.UTF_8), "exports/b.csv");
    assertEquals("FILE_MISSING_COLUMN", f.summary().errorCode());
    assertTrue(f.summary().errorMessage().startsWith("Thiếu cột bắt buộc: Tên đơn vị"), f.summary().errorMessage());
    assertEquals(2, f.rows().size(), "the rows are kept, each carrying the reason");
    assertTrue(f.rows().stream().allMatch(r -> r.issues().stream().anyMatch(i -> i.reasonCode().equals("FILE_MISSING_COLUMN"))));
  }

  @Test
  void unreadableInputsComeBackAsFileErrors() {
    assertEquals("FILE_EMPTY", ExportReader.parse(new byte[0], "exports/e.csv").summary().errorCode());
    assertEquals("FILE_EMPTY", ExportReader.parse("Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá\n".getBytes(StandardCharsets.UTF_8), "exports/h.csv")
        .summary().errorCode());
    byte[] legacy = "Mã đơn vị,Tên đơn vị\nU1,Trường Hòa Bình\n".getBytes(Charset.forName("windows-1258"));
    assertEquals("FILE_NOT_UTF8", ExportReader.parse(legacy, "exports/w.csv").summary().errorCode());
    assertEquals("FILE_UNREADABLE", ExportReader.parse("PK\u0003\u0004 not a zip".getBytes(StandardCharsets.ISO_8859_1), "exports/x.xlsx").summary().errorCode());
    assertEquals("FILE_NO_HEADER", ExportReader.parse("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "exports/n.csv").summary().errorCode());
  }

  @Test
  void xlsxWithTitleRowsMergedHeadersDateAndFormulaCellsAndNumbersAsText() throws IOException {
    byte[] bytes;
    try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      wb.createSheet("Ghi chú").createRow(0).createCell(0).setCellValue("Không phải dữ liệu");
      Sheet s = wb.createSheet("Tổng hợp");
      s.createRow(0).createCell(0).setCellValue("BẢNG TỔNG HỢP");
      s.addMergedRegion(new CellRangeAddress(0, 0, 0, 7));
      // two header rows: key columns merged vertically, criteria under a merged group title
      Row h1 = s.createRow(2);
      Row h2 = s.createRow(3);
      String[] keys = {"Mã đơn vị", "Tên đơn vị", "Năm học", "Hình thức đánh giá", "Ngày nộp"};
      for (int c = 0; c < keys.length; c++) {
        h1.createCell(c).setCellValue(keys[c]);
        s.addMergedRegion(new CellRangeAddress(2, 3, c, c));
      }
      h1.createCell(5).setCellValue("Nhóm DH");
      s.addMergedRegion(new CellRangeAddress(2, 2, 5, 7));
      h2.createCell(5).setCellValue("DH4");
      h2.createCell(6).setCellValue("DH5.1");
      h2.createCell(7).setCellValue("Tổng điểm DH");
      Row d = s.createRow(5); // a blank row 5 sits between header and data
      d.createCell(0).setCellValue("00123");
      d.createCell(1).setCellValue("Trường <Hoa> & \"Mai\"");
      d.createCell(2).setCellValue("2024–2025");
      d.createCell(3).setCellValue("Tự đánh giá");
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
      d.createCell(4).setCellValue(LocalDate.of(2025, 1, 20));
      d.getCell(4).setCellStyle(date);
      d.createCell(5).setCellValue("7.5"); // number stored as text
      d.createCell(6).setCellValue(12.0);
      d.createCell(7).setCellFormula("F6+G6");
      wb.getCreationHelper().createFormulaEvaluator().evaluateAll();
      wb.write(out);
      bytes = out.toByteArray();
    }
    ParsedFile f = ExportReader.parse(bytes, "exports/c.xlsx");
    assertNull(f.summary().errorCode(), f.summary().errorMessage());
    assertEquals("Tổng hợp", f.summary().sheet(), "the first sheet with a 'Mã đơn vị' header");
    assertEquals(3, f.summary().headerRow());
    RawRow r = f.rows().get(0);
    assertEquals(6, r.rowNumber());
    assertEquals("00123", r.unitCode());
    assertEquals("Trường <Hoa> & \"Mai\"", r.unitName());
    assertEquals("2024-2025", r.schoolYear());
    assertEquals(LocalDate.of(2025, 1, 20), r.submittedOn());
    assertEquals(Map.of("DH4", "7.5", "DH5.1", "12"), cells(r));
    assertEquals("19.5", r.declared().get(0).rawValue(), "the formula's cached value: + coerces the text 7.5, as Excel does");
  }

  @Test
  void valueParsers() {
    assertEquals(7.5, Values.number("7,5"));
    assertEquals(7.5, Values.number(" 7.5 "));
    assertNull(Values.number("7,5,1"));
    assertNull(Values.number("abc"));
    assertEquals(Boolean.TRUE, Values.passFail("ĐẠT"));
    assertEquals(Boolean.TRUE, Values.passFail("x"));
    assertEquals(Boolean.FALSE, Values.passFail("Chưa đạt"));
    assertNull(Values.passFail("Có lẽ"));
    assertEquals("2024-2025", Values.schoolYear("2024 – 2025"));
    assertNull(Values.schoolYear("2024-2026"));
    assertEquals(2, Values.level("Mức 2 - Đáp ứng cơ bản"));
    assertEquals("external", Values.stage("ĐÁNH GIÁ NGOÀI"));
  }
}
