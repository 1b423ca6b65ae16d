package vn.cds.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import vn.cds.TestSupport;
import vn.cds.mart.MartBuilder;

/**
 * The Superset bundle in a real Apache Superset 6.1 (dashboards/superset-run: pinned in a venv, SQLite metadata, on
 * 127.0.0.1), imported with the command the README gives a Sở, over the sample's mart deployed as the README says.
 * Every dashboard is opened in Debian's headless Chromium (check_dashboards.py, Playwright): each chart's own query
 * must answer 200 with rows and the page must show no error in any chart. No stand-in: if Superset cannot be
 * installed or started, this fails with the reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupersetDashboardsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path RUN_DIR = TestSupport.repoRoot().resolve("dashboards/superset-run");
  /** The screenshots and reports, kept as the test's artifacts. */
  private static final Path ARTIFACTS = TestSupport.repoRoot().resolve("jobs/target/superset-check");
  private static final List<String> DASHBOARDS = List.of("Báo cáo Bộ GDĐT", "Chất lượng dữ liệu và tiến độ", "Tiêu chí yếu và ưu tiên đầu tư",
      "Tiến độ triển khai", "Toàn cảnh mức độ chuyển đổi số"); // in String order (ê sorts before ế)
  /** Charts that may answer no rows on the sample, each with the reason (none today). */
  private static final Map<String, String> MAY_BE_EMPTY = Map.of();

  static Path state, srv;
  static int port;
  static TestSupport.SampleRun sample;
  private static JsonNode sampleReport;

  @BeforeAll
  static void startSuperset() throws Exception {
    sample = TestSupport.sampleRun();
    // this run's screenshots and reports only
    if (Files.isDirectory(ARTIFACTS)) try (var old = Files.list(ARTIFACTS)) {
      for (Path p : old.toList()) Files.delete(p);
    }
    Path work = Files.createTempDirectory("cds-superset");
    state = work.resolve("state");
    srv = work.resolve("srv");
    Files.createDirectories(srv);
    deploy(sample.mart());
    SupersetBundle.load(TestSupport.repoRoot().resolve("dashboards/superset")).writeZip(work.resolve("cds-superset.zip"), srv.resolve("cds.duckdb"));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // Superset's set-up (~27 s, mostly one core) overlaps the multi-province run that the third test reads
    var started = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        script(600, "start", state.toString(), String.valueOf(port));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      MultiProvinceRun.mart();
    } finally {
      started.join(); // so that stopSuperset finds the server's pid
    }
    script(300, "import", state.toString(), work.resolve("cds-superset.zip").toString());
  }

  @AfterAll
  static void stopSuperset() throws Exception {
    if (state != null) script(60, "stop", state.toString());
  }

  /** The README's nightly deploy: a copy beside the live file, then one atomic rename over it. */
  static void deploy(Path mart) throws Exception {
    run(60, List.of("sh", "-c", "install -m 0640 \"$1\" \"$2/.cds.duckdb.new\" && mv \"$2/.cds.duckdb.new\" \"$2/cds.duckdb\"", "deploy",
        mart.toString(), srv.toString()));
  }

  static String script(int seconds, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", RUN_DIR.resolve("superset.sh").toString()));
    cmd.addAll(List.of(args));
    return run(seconds, cmd);
  }

  static String run(int seconds, List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    // read while it runs: a full pipe would stall the process
    var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (Exception e) {
        return e.toString();
      }
    });
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not end within " + seconds + " s");
    }
    String out = output.get();
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  /** Opens the dashboards in Chromium; returns check_dashboards.py's report. */
  static JsonNode check(String tag, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("python", RUN_DIR.resolve("check_dashboards.py").toString(), "--url", "http://127.0.0.1:" + port,
        "--password", "admin", "--out", ARTIFACTS.toString(), "--tag", tag));
    args.addAll(List.of(options));
    script(900, args.toArray(String[]::new));
    return JSON.readTree(ARTIFACTS.resolve(tag + ".json").toFile());
  }

  /** The report over every dashboard of the sample's mart, with the overview's two filters applied: made once, read by two tests. */
  static synchronized JsonNode sampleReport() throws Exception {
    if (sampleReport == null) sampleReport = check("sample", "--filter", "Năm học", "--filter", "Khu vực", "--filters-on", "cds-toan-canh");
    return sampleReport;
  }

  static JsonNode dashboard(JsonNode report, String title) {
    for (JsonNode d : report.get("dashboards")) if (d.get("title").asText().equals(title)) return d;
    throw new AssertionError("no dashboard " + title + " in " + report);
  }

  /** The first row of the named chart's answer. */
  static JsonNode firstRow(JsonNode charts, String name) {
    for (JsonNode c : charts) if (c.get("name").asText().equals(name)) return c.get("rows").get(0);
    throw new AssertionError("chart " + name + " did not query");
  }

  static long sqlLong(String sql, String... params) throws Exception {
    return Long.parseLong(sqlText(sql, params));
  }

  static String sqlText(String sql, String... params) throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + sample.mart(), ro); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Every chart of the dashboard answered 200 with rows (or may be empty, by name), and none shows an error. */
  static void assertEveryChartAnswers(JsonNode d) {
    String title = d.get("title").asText();
    assertTrue(d.get("all_answered").asBoolean(), title + ": some charts never queried: " + d);
    assertEquals("{}", d.get("alerts").toString(), title + ": charts show errors");
    java.util.SortedSet<String> seen = new java.util.TreeSet<>();
    for (JsonNode c : d.get("charts")) {
      String name = c.get("name").asText();
      assertEquals(200, c.get("status").asInt(), title + " / " + name + ": " + c.get("error"));
      assertTrue(c.get("error").isNull(), title + " / " + name + ": " + c.get("error"));
      if (!MAY_BE_EMPTY.containsKey(name)) assertTrue(c.get("rowcount").asInt() > 0, title + " / " + name + " answered no rows");
      seen.add(name);
    }
    List<String> expected = new ArrayList<>();
    d.get("expected_charts").forEach(n -> expected.add(n.asText()));
    assertEquals(expected, List.copyOf(seen), title + ": every chart of the dashboard queried");
  }

  @Test
  @Order(1)
  void everyChartOfEveryDashboardAnswersInChromium() throws Exception {
    JsonNode report = sampleReport();
    JsonNode db = report.get("databases").get(0);
    assertEquals("duckdb", db.get("backend").asText());
    assertTrue(db.get("read_only").asBoolean(), "the imported database stays read-only: " + db);
    assertFalse(db.get("allow_dml").asBoolean());

    List<String> titles = new ArrayList<>();
    report.get("dashboards").forEach(d -> titles.add(d.get("title").asText()));
    assertEquals(DASHBOARDS, titles.stream().sorted().toList());
    for (JsonNode d : report.get("dashboards")) {
      assertEveryChartAnswers(d);
      assertTrue(Files.size(ARTIFACTS.resolve(d.get("screenshot").asText())) > 20_000, "a screenshot of " + d.get("title"));
    }

    // the overview opens on the latest school year, and its headline equals the mart's own count
    JsonNode overview = dashboard(report, "Toàn cảnh mức độ chuyển đổi số");
    assertEquals(sqlLong("SELECT sum(assessed) FROM v_level_distribution WHERE scope = 'overall' AND school_year = '2025-2026'"),
        firstRow(overview.get("charts"), "Số đơn vị đã đánh giá").get("units_assessed").asLong());

    // the planners' "weakest criteria" are the weakest: the lowest mean attainment of the year comes first
    JsonNode weakest = firstRow(dashboard(report, "Tiêu chí yếu và ưu tiên đầu tư").get("charts"), "Tiêu chí yếu nhất (mức đạt bình quân thấp nhất)");
    assertEquals(sqlText("SELECT indicator_set || ' ' || criterion_id FROM v_criterion_gap WHERE school_year = '2025-2026' GROUP BY ALL "
        + "ORDER BY sum(mean_attainment * units_reported) / sum(units_reported), 1 LIMIT 1"),
        weakest.get("indicator_set").asText() + " " + weakest.get("criterion_id").asText());

    // the yearly cycle's dashboard opens on the headline counts of its latest school year ("x/y Phòng đã gửi Kế hoạch")
    assertEquals(sqlText("SELECT headline FROM v_document_headline WHERE school_level IN ('PHONG', 'SO') AND school_year = "
        + "(SELECT max(school_year) FROM v_document_headline) ORDER BY document_order, school_level_order LIMIT 1"),
        firstRow(dashboard(report, "Tiến độ triển khai").get("charts"), "Phòng GDĐT và Sở: đã gửi / phải gửi").get("headline").asText());

    // each filter, applied once in the filter bar, makes the charts query again, without error, for what was picked
    JsonNode filters = overview.get("filters");
    assertEquals(2, filters.size(), filters.toString());
    JsonNode year = filters.get(0), area = filters.get(1);
    assertEquals("2024-2025", year.get("value").asText());
    assertEquals("{}", year.get("alerts").toString());
    assertTrue(year.get("charts").size() >= 5, "the charts queried again: " + year);
    for (JsonNode c : year.get("charts")) assertEquals(200, c.get("status").asInt(), c.toString());
    assertEquals(sqlLong("SELECT sum(assessed) FROM v_level_distribution WHERE scope = 'overall' AND school_year = '2024-2025'"),
        firstRow(year.get("charts"), "Số đơn vị đã đánh giá").get("units_assessed").asLong());
    String areaName = area.get("value").asText();
    long areaAssessed = sqlLong("SELECT sum(assessed) FROM v_level_distribution WHERE scope = 'overall' AND school_year = '2024-2025' AND area_name = ?",
        areaName);
    assertTrue(areaAssessed > 0, "the area filter offers the chosen year's areas: " + areaName);
    assertEquals(areaAssessed, firstRow(area.get("charts"), "Số đơn vị đã đánh giá").get("units_assessed").asLong());
    for (JsonNode c : area.get("charts")) assertEquals(200, c.get("status").asInt(), c.toString());
    assertEquals("{}", area.get("alerts").toString());
  }

  /** The README's nightly rebuild while Superset runs: the renamed file shows at the next load, without a lock error. */
  @Test
  @Order(2)
  void aRebuiltMartRenamedIntoPlaceShowsAtTheNextLoad() throws Exception {
    String before = firstRow(dashboard(sampleReport(), "Chất lượng dữ liệu và tiến độ").get("charts"), "Lần cập nhật dữ liệu").get("run_id").asText();
    assertEquals(sample.result().runId(), before);

    Path rebuilt = Files.createTempDirectory("cds-rebuilt-mart");
    String runId = "rebuild-" + Instant.now().getEpochSecond();
    List<String> groupIds = new ArrayList<>();
    vn.cds.catalog.Catalogs.load(TestSupport.catalogs()).sets()
        .forEach(s -> s.groups().forEach(g -> { if (!groupIds.contains(g.id())) groupIds.add(g.id()); }));
    MartBuilder.RunInfo was = sample.result().run(); // the same lake and counts, under a new run id
    Path mart = new MartBuilder(sample.out().resolve("lake"), rebuilt).build(new MartBuilder.RunInfo(runId, Instant.now(), was.inputDir(),
        was.catalogsDir(), was.sparkVersion(), was.rowsRead(), was.accepted(), was.rejected(), was.superseded(), was.files(), was.provisionalSets()),
        groupIds);
    deploy(mart);

    JsonNode after = dashboard(check("after-rebuild", "--slug", "cds-chat-luong"), "Chất lượng dữ liệu và tiến độ");
    assertEveryChartAnswers(after);
    assertEquals(runId, firstRow(after.get("charts"), "Lần cập nhật dữ liệu").get("run_id").asText());
    String log = Files.readString(state.resolve("superset.log"), StandardCharsets.UTF_8);
    assertFalse(log.contains("Could not set lock") || log.contains("Conflicting lock"), "no lock error in Superset's log");
  }
  /** The rows of a chart's answer, by the chart's name. */
  static JsonNode rows(JsonNode charts, String name) {
    for (JsonNode c : charts) if (c.get("name").asText().equals(name)) return c.get("rows");
    throw new AssertionError("chart " + name + " did not query");
  }

  /** Each group's value of a measure over the multi-province mart's latest year (group → value). */
  static java.util.Map<String, Double> byGroup(String group, String measure, String where) throws Exception {
    java.util.Map<String, Double> out = new java.util.HashMap<>();
    for (String r : MultiProvinceRun.rows("SELECT " + group + ", " + measure + " FROM v_level_distribution WHERE scope = 'overall' AND school_year = '"
        + MultiProvinceRun.YEAR + "'" + where + " GROUP BY 1 HAVING sum(assessed) > 0")) {
      int cut = r.lastIndexOf(' ');
      out.put(r.substring(0, cut), Double.valueOf(r.substring(cut + 1)));
    }
    return out;
  }

  /** A chart drew the groups with the highest measure: none left out is above one drawn (ties may go either way). */
  static void assertTopByMeasure(JsonNode rows, String column, java.util.Map<String, Double> measure, String chart) {
    java.util.Set<String> drawn = new java.util.HashSet<>();
    rows.forEach(r -> drawn.add(r.get(column).asText()));
    double lowestDrawn = drawn.stream().mapToDouble(measure::get).min().orElseThrow();
    double highestLeft = measure.entrySet().stream().filter(e -> !drawn.contains(e.getKey())).mapToDouble(java.util.Map.Entry::getValue).max().orElse(-1);
    assertTrue(lowestDrawn >= highestLeft, chart + ": drew " + drawn + ", left out one above " + lowestDrawn);
  }

  /**
   * The drill path in Superset on a mart of eleven provinces (65 former districts, 45 of them in one province): the
   * overview opens at the country, each axis draws at most 40 groups picked by its measure, every province is in the
   * table, and the province filter narrows the area charts to that province's districts.
   */
  @Test
  @Order(3)
  void aMartOfSeveralProvincesReadsAtEveryLevel() throws Exception {
    deploy(MultiProvinceRun.mart());
    JsonNode report = check("provinces", "--slug", "cds-toan-canh", "--slug", "cds-tieu-chi-yeu", "--filter", "Tỉnh/thành phố", "--option-text", "Tỉnh 10",
        "--filters-on", "cds-toan-canh");
    JsonNode overview = dashboard(report, "Toàn cảnh mức độ chuyển đổi số");
    // the heat-map opens at one province (the first), never the 65 former districts × criteria
    JsonNode planning = dashboard(report, "Tiêu chí yếu và ưu tiên đầu tư");
    assertEveryChartAnswers(planning);
    for (JsonNode c : planning.get("charts"))
      if (c.get("name").asText().equals("Mức đạt theo khu vực (huyện cũ) × tiêu chí"))
        assertEquals(Long.parseLong(MultiProvinceRun.rows("SELECT count(DISTINCT former_district_name || '|' || criterion_id) FROM v_criterion_gap "
            + "WHERE school_year = '" + MultiProvinceRun.YEAR + "' AND province_name = 'Tỉnh 0'").get(0)), c.get("rowcount").asLong(), c.toString());
    assertEveryChartAnswers(overview);
    JsonNode charts = overview.get("charts");
    String overall = " WHERE scope = 'overall' AND school_year = '" + MultiProvinceRun.YEAR + "'";
    assertEquals(Long.parseLong(MultiProvinceRun.rows("SELECT sum(assessed) FROM v_level_distribution" + overall).get(0)),
        firstRow(charts, "Số đơn vị đã đánh giá").get("units_assessed").asLong(), "the country's count");
    // categories drawn by default: 11 provinces; 40 of the 65 former districts; every province in the table
    assertEquals(11, rows(charts, "So sánh các tỉnh/thành phố (40 tỉnh có tỷ lệ Mức 2+ cao nhất)").size());
    assertEquals(11, rows(charts, "Xếp hạng tỉnh/thành phố theo tỷ lệ Mức 2 trở lên").size());
    JsonNode byArea = rows(charts, "Phân bố mức theo khu vực (huyện cũ)"), rank = rows(charts, "Xếp hạng khu vực (huyện cũ) theo tỷ lệ Mức 2 trở lên");
    assertEquals(40, byArea.size());
    assertEquals(40, rank.size());
    assertTopByMeasure(byArea, "area_group_name", byGroup("area_group_name", "sum(assessed)", ""), "distribution");
    assertTopByMeasure(rank, "area_group_name", byGroup("area_group_name", "(sum(level_2) + sum(level_3)) / sum(assessed)", ""), "ranking");
    // the values drawn are the mart's
    JsonNode first = byArea.get(0);
    assertEquals(Long.parseLong(MultiProvinceRun.rows("SELECT sum(level_1) FROM v_level_distribution" + overall + " AND area_group_name = '"
        + first.get("area_group_name").asText() + "'").get(0)), first.get("level_1").asLong());
    JsonNode provinces = rows(charts, "Xếp hạng tỉnh/thành phố theo tỷ lệ Mức 2 trở lên");
    assertEquals(byGroup("province_name", "sum(assessed)", "").get(provinces.get(0).get("province_name").asText()).longValue(),
        provinces.get(0).get("units_assessed").asLong());

    // the published figures beside the provinces' own, each row with its source, for the year of the filter
    JsonNode comparison = rows(charts, "So sánh với số liệu công bố (tỉnh khác, toàn quốc; ghi nguồn)");
    assertEquals(13, comparison.size(), "11 provinces' own counts and 2 published: " + comparison);
    java.util.Map<String, String> published = new java.util.TreeMap<>();
    comparison.forEach(r -> { if (!r.get("source").asText().startsWith("Dữ liệu đơn vị của Sở")) published.put(r.get("province_name").asText(),
        r.get("assessed").asText() + " " + r.get("source").asText()); });
    assertEquals(java.util.Map.of("Tỉnh Khác", "360 Sở GDĐT Tỉnh Khác - công bố 06/2025 (minh họa)", "Toàn quốc", "41000 Bộ GDĐT - báo cáo tổng hợp (minh họa)"),
        published);

    // one province picked: its count, and its own former districts only (at most 40)
    JsonNode picked = overview.get("filters").get(0);
    assertEquals("{}", picked.get("alerts").toString());
    String province = picked.get("value").asText();
    assertEquals("Tỉnh 10", province, "picked by typing its name");
    // the filter lists provinces by code, as people expect: Tỉnh 2 before Tỉnh 10 (text order put Tỉnh 10 third)
    java.util.List<String> shown = new java.util.ArrayList<>();
    picked.get("options_shown").forEach(o -> shown.add(o.asText()));
    assertTrue(shown.size() >= 5, shown.toString());
    assertEquals(java.util.stream.IntStream.range(0, shown.size()).mapToObj(i -> "Tỉnh " + i).toList(), shown);
    String in = " AND province_name = '" + province.replace("'", "''") + "'";
    assertEquals(Long.parseLong(MultiProvinceRun.rows("SELECT sum(assessed) FROM v_level_distribution" + overall + in).get(0)),
        firstRow(picked.get("charts"), "Số đơn vị đã đánh giá").get("units_assessed").asLong(), province);
    int districts = byGroup("area_group_name", "sum(assessed)", in).size();
    assertEquals(Math.min(40, districts), rows(picked.get("charts"), "Phân bố mức theo khu vực (huyện cũ)").size(), province + ": " + districts);
  }
}
