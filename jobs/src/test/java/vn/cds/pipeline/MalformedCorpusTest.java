package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;
import vn.cds.ingest.TestExports;

/**
 * A corpus of malformed exports, each with the rows and reason codes it must produce, all ingested in one run. Each
 * file uses its own units so that no file supersedes another's rows.
 */
class MalformedCorpusTest {
  @TempDir static Path dir;
  static final Map<String, Expect> CASES = new LinkedHashMap<>();

  /** rows read / accepted / rejected / superseded, and "CODE×n" reason counts ("" for none). */
  record Expect(int read, int accepted, int rejected, int superseded, String reasons) {}

  static final String HEAD = "Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,Ngày nộp,DH1,DH4,QT1,QT5";

  static void csv(String name, Expect e, String... lines) throws Exception {
    write(name, e, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static void write(String name, Expect e, byte[] bytes) throws Exception {
    Path p = dir.resolve("in/exports").resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    CASES.put("exports/" + name, e);
  }

  static Expect ok(int n) {
    return new Expect(n, n, 0, 0, "");
  }

  static Expect rejected(int n, String reasons) {
    return new Expect(n, 0, n, 0, reasons);
  }

  @BeforeAll
  static void buildCorpusAndRun() throws Exception {
    StringBuilder units = new StringBuilder("unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,managing_unit_code,valid_from,valid_to\n");
    for (int i = 1; i <= 60; i++) units.append(String.format("U%02d,Trường U%02d,TH,cong_lap,31,303,,P1,2022-2023,%n", i, i));
    for (String prefix : FORMATS.keySet())
      for (int i = 1; i <= 3; i++) units.append(String.format("%s0%d,Trường %s0%d,TH,cong_lap,31,303,,P1,2022-2023,%n", prefix, i, prefix, i));
    units.append("M1,Mầm non M1,MN,cong_lap,31,303,,P1,2022-2023,\nOLD,Trường cũ,TH,cong_lap,31,303,,P1,2022-2023,2023-2024\nP1,Phòng 303,PHONG,cong_lap,31,303,,SO,2022-2023,\n");
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/units.csv"), units);
    Files.writeString(dir.resolve("in/areas.csv"), "area_code,area_name,area_type,parent_code,valid_from,valid_to,successor_code\n31,Hải Phòng,province,,2022-2023,,\n303,Quận Hồng Bàng,district,31,2022-2023,,\n");

    csv("01-ok-bom-semicolon.csv", ok(2), "\uFEFF" + HEAD.replace(',', ';'),
        "U01;Trường U01;2024-2025;Tự đánh giá;05/01/2025;Đạt;7,5;x;9,5", "U02;Trường U02;2024 - 2025;Tự đánh giá;05/01/2025;Đạt;8;Đạt;10");
    csv("02-missing-column.csv", rejected(2, "FILE_MISSING_COLUMN×2"), "Mã đơn vị,Tên đơn vị,Năm học,DH4",
        "U03,Trường U03,2024-2025,5", "U04,Trường U04,2024-2025,6");
    write("03-empty.csv", new Expect(0, 0, 0, 0, "FILE_EMPTY×1"), new byte[0]);
    csv("04-header-only.csv", new Expect(0, 0, 0, 0, "FILE_EMPTY×1"), HEAD);
    // "Mã đơn vị,Tên đơn vị / A,Trường A" as TCVN3 stores it; a Western code page, which no tone mark tells apart
    write("05-tcvn3.csv", new Expect(0, 0, 0, 0, "FILE_NOT_UTF8×1"),
        "M\u00b7 \u00ae\u00acn v\u00de,T\u00aan \u00ae\u00acn v\u00de\nA,Tr\u00ad\u00eang A\n".getBytes(StandardCharsets.ISO_8859_1));
    write("05-western.csv", new Expect(0, 0, 0, 0, "FILE_NOT_UTF8×1"), "Mã đơn vị,Tên đơn vị\nA,Café Crème\n".getBytes(Charset.forName("windows-1252")));
    csv("06-no-header.csv", new Expect(0, 0, 0, 0, "FILE_NO_HEADER×1"), "a,b,c", "1,2,3");
    csv("07-unknown-unit.csv", rejected(1, "UNIT_UNKNOWN×1"), HEAD, "X99,Không rõ,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5");
    csv("08-unit-not-valid-in-year.csv", rejected(1, "UNIT_NOT_VALID_IN_YEAR×1"), HEAD, "OLD,Trường cũ,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5");
    csv("09-bad-year.csv", rejected(1, "SCHOOL_YEAR_INVALID×1"), HEAD, "U06,Trường U06,2024-2026,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5");
    csv("10-bad-stage.csv", rejected(1, "STAGE_INVALID×1"), HEAD, "U07,Trường U07,2024-2025,Tự kiểm tra,05/01/2025,Đạt,5,Đạt,5");
    csv("11-bad-status.csv", rejected(1, "STATUS_INVALID×1"), HEAD + ",Trạng thái", "U08,Trường U08,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5,Chờ");
    csv("12-not-a-number.csv", rejected(1, "VALUE_NOT_NUMBER×1"), HEAD, "U09,Trường U09,2024-2025,Tự đánh giá,05/01/2025,Đạt,bảy,Đạt,5");
    csv("13-negative.csv", rejected(1, "VALUE_OUT_OF_RANGE×1"), HEAD, "U10,Trường U10,2024-2025,Tự đánh giá,05/01/2025,Đạt,-1,Đạt,5");
    csv("14-above-max.csv", rejected(1, "VALUE_OUT_OF_RANGE×1"), HEAD, "U11,Trường U11,2024-2025,Tự đánh giá,05/01/2025,Đạt,10.5,Đạt,5");
    csv("15-mandatory-unrecognised.csv", rejected(1, "MANDATORY_VALUE_UNRECOGNISED×1"), HEAD, "U12,Trường U12,2024-2025,Tự đánh giá,05/01/2025,?,5,Đạt,5");
    csv("16-criterion-of-another-set.csv", rejected(1, "CRITERION_NOT_IN_SET×1"), HEAD + ",ND2", "U13,Trường U13,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5,4");
    csv("17-unknown-criterion.csv", rejected(1, "CRITERION_NOT_IN_SET×1"), HEAD + ",XY9", "U14,Trường U14,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5,4");
    csv("18-unknown-set.csv", rejected(1, "INDICATOR_SET_UNKNOWN×1"), HEAD + ",Bộ chỉ số", "U15,Trường U15,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5,9999");
    csv("19-set-not-applicable.csv", rejected(2, "INDICATOR_SET_NOT_APPLICABLE×2"), HEAD + ",Bộ chỉ số",
        "U16,Trường U16,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5,3806", "M1,Mầm non M1,2023-2024,Tự đánh giá,05/01/2024,,,,,");
    csv("20-duplicates.csv", new Expect(3, 1, 0, 2, "DUPLICATE_SUPERSEDED×2"), HEAD,
        "U17,Trường U17,2024-2025,Tự đánh giá,01/01/2025,Đạt,5,Đạt,5", "U17,Trường U17,2024-2025,Tự đánh giá,03/01/2025,Đạt,6,Đạt,5",
        "U17,Trường U17,2024-2025,Tự đánh giá,02/01/2025,Đạt,7,Đạt,5");
    csv("21-declared-mismatch.csv", new Expect(1, 1, 0, 0, "DECLARED_LEVEL_MISMATCH×1,DECLARED_TOTAL_MISMATCH×1"), HEAD + ",Tổng điểm DH,Mức DH",
        "U18,Trường U18,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5,55,Mức 2");
    csv("22-bad-date.csv", new Expect(1, 1, 0, 0, "DATE_INVALID×1"), HEAD, "U19,Trường U19,2024-2025,Tự đánh giá,32/01/2025,Đạt,5,Đạt,5");
    csv("23-missing-unit-code.csv", rejected(1, "UNIT_CODE_MISSING×1"), HEAD, ",Trường ?,2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5");
    csv("24-quoted-newline-extra-columns.csv", ok(1), HEAD + ",Cột mới,Người lập biểu,Email",
        "U20,\"Trường U20\ncơ sở 2\",2024-2025,Tự đánh giá,05/01/2025,Đạt,5,Đạt,5,?,Nguyễn Văn A,a@b.vn");
    write("25-corrupt.xlsx", new Expect(0, 0, 0, 0, "FILE_UNREADABLE×1"), "PK\u0003\u0004garbage".getBytes(StandardCharsets.ISO_8859_1));
    write("26-no-header.xlsx", new Expect(0, 0, 0, 0, "FILE_NO_HEADER×1"), xlsx(false, "5"));
    write("27-quirks.xlsx", ok(1), xlsx(true, "7.5"));
    write("28-text-in-number-cell.xlsx", rejected(1, "VALUE_NOT_NUMBER×1"), xlsx(true, "n/a"));
    csv("29-one-document.json", ok(1), "{\"unit_code\": \"U23\", \"school_year\": \"2024-2025\", \"stage\": \"self\", \"submitted_on\": \"2025-01-05\","
        + " \"scores\": {\"DH1\": true, \"DH4\": 7.5, \"QT1\": \"Đạt\", \"QT5\": null}}");
    csv("30-array-one-bad.json", new Expect(2, 1, 1, 0, "JSON_SCHEMA_INVALID×1"), "[{\"unit_code\": \"U24\", \"school_year\": \"2024-2025\", "
        + "\"stage\": \"Tự đánh giá\", \"scores\": {\"DH4\": \"7,5\"}}, {\"unit_code\": \"U25\", \"school_year\": \"2024-2025\", \"stage\": \"self\", \"scores\": [5]}]");
    csv("31-broken.json", new Expect(0, 0, 0, 0, "FILE_UNREADABLE×1"), "{\"unit_code\": \"U26\",");
    csv("32-long-ok.csv", ok(2), "unit_code,school_year,stage,criterion_id,value,submitted_on", "U27,2024-2025,self,DH1,Đạt,05/01/2025",
        "U27,2024-2025,self,DH4,6,05/01/2025", "U28,2024-2025,external,DH4,4,05/03/2025", "U28,2024-2025,external,QT5,3,05/03/2025");
    csv("33-long-bad-value.csv", rejected(1, "VALUE_NOT_NUMBER×1"), "unit_code,school_year,stage,criterion_id,value", "U29,2024-2025,self,DH4,5",
        "U29,2024-2025,self,QT5,mười");
    csv("34-long-missing-column.csv", rejected(1, "FILE_MISSING_COLUMN×1"), "unit_code,school_year,criterion_id,value", "U30,2024-2025,DH4,5");
    // the same three rows in every kind of file an office sends, each file with units of its own
    FORMATS.forEach((prefix, file) -> {
      try {
        write(file, file.endsWith("windows-1258.csv") ? new Expect(3, 3, 0, 0, "FILE_ENCODING_WINDOWS_1258×3") : ok(3), format(file, TestExports.rows(prefix)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    write("50-bao-cao.pdf", new Expect(0, 0, 0, 0, "FILE_UNSUPPORTED×1"), "%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
    write("51-ket-qua", new Expect(0, 0, 0, 0, "FILE_UNSUPPORTED×1"), HEAD.getBytes(StandardCharsets.UTF_8));
    write("52-vnedu-html.xls", new Expect(0, 0, 0, 0, "FILE_UNREADABLE×1"), "<html><table><tr><td>Mã đơn vị</td></tr></table></html>".getBytes(StandardCharsets.UTF_8));
    for (String litter : LITTER) {
      Path p = dir.resolve("in/exports").resolve(litter);
      Files.createDirectories(p.getParent());
      Files.writeString(p, HEAD + "\nU01,Trường U01,2024-2025,Tự đánh giá,05/01/2025,Đạt,1,Đạt,1\n"); // read, it would compete with 01's U01
    }

    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    session = TestSupport.ownSession(); // its settings after the run are this run's alone
    result = new Pipeline(session, new Progress(new PrintStream(sink, true, StandardCharsets.UTF_8)))
        .run(new Pipeline.Config(dir.resolve("in").toString(), dir.resolve("out").toString(), TestSupport.catalogs(), false));
    console = sink.toString(StandardCharsets.UTF_8);
  }

  /** Unit prefix -> file: a clean CSV, then the same rows as Excel 97-2003, Unicode Text and the rest. */
  static final Map<String, String> FORMATS = new LinkedHashMap<>();
  static {
    FORMATS.put("A", "40-clean.csv");
    FORMATS.put("B", "41-excel-97-2003.xls");
    FORMATS.put("C", "42-unicode-text.txt");
    FORMATS.put("D", "43-unicode-text-renamed.csv");
    FORMATS.put("E", "44-utf16-big-endian.txt");
    FORMATS.put("F", "45-tab-separated-utf8.txt");
    FORMATS.put("G", "46-windows-1258.csv");
  }

  /** Hidden files and the OS's and Office's litter: skipped, and counted once. */
  static final java.util.List<String> LITTER = java.util.List.of(".DS_Store", "Thumbs.db", "~$27-quirks.xlsx", ".git/01-copy.csv");

  static Pipeline.Result result;
  static String console;
  static org.apache.spark.sql.SparkSession session;

  private static byte[] format(String file, java.util.List<java.util.List<String>> rows) throws Exception {
    String tabs = TestExports.text(rows, '\t');
    return switch (file.substring(3)) {
      case "clean.csv" -> TestExports.text(rows, ',').getBytes(StandardCharsets.UTF_8);
      case "excel-97-2003.xls" -> TestExports.xls(rows, 6);
      case "unicode-text.txt", "unicode-text-renamed.csv" -> TestExports.utf16(tabs, true);
      case "utf16-big-endian.txt" -> TestExports.utf16(tabs, false);
      case "tab-separated-utf8.txt" -> tabs.getBytes(StandardCharsets.UTF_8);
      case "windows-1258.csv" -> TestExports.cp1258(TestExports.text(rows, ','));
      default -> throw new IllegalArgumentException(file);
    };
  }

  /** A workbook with a title row; {@code header} false leaves out the "Mã đơn vị" header row altogether. */
  static byte[] xlsx(boolean header, String dh4) throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet s = wb.createSheet("Kết quả");
      s.createRow(0).createCell(0).setCellValue("BẢNG TỔNG HỢP");
      s.addMergedRegion(new CellRangeAddress(0, 0, 0, 6));
      String unit = "n/a".equals(dh4) ? "U22" : "U21";
      if (header) {
        Row h1 = s.createRow(2), h2 = s.createRow(3);
        String[] keys = {"Mã đơn vị", "Tên đơn vị", "Năm học", "Hình thức đánh giá", "Ngày nộp"};
        for (int c = 0; c < keys.length; c++) {
          h1.createCell(c).setCellValue(keys[c]);
          s.addMergedRegion(new CellRangeAddress(2, 3, c, c));
        }
        h1.createCell(5).setCellValue("Dạy học");
        s.addMergedRegion(new CellRangeAddress(2, 2, 5, 6));
        h2.createCell(5).setCellValue("DH4 - Học liệu số");
        h2.createCell(6).setCellValue("Tổng điểm DH");
      }
      Row d = s.createRow(5);
      d.createCell(0).setCellValue(unit);
      d.createCell(1).setCellValue("Trường " + unit);
      d.createCell(2).setCellValue("2024-2025");
      d.createCell(3).setCellValue("Tự đánh giá");
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
      d.createCell(4).setCellValue(LocalDate.of(2025, 1, 5));
      d.getCell(4).setCellStyle(date);
      d.createCell(5).setCellValue(dh4);
      d.createCell(6).setCellFormula("IFERROR(VALUE(F6),0)");
      wb.getCreationHelper().createFormulaEvaluator().evaluateAll();
      wb.write(out);
      return out.toByteArray();
    }
  }

  @Test
  void eachMalformedFileGivesItsRowsAndReasonsAndReconciles() throws Exception {
    assertTrue(CASES.size() >= 25, "at least 25 malformed inputs");
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    Map<String, String> actual = new TreeMap<>(), expected = new TreeMap<>();
    CASES.forEach((file, e) -> expected.put(file, e.read() + "/" + e.accepted() + "/" + e.rejected() + "/" + e.superseded() + " reconciled " + e.reasons()));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/mart/cds.duckdb"), ro); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("""
            SELECT f.source_file, f.rows_read || '/' || f.rows_accepted || '/' || f.rows_rejected || '/' || f.rows_superseded
              || CASE WHEN f.reconciled THEN ' reconciled ' ELSE ' NOT RECONCILED ' END
              || coalesce((SELECT string_agg(reason_code || '×' || n, ',' ORDER BY reason_code)
                           FROM (SELECT reason_code, count(*) AS n FROM fact_reject r WHERE r.source_file = f.source_file GROUP BY 1)), '')
            FROM fact_ingest_file f""")) {
      while (rs.next()) actual.put(rs.getString(1), rs.getString(2));
    }
    assertEquals(expected, actual);
  }

  /**
   * The read runs with a smaller limit on generated methods (Pipeline.withSmallGeneratedMethods); the rest of the run,
   * and the session after it, with Spark's default.
   */
  @Test
  void theReadsLimitOnGeneratedMethodsIsNotLeftOnTheSession() {
    assertEquals("65535", session.conf().get("spark.sql.codegen.hugeMethodLimit"));
  }

  @Test
  void rejectsNameTheCellAPersonWouldOpen() throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    Map<String, String> where = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/mart/cds.duckdb"), ro); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT source_file, coalesce(sheet, '') || '!' || coalesce(column_ref, '') || row_number || ' ' || raw_value "
            + "FROM fact_reject WHERE reason_code IN ('VALUE_NOT_NUMBER', 'VALUE_OUT_OF_RANGE')")) {
      while (rs.next()) where.merge(rs.getString(1), rs.getString(2), (a, b) -> a + "; " + b);
    }
    assertEquals(Map.of("exports/12-not-a-number.csv", "!G2 bảy", "exports/13-negative.csv", "!G2 -1", "exports/14-above-max.csv", "!G2 10.5",
        "exports/28-text-in-number-cell.xlsx", "Kết quả!F6 n/a", "exports/33-long-bad-value.csv", "!E32 mười"), where);
  }

  /** Each office's file scores exactly as the clean CSV: the same groups, points and levels, criterion by criterion. */
  @Test
  void theSameRowsScoreTheSameInEveryKindOfFile() throws Exception {
    Map<String, String> groups = byFile("SELECT source_file, right(unit_code, 2) || ' ' || unit_name || ' ' || stage || ' ' || group_id || ' ' "
        + "|| points || ' Mức ' || level || ' chung ' || overall_level || ' ' || is_official FROM fact_assessment");
    Map<String, String> criteria = byFile("SELECT a.source_file, right(c.unit_code, 2) || ' ' || c.criterion_id || '=' || coalesce(c.points::VARCHAR, '-') "
        + "|| '/' || coalesce(c.passed::VARCHAR, '-') || '/' || c.reported FROM fact_criterion_score c JOIN (SELECT DISTINCT row_key, source_file FROM fact_assessment) a USING (row_key) "
        + "WHERE c.criterion_id IN ('DH1', 'DH4', 'QT1', 'QT5')");
    String clean = "exports/" + FORMATS.get("A");
    assertEquals(String.join("\n", "01 Trường Tiểu học Hòa Bình self DH 7.5 Mức 1 chung 1 true", "01 Trường Tiểu học Hòa Bình self QT 9.0 Mức 1 chung 1 true",
        "02 Trường Ngô Quyền, cơ sở 2 self DH 10.0 Mức 1 chung 1 true", "02 Trường Ngô Quyền, cơ sở 2 self QT 4.5 Mức 1 chung 1 true",
        "03 Trường Lê Lợi external DH 3.0 Mức 1 chung 1 true", "03 Trường Lê Lợi external QT 0.0 Mức 1 chung 1 true"), groups.get(clean));
    assertEquals(String.join("\n", "01 DH1=-/true/true", "01 DH4=7.5/-/true", "01 QT1=-/true/true", "01 QT5=9.0/-/true",
        "02 DH1=-/false/true", "02 DH4=10.0/-/true", "02 QT1=-/true/true", "02 QT5=4.5/-/true",
        "03 DH1=-/true/true", "03 DH4=3.0/-/true", "03 QT1=-/false/true", "03 QT5=-/-/false"), criteria.get(clean));
    for (String file : FORMATS.values()) {
      assertEquals(groups.get(clean), groups.get("exports/" + file), file);
      assertEquals(criteria.get(clean), criteria.get("exports/" + file), file);
    }
  }

  private static Map<String, String> byFile(String sql) throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    Map<String, java.util.List<String>> lines = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/mart/cds.duckdb"), ro); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) lines.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(String.valueOf(rs.getString(2)));
    }
    Map<String, String> out = new TreeMap<>();
    lines.forEach((file, l) -> out.put(file, String.join("\n", l.stream().sorted().toList())));
    return out;
  }

  /** Files found = read + refused + skipped: the litter is said once with its count, every other file is in fact_ingest_file. */
  @Test
  void everyFileIsReadRefusedOrSkippedAndTheLitterIsSaidOnce() throws Exception {
    long refused = CASES.values().stream().filter(e -> e.read() == 0).count(), read = CASES.size() - refused;
    assertEquals(String.format("%d tệp tìm thấy = %d đọc + %d từ chối + 4 bỏ qua ✓. Bộ chỉ số tạm thời: QD3267, QD3806, QD4725.", CASES.size() + 4, read,
        refused),
        result.reconciliation().replaceAll(".*; (\\d+ tệp tìm thấy)", "$1"));
    assertTrue(result.reconciled());
    assertEquals(1, console.lines().filter(l -> l.contains("Bỏ qua")).count(), console);
    assertTrue(console.contains("  Bỏ qua 4 tệp ẩn hoặc tệp rác của hệ điều hành/Office (skipped 4 hidden, OS or Office lock files): exports/.DS_Store, "
        + "exports/.git/01-copy.csv, exports/Thumbs.db, exports/~$27-quirks.xlsx"), console);
    assertEquals(CASES.size() + 4 + " " + read + " " + refused + " 4 true", byFile("SELECT 'm', files_found || ' ' || files_read || ' ' || files_refused "
        + "|| ' ' || files_skipped || ' ' || reconciled FROM _mart_metadata").get("m"), "and the mart records it");
    String pdf = byFile("SELECT source_file, message FROM fact_reject WHERE reason_code = 'FILE_UNSUPPORTED'").get("exports/50-bao-cao.pdf");
    assertTrue(pdf.startsWith("Định dạng tệp không được hỗ trợ: .pdf; chỉ đọc .csv, .txt (CSV hoặc Unicode Text), .xlsx, .xls và .json"), pdf);
  }

  /** dim_reason labels every reason code the readers and checks know, and so every code in fact_reject. */
  @Test
  void everyReasonHasItsLabelsAndSeverity() throws Exception {
    Map<String, String> labels = byFile("SELECT reason_code, label_vi || ' / ' || label_en || ' / ' || keeps_row FROM dim_reason");
    assertEquals(vn.cds.ingest.Reasons.values().length, labels.size());
    for (vn.cds.ingest.Reasons r : vn.cds.ingest.Reasons.values())
      assertEquals(r.vietnamese() + " / " + r.english() + " / " + r.flagOnly(), labels.get(r.code()));
    assertEquals("Tệp mã Windows-1258 (ANSI), đã chuyển sang Unicode và đọc; lần sau xin gửi dạng CSV UTF-8 / file in Windows-1258, converted and "
        + "read; ask the sender for CSV UTF-8 next time / true", labels.get("FILE_ENCODING_WINDOWS_1258"));
    assertEquals(Map.of(), byFile("SELECT DISTINCT reason_code, 'unlabelled' FROM fact_reject WHERE reason_code NOT IN (SELECT reason_code FROM dim_reason)"));
    assertEquals("flagged", byFile("SELECT DISTINCT source_file, severity FROM fact_reject WHERE reason_code = 'FILE_ENCODING_WINDOWS_1258'")
        .get("exports/" + FORMATS.get("G")));
  }

  /**
   * A folder without submissions.csv tracks no document, and runs no Spark job for them, but the lake's three document
   * tables are still there, empty, with their columns: a reader of the lake finds them as after any run.
   */
  @Test
  void aFolderWithoutSubmissionsLeavesTheDocumentTablesEmptyWithTheirColumns() throws Exception {
    assertEquals(new Pipeline.Documents(java.util.List.of(), 0, 0, 0, 0, 0), result.documents());
    String lake = dir.resolve("out/lake").toString();
    Map<String, String> columns = byFile("SELECT t, string_agg(column_name, ',' ORDER BY n) || ' rows=' || any_value(r) FROM ("
        + String.join(" UNION ALL ", java.util.stream.Stream.of("submission", "submission_issue", "agg_unit_document").map(t -> String.format(
            "SELECT '%1$s' AS t, name AS column_name, row_number() OVER () AS n, (SELECT count(*) FROM read_parquet('%2$s/%1$s/*.parquet')) AS r "
                + "FROM parquet_schema('%2$s/%1$s/*.parquet') WHERE num_children IS NULL", t, lake)).toList()) + ") GROUP BY t");
    assertEquals(Map.of(
        "submission", "source_file,sheet,row_number,unit_code,school_year,document,submitted_on,reference,note,school_level,managing_unit_code,"
            + "disposition rows=0",
        "submission_issue", "source_file,sheet,row_number,unit_code,school_year,stage,column_ref,header,raw_value,reason_code,message,severity rows=0",
        "agg_unit_document", "school_year,unit_code,school_level,province_code,area_type,area_code,former_district_code,managing_unit_code,document,"
            + "tracking,recipient,deadline,deadline_source,deadline_provisional,submitted_on,reference,submission_file,submission_row,on_time,days_late"
            + " rows=0"), columns);
    assertEquals(Map.of("fact_submission", "0", "agg_unit_document", "0"), byFile(
        "SELECT 'fact_submission', count(*) FROM fact_submission UNION ALL SELECT 'agg_unit_document', count(*) FROM agg_unit_document"));
  }
}
