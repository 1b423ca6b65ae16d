package vn.cds.report;

import static vn.cds.report.Table.change;
import static vn.cds.report.Table.count;
import static vn.cds.report.Table.decimal;
import static vn.cds.report.Table.percent;
import static vn.cds.report.Table.text;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import vn.cds.pipeline.ConfigException;
import vn.cds.report.Table.Column;
import vn.cds.report.Table.Sheet;

/**
 * The annual report to the Ministry, as tables queried from the mart's views (the contract the dashboards use too):
 * by school level, by area, by indicator set and group, the published list of units, the weakest criteria, coverage
 * and deadlines, and notes on the data. Shares are of the units assessed; changes are against the compared year.
 */
public final class AnnualReport {
  private static final java.util.regex.Pattern SCHOOL_YEAR = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{4}");

  private final Connection mart;
  private final String year;
  private final String compare;
  private final ReportConfig config;

  /** {@code compare} may be null: no change columns are filled then. Years are checked before they reach any SQL. */
  public AnnualReport(Connection mart, String year, String compare, ReportConfig config) throws SQLException {
    this.mart = mart;
    this.year = checkedYear(year, "--year");
    this.compare = compare == null ? null : checkedYear(compare, "--compare");
    this.config = config;
    List<String> years = years(mart);
    if (!years.contains(year))
      throw new ConfigException("Năm học " + year + " không có trong kho dữ liệu (school year not in the mart); có: " + String.join(", ", years));
    if (compare != null && !years.contains(compare))
      throw new ConfigException("Năm so sánh " + compare + " không có trong kho dữ liệu (compared year not in the mart); có: " + String.join(", ", years));
  }

  private static String checkedYear(String y, String option) {
    if (y == null || !SCHOOL_YEAR.matcher(y).matches()) throw new ConfigException(option + " phải có dạng 2024-2025 (must look like 2024-2025): " + y);
    return y;
  }

  /** The school years with official results in the mart, sorted. */
  public static List<String> years(Connection mart) throws SQLException {
    List<String> years = new ArrayList<>();
    try (Statement st = mart.createStatement();
        ResultSet rs = st.executeQuery("SELECT DISTINCT school_year FROM v_unit_result WHERE school_year IS NOT NULL ORDER BY 1")) {
      while (rs.next()) years.add(rs.getString(1));
    }
    return years;
  }

  /** The year before {@code year} among the mart's years, or null. */
  public static String previousYear(Connection mart, String year) throws SQLException {
    String previous = null;
    for (String y : years(mart)) if (y.compareTo(year) < 0) previous = y;
    return previous;
  }

  public String year() {
    return year;
  }

  public String compare() {
    return compare;
  }

  public ReportConfig config() {
    return config;
  }

  public List<Sheet> sheets() throws SQLException {
    return List.of(
        new Sheet("1. Theo cấp học", List.of(byLevel("tong-hop-theo-cap-hoc", "Tổng hợp kết quả theo cấp học", "school_level"))),
        new Sheet("2. Theo khu vực", afterReform()
            ? List.of(byLevel("theo-khu-vuc", "Kết quả theo xã/phường (khu vực của năm học; năm trước sắp xếp chưa có xã/phường để so sánh)", "area"),
                byLevel("theo-huyen-cu", "Kết quả theo quận/huyện cũ (xã/phường gộp về quận/huyện trước sắp xếp 2025, để so sánh qua các năm)",
                    "former_district"))
            : List.of(byLevel("theo-khu-vuc", "Kết quả theo khu vực (quận/huyện của năm học)", "area"))),
        new Sheet("3. Theo bộ chỉ số", List.of(bySetAndGroup())),
        new Sheet("4. Danh sách công bố", List.of(publishedList())),
        new Sheet("5. Tiêu chí yếu", List.of(weakestCriteria())),
        new Sheet("6. Tiến độ, hạn nộp", List.of(coverage(), missing())),
        new Sheet("7. Ghi chú dữ liệu", List.of(notes(), catalogs(), rejects())),
        new Sheet("8. Văn bản, kiểm tra", new DocumentTables(this).tables()));
  }

  /** Whether the year's areas are communes (after the 2025 reform): then results are also grouped by former district. */
  private boolean afterReform() throws SQLException {
    try (Statement st = mart.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT count(*) FROM v_level_distribution WHERE area_type = 'commune' AND school_year = " + y())) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  private String y() {
    return "'" + year + "'";
  }

  private String c() {
    return compare == null ? "NULL" : "'" + compare + "'";
  }

  private static final String SHARES = "l1 / nullif(assessed, 0), l2 / nullif(assessed, 0), l3 / nullif(assessed, 0), (l2 + l3) / nullif(assessed, 0)";

  private static final List<Column> LEVEL_COLUMNS = List.of(count("Số đơn vị"), count("Đã đánh giá"), count("Chưa đánh giá"),
      count("Mức 1"), count("Mức 2"), count("Mức 3"), percent("Tỷ lệ Mức 1"), percent("Tỷ lệ Mức 2"), percent("Tỷ lệ Mức 3"),
      percent("Tỷ lệ Mức 2 trở lên"), count("Đã đánh giá năm so sánh"), change("Thay đổi tỷ lệ Mức 2 trở lên"), change("Thay đổi tỷ lệ Mức 3"));

  /**
   * Tables 1 and 2: registered, assessed, Mức 1/2/3 counts and shares, and the change in the shares against the
   * compared year, per school level or per area (the area as of the year; an area that did not exist in the compared
   * year has no change), with the province's total last.
   */
  private Table byLevel(String id, String title, String by) throws SQLException {
    boolean area = !by.equals("school_level");
    String key = by.equals("area") ? "area_code" : by.equals("former_district") ? "former_district_code" : "school_level";
    String sql = "WITH d AS (SELECT school_year, " + key + " AS k, sum(registered) AS registered, sum(assessed) AS assessed, sum(level_1) AS l1, "
        + "sum(level_2) AS l2, sum(level_3) AS l3 FROM v_level_distribution WHERE scope = 'overall' AND school_year IN (" + y() + ", " + c() + ") "
        + "GROUP BY GROUPING SETS ((school_year, " + key + "), (school_year))),\n"
        + "cur AS (SELECT * FROM d WHERE school_year = " + y() + "), prev AS (SELECT * FROM d WHERE school_year = " + c() + ")\n"
        + "SELECT " + (area ? "CASE WHEN cur.k IS NULL THEN 'Toàn tỉnh' ELSE coalesce(a.area_name, '?') || ' (' || cur.k || ')' END"
            : "coalesce(s.school_level_name, cur.k, 'Toàn tỉnh')")
        + ", cur.registered, cur.assessed, cur.registered - cur.assessed, cur.l1, cur.l2, cur.l3, "
        + SHARES.replace("l1", "cur.l1").replace("l2", "cur.l2").replace("l3", "cur.l3").replace("assessed", "cur.assessed")
        + ", prev.assessed, (cur.l2 + cur.l3) / nullif(cur.assessed, 0) - (prev.l2 + prev.l3) / nullif(prev.assessed, 0), "
        + "cur.l3 / nullif(cur.assessed, 0) - prev.l3 / nullif(prev.assessed, 0)\n"
        + "FROM cur LEFT JOIN prev ON prev.k IS NOT DISTINCT FROM cur.k\n"
        + (area ? "LEFT JOIN (SELECT area_code, any_value(area_name ORDER BY valid_from DESC) AS area_name FROM dim_area GROUP BY area_code) a "
            + "ON a.area_code = cur.k\nORDER BY cur.k IS NULL, a.area_name, cur.k"
            : "LEFT JOIN dim_school_level s ON s.school_level = cur.k\nORDER BY cur.k IS NULL, s.sort_order, cur.k");
    List<Column> cols = new ArrayList<>();
    cols.add(text(by.equals("area") ? "Khu vực" : by.equals("former_district") ? "Quận/huyện cũ" : "Cấp học"));
    cols.addAll(LEVEL_COLUMNS);
    return query(id, title + (compare == null ? "" : "; so sánh với năm học " + compare), cols, sql);
  }

  /** Table 3: per set and group, the mean points and the level shares among the units assessed; then the set overall. */
  private Table bySetAndGroup() throws SQLException {
    String sql = "SELECT f.set_id || ' (' || s.decision || ')', f.group_id, g.group_name, count(*), avg(f.points), g.max_points, "
        + "count(*) FILTER (WHERE f.level = 1) / nullif(count(f.level), 0), count(*) FILTER (WHERE f.level = 2) / nullif(count(f.level), 0), "
        + "count(*) FILTER (WHERE f.level = 3) / nullif(count(f.level), 0), CASE WHEN s.provisional THEN 'Tạm thời' ELSE 'Chính thức' END, "
        + "f.set_id AS o1, g.group_order AS o2\n"
        + "FROM fact_assessment f JOIN dim_group g USING (set_id, group_id) JOIN dim_indicator_set s USING (set_id)\n"
        + "WHERE f.is_official AND f.school_year = " + y() + " GROUP BY ALL\n"
        + "UNION ALL\n"
        + "SELECT r.indicator_set || ' (' || s.decision || ')', 'Chung', 'Tổng điểm và mức chung', count(*), avg(r.total_points), s.total_max_points, "
        + "count(*) FILTER (WHERE r.overall_level = 1) / count(*), count(*) FILTER (WHERE r.overall_level = 2) / count(*), "
        + "count(*) FILTER (WHERE r.overall_level = 3) / count(*), CASE WHEN s.provisional THEN 'Tạm thời' ELSE 'Chính thức' END, r.indicator_set, 999\n"
        + "FROM v_unit_result r JOIN dim_indicator_set s ON s.set_id = r.indicator_set WHERE r.school_year = " + y() + " GROUP BY ALL\n"
        + "ORDER BY o1, o2";
    return query("theo-bo-chi-so", "Điểm bình quân và tỷ lệ mức theo bộ chỉ số và nhóm tiêu chí", List.of(text("Bộ chỉ số"), text("Nhóm"),
        text("Tên nhóm"), count("Số đơn vị"), decimal("Điểm bình quân"), decimal("Điểm tối đa"), percent("Tỷ lệ Mức 1"), percent("Tỷ lệ Mức 2"),
        percent("Tỷ lệ Mức 3"), text("Danh mục")), sql, 2);
  }

  /** The most groups any set has: the published list has a points and a level column per group position. */
  private int groupSlots() throws SQLException {
    try (Statement st = mart.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(group_order), 1) + 1 FROM dim_group")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Table 4, the published list: every unit's official result, its groups in catalog order. */
  public Table publishedList() throws SQLException {
    int slots = groupSlots();
    StringBuilder groups = new StringBuilder();
    List<Column> cols = new ArrayList<>(List.of(text("Mã đơn vị"), text("Tên đơn vị"), text("Cấp học"), text("Loại hình"), text("Khu vực"),
        text("Bộ chỉ số")));
    for (int i = 0; i < slots; i++) {
      groups.append(", max(f.group_id) FILTER (WHERE f.group_order = ").append(i).append("), max(f.points) FILTER (WHERE f.group_order = ")
          .append(i).append("), max(f.level) FILTER (WHERE f.group_order = ").append(i).append(")");
      cols.addAll(List.of(text("Nhóm " + (i + 1)), decimal("Điểm nhóm " + (i + 1)), count("Mức nhóm " + (i + 1))));
    }
    cols.addAll(List.of(decimal("Tổng điểm"), count("Mức chung"), text("Căn cứ"), text("Danh mục")));
    String sql = "SELECT f.unit_code, any_value(u.unit_name), any_value(coalesce(s.school_level_name, f.school_level)), "
        + "any_value(CASE u.ownership WHEN 'cong_lap' THEN 'Công lập' WHEN 'tu_thuc' THEN 'Ngoài công lập' ELSE u.ownership END), "
        + "any_value(a.area_name), any_value(f.set_id)" + groups
        + ", any_value(f.total_points), any_value(f.overall_level), "
        + "any_value(CASE f.stage WHEN 'external' THEN 'Đánh giá ngoài' ELSE 'Tự đánh giá' END), "
        + "any_value(CASE WHEN f.provisional THEN 'Tạm thời' ELSE 'Chính thức' END)\n"
        + "FROM fact_assessment f\n"
        + "JOIN dim_unit u ON u.unit_code = f.unit_code AND u.valid_from <= f.school_year AND (u.valid_to IS NULL OR f.school_year <= u.valid_to)\n"
        + "LEFT JOIN dim_school_level s ON s.school_level = f.school_level\n"
        + "LEFT JOIN (SELECT area_code, any_value(area_name ORDER BY valid_from DESC) AS area_name FROM dim_area GROUP BY area_code) a\n"
        + "  ON a.area_code = coalesce(f.district_code, f.commune_code)\n"
        + "WHERE f.is_official AND f.school_year = " + y() + "\n"
        + "GROUP BY f.unit_code ORDER BY any_value(a.area_name), any_value(s.sort_order), any_value(u.unit_name), f.unit_code";
    return query("danh-sach-cong-bo", "Danh sách công bố kết quả mức độ chuyển đổi số của các đơn vị, năm học " + year, cols, sql);
  }

  /** Table 5: the weakest criteria of the province and of each area (mean attainment of the units that reported them). */
  private Table weakestCriteria() throws SQLException {
    String agg = "sum(mean_attainment * units_reported) / nullif(sum(units_reported), 0) AS att, sum(share_full * units) / sum(units) AS full_share, "
        + "sum(share_zero * units) / sum(units) AS zero, sum(share_not_reported * units) / sum(units) AS nr, sum(units)::INTEGER AS n, "
        + "any_value(criterion_name) AS name, any_value(max_points) AS mx";
    String sql = "WITH p AS (SELECT 0 AS o, 'Toàn tỉnh' AS scope, indicator_set, criterion_id, " + agg + " FROM v_criterion_gap WHERE school_year = "
        + y() + " GROUP BY ALL),\n"
        + "a AS (SELECT 1 AS o, area_name || ' (' || area_code || ')' AS scope, indicator_set, criterion_id, " + agg
        + " FROM v_criterion_gap WHERE school_year = " + y() + " GROUP BY ALL),\n"
        + "r AS (SELECT *, row_number() OVER (PARTITION BY scope, indicator_set ORDER BY att NULLS LAST, criterion_id) AS rk FROM p\n"
        + "      UNION ALL SELECT *, row_number() OVER (PARTITION BY scope, indicator_set ORDER BY att NULLS LAST, criterion_id) FROM a)\n"
        + "SELECT scope, indicator_set, rk, criterion_id, name, mx, att, full_share, zero, nr, n, o FROM r\n"
        + "WHERE rk <= CASE WHEN o = 0 THEN " + config.weakestProvince() + " ELSE " + config.weakestArea() + " END\n"
        + "ORDER BY o, scope, indicator_set, rk";
    return query("tieu-chi-yeu", "Các tiêu chí yếu nhất của toàn tỉnh (" + config.weakestProvince() + " tiêu chí mỗi bộ chỉ số) và của từng khu vực ("
        + config.weakestArea() + " tiêu chí)", List.of(text("Phạm vi"), text("Bộ chỉ số"), count("Hạng"), text("Mã tiêu chí"), text("Tên tiêu chí"),
        decimal("Điểm tối đa"), percent("Mức đạt bình quân"), percent("Tỷ lệ đạt tối đa"), percent("Tỷ lệ 0 điểm"), percent("Tỷ lệ không báo cáo"),
        count("Số đơn vị")), sql, 1);
  }

  /** Table 6: coverage and deadline compliance per area and school level, the province last. */
  private Table coverage() throws SQLException {
    String sql = "SELECT coalesce(area_name || ' (' || area_code || ')', 'Toàn tỉnh'), coalesce(s.school_level_name, c.school_level, 'Tất cả'), "
        + "sum(registered), sum(self_submitted), sum(self_on_time), sum(externally_assessed), sum(approved), "
        + "sum(self_submitted) / sum(registered), sum(self_on_time) / sum(registered), sum(externally_assessed) / sum(registered), "
        + "sum(approved) / sum(registered), GROUPING(area_code) AS g, any_value(s.sort_order) AS so\n"
        + "FROM v_coverage c LEFT JOIN dim_school_level s USING (school_level) WHERE school_year = " + y() + "\n"
        + "GROUP BY GROUPING SETS ((area_code, area_name, c.school_level, s.school_level_name), ())\n"
        + "ORDER BY g, area_name, so";
    return query("tien-do-han-nop", "Tiến độ nộp và đánh giá: tỷ lệ trên số đơn vị phải đánh giá", List.of(text("Khu vực"), text("Cấp học"),
        count("Số đơn vị"), count("Đã nộp tự đánh giá"), count("Nộp đúng hạn"), count("Đã đánh giá ngoài"), count("Đã công nhận"),
        percent("Tỷ lệ đã nộp"), percent("Tỷ lệ đúng hạn"), percent("Tỷ lệ đánh giá ngoài"), percent("Tỷ lệ công nhận")), sql, 2);
  }

  private Table missing() throws SQLException {
    String sql = "SELECT m.unit_code, m.unit_name, coalesce(s.school_level_name, m.school_level), m.area_name, "
        + "coalesce(mu.unit_name, ma.area_name, m.managing_unit_code), "
        + "CASE m.missing_reason WHEN 'no_self_assessment' THEN 'Không có bản tự đánh giá' WHEN 'draft_or_returned_only' "
        + "THEN 'Chỉ có bản nháp hoặc bị trả lại' WHEN 'rejected_only' THEN 'Chỉ có dòng bị loại (xem sheet 7)' ELSE m.missing_reason END\n"
        + "FROM v_missing_submission m LEFT JOIN dim_school_level s USING (school_level)\n"
        + "LEFT JOIN dim_unit mu ON mu.unit_code = m.managing_unit_code AND mu.valid_from <= m.school_year "
        + "AND (mu.valid_to IS NULL OR m.school_year <= mu.valid_to)\n"
        + "LEFT JOIN (SELECT area_code, any_value(area_name) AS area_name FROM dim_area GROUP BY area_code) ma ON ma.area_code = m.managing_unit_code\n"
        + "WHERE m.school_year = " + y() + " ORDER BY m.area_name, s.sort_order, m.unit_name, m.unit_code";
    return query("chua-nop", "Các đơn vị chưa nộp tự đánh giá", List.of(text("Mã đơn vị"), text("Tên đơn vị"), text("Cấp học"), text("Khu vực"),
        text("Đơn vị quản lý"), text("Lý do")), sql);
  }

  /** Table 7: where the numbers come from. */
  private Table notes() throws SQLException {
    String sql = "SELECT k, v FROM (SELECT 1 AS o, 'Đơn vị báo cáo' AS k, " + sqlText(config.soName()) + " AS v\n"
        + "UNION ALL SELECT 2, 'Ngày báo cáo', " + sqlText(config.dateLine()) + "\n"
        + "UNION ALL SELECT 3, 'Năm học báo cáo', " + y() + "\n"
        + "UNION ALL SELECT 4, 'Năm học so sánh', coalesce(" + c() + ", 'không có')\n"
        + "UNION ALL SELECT 5, 'Mã lần chạy (run id)', run_id FROM _mart_metadata\n"
        + "UNION ALL SELECT 6, 'Thời điểm tổng hợp (UTC)', strftime(finished_at, '%Y-%m-%d %H:%M') FROM _mart_metadata\n"
        // the lake's files, not only the last run's: a run that adds one school year keeps the files of the others
        + "UNION ALL SELECT 7, 'Số tệp đầu vào (mọi năm học)', count(*)::VARCHAR FROM fact_ingest_file\n"
        + "UNION ALL SELECT 8, 'Đối chiếu dòng (mọi năm học)', sum(rows_read) || ' dòng đọc = ' || sum(rows_accepted) || ' nhận + ' || "
        + "sum(rows_rejected) || ' loại + ' || sum(rows_superseded) || ' thay thế' || CASE WHEN bool_and(reconciled) THEN ' ✓' ELSE ' — KHÔNG KHỚP' END "
        + "FROM fact_ingest_file\n"
        + "UNION ALL SELECT 9, 'Bộ chỉ số tạm thời', coalesce(nullif(provisional_catalogs, ''), 'không') FROM _mart_metadata\n"
        + "UNION ALL SELECT 10, 'Lưu ý', 'Kết quả theo bộ chỉ số tạm thời dựa trên danh mục chưa được xác minh đầy đủ với văn bản chính thức; "
        + "xem bảng danh mục dưới đây.'\n"
        + ") ORDER BY o";
    return query("ghi-chu", "Thông tin về dữ liệu", List.of(text("Mục"), text("Nội dung")), sql);
  }

  private Table catalogs() throws SQLException {
    String sql = "SELECT set_id, decision, version, CASE WHEN provisional THEN 'Tạm thời' ELSE 'Chính thức' END, unverified_parts, sha256 "
        + "FROM dim_indicator_set ORDER BY set_id";
    return query("danh-muc", "Danh mục bộ chỉ số đã dùng", List.of(text("Bộ chỉ số"), text("Quyết định"), text("Phiên bản"), text("Trạng thái"),
        text("Phần chưa xác minh"), text("SHA-256 của tệp danh mục")), sql);
  }

  private Table rejects() throws SQLException {
    String sql = "SELECT r.reason_code, d.label_vi, CASE r.severity WHEN 'rejected' THEN 'Loại' WHEN 'superseded' THEN 'Thay thế' "
        + "WHEN 'flagged' THEN 'Gắn cờ' ELSE r.severity END, count(*), count(DISTINCT r.source_file)\n"
        + "FROM fact_reject r LEFT JOIN dim_reason d USING (reason_code)\n"
        + "WHERE r.school_year = " + y() + " OR r.school_year IS NULL GROUP BY ALL ORDER BY 4 DESC, 1";
    return query("loi-du-lieu", "Các dòng bị loại, thay thế hoặc gắn cờ theo lý do (năm học " + year + " và các tệp không đọc được năm học)",
        List.of(text("Mã lý do"), text("Lý do"), text("Xử lý"), count("Số lượng"), count("Số tệp")), sql);
  }

  private static String sqlText(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  Table query(String id, String title, List<Column> cols, String sql) throws SQLException {
    return query(id, title, cols, sql, 0);
  }

  /** Runs the query and keeps the first {@code cols.size()} columns; {@code sortColumns} trailing columns only order the rows. */
  Table query(String id, String title, List<Column> cols, String sql, int sortColumns) throws SQLException {
    long start = System.nanoTime();
    List<List<Object>> rows = new ArrayList<>();
    try (Statement st = mart.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      if (n - sortColumns != cols.size()) throw new IllegalStateException(id + ": " + n + " columns for " + cols.size() + " headers");
      while (rs.next()) {
        List<Object> row = new ArrayList<>(cols.size());
        for (int i = 0; i < cols.size(); i++) row.add(value(rs.getObject(i + 1), cols.get(i).kind()));
        rows.add(row);
      }
    }
    vn.cds.util.Profile.done("report " + id, start);
    return new Table(id, title, cols, rows);
  }

  /** Shares to 4 decimals (0.1 percentage point and finer), points to 2, as the report shows them. */
  private static Object value(Object v, Table.Kind kind) {
    if (v == null) return null;
    return switch (kind) {
      case TEXT -> v.toString();
      case INT -> ((Number) v).longValue();
      case DECIMAL -> round(((Number) v).doubleValue(), 2);
      default -> round(((Number) v).doubleValue(), 4);
    };
  }

  static double round(double v, int decimals) {
    return java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
  }
}
