package vn.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in this JVM, its output and errors captured, while other classes run beside it: it holds standard
 * output, errors and the system properties alone, and its commands use the tests' session (a command stops only a
 * session it started), made before any output is captured.
 */
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ_WRITE)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ_WRITE)
@ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ_WRITE)
class CliTest {
  @TempDir Path tmp;

  @BeforeAll
  static void theTestsSession() {
    TestSupport.spark(); // Spark's logging, too, set up before System.err is captured
  }

  record Outcome(int exit, String out, String err) {}

  static Outcome cds(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      System.setProperty("cds.home", TestSupport.repoRoot().toString());
      int exit = Cli.execute(args);
      return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void everySubcommandHasHelp() {
    for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"catalog", "--help"}, {"catalog", "check", "--help"},
        {"generate", "--help"}, {"sql", "--help"}}) {
      Outcome o = cds(args);
      assertEquals(0, o.exit(), String.join(" ", args));
      assertTrue(o.out().startsWith("Usage: cds"), o.out());
    }
  }

  @Test
  void catalogCheckReportsEachSet() {
    Outcome o = cds("catalog", "check");
    assertEquals(0, o.exit(), o.err());
    assertTrue(o.out().contains("OK QD4725 reference-2026-11 (qd4725.v1.json): 2 nhóm, 30 tiêu chí; 26 tạm thời, 1 suy luận — PROVISIONAL"), o.out());
    assertTrue(o.out().contains("OK milestones.json: 8 văn bản (documents), 16 quy định (requirements), cải cách từ 2025-2026 — PROVISIONAL"), o.out());
  }

  @Test
  void aBrokenCatalogIsOneClearErrorWithoutAStackTrace() throws Exception {
    Files.copy(TestSupport.catalogs().resolve("qd3806.v1.json"), tmp.resolve("qd3806.v1.json"));
    Files.writeString(tmp.resolve("qd3806.v1.json"), Files.readString(tmp.resolve("qd3806.v1.json")).replace("\"max_points\": 50", "\"max_points\": 60"));
    Outcome o = cds("catalog", "check", tmp.toString());
    assertEquals(2, o.exit());
    assertEquals("Lỗi danh mục bộ chỉ số (catalog error):\n  qd3806.v1.json: /groups/0/max_points: group LD has max_points 60 but its criteria sum to 50\n"
        + "  qd3806.v1.json: /groups/1/max_points: group KQ has max_points 60 but its criteria sum to 50\n"
        + "  qd3806.v1.json: /level_rule/levels/2/upper: the last band must end at the maximum 120 inclusive, not 100\n", o.err());
    assertFalse(o.err().contains("\tat "));
  }

  @Test
  void aMissingInputFolderIsOneLineAndExitCode2() {
    Outcome o = cds("run", "--input", tmp.resolve("nowhere").toString(), "--out", tmp.resolve("out").toString());
    assertEquals(2, o.exit());
    assertEquals("Lỗi cấu hình (configuration error): Thư mục đầu vào thiếu tệp units.csv (input folder " + tmp.resolve("nowhere")
        + " has no units.csv)\n", o.err());
  }

  private Path input(String exportCsv) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in/exports"));
    Files.writeString(tmp.resolve("in/units.csv"), "unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,"
        + "managing_unit_code,valid_from,valid_to\nA,Trường A,TH,cong_lap,31,303,,P,2022-2023,\n");
    Files.writeString(tmp.resolve("in/areas.csv"), "area_code,area_name,area_type,parent_code,valid_from,valid_to,successor_code\n");
    Files.writeString(in.resolve("a.csv"), exportCsv);
    return tmp.resolve("in");
  }

  @Test
  void strictFailsARunWithRejectedRowsAndPlainRunsDoNot() throws Exception {
    Path in = input("Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,DH4\nA,Trường A,2024-2025,Tự đánh giá,5\nX,?,2024-2025,Tự đánh giá,5\n");
    // input and output given as file: URIs, as a cluster deployment would
    Outcome plain = cds("run", "--input", in.toUri().toString(), "--out", tmp.resolve("out1").toUri().toString(), "--master", "local[2]",
        "--timings", tmp.resolve("timings.json").toString());
    assertEquals(0, plain.exit(), plain.err());
    assertTrue(plain.out().contains("Đối chiếu (reconciliation): 2 dòng đọc = 1 nhận + 1 loại + 0 thay thế ✓"), plain.out());
    // --timings: every stage in order, with its time and the memory it held, for the benchmark
    var timings = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("timings.json").toFile());
    assertEquals(2, timings.get("rows_read").asLong());
    assertEquals("local[2]", timings.get("spark_master").asText());
    assertEquals("compiled", timings.get("code_generation").asText(), "a small run on the host's session leaves its settings alone");
    java.util.List<String> stages = new java.util.ArrayList<>();
    timings.get("stages").forEach(st -> {
      stages.add(st.get("stage").asText());
      assertTrue(st.get("seconds").asDouble() >= 0 && st.get("seconds").asDouble() <= timings.get("total_seconds").asDouble(), st.toString());
      assertTrue(st.get("peak_rss_bytes").asLong() > 10_000_000L, st.toString()); // a JVM running Spark holds far more than 10 MB
    });
    assertEquals(java.util.List.of("catalogs", "read", "validate", "scoring", "analytics", "lake", "trends", "documents", "inspection", "mart", "report", "dashboards"),
        stages);
    assertTrue(timings.get("peak_rss_bytes").asLong() >= timings.get("stages").get(1).get("peak_rss_bytes").asLong());
    Outcome strict = cds("run", "--input", in.toString(), "--out", tmp.resolve("out2").toString(), "--master", "local[2]", "--strict");
    assertEquals(1, strict.exit(), strict.err());
    assertTrue(Files.exists(tmp.resolve("out2/mart/cds.duckdb")), "a strict run still writes everything it read");
  }

  @Test
  void anOutputTheMartCannotBeBuiltFromIsRefusedBeforeAnyWork() throws Exception {
    Outcome o = cds("run", "--out", "hdfs://namenode:8020/cds");
    assertEquals(2, o.exit());
    assertEquals("Lỗi cấu hình (configuration error): --out phải là thư mục cục bộ hoặc URI file:; kho Parquet trên hdfs:/s3a: thì dùng --lake "
        + "(the output must be a local folder or a file: URI, as the mart is a local file; put the lake on hdfs:/s3a: with --lake): "
        + "hdfs://namenode:8020/cds\n", o.err());
  }

  @Test
  void nothingReadableAtAllIsFatal() throws Exception {
    Path in = input("");
    Outcome o = cds("run", "--input", in.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[2]");
    assertEquals(2, o.exit());
    assertEquals("Lỗi cấu hình (configuration error): Không đọc được dòng dữ liệu nào từ 1 tệp (nothing readable in any export file: 1 with errors)\n",
        o.err());
  }

  /** Ten TH schools under one Phòng, each with a self-assessment in 2024-2025; one name is a spreadsheet formula. */
  private Path tenSchools() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("ten/exports"));
    StringBuilder units = new StringBuilder("unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,"
        + "managing_unit_code,valid_from,valid_to\n");
    StringBuilder export = new StringBuilder("Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,Ngày nộp,DH1,DH4,DH5.1,QT1,QT3.3\n");
    for (int i = 0; i < 10; i++) {
      String name = i == 0 ? "\"=HYPERLINK(\"\"http://x\"\",\"\"Trường\"\")\"" : "Trường " + i;
      units.append("S").append(i).append(',').append(name).append(",TH,cong_lap,31,303,,P,2022-2023,\n");
      export.append("S").append(i).append(",Trường ").append(i).append(",2024-2025,Tự đánh giá,05/01/2025,Đạt,").append(i).append(",10,Đạt,8\n");
    }
    Files.writeString(tmp.resolve("ten/units.csv"), units);
    Files.writeString(tmp.resolve("ten/areas.csv"), "area_code,area_name,area_type,parent_code,valid_from,valid_to,successor_code\n");
    Files.writeString(in.resolve("self.csv"), export);
    return tmp.resolve("ten");
  }

  private static long count(Path mart, String sql) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + mart); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void inspectSampleDrawsOnPurposeAndLaterRunsKeepIt() throws Exception {
    Path in = tenSchools(), out = tmp.resolve("out"), mart = out.resolve("mart/cds.duckdb");
    Outcome run = cds("run", "--input", in.toString(), "--out", out.toString(), "--master", "local[2]");
    assertEquals(0, run.exit(), run.err());
    assertEquals(3, count(mart, "SELECT count(*) FROM v_inspection_sample WHERE source = 'run' AND share = 0.3"), "ceil(0.3 × 10) by cds run");
    // the run's annual report shows the formula in a unit name as text: a string cell in the XLSX, an apostrophe in the CSV
    try (var wb = org.apache.poi.ss.usermodel.WorkbookFactory.create(out.resolve("reports/bao-cao-cds-2024-2025.xlsx").toFile())) {
      var list = wb.getSheet("4. Danh sách công bố");
      var cell = list.getRow(5).getCell(1);
      assertEquals(org.apache.poi.ss.usermodel.CellType.STRING, cell.getCellType());
      assertEquals("=HYPERLINK(\"http://x\",\"Trường\")", cell.getStringCellValue());
    }
    assertTrue(Files.readString(out.resolve("reports/danh-sach-cong-bo-2024-2025.csv"))
        .contains("\nS0,\"'=HYPERLINK(\"\"http://x\"\",\"\"Trường\"\")\",Tiểu học,"), "defused in the CSV: a leading apostrophe, the rest as written");

    Outcome drawn = cds("inspect-sample", "--year", "2024-2025", "--share", "0.5", "--seed", "11", "--out", out.toString(), "--master", "local[2]");
    assertEquals(0, drawn.exit(), drawn.err());
    Path csv = out.resolve("inspection/mau-kiem-tra-2024-2025.csv");
    assertTrue(drawn.out().startsWith("Mẫu kiểm tra 2024-2025 (inspection sample): 5 đơn vị thuộc 1 đơn vị quản lý → " + csv), drawn.out());
    assertEquals(5, count(mart, "SELECT count(*) FROM v_inspection_sample WHERE source = 'command' AND share = 0.5 AND seed = 11"));
    java.util.List<String> lines = Files.readAllLines(csv);
    assertEquals(6, lines.size(), "header and five units");
    String first = Files.readString(csv);
    assertTrue(!first.contains(",=HYPERLINK") && !first.contains(",\"=HYPERLINK"), "a formula in a unit name is never written as one: " + first);

    Outcome again = cds("inspect-sample", "--year", "2024-2025", "--share", "0.5", "--seed", "11", "--out", out.toString(), "--master", "local[2]");
    assertEquals(0, again.exit(), again.err());
    assertEquals(first, Files.readString(csv), "the same seed draws the same sample");

    Outcome rerun = cds("run", "--input", in.toString(), "--out", out.toString(), "--master", "local[2]");
    assertEquals(0, rerun.exit(), rerun.err());
    assertEquals(5, count(mart, "SELECT count(*) FROM v_inspection_sample WHERE source = 'command'"), "a drawn sample is a decision: runs keep it");

    Outcome noYear = cds("inspect-sample", "--year", "1999-2000", "--out", out.toString(), "--master", "local[2]");
    assertEquals(2, noYear.exit());
    assertEquals("Lỗi cấu hình (configuration error): Năm học 1999-2000 không có trong kho dữ liệu (school year not in the lake); có: 2024-2025\n",
        noYear.err());
  }

  @Test
  void aBadCriterionCostIsOneLineNamingTheRow() throws Exception {
    Path in = input("Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,DH4\nA,Trường A,2024-2025,Tự đánh giá,5\n");
    Files.writeString(in.resolve("criterion_costs.csv"), "indicator_set,criterion_id,cost_vnd_per_unit,illustrative\nQD4725,DH4,5000000,false\n"
        + "4725,DH9,1000,false\n");
    Outcome o = cds("run", "--input", in.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[2]");
    assertEquals(2, o.exit());
    assertEquals("Lỗi cấu hình (configuration error): criterion_costs.csv dòng (row) 3: tiêu chí không có trong QD4725 (unknown criterion_id) 'DH9'\n",
        o.err());
  }

  @Test
  void aBadDocumentDeadlineIsOneLineNamingTheRow() throws Exception {
    Path in = input("Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,DH4\nA,Trường A,2024-2025,Tự đánh giá,5\n");
    Files.writeString(in.resolve("document_deadlines.csv"), "school_year,province_code,document,school_level,deadline\n2024-2025,31,ke_hoach,,15/12/2024\n"
        + "2024-2025,31,ke_hoach_cds,,15/12/2024\n");
    Outcome o = cds("run", "--input", in.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[2]");
    assertEquals(2, o.exit());
    assertEquals("Lỗi cấu hình (configuration error): document_deadlines.csv dòng (row) 3: document không có trong milestones.json (unknown document code): "
        + "'ke_hoach_cds'\n", o.err());
    assertFalse(o.out().contains("▸ read"), "nothing was read before the check");
  }

  @Test
  void badReferenceFilesAreOneLineNamingTheRowBeforeAnyWork() throws Exception {
    Path in = input("Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,DH4\nA,Trường A,2024-2025,Tự đánh giá,5\n");
    Files.writeString(in.resolve("deadlines.csv"), "school_year,province_code,stage,deadline\n2024-2025,31,self,31/01/2025\n2024-2025,31,external,31-03-2025\n");
    Outcome deadline = cds("run", "--input", in.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[2]");
    assertEquals(2, deadline.exit());
    assertEquals("Lỗi cấu hình (configuration error): deadlines.csv dòng (row) 3: deadline phải là ngày dạng dd/mm/yyyy (must be a date dd/mm/yyyy): "
        + "'31-03-2025'\n", deadline.err());
    assertFalse(deadline.out().contains("▸ read"), "nothing was read before the check");

    Files.delete(in.resolve("deadlines.csv"));
    Files.writeString(in.resolve("units.csv"), "unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,"
        + "managing_unit_code,valid_from,valid_to\nA,Trường A,TH,cong_lap,31,303,,P,2022-2023,,extra\n");
    Outcome units = cds("run", "--input", in.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[2]");
    assertEquals(2, units.exit());
    assertEquals("Lỗi cấu hình (configuration error): units.csv dòng (row) 2: 11 ô nhưng tiêu đề chỉ có 10 cột (more cells than header columns)\n",
        units.err());

    Files.writeString(in.resolve("units.csv"), "unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,"
        + "managing_unit_code,valid_from,valid_to\nA,Trường A,TH,cong_lap,31,303,,P,2022,\n");
    Outcome year = cds("run", "--input", in.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[2]");
    assertEquals("Lỗi cấu hình (configuration error): units.csv dòng (row) 2: valid_from phải là năm học dạng 2024-2025 (must be a school year like "
        + "2024-2025): '2022'\n", year.err());
    Outcome catalog = cds("run", "--input", in.toString(), "--catalogs", tmp.resolve("no-catalogs").toString());
    assertEquals(2, catalog.exit());
    assertEquals("Lỗi danh mục bộ chỉ số (catalog error):\n  " + tmp.resolve("no-catalogs") + ": catalog folder not found\n", catalog.err());
  }

  @Test
  void anUnknownOptionIsRejectedWithUsage() {
    Outcome o = cds("run", "--inptu", "x");
    assertEquals(2, o.exit());
    assertTrue(o.err().startsWith("Unknown options: '--inptu', 'x'\nUsage: cds run"), o.err());
  }
}
