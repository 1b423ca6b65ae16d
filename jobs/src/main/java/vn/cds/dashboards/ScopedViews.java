package vn.cds.dashboards;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline page's views narrowed to one level of the drill path, as temporary views of a read-only connection that
 * shadow the mart's own (DuckDB looks names up in the temporary catalog first). The page's queries stay the same
 * whatever the level: on the national page an "area" is a province, on a province's page only its own areas exist.
 */
final class ScopedViews {
  /** The views the page reads that carry a province: each is narrowed or lifted to provinces. */
  static final List<String> VIEWS = List.of("v_level_distribution", "v_criterion_gap", "v_funding_priority", "v_unit_next_level",
      "v_coverage", "v_data_quality", "v_self_vs_external_area", "v_inspection_sample");
  /** Units listed on the national page, per school year, province and school level: the page shows the first 25. */
  static final int UNITS_PER_PROVINCE = 25;
  /** Inspection-sample rows kept per school year and province on the national page: the page lists 200. */
  static final int SAMPLE_PER_PROVINCE = 200;

  private ScopedViews() {}

  /** Every view over one province's rows only. */
  static void province(Statement st, String provinceCode) throws Exception {
    String db = database(st), ofProvince = "province_code = '" + provinceCode.replace("'", "''") + "'";
    for (String view : VIEWS)
      st.execute("CREATE OR REPLACE TEMP VIEW " + view + " AS SELECT * FROM " + db + ".main." + view + " WHERE " + ofProvince);
    // the province's own counts, and every published figure beside them
    st.execute("CREATE OR REPLACE TEMP VIEW v_province_comparison AS SELECT * FROM " + db + ".main.v_province_comparison WHERE NOT is_own OR "
        + ofProvince);
  }

  /** Every view with its areas lifted to their province, and the unit lists cut to what the national page shows. */
  static void country(Statement st) throws Exception {
    String db = database(st);
    for (String view : VIEWS) {
      List<String> columns = columns(st, view);
      List<String> select = new ArrayList<>();
      for (String col : columns) select.add(switch (col) {
        case "area_code", "area_group_code", "former_district_code" -> "province_code AS " + col;
        case "area_name", "area_group_name", "former_district_name" -> (columns.contains("province_name") ? "province_name" : "province_code") + " AS " + col;
        case "area_type" -> "'province' AS area_type";
        default -> col;
      });
      String cut = switch (view) {
        case "v_unit_next_level" -> " WHERE reachable QUALIFY row_number() OVER (PARTITION BY school_year, province_code, school_level "
            + "ORDER BY points_needed, unit_code) <= " + UNITS_PER_PROVINCE;
        case "v_inspection_sample" -> " QUALIFY row_number() OVER (PARTITION BY school_year, province_code ORDER BY managing_unit_code, pick_rank) <= "
            + SAMPLE_PER_PROVINCE;
        default -> "";
      };
      st.execute("CREATE OR REPLACE TEMP VIEW " + view + " AS SELECT " + String.join(", ", select) + " FROM " + db + ".main." + view + cut);
    }
  }

  private static String database(Statement st) throws Exception {
    try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
      rs.next();
      return "\"" + rs.getString(1).replace("\"", "\"\"") + "\"";
    }
  }

  private static List<String> columns(Statement st, String view) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
        + "AND table_schema = 'main' AND table_name = '" + view + "' ORDER BY ordinal_position")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
