package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

/**
 * The nightly rebuild, as it really happens: `cds run` in its own JVM, killed with SIGKILL in the middle of each
 * stage, while another process reads the mart. The previous mart stays whole and readable, and the next run's mart
 * equals an uninterrupted run's.
 */
class CrashSafetyTest {
  @TempDir Path dir;

  static final String HEAD = "Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,Ngày nộp,DH1,DH2,DH4,DH5.1,QT1,QT2,QT3.3";

  /** {@code units} TH schools, each with a self-assessment in 2023-2024 and in 2024-2025. */
  static Path input(Path dir, int units) throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in.resolve("exports"));
    StringBuilder unitsCsv = new StringBuilder("unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,"
        + "managing_unit_code,valid_from,valid_to\n");
    StringBuilder y1 = new StringBuilder(HEAD + "\n"), y2 = new StringBuilder(HEAD + "\n");
    for (int i = 0; i < units; i++) {
      unitsCsv.append("U").append(i).append(",Trường ").append(i).append(",TH,cong_lap,31,30").append(i % 3).append(",,P,2022-2023,\n");
      y1.append("U").append(i).append(",Trường ").append(i).append(",2023-2024,Tự đánh giá,05/01/2024,Đạt,Đạt,").append(i % 10).append(",9,Đạt,Đạt,7\n");
      y2.append("U").append(i).append(",Trường ").append(i).append(",2024-2025,Tự đánh giá,05/01/2025,Đạt,Đạt,").append((i + 3) % 10).append(",12,Đạt,Đạt,9\n");
    }
    Files.writeString(in.resolve("units.csv"), unitsCsv);
    Files.writeString(in.resolve("areas.csv"), "area_code,area_name,area_type,parent_code,valid_from,valid_to,successor_code\n31,Hải Phòng,province,,2022-2023,,\n");
    Files.writeString(in.resolve("exports/y1.csv"), y1);
    Files.writeString(in.resolve("exports/y2.csv"), y2);
    return in;
  }

  /** `cds run` in a child JVM; killed with SIGKILL as soon as it announces {@code killAtStage} (null: runs to the end). */
  private static int cds(Path in, Path out, String killAtStage, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--input", in.toString(), "--out", out.toString(), "--master", "local[2]"));
    args.addAll(List.of(more));
    Process p = TestSupport.startCds("1g", args.toArray(String[]::new));
    StringBuilder log = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        log.append(line).append('\n');
        if (killAtStage != null && line.startsWith("▸ " + killAtStage)) {
          Thread.sleep(killAtStage.equals("mart") ? 300 : 150); // into the stage, not at its first instruction
          p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
          break;
        }
      }
    }
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "cds run ended");
    if (killAtStage == null) assertEquals(0, p.exitValue(), log.toString());
    else assertEquals(137, p.exitValue(), "killed by SIGKILL at " + killAtStage + ":\n" + log);
    return p.exitValue();
  }

  private static Connection readOnly(Path mart) throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + mart, ro);
  }

  private static String runId(Connection c) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT run_id FROM _mart_metadata")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long units(Connection c) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM v_unit_result")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Killed during read, scoring, analytics, lake write and mart load, the run leaves the previous mart whole. Then the
   * repairing run rebuilds while readers work: a connection held open keeps answering from the file it opened; a
   * reader process that connects meanwhile gets the old or the new mart, whole, never a lock error; afterwards a new
   * reader process gets the new mart, and it equals the uninterrupted run's.
   */
  @Test
  void aKilledRunLeavesThePreviousMartAndReadersKeepWorkingWhileTheNextRepairsIt() throws Exception {
    Path in = input(dir, 40), out = dir.resolve("out"), mart = out.resolve("mart/cds.duckdb");
    cds(in, out, null, "--timings", dir.resolve("timings.json").toString());
    assertEquals("interpreted", new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("timings.json").toFile())
        .get("code_generation").asText(), "a run of its own over 40 units' exports interprets Spark's expressions");
    Map<String, String> uninterrupted = ReingestTest.dump(mart);
    String before;
    try (Connection c = readOnly(mart)) {
      before = runId(c);
    }
    for (String stage : List.of("read", "scoring", "analytics", "lake", "mart")) {
      cds(in, out, stage);
      try (Connection c = readOnly(mart)) {
        assertEquals(before, runId(c), "killed during " + stage + ": the previous mart is still in place");
        assertEquals(80, units(c), "and whole");
      }
    }

    try (Connection old = readOnly(mart)) {
      Thread repair = new Thread(() -> {
        try {
          cds(in, out, null);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      repair.start();
      List<String> seen = new ArrayList<>();
      while (repair.isAlive()) {
        assertEquals(80, units(old), "the open connection keeps answering");
        String r = TestSupport.sqlInAnotherProcess(mart, "SELECT (SELECT run_id FROM _mart_metadata) || ' ' || count(*) FROM v_unit_result");
        assertTrue(r.endsWith(" 80"), "a reader process during the rebuild sees a whole mart: " + r);
        seen.add(r);
      }
      repair.join();
      assertEquals(before, runId(old), "the connection held open still reads the file it opened");
      assertTrue(seen.size() >= 3 && seen.get(0).startsWith(before), "readers ran during the rebuild: " + seen);
    }
    assertFalse(before.equals(TestSupport.sqlInAnotherProcess(mart, "SELECT run_id FROM _mart_metadata")), "a new reader process sees the new mart");
    assertEquals(uninterrupted, ReingestTest.dump(mart), "the run after the crashes gives the uninterrupted run's mart");
    try (var files = Files.list(out.resolve("mart"))) {
      assertEquals(List.of("cds.duckdb"), files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file left behind");
    }
  }
}
