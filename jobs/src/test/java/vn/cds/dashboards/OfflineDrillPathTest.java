package vn.cds.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;

/**
 * The offline dashboard's drill path on a mart of eleven provinces, in a real headless Chromium: the national page
 * (provinces) → a province's own page (its areas) → an area (its school levels and units). Each chart's categories
 * are counted as drawn, and the numbers compared with SQL on the mart.
 */
class OfflineDrillPathTest {
  static final Path SHOTS = TestSupport.repoRoot().resolve("jobs/target");
  static Path dir;
  static List<Path> pages;

  @BeforeAll
  static void writePages() throws Exception {
    dir = Files.createTempDirectory("cds-drill");
    pages = OfflineDashboard.write(MultiProvinceRun.mart(), dir.resolve("index.html"));
  }

  /** How many categories each chart draws on its axis of groups. */
  static JsonNode categories(HeadlessChromium b) throws Exception {
    return b.eval("(() => { const out = {}; ['c-dist', 'c-rank', 'c-heat', 'c-coverage', 'c-gap', 'c-provinces'].forEach(id => {"
        + " const o = echarts.getInstanceByDom(document.getElementById(id)).getOption();"
        + " const ax = id === 'c-heat' ? o.yAxis[0] : o.xAxis.concat(o.yAxis).find(a => a.type === 'category');"
        + " out[id] = ax.data.length; }); return out; })()");
  }

  static List<String> axis(HeadlessChromium b, String chart) throws Exception {
    List<String> out = new ArrayList<>();
    b.eval("echarts.getInstanceByDom(document.getElementById('" + chart + "')).getOption().xAxis[0].data").forEach(n -> out.add(n.asText()));
    return out;
  }

  static String one(String sql) throws Exception {
    return MultiProvinceRun.rows(sql).get(0);
  }

  static String digits(HeadlessChromium b, String id) throws Exception {
    return b.eval("document.getElementById('" + id + "').textContent").asText().replaceAll("[^0-9]", "");
  }

  @Test
  void aNationalPageOfProvincesAndOnePageForEachProvince() throws Exception {
    assertEquals(12, pages.size(), pages.toString());
    assertEquals(dir.resolve("tinh-P10.html"), pages.get(11));
    for (Path p : pages) {
      String html = Files.readString(p);
      assertFalse(html.contains("src=\"http") || html.contains("href=\"http"), p + " loads nothing from the network");
    }
    String year = MultiProvinceRun.YEAR, overall = "FROM v_level_distribution WHERE scope = 'overall' AND school_year = '" + year + "'";
    try (HeadlessChromium b = new HeadlessChromium(dir.resolve("chromium-profile"))) {
      b.open(dir.resolve("index.html").toUri().toString());
      assertEquals("Mức độ chuyển đổi số các cơ sở giáo dục — Toàn quốc — 11 tỉnh/thành phố — năm học " + year,
          b.eval("document.getElementById('title').textContent").asText());
      // the country: one bar per province, in the order of their codes (Tỉnh 2 before Tỉnh 10), nothing per district
      List<String> provinces = new ArrayList<>();
      for (int p = 0; p <= 10; p++) provinces.add("Tỉnh " + p);
      assertEquals(provinces, axis(b, "c-dist"));
      JsonNode n = categories(b);
      for (String chart : List.of("c-dist", "c-rank", "c-heat", "c-coverage", "c-gap", "c-provinces")) assertEquals(11, n.get(chart).asInt(), n.toString());
      assertEquals(11, b.eval("document.querySelectorAll('#t-rank-areas tbody tr').length").asInt());
      assertEquals(one("SELECT sum(assessed) || sum(registered) " + overall), digits(b, "k-assessed"));
      assertEquals(one("SELECT sum(level_1) " + overall + " AND province_code = 'P02'"),
          b.eval("echarts.getInstanceByDom(document.getElementById('c-dist')).getOption().series[0].data[2]").asText());
      assertEquals(12, b.eval("document.getElementById('f-province').options.length").asInt(), "Toàn quốc and eleven provinces");
      assertTrue(b.eval("document.getElementById('f-area').disabled").asBoolean(), "areas come with a province");
      b.screenshot(SHOTS.resolve("drill-national.png"));

      // a province picked on the national page: its figures, and the link to its own page
      b.eval("(() => { const s = document.getElementById('f-province'); s.value = 'P10'; s.dispatchEvent(new Event('change')); })()");
      assertEquals(one("SELECT sum(assessed) || sum(registered) " + overall + " AND province_code = 'P10'"), digits(b, "k-assessed"));
      assertEquals("tinh-P10.html#year=" + year, b.eval("document.getElementById('drill').getAttribute('href')").asText());
      assertEquals(one("SELECT count(DISTINCT school_level) " + overall + " AND province_code = 'P10'"),
          String.valueOf(b.eval("document.getElementById('f-level').options.length").asInt() - 1), "the school levels cascade from the province");
      assertEquals(List.of(), b.errors(), "no console errors");
    }
  }

  @Test
  void aProvincePageDrawsAtMostFortyAreasAndListsEveryOne() throws Exception {
    String year = MultiProvinceRun.YEAR, overall = "FROM v_level_distribution WHERE scope = 'overall' AND school_year = '" + year
        + "' AND province_code = 'P10'";
    try (HeadlessChromium b = new HeadlessChromium(dir.resolve("chromium-profile-p10"))) {
      b.open(dir.resolve("tinh-P10.html").toUri() + "#year=" + year);
      assertEquals("Mức độ chuyển đổi số các cơ sở giáo dục — Tỉnh 10 — năm học " + year, b.eval("document.getElementById('title').textContent").asText());
      assertEquals("index.html#year=" + year, b.eval("document.getElementById('drill').getAttribute('href')").asText(), "the way back to the country");
      int districts = Integer.parseInt(one("SELECT count(DISTINCT area_group_code) " + overall + " AND assessed > 0"));
      assertEquals(45, districts);
      // 45 districts: the 20 highest and the 20 lowest by Mức 2+ share on every axis, all 45 in the sortable table
      JsonNode n = categories(b);
      for (String chart : List.of("c-dist", "c-rank", "c-heat", "c-coverage", "c-gap")) assertEquals(40, n.get(chart).asInt(), chart + ": " + n);
      assertEquals(3, n.get("c-provinces").asInt(), "its own figures, the country's and another province's, as published: " + n);
      assertEquals(45, b.eval("document.querySelectorAll('#t-rank-areas tbody tr').length").asInt());
      List<String> ranked = MultiProvinceRun.rows("SELECT area_group_name FROM (SELECT area_group_code, area_group_name, "
          + "(sum(level_2) + sum(level_3)) / sum(assessed) AS s " + overall + " GROUP BY ALL HAVING sum(assessed) > 0) ORDER BY s DESC, area_group_code");
      List<String> expected = new ArrayList<>(ranked.subList(0, 20));
      expected.addAll(ranked.subList(25, 45));
      assertEquals(expected.stream().sorted().toList(), axis(b, "c-dist").stream().sorted().toList(), "the highest and lowest 20");
      assertTrue(b.eval("document.getElementById('h-dist').textContent").asText().endsWith("20 cao nhất và 20 thấp nhất theo tỷ lệ Mức 2+ trong 45 "
          + "(đủ trong bảng xếp hạng)"));
      assertEquals(one("SELECT sum(assessed) || sum(registered) " + overall), digits(b, "k-assessed"));
      assertEquals(46, b.eval("document.getElementById('f-area').options.length").asInt(), "every area of the province and no other");
      b.screenshot(SHOTS.resolve("drill-province.png"));

      // one area: its school levels, and only the levels it has in the filter below it
      String area = b.eval("document.getElementById('f-area').options[1].value").asText();
      assertEquals("P10D00", area, "areas in the order of their codes");
      b.eval("(() => { const s = document.getElementById('f-area'); s.value = '" + area + "'; s.dispatchEvent(new Event('change')); })()");
      assertEquals(one("SELECT sum(assessed) || sum(registered) " + overall + " AND area_code = '" + area + "'"), digits(b, "k-assessed"));
      assertEquals(one("SELECT count(DISTINCT school_level) " + overall + " AND area_code = '" + area + "'"),
          String.valueOf(b.eval("document.getElementById('f-level').options.length").asInt() - 1));
      assertEquals(one("SELECT count(DISTINCT school_level) " + overall + " AND area_code = '" + area + "'"), String.valueOf(categories(b).get("c-dist").asInt()));
      b.screenshot(SHOTS.resolve("drill-area.png"));
      assertEquals(List.of(), b.errors(), "no console errors");
    }
  }

  /** published_figures.csv: nothing lost (each row accepted, rejected or superseded with its reason), shown beside, never added in. */
  @Test
  void publishedFiguresAreReconciledAndShownBesideTheProvincesOwn() throws Exception {
    assertEquals(List.of("published_figures.csv 10 3 6 1"), MultiProvinceRun.rows("SELECT * FROM v_published_figure_file"));
    assertTrue(MultiProvinceRun.console().contains("Đối chiếu số liệu công bố (published_figures.csv): 10 dòng đọc = 3 nhận + 6 loại + 1 thay thế ✓.\n"),
        "the run says so: " + MultiProvinceRun.console());
    assertEquals(List.of("3 DUPLICATE_SUPERSEDED superseded null", "6 SCHOOL_YEAR_INVALID rejected school_year", "7 FIGURE_LEVELS_NOT_ASSESSED rejected assessed",
        "8 FIGURE_SCHOOL_LEVEL_UNKNOWN rejected school_level", "9 FIGURE_PROVINCE_MISSING rejected province_name", "10 FIGURE_COUNT_INVALID rejected assessed",
        "11 FIGURE_SOURCE_MISSING rejected source"),
        MultiProvinceRun.rows("SELECT row_number, reason_code, severity, column_name FROM fact_published_figure_issue ORDER BY row_number"));
    // another province's levels add up to its ALL row; the own provinces' counts come from their units alone
    assertEquals(List.of("Tỉnh Khác ALL 360 80 190 90", "Toàn quốc ALL 41000 9000 20000 12000"),
        MultiProvinceRun.rows("SELECT province_name, school_level, assessed, level_1, level_2, level_3 FROM v_province_comparison "
            + "WHERE NOT is_own AND school_level = 'ALL' ORDER BY province_code NULLS LAST"));
    assertEquals(MultiProvinceRun.rows("SELECT sum(assessed) FROM v_level_distribution WHERE scope = 'overall' AND school_year = '2024-2025' AND province_code = 'P10'"),
        MultiProvinceRun.rows("SELECT assessed FROM v_province_comparison WHERE is_own AND school_year = '2024-2025' AND province_code = 'P10' AND school_level = 'ALL'"));
    try (HeadlessChromium b = new HeadlessChromium(dir.resolve("chromium-profile-published"))) {
      b.open(dir.resolve("tinh-P10.html").toUri() + "#year=" + MultiProvinceRun.YEAR);
      List<String> labels = new ArrayList<>();
      b.eval("echarts.getInstanceByDom(document.getElementById('c-provinces')).getOption().yAxis[0].data").forEach(x -> labels.add(x.asText()));
      assertEquals(List.of("Toàn quốc — Bộ GDĐT - báo cáo tổng hợp (minh họa)", "Tỉnh Khác — Sở GDĐT Tỉnh Khác - công bố 06/2025 (minh họa)",
          "Tỉnh 10 — dữ liệu của Sở"), labels, "each bar names its source");
      assertEquals(one("SELECT sum(assessed) || sum(registered) FROM v_level_distribution WHERE scope = 'overall' AND school_year = '"
          + MultiProvinceRun.YEAR + "' AND province_code = 'P10'"), digits(b, "k-assessed"), "the headline is the province's own units only");
      assertEquals(List.of(), b.errors());
    }
  }
}
