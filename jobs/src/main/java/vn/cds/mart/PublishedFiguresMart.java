package vn.cds.mart;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashSet;
import java.util.Set;
import vn.cds.ingest.PublishedFigures;
import vn.cds.pipeline.ConfigException;

/**
 * Other bodies' published figures (the input folder's optional published_figures.csv) in the mart: the rows as read
 * with their disposition, the rejected and superseded ones with their reason, and the province comparison that puts
 * them beside the Sở's own counts, each row with its source. They are never added into the Sở's own figures.
 */
final class PublishedFiguresMart {
  private PublishedFiguresMart() {}

  /** Loads the file of a local input folder (an hdfs: or s3a: input is not read for it: the tables stay empty). */
  static PublishedFigures.Read load(Connection c, Statement st, String inputDir) throws SQLException, java.io.IOException {
    st.execute("CREATE TABLE fact_published_figure (school_year VARCHAR, province_code VARCHAR, province_name VARCHAR, school_level VARCHAR, "
        + "assessed BIGINT, level_1 BIGINT, level_2 BIGINT, level_3 BIGINT, source VARCHAR, source_file VARCHAR, row_number INTEGER)");
    st.execute("CREATE TABLE fact_published_figure_issue (source_file VARCHAR, row_number INTEGER, column_name VARCHAR, raw_value VARCHAR, "
        + "reason_code VARCHAR, severity VARCHAR, message VARCHAR)");
    Path file = localFile(inputDir);
    PublishedFigures.Read read = file != null && Files.isRegularFile(file)
        ? PublishedFigures.read(Files.readAllBytes(file), schoolLevels(st)) : new PublishedFigures.Read(0, java.util.List.of(), java.util.List.of());
    if (!read.reconciles())
      throw new ConfigException("Đối chiếu " + PublishedFigures.FILE + " không khớp (does not reconcile): " + read.rowsRead() + " dòng đọc");
    insert(c, read);
    st.execute("CREATE VIEW v_published_figure_file AS SELECT '" + PublishedFigures.FILE + "' AS source_file, " + read.rowsRead() + "::BIGINT AS rows_read, "
        + "(SELECT count(*) FROM fact_published_figure) AS rows_accepted, "
        + "(SELECT count(*) FROM fact_published_figure_issue WHERE severity = 'rejected' AND row_number > 0) AS rows_rejected, "
        + "(SELECT count(*) FROM fact_published_figure_issue WHERE severity = 'superseded') AS rows_superseded");
    st.execute(COMPARISON);
    return read;
  }

  /**
   * Each province's counts per school year and school level (ALL for every level), the Sở's own from its units and
   * each published source's, side by side. A source that gives only its levels gets its ALL row as their sum.
   */
  static final String COMPARISON = "CREATE VIEW v_province_comparison AS\n"
      + "WITH own AS (\n"
      + "  SELECT school_year, province_code, any_value(province_name) AS province_name, coalesce(school_level, 'ALL') AS school_level,\n"
      + "    sum(assessed)::BIGINT AS assessed, sum(level_1)::BIGINT AS level_1, sum(level_2)::BIGINT AS level_2, sum(level_3)::BIGINT AS level_3,\n"
      + "    'Dữ liệu đơn vị của Sở (kho dữ liệu này)' AS source, true AS is_own\n"
      + "  FROM v_level_distribution WHERE scope = 'overall' GROUP BY GROUPING SETS ((school_year, province_code, school_level), (school_year, province_code))),\n"
      + "published AS (\n"
      + "  SELECT school_year, province_code, province_name, school_level, assessed, level_1, level_2, level_3, source, false AS is_own\n"
      + "  FROM fact_published_figure\n"
      + "  UNION ALL\n"
      + "  SELECT school_year, any_value(province_code), province_name, 'ALL', sum(assessed)::BIGINT, sum(level_1)::BIGINT, sum(level_2)::BIGINT,\n"
      + "    sum(level_3)::BIGINT, source, false\n"
      + "  FROM fact_published_figure f WHERE school_level <> 'ALL' AND NOT EXISTS (SELECT 1 FROM fact_published_figure a WHERE a.school_level = 'ALL'\n"
      + "    AND a.school_year = f.school_year AND a.province_name = f.province_name AND a.source = f.source)\n"
      + "  GROUP BY school_year, province_name, source)\n"
      + "SELECT *, CASE WHEN assessed > 0 THEN round((level_2 + level_3) / assessed, 4) END AS share_level_2_plus,\n"
      + "  CASE WHEN assessed > 0 THEN round(level_3 / assessed, 4) END AS share_level_3\n"
      + "FROM (SELECT * FROM own UNION ALL SELECT * FROM published)\n"
      + "ORDER BY school_year, is_own DESC, province_code NULLS LAST, province_name, source, school_level";

  private static Path localFile(String inputDir) {
    if (inputDir == null) return null;
    if (inputDir.startsWith("file:")) return Path.of(URI.create(inputDir)).resolve(PublishedFigures.FILE);
    return inputDir.contains("://") ? null : Path.of(inputDir).resolve(PublishedFigures.FILE);
  }

  private static Set<String> schoolLevels(Statement st) throws SQLException {
    Set<String> out = new HashSet<>();
    try (ResultSet rs = st.executeQuery("SELECT school_level FROM dim_school_level")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  private static void insert(Connection c, PublishedFigures.Read read) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO fact_published_figure VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (PublishedFigures.Figure f : read.accepted()) {
        ps.setString(1, f.schoolYear());
        ps.setString(2, f.provinceCode());
        ps.setString(3, f.provinceName());
        ps.setString(4, f.schoolLevel());
        ps.setLong(5, f.assessed());
        ps.setLong(6, f.level1());
        ps.setLong(7, f.level2());
        ps.setLong(8, f.level3());
        ps.setString(9, f.source());
        ps.setString(10, PublishedFigures.FILE);
        ps.setInt(11, f.row());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO fact_published_figure_issue VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (PublishedFigures.Issue i : read.issues()) {
        ps.setString(1, i.file());
        ps.setInt(2, i.row());
        if (i.column() == null) ps.setNull(3, Types.VARCHAR); else ps.setString(3, i.column());
        if (i.rawValue() == null) ps.setNull(4, Types.VARCHAR); else ps.setString(4, i.rawValue());
        ps.setString(5, i.reasonCode());
        ps.setString(6, i.severity());
        ps.setString(7, i.message());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
