package vn.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path tmp;

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
    Outcome plain = cds("run", "--input", in.toString(), "--out", tmp.resolve("out1").toString(), "--master", "local[2]");
    assertEquals(0, plain.exit(), plain.err());
    assertTrue(plain.out().contains("Đối chiếu (reconciliation): 2 dòng đọc = 1 nhận + 1 loại + 0 thay thế ✓"), plain.out());
    Outcome strict = cds("run", "--input", in.toString(), "--out", tmp.resolve("out2").toString(), "--master", "local[2]", "--strict");
    assertEquals(1, strict.exit(), strict.err());
    assertTrue(Files.exists(tmp.resolve("out2/mart/cds.duckdb")), "a strict run still writes everything it read");
  }

  @Test
  void nothingReadableAtAllIsFatal() throws Exception {
    Path in = input("");
    Outcome o = cds("run", "--input", in.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[2]");
    assertEquals(2, o.exit());
    assertEquals("Lỗi cấu hình (configuration error): Không đọc được dòng dữ liệu nào từ 1 tệp (nothing readable in any export file: 1 with errors)\n",
        o.err());
  }

  @Test
  void anUnknownOptionIsRejectedWithUsage() {
    Outcome o = cds("run", "--inptu", "x");
    assertEquals(2, o.exit());
    assertTrue(o.err().startsWith("Unknown options: '--inptu', 'x'\nUsage: cds run"), o.err());
  }
}
