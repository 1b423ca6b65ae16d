package vn.cds.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import vn.cds.pipeline.ConfigException;
import vn.cds.report.Table.Sheet;
import vn.cds.util.CsvOut;
import vn.cds.util.Profile;

/**
 * {@code cds report}: the annual report of a school year from the mart, written as
 * <ul>
 *   <li>{@code bao-cao-cds-<year>.xlsx}, the seven sheets for the Ministry;
 *   <li>{@code bao-cao-cds-<year>/<n>-<table>.csv}, each table as CSV (UTF-8 with BOM, for Excel);
 *   <li>{@code danh-sach-cong-bo-<year>.csv} and {@code .json}, the published list for the Sở's portal;
 *   <li>{@code nhac-nop-<year>/<managing body>.xlsx} and {@code .csv}, each managing body's units with what they have not sent.
 * </ul>
 */
public final class ReportFiles {
  private ReportFiles() {}

  /** {@code followUpLists}: managing bodies with a list of units that have not sent a document (under {@code nhac-nop-<year>/}). */
  public record Written(Path xlsx, Path csvFolder, Path publishedCsv, Path publishedJson, int units, int followUpLists) {}

  /** {@code compare} null: the year before, when the mart has one. */
  public static Written write(Path martFile, Path reportsDir, String year, String compare, ReportConfig config) throws Exception {
    if (!Files.exists(martFile)) throw new ConfigException("Không thấy kho dữ liệu (mart not found): " + martFile + " — chạy ./cds run trước");
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + martFile.toAbsolutePath(), readOnly)) {
      AnnualReport report = new AnnualReport(c, year, compare != null ? compare : AnnualReport.previousYear(c, year), config);
      List<Sheet> sheets = report.sheets();
      String title = "Báo cáo kết quả đánh giá mức độ chuyển đổi số các cơ sở giáo dục, năm học " + year;
      Path xlsx = reportsDir.resolve("bao-cao-cds-" + year + ".xlsx");
      long start = System.nanoTime();
      XlsxReport.write(xlsx, title.toUpperCase(new Locale("vi")), config, sheets);
      Profile.done("report xlsx", start);
      Path folder = reportsDir.resolve("bao-cao-cds-" + year);
      if (Files.isDirectory(folder)) // tables of an earlier report of this year must not linger beside the new ones
        try (var old = Files.list(folder)) {
          for (Path p : old.filter(p -> p.toString().endsWith(".csv")).toList()) Files.delete(p);
        }
      start = System.nanoTime();
      int n = 0;
      Table published = null;
      for (Sheet s : sheets)
        for (Table t : s.tables()) {
          CsvOut.write(folder.resolve(String.format(Locale.ROOT, "%02d-%s.csv", ++n, t.id())), t.headers(), t.rows());
          if (t.id().equals("danh-sach-cong-bo")) published = t;
        }
      Path publishedCsv = reportsDir.resolve("danh-sach-cong-bo-" + year + ".csv");
      CsvOut.write(publishedCsv, published.headers(), published.rows());
      Profile.done("report csv", start);
      start = System.nanoTime();
      Path publishedJson = reportsDir.resolve("danh-sach-cong-bo-" + year + ".json");
      writePublishedJson(c, publishedJson, year, config);
      Profile.done("report json", start);
      start = System.nanoTime();
      int lists = new FollowUpLists(report).write(reportsDir);
      Profile.done("report follow-up lists", start);
      return new Written(xlsx, folder, publishedCsv, publishedJson, published.rows().size(), lists);
    }
  }

  /** The published list for the portal: ASCII keys, one object per unit, its groups in catalog order. */
  static void writePublishedJson(Connection c, Path file, String year, ReportConfig config) throws Exception {
    List<Map<String, Object>> units = new ArrayList<>();
    String sql = "SELECT f.unit_code, any_value(u.unit_name), any_value(f.school_level), any_value(u.ownership), "
        + "any_value(coalesce(f.district_code, f.commune_code)), any_value(a.area_name), any_value(f.set_id), "
        + "to_json(list({'group_id': f.group_id, 'points': f.points, 'level': f.level} ORDER BY f.group_order))::VARCHAR, "
        + "any_value(f.total_points), any_value(f.overall_level), any_value(f.stage), any_value(f.provisional), any_value(f.status)\n"
        + "FROM fact_assessment f\n"
        + "JOIN dim_unit u ON u.unit_code = f.unit_code AND u.valid_from <= f.school_year AND (u.valid_to IS NULL OR f.school_year <= u.valid_to)\n"
        + "LEFT JOIN (SELECT area_code, any_value(area_name ORDER BY valid_from DESC) AS area_name FROM dim_area GROUP BY area_code) a\n"
        + "  ON a.area_code = coalesce(f.district_code, f.commune_code)\n"
        + "WHERE f.is_official AND f.school_year = '" + year.replace("'", "") + "' GROUP BY f.unit_code ORDER BY f.unit_code";
    ObjectMapper json = new ObjectMapper();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("unit_code", rs.getString(1));
        u.put("unit_name", rs.getString(2));
        u.put("school_level", rs.getString(3));
        u.put("ownership", rs.getString(4));
        u.put("area_code", rs.getString(5));
        u.put("area_name", rs.getString(6));
        u.put("indicator_set", rs.getString(7));
        u.put("groups", json.readTree(rs.getString(8)));
        u.put("total_points", rs.getObject(9));
        u.put("overall_level", rs.getObject(10));
        u.put("result_from", rs.getString(11));
        u.put("status", rs.getString(13));
        u.put("provisional_catalog", rs.getBoolean(12));
        units.add(u);
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("school_year", year);
    doc.put("issued_by", config.soName());
    doc.put("report_date", config.reportDate().toString());
    doc.put("units", units);
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), doc);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
