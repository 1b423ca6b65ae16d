package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

/** Re-running changes nothing; re-ingesting one school year replaces that year and leaves the others alone. */
class ReingestTest {
  @TempDir Path dir;

  static final String HEAD = "Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,Ngày nộp,DH1,DH4,DH5.1,QT1,QT3.3";

  private void input(Path in, Map<String, String> exports) throws Exception {
    Files.createDirectories(in.resolve("exports"));
    Files.writeString(in.resolve("units.csv"), "unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,managing_unit_code,valid_from,valid_to\n"
        + "A,Trường A,TH,cong_lap,31,303,,P,2022-2023,\nB,Trường B,THCS,cong_lap,31,304,,P,2022-2023,\n");
    Files.writeString(in.resolve("areas.csv"), "area_code,area_name,area_type,parent_code,valid_from,valid_to,successor_code\n31,Hải Phòng,province,,2022-2023,,\n");
    for (var e : exports.entrySet()) Files.writeString(in.resolve("exports").resolve(e.getKey()), HEAD + "\n" + e.getValue());
  }

  /** The tests' session, unless a test gives one of its own. */
  private void run(Path in, Path out) throws Exception {
    run(TestSupport.spark(), in, out);
  }

  private void run(org.apache.spark.sql.SparkSession session, Path in, Path out) throws Exception {
    new Pipeline(session, new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
        .run(new Pipeline.Config(in.toString(), out.toString(), TestSupport.catalogs(), false));
  }

  /** Every table and view of the mart but the run's own metadata (_mart_metadata, v_mart_run), each as its rows in a fixed order. */
  static Map<String, String> dump(Path mart) throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    Map<String, String> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + mart, ro); Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_name NOT IN ('_mart_metadata', 'v_mart_run')")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + t + " ORDER BY ALL")) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= n; i++) sb.append(rs.getString(i)).append('|');
            sb.append('\n');
          }
        }
        out.put(t, sb.toString());
      }
    }
    return out;
  }

  private static long count(Path mart, String sql) throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + mart, ro); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String rows(Path mart, String sql) throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    StringBuilder sb = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + mart, ro); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) sb.append(rs.getString(i)).append('|');
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void rerunIsIdenticalAndReingestReplacesOnlyThatYear() throws Exception {
    Path in = dir.resolve("in"), out = dir.resolve("out"), mart = out.resolve("mart/cds.duckdb");
    input(in, Map.of(
        "y1.csv", "A,Trường A,2023-2024,Tự đánh giá,05/01/2024,Đạt,5,10,Đạt,8\nB,Trường B,2023-2024,Tự đánh giá,05/01/2024,Đạt,6,5,Đạt,9\n",
        "y2-self.csv", "A,Trường A,2024-2025,Tự đánh giá,05/01/2025,Đạt,7,12,Đạt,10\n",
        "y2-external.csv", "A,Trường A,2024-2025,Đánh giá ngoài,05/03/2025,Đạt,6,12,Đạt,10\nZ,Lạ,2024-2025,Đánh giá ngoài,05/03/2025,Đạt,6,12,Đạt,10\n"));
    run(in, out);
    Map<String, String> first = dump(mart);
    run(in, out);
    assertEquals(first, dump(mart), "same inputs, same mart content");
    assertEquals(2, count(mart, "SELECT count(*) FROM fact_assessment WHERE school_year = '2024-2025' AND stage = 'external'"));

    // 2024-2025 again, now without the external file and with a corrected self-assessment
    Path in2 = dir.resolve("in2");
    input(in2, Map.of("y2-self.csv", "A,Trường A,2024-2025,Tự đánh giá,10/01/2025,Đạt,9,15,Đạt,10\n"));
    run(in2, out);
    Map<String, String> second = dump(mart);
    assertNotEquals(first.get("fact_assessment"), second.get("fact_assessment"));
    assertEquals(0, count(mart, "SELECT count(*) FROM fact_assessment WHERE school_year = '2024-2025' AND stage = 'external'"),
        "the whole year is replaced, including the stage that is no longer there");
    assertEquals(24.0, (double) count(mart, "SELECT points FROM fact_assessment WHERE school_year = '2024-2025' AND unit_code = 'A' AND group_id = 'DH'"));
    assertEquals(0, count(mart, "SELECT count(*) FROM fact_reject WHERE school_year = '2024-2025'"), "the year's old rejects went with it");
    for (String table : List.of("fact_assessment", "fact_criterion_score"))
      assertEquals(lines(first.get(table), "2023-2024"), lines(second.get(table), "2023-2024"), table + ": 2023-2024 untouched");
    assertEquals(4, count(mart, "SELECT count(*) FROM fact_assessment WHERE school_year = '2023-2024'"));
    assertEquals("exports/y1.csv|2023-2024|2|\nexports/y2-self.csv|2024-2025|1|\n", rows(mart,
        "SELECT source_file, school_year, rows_accepted FROM fact_ingest_file ORDER BY 1"),
        "the files of the year not re-ingested are still listed; the re-ingested year's are this run's (the external file is gone)");
    assertEquals(2, count(mart, "SELECT sum(prev_assessed) FROM v_level_trend WHERE school_year = '2024-2025' AND grouping = 'province' "
        + "AND scope = 'overall'"), "the trend still compares with 2023-2024 (A and B assessed), the year that was not re-ingested");
  }

  /** The number of shuffle partitions changes how Spark splits every step, never what the mart holds. */
  @Test
  void theMartDoesNotDependOnTheNumberOfPartitions() throws Exception {
    Path in = dir.resolve("in");
    input(in, Map.of(
        "b.csv", "A,Trường A,2023-2024,Tự đánh giá,05/01/2024,Đạt,5,10,Đạt,8\nB,Trường B,2023-2024,Tự đánh giá,05/01/2024,Đạt,6,5,Đạt,9\n"
            + "A,Trường A,2024-2025,Tự đánh giá,05/01/2025,Đạt,7,12,Đạt,10\n",
        "a.csv", "A,Trường A,2024-2025,Tự đánh giá,06/01/2025,Đạt,9,15,Đạt,10\nB,Trường B,2024-2025,Đánh giá ngoài,05/03/2025,Đạt,6,xx,Đạt,10\n",
        "c.csv", "A,Trường A,2024-2025,Đánh giá ngoài,05/03/2025,Đạt,6,12,Đạt,10\nA,Trường A,2024-2025,Đánh giá ngoài,05/03/2025,Đạt,6,12,Đạt,9\n"));
    var onePartition = TestSupport.ownSession(); // settings of its own: the other classes' runs keep theirs
    onePartition.conf().set("spark.sql.shuffle.partitions", "1");
    run(onePartition, in, dir.resolve("one"));
    var sevenPartitions = TestSupport.ownSession();
    sevenPartitions.conf().set("spark.sql.shuffle.partitions", "7");
    run(sevenPartitions, in, dir.resolve("seven"));
    Map<String, String> one = dump(dir.resolve("one/mart/cds.duckdb"));
    assertEquals(one, dump(dir.resolve("seven/mart/cds.duckdb")));
    assertEquals(2, count(dir.resolve("one/mart/cds.duckdb"), "SELECT count(*) FROM fact_reject WHERE reason_code = 'DUPLICATE_SUPERSEDED'"),
        "an older self-assessment and a same-day duplicate, superseded the same way whatever the partitions");
  }

  private static List<String> lines(String dump, String year) {
    return dump.lines().filter(l -> l.contains("|" + year + "|") || l.endsWith(year + "|")).toList();
  }
}
