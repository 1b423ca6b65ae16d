package vn.cds.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard that needs no server: one HTML file with ECharts (from its WebJar) and the mart's numbers inlined,
 * the same four views as the Superset dashboards, filters for school year, area and school level. Data goes in as JSON
 * with {@code <}, {@code >} and {@code &} escaped, and the page puts text into the DOM as text, never as HTML, so a
 * unit named {@code <script>} is shown as written.
 */
public final class OfflineDashboard {
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.5.0/echarts.min.js";
  static final String TEMPLATE = "dashboards/offline.html";

  private OfflineDashboard() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The queries whose rows the page draws: name → SQL (rows become arrays, in column order). */
  static final Map<String, String> DATA = new LinkedHashMap<>();

  static {
    DATA.put("levels", "SELECT level, level_label, color FROM dim_level ORDER BY level");
    DATA.put("schoolLevels", "SELECT school_level, school_level_name FROM dim_school_level ORDER BY sort_order");
    // each area with the group charts draw it in: its former district (see v_level_distribution.area_group_code)
    DATA.put("areas", "SELECT DISTINCT school_year, area_code, coalesce(area_name, area_code), area_group_code, coalesce(area_group_name, area_group_code) "
        + "FROM v_level_distribution ORDER BY 1, 3");
    DATA.put("dist", "SELECT school_year, province_name, area_code, school_level, sum(registered)::INT, sum(assessed)::INT, sum(level_1)::INT, "
        + "sum(level_2)::INT, sum(level_3)::INT FROM v_level_distribution WHERE scope = 'overall' GROUP BY ALL ORDER BY ALL");
    DATA.put("criteria", "SELECT set_id || ' ' || criterion_id, any_value(criterion_name) FROM dim_criterion GROUP BY 1 ORDER BY 1");
    // criteria as "QD4725 DH4" (QT1 exists in two sets); attainment as its sum weighted by the units that reported it
    DATA.put("gap", "SELECT school_year, area_code, school_level, indicator_set || ' ' || criterion_id, sum(units_reported)::INT, "
        + "round(sum(mean_attainment * units_reported), 3) FROM v_criterion_gap GROUP BY ALL ORDER BY ALL");
    DATA.put("funding", "SELECT school_year, area_code, school_level, indicator_set || ' ' || criterion_id, sum(units_rising_overall_level)::INT, "
        + "sum(units_below_full)::INT, round(sum(cost_to_full_vnd))::BIGINT FROM v_funding_priority GROUP BY ALL "
        + "HAVING sum(units_rising_overall_level) > 0 ORDER BY ALL");
    DATA.put("costIllustrative", "SELECT coalesce(bool_or(illustrative), false) FROM dim_criterion_cost");
    DATA.put("nextLevel", "SELECT school_year, area_code, school_level, unit_name, current_level, target_level, points_needed, plan "
        + "FROM v_unit_next_level WHERE reachable ORDER BY school_year, points_needed, unit_code");
    DATA.put("coverage", "SELECT school_year, area_code, school_level, sum(registered)::INT, sum(self_submitted)::INT, sum(self_on_time)::INT, "
        + "sum(externally_assessed)::INT FROM v_coverage GROUP BY ALL ORDER BY ALL");
    DATA.put("rejects", "SELECT school_year, area_code, coalesce(reason_label, reason_code), sum(issues)::INT FROM v_data_quality GROUP BY ALL ORDER BY ALL");
    DATA.put("selfExternal", "SELECT school_year, area_code, school_level, sum(units_compared)::INT, round(sum(mean_points_diff * units_compared), 2), "
        + "sum(units_claiming_higher_level)::INT FROM v_self_vs_external_area WHERE scope = 'overall' GROUP BY ALL ORDER BY ALL");
    DATA.put("sample", "SELECT school_year, area_code, school_level, managing_unit_name, unit_name, risk_score, reason "
        + "FROM v_inspection_sample ORDER BY school_year, managing_unit_code, pick_rank");
    // the Sở's own counts per province beside other bodies' published figures, each with its source (never summed together)
    DATA.put("comparison", "SELECT school_year, province_name, school_level, assessed, level_1, level_2, level_3, source, is_own "
        + "FROM v_province_comparison ORDER BY school_year, is_own DESC, province_code NULLS LAST, province_name, source");
    DATA.put("run", "SELECT run_id, strftime(finished_at, '%Y-%m-%d %H:%M'), provisional_catalogs FROM _mart_metadata");
    // Tiến độ triển khai: the yearly cycle's documents (its own block of the page)
    DATA.put("docHeadline", "SELECT school_year, document_order, document_name, school_level, headline, deadline_provisional FROM v_document_headline "
        + "ORDER BY school_year, document_order, school_level_order");
    DATA.put("docCompliance", "SELECT school_year, area_code, school_level, any_value(document_order), document_name, sum(required)::INT, "
        + "sum(submitted)::INT, sum(on_time)::INT FROM v_document_compliance JOIN dim_document USING (document, document_name) GROUP BY ALL ORDER BY ALL");
    DATA.put("inspectionRule", "SELECT school_year, managing_unit_name, units, units_inspected, share_inspected, units_required, meets_rule "
        + "FROM v_inspection_rule ORDER BY school_year, meets_rule, managing_unit_name");
  }

  /** The name of a province's own page beside the national one: {@code tinh-<code>.html}. */
  public static String provincePage(String provinceCode) {
    return "tinh-" + provinceCode.replaceAll("[^A-Za-z0-9_-]", "_") + ".html";
  }

  /**
   * The page of a mart, and with several provinces in it one page per province beside it. A Sở's mart (one province)
   * gives one self-contained page that opens at the province. A mart of several provinces gives a national page of
   * aggregates by province at {@code html} (the country → provinces level; a national mart's page of every commune
   * weighed 24 MB) and one self-contained page per province ({@link #provincePage}) for its areas and units.
   *
   * @return every page written, the national (or only) one first
   */
  public static List<Path> write(Path martFile, Path html) throws Exception {
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    List<Path> pages = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + martFile.toAbsolutePath(), readOnly); Statement st = c.createStatement()) {
      List<String[]> provinces = provinces(st);
      if (provinces.size() <= 1) {
        String[] p = provinces.isEmpty() ? new String[] {"", ""} : provinces.get(0);
        writePage(st, html, scope("province", p[0], p[1], null, List.of()));
        pages.add(html);
        return pages;
      }
      ScopedViews.country(st);
      writePage(st, html, scope("country", "", "", null, provinces));
      pages.add(html);
      for (String[] p : provinces) {
        ScopedViews.province(st, p[0]);
        Path page = html.resolveSibling(provincePage(p[0]));
        writePage(st, page, scope("province", p[0], p[1], html.getFileName().toString(), provinces));
        pages.add(page);
      }
    }
    return pages;
  }

  /** The provinces with assessed units, in the order of their codes (the official order), each with its name. */
  private static List<String[]> provinces(Statement st) throws Exception {
    List<String[]> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT province_code, coalesce(any_value(province_name), province_code) FROM v_level_distribution "
        + "WHERE province_code IS NOT NULL GROUP BY 1 ORDER BY 1")) {
      while (rs.next()) out.add(new String[] {rs.getString(1), rs.getString(2)});
    }
    return out;
  }

  /** What the page is about: the country or one province, the national page to go back to, every province's page. */
  private static Map<String, Object> scope(String kind, String code, String name, String home, List<String[]> provinces) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("kind", kind);
    s.put("code", code);
    s.put("name", name);
    s.put("home", home);
    List<List<String>> links = new ArrayList<>();
    for (String[] p : provinces) links.add(List.of(p[0], p[1], provincePage(p[0])));
    s.put("provinces", home == null && "province".equals(kind) ? List.of() : links);
    return s;
  }

  private static void writePage(Statement st, Path html, Map<String, Object> scope) throws Exception {
    // DuckDB writes each row as a JSON array: reading every value through JDBC into Java objects and serialising them
    // again took 6.3 s for the national mart's 942,162 criterion-gap rows alone, the JSON rows 2.5 s.
    StringBuilder data = new StringBuilder("{\"scope\":").append(JSON.writeValueAsString(scope));
    for (var q : DATA.entrySet()) {
      data.append(',').append(JSON.writeValueAsString(q.getKey())).append(":[");
      // a projection keeps the order of the ordered query under it
      try (ResultSet rs = st.executeQuery("SELECT json_array(*COLUMNS(*))::VARCHAR FROM (" + q.getValue() + ")")) {
        for (boolean first = true; rs.next(); first = false) data.append(first ? "" : ",").append(rs.getString(1));
      }
      data.append(']');
    }
    data.append('}');
    String page = resource(TEMPLATE)
        .replace("/*ECHARTS*/", resource(ECHARTS).replace("</script", "<\\/script"))
        .replace("\"__DATA__\"", safeJson(data.toString()));
    Files.createDirectories(html.toAbsolutePath().getParent());
    Path tmp = html.resolveSibling("." + html.getFileName() + ".tmp");
    Files.writeString(tmp, page, StandardCharsets.UTF_8);
    Files.move(tmp, html, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** JSON that cannot close the script element it sits in, nor open a comment: &lt; &gt; &amp; as \\u escapes. */
  static String safeJson(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = OfflineDashboard.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IOException("resource not on the classpath: " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
