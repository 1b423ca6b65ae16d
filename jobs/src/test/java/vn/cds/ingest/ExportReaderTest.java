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

  static final List<List<String>> ROWS = TestExports.rows("X");

  /** What a row says, apart from where it sits: the fields, every filled cell, and its issues. */
  private static String content(RawRow r) {
    return String.join("|", r.unitCode(), r.unitName(), r.schoolYear(), r.stage(), r.status(), String.valueOf(r.submittedOn()),
        new java.util.TreeMap<>(cells(r)).toString(), r.issues().stream().map(RawRecords.Issue::reasonCode).toList().toString());
  }

  @Test
  void everyKindOfFileAnOfficeSendsGivesTheRowsOfTheCleanCsv() throws IOException {
    ParsedFile clean = ExportReader.parse(TestExports.text(ROWS, ',').getBytes(StandardCharsets.UTF_8), "exports/clean.csv");
    assertNull(clean.summary().errorCode(), clean.summary().errorMessage());
    List<String> expected = clean.rows().stream().map(ExportReaderTest::content).toList();
    assertEquals("X02|Trường Ngô Quyền, cơ sở 2|2024-2025|self|approved|2025-01-06|{DH1=Chưa đạt, DH4=10, QT1=Đạt, QT5=4,5}|[]", expected.get(1));
    String tabs = TestExports.text(ROWS, '\t');
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("exports/excel-97.xls", TestExports.xls(ROWS, 6));
    files.put("exports/excel.xlsx", TestExports.xlsx(ROWS, 6));
    files.put("exports/unicode-text.txt", TestExports.utf16(tabs, true));
    files.put("exports/unicode-text-renamed.csv", TestExports.utf16(tabs, true));
    files.put("exports/utf16-big-endian.txt", TestExports.utf16(tabs, false));
    files.put("exports/tab-separated-utf8.txt", tabs.getBytes(StandardCharsets.UTF_8));
    for (var e : files.entrySet()) {
      ParsedFile f = ExportReader.parse(e.getValue(), e.getKey());
      assertNull(f.summary().errorCode(), e.getKey() + ": " + f.summary().errorMessage());
      assertEquals(expected, f.rows().stream().map(ExportReaderTest::content).toList(), e.getKey());
      List<Integer> rowNumbers = f.rows().stream().map(RawRow::rowNumber).toList();
      assertEquals(e.getKey().endsWith(".xls") || e.getKey().endsWith(".xlsx") ? List.of(5, 6, 7) : List.of(2, 3, 4), rowNumbers,
          e.getKey() + ": the row numbers a person sees, in Excel or in the text");
    }
    assertEquals("xls", ExportReader.parse(files.get("exports/excel-97.xls"), "exports/excel-97.xls").rows().get(0).fileFormat());
  }

  @Test
  void windows1258IsConvertedToNfcAndEveryRowFlagged() {
    byte[] bytes = TestExports.cp1258(TestExports.text(ROWS, ','));
    assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("Tr\u00fd\u00f5\u00ccng"), "ờ written as ơ and a combining grave, as Windows does");
    ParsedFile f = ExportReader.parse(bytes, "exports/ansi.csv");
    assertNull(f.summary().errorCode(), f.summary().errorMessage());
    assertEquals(3, f.rows().size());
    RawRow first = f.rows().get(0);
    assertEquals("Trường Tiểu học Hòa Bình", first.unitName());
    assertTrue(Normalizer.isNormalized(first.unitName(), Normalizer.Form.NFC));
    assertEquals(Map.of("DH1", "Đạt", "DH4", "7,5", "QT1", "Đạt", "QT5", "9"), cells(first));
    for (RawRow r : f.rows()) {
      assertEquals(List.of("FILE_ENCODING_WINDOWS_1258"), r.issues().stream().map(RawRecords.Issue::reasonCode).toList());
      assertEquals("Tệp mã Windows-1258 (ANSI), đã chuyển sang Unicode và đọc; lần sau xin gửi dạng CSV UTF-8 (file in Windows-1258, "
          + "converted and read; ask the sender for CSV UTF-8 next time)", r.issues().get(0).message());
    }
    assertTrue(Reasons.FILE_ENCODING_WINDOWS_1258.flagOnly(), "the rows are accepted, the file flagged");
  }

  @Test
  void filesThatCannotBeReadSayWhatIsReadAndWhatWasTried() {
    ParsedFile pdf = ExportReader.parse("%PDF-1.4".getBytes(StandardCharsets.US_ASCII), "exports/bao-cao.pdf");
    assertEquals("FILE_UNSUPPORTED", pdf.summary().errorCode());
    assertEquals("Định dạng tệp không được hỗ trợ: .pdf; chỉ đọc .csv, .txt (CSV hoặc Unicode Text), .xlsx, .xls và .json; hãy mở tệp bằng Excel "
        + "rồi lưu lại dạng Excel Workbook (.xlsx) hoặc CSV UTF-8 (only .csv, .txt, .xlsx, .xls and .json are read: open it in Excel and save "
        + "it as .xlsx or CSV UTF-8) (unsupported file type)", pdf.summary().errorMessage());
    ParsedFile noExtension = ExportReader.parse(new byte[0], "exports/ket-qua");
    assertEquals("FILE_UNSUPPORTED", noExtension.summary().errorCode());
    assertTrue(noExtension.summary().errorMessage().contains("tệp không có đuôi (no extension)"), noExtension.summary().errorMessage());

    String tried = "đã thử UTF-8, UTF-16 có BOM, Windows-1258 và TCVN3 (tried UTF-8, UTF-16 with a BOM, Windows-1258 and TCVN3)";
    ParsedFile noBom = ExportReader.parse(TestExports.text(ROWS, '\t').getBytes(StandardCharsets.UTF_16LE), "exports/no-bom.txt");
    assertEquals("FILE_NOT_UTF8", noBom.summary().errorCode());
    assertTrue(noBom.summary().errorMessage().contains("UTF-16 không có BOM") && noBom.summary().errorMessage().contains(tried),
        noBom.summary().errorMessage());
    ParsedFile western = ExportReader.parse("Mã đơn vị,Tên đơn vị\nA,Café Crème\n".getBytes(Charset.forName("windows-1252")), "exports/western.csv");
    assertEquals("FILE_NOT_UTF8", western.summary().errorCode());
    assertTrue(western.summary().errorMessage().startsWith("Tệp không phải mã UTF-8 hay UTF-16 và không đọc được (TCVN3 hoặc mã không xác định): "
        + "không xác định được mã ký tự (the encoding cannot be told); " + tried), western.summary().errorMessage());
    ParsedFile badUtf16 = ExportReader.parse(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00, (byte) 0xDC}, "exports/cut.txt"); // a lone low surrogate
    assertEquals("FILE_UNREADABLE", badUtf16.summary().errorCode());
    ParsedFile html = ExportReader.parse("\uFEFF<html><table><tr><td>Mã đơn vị</td></tr></table></html>".getBytes(StandardCharsets.UTF_8),
        "exports/vnedu.xls");
    assertEquals("FILE_UNREADABLE", html.summary().errorCode());
    assertTrue(html.summary().errorMessage().contains("tệp là trang HTML/XML mang đuôi Excel"), html.summary().errorMessage());
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
