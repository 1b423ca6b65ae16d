package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

/**
 * The whole pipeline over the committed sample, checked against an independent computation: DuckDB SQL over the raw
 * export files and the catalog JSON, sharing no code with the pipeline's readers, validation or scoring.
 */
class EndToEndTest {
  /** The shared run over the sample: read here, never written to. */
  static TestSupport.SampleRun sample;
  /** What a test writes (a report, a copy of the mart, the baseline), beside the shared run, never into it. */
  @TempDir Path work;

  @BeforeAll
  static void runPipeline() throws Exception {
    sample = TestSupport.sampleRun();
  }

  private static Connection mart() throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + sample.mart(), ro);
  }

  private static Map<String, Long> countsBy(Connection c, String sql) throws Exception {
    Map<String, Long> m = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) m.put(rs.getString(1), rs.getLong(2));
    }
    return m;
  }

  /** The benchmark's DuckDB-only baseline computes the same tables from the lake, to the last rounded decimal. */
  @Test
  void theDuckDbBaselineComputesTheSameTablesAsSpark() throws Exception {
    vn.cds.bench.DuckDbBaseline.Result baseline = vn.cds.bench.DuckDbBaseline.run(sample.out().resolve("lake"), work.resolve("baseline"),
        vn.cds.catalog.Catalogs.load(TestSupport.catalogs()));
    assertEquals(List.of("scoring", "analytics", "trends", "lake"), List.copyOf(baseline.stageSeconds().keySet()));
    Map<String, List<Long>> checks = new TreeMap<>();
    baseline.checks().forEach((table, c) -> checks.put(table, List.of(c[0], c[1], c[2])));
    assertEquals(Map.of("group_result", List.of(10_534L, 10_534L, 0L), "agg_level_distribution", List.of(2_431L, 2_431L, 0L),
        "agg_criterion_gap", List.of(15_508L, 15_508L, 0L), "agg_level_trend", List.of(1_294L, 1_294L, 0L)), checks);
    assertTrue(baseline.identical());
    assertTrue(Files.exists(work.resolve("baseline/agg_level_trend.parquet")));
  }

  @Test
  void everyRowIsAccountedForAndTheRunSaysSo() throws Exception {
    assertTrue(sample.result().reconciled());
    assertEquals(sample.result().rowsRead(), sample.result().accepted() + sample.result().rejected() + sample.result().superseded());
    assertEquals(5279, sample.result().rowsRead(), "rows in the committed sample's export files");
    assertEquals(10, sample.result().rejected());
    assertEquals(2, sample.result().superseded());
    assertTrue(sample.console().lines().anyMatch(l -> l.contains("tai-len-nham-rong.csv") && l.contains("FILE_EMPTY")), "the per-file summary names the empty file");
    assertTrue(sample.console().contains("⚠ Bộ chỉ số QD4725"), "a provisional catalog is announced once per set");
    try (Connection c = mart()) {
      assertEquals(Map.ofEntries(
          Map.entry("CRITERION_NOT_IN_SET", 1L),
          Map.entry("DATE_INVALID", 1L),
          Map.entry("DECLARED_TOTAL_MISMATCH", 1L),
          Map.entry("DOCUMENT_NOT_REQUIRED", 1L),
          Map.entry("DOCUMENT_UNKNOWN", 1L),
          Map.entry("DUPLICATE_SUPERSEDED", 2L),
          Map.entry("FILE_EMPTY", 1L),
          Map.entry("MANDATORY_VALUE_UNRECOGNISED", 1L),
          Map.entry("REFERENCE_NOT_URL", 1L),
          Map.entry("SCHOOL_YEAR_INVALID", 2L),
          Map.entry("STAGE_INVALID", 1L),
          Map.entry("STATUS_INVALID", 1L),
          Map.entry("SUBMISSION_DATE_INVALID", 1L),
          Map.entry("SUBMISSION_REPEATED", 1L),
          Map.entry("UNIT_NOT_VALID_IN_YEAR", 2L),
          Map.entry("UNIT_UNKNOWN", 3L),
          Map.entry("VALUE_NOT_NUMBER", 1L),
          Map.entry("VALUE_OUT_OF_RANGE", 1L)),
          countsBy(c, "SELECT reason_code, count(*) FROM fact_reject GROUP BY 1"));
      assertEquals(Map.of("true", 262L), countsBy(c, "SELECT reconciled::VARCHAR, count(*) FROM fact_ingest_file GROUP BY 1"));
      assertEquals(Map.of("csv", 3367L, "json", 31L, "xlsx", 1881L),
          countsBy(c, "SELECT file_format, sum(rows_read) FROM fact_ingest_file GROUP BY 1"), "wide and long CSV, JSON documents and XLSX");
      assertEquals(Map.of("QD3267", 1L, "QD3806", 1L, "QD4725", 1L), countsBy(c, "SELECT set_id, count(*) FROM _mart_catalog WHERE provisional GROUP BY 1"));
      assertEquals(Map.of("true", 1L), countsBy(c, "SELECT reconciled::VARCHAR, count(*) FROM _mart_metadata GROUP BY 1"));
      // the data-quality view groups the same issues by year and area; unknown units have no area (the exports' issues
      // and the eight of submissions.csv: five in Quận Hồng Bàng, three without an area)
      assertEquals(Map.of("2024-2025 Quận Hồng Bàng", 11L, "2024-2025 null", 3L, "2025-2026 Phường Lương Đại", 1L,
              "2025-2026 Phường Phúc Tân", 2L, "2025-2026 null", 2L, "null null", 3L),
          countsBy(c, "SELECT concat_ws(' ', coalesce(school_year, 'null'), coalesce(area_name, 'null')), sum(issues) FROM v_data_quality "
              + "WHERE severity <> 'flagged' OR reason_code = 'DATE_INVALID' GROUP BY 1"));
      // contact columns never reach the lake or the mart, but the run report names them
      assertTrue(countsBy(c, "SELECT unnest(dropped_columns), 1 FROM fact_ingest_file").keySet().stream().anyMatch(s -> s.endsWith("Số điện thoại")));
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT count(*) FROM information_schema.columns WHERE lower(column_name) LIKE '%dien_thoai%' OR column_name ILIKE '%phone%'")) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
      // one official result per unit and year, and the view has the documented columns
      assertEquals(Map.of("duplicates", 0L),
          countsBy(c, "SELECT 'duplicates', count(*) FROM (SELECT unit_code, school_year FROM v_unit_result GROUP BY ALL HAVING count(*) > 1)"));
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM v_unit_result LIMIT 0")) {
        List<String> cols = new java.util.ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) cols.add(rs.getMetaData().getColumnName(i));
        assertTrue(cols.containsAll(List.of("unit_code", "unit_name", "school_year", "school_level", "ownership", "province_code", "district_code",
            "commune_code", "indicator_set", "stage", "dh_points", "dh_level", "qt_points", "qt_level", "overall_level", "provisional")), cols.toString());
      }
    }
  }

  @Test
  void levelDistributionEqualsAnIndependentComputationOverTheRawExports() throws Exception {
    Map<String, Long> expected = independentDistribution();
    Map<String, Long> actual;
    try (Connection c = mart()) {
      actual = countsBy(c, "SELECT concat_ws(' ', school_year, indicator_set, coalesce(coalesce(dh_level, nd_level)::VARCHAR, 'null') || '/' "
          + "|| coalesce(qt_level::VARCHAR, 'null'), 'overall', coalesce(overall_level::VARCHAR, 'null')), count(*) "
          + "FROM v_unit_result WHERE indicator_set <> 'QD3806' GROUP BY 1");
    }
    assertTrue(expected.size() > 20, "the sample spreads over many year × set × level combinations: " + expected);
    assertEquals(expected, actual);

    // the distribution view, summed over areas, school levels and ownership, says the same
    Map<String, Long> expectedByLevel = new TreeMap<>();
    expected.forEach((k, n) -> {
      String[] p = k.split(" ");
      expectedByLevel.merge(p[0] + " " + p[1] + " overall " + p[4], n, Long::sum);
    });
    try (Connection c = mart()) {
      Map<String, Long> fromView = countsBy(c, """
          SELECT school_year || ' ' || indicator_set || ' overall ' || level, n FROM (
            UNPIVOT (SELECT school_year, indicator_set, sum(level_1) AS "1", sum(level_2) AS "2", sum(level_3) AS "3"
                     FROM v_level_distribution WHERE scope = 'overall' AND indicator_set <> 'QD3806' GROUP BY ALL)
            ON "1", "2", "3" INTO NAME level VALUE n) WHERE n > 0""");
      assertEquals(expectedByLevel, fromView);
    }
  }

  @Test
  void oneDistrictsTrendAcrossTheReformEqualsTheIndependentComputation() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    independent(INDEPENDENT_DISTRICT_TREND, rs -> expected.put(rs.getString(1), rs.getString(2)));
    assertEquals(4, expected.size(), "Quận Lê Chân has TH schools in all four years, as communes in 2025-2026: " + expected);
    Map<String, String> actual = new TreeMap<>();
    try (Connection c = mart(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT school_year, share_level_2_plus::VARCHAR FROM v_level_trend WHERE grouping = 'former_district' AND group_code = '305' "
            + "AND school_level = 'TH' AND indicator_set = 'QD4725' AND scope = 'overall'")) {
      while (rs.next()) actual.put(rs.getString(1), rs.getString(2));
    }
    assertEquals(expected, actual);
  }

  private static long one(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Each plan, applied to the unit's own scores, reaches the next level's bound in every group it raises; and one
   * criterion fewer could not (the largest headrooms but one fall short): the fewest criteria.
   */
  @Test
  void everyPlanReachesTheNextLevelWithTheFewestCriteria() throws Exception {
    try (Connection c = mart()) {
      assertEquals(one(c, "SELECT count(*) FROM v_unit_result WHERE overall_level < 3"), one(c, "SELECT count(*) FROM v_unit_next_level"),
          "one plan per official result below Mức 3");
      String perGroup = """
          WITH steps AS (
            SELECT s.row_key, s.pool, any_value(s.set_id) AS set_id, any_value(s.target_level) AS target_level,
              sum(s.points_to_add) AS added, count(*) AS k
            FROM agg_unit_next_level_step s WHERE s.step_kind = 'raise_points' GROUP BY ALL),
          pools AS (
            SELECT st.*, f.points FROM steps st
            JOIN (SELECT row_key, group_id AS pool, points FROM fact_assessment
                  UNION ALL SELECT DISTINCT row_key, 'TOTAL', total_points FROM fact_assessment) f USING (row_key, pool)),
          headroom AS (
            SELECT p.row_key, p.pool, x.max_points - coalesce(x.points, 0) AS h,
              row_number() OVER (PARTITION BY p.row_key, p.pool ORDER BY x.max_points - coalesce(x.points, 0) DESC) AS r
            FROM pools p JOIN fact_criterion_score x ON x.row_key = p.row_key AND (p.pool = 'TOTAL' OR x.group_id = p.pool)
            WHERE NOT x.mandatory AND x.derived_metric IS NULL),
          checked AS (
            SELECT p.*, b.lower, b.lower_inclusive, n.reachable,
              (SELECT coalesce(sum(h), 0) FROM headroom h WHERE h.row_key = p.row_key AND h.pool = p.pool AND h.r < p.k) AS best_with_one_fewer
            FROM pools p JOIN dim_level_band b ON b.set_id = p.set_id AND b.scope = 'level_rule' AND b.level = p.target_level
            JOIN agg_unit_next_level n ON n.row_key = p.row_key)
          SELECT count(*), count(*) FILTER (WHERE reachable AND NOT (CASE WHEN lower_inclusive THEN points + added >= lower - 1e-9
                                                                          ELSE points + added > lower END)),
            count(*) FILTER (WHERE CASE WHEN lower_inclusive THEN points + best_with_one_fewer >= lower - 1e-9
                                        ELSE points + best_with_one_fewer > lower END)
          FROM checked""";
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(perGroup)) {
        rs.next();
        assertTrue(rs.getLong(1) > 1000, "groups with a plan: " + rs.getLong(1));
        assertEquals(0, rs.getLong(2), "plans that do not reach the bound");
        assertEquals(0, rs.getLong(3), "plans that one criterion fewer would also have done");
      }
      assertEquals(0, one(c, "SELECT count(*) FROM v_unit_next_level WHERE plan_cost_vnd IS NULL AND reachable"),
          "the sample's illustrative costs cover every criterion");
      assertEquals(0, one(c, "SELECT count(*) FROM v_unit_next_level WHERE NOT cost_is_illustrative"), "and every plan says they are illustrative");
    }
  }

  /**
   * At least 30 % under each managing body: ceil(0.3 × the units that self-assessed there), counted here from the facts.
   * The Sở itself has no managing body in the province and is not sampled.
   */
  @Test
  void theInspectionSampleMeetsTheShareUnderEveryManagingBody() throws Exception {
    try (Connection c = mart()) {
      String sql = """
          WITH submitted AS (
            SELECT u.managing_unit_code, count(DISTINCT f.unit_code) AS n
            FROM fact_assessment f JOIN dim_unit u ON u.unit_code = f.unit_code AND u.valid_from <= f.school_year
              AND (u.valid_to IS NULL OR f.school_year <= u.valid_to)
            WHERE f.school_year = '2025-2026' AND f.stage = 'self' AND f.status NOT IN ('draft', 'returned')
              AND u.managing_unit_code IS NOT NULL GROUP BY ALL),
          drawn AS (SELECT managing_unit_code, count(*) AS picked FROM v_inspection_sample WHERE school_year = '2025-2026' GROUP BY ALL)
          SELECT count(*), count(*) FILTER (WHERE coalesce(picked, 0) <> ceil(0.3 * n - 1e-9)), sum(picked), sum(n)
          FROM submitted s LEFT JOIN drawn d USING (managing_unit_code)""";
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        assertTrue(rs.getLong(1) > 50, "managing bodies: " + rs.getLong(1));
        assertEquals(0, rs.getLong(2), "bodies whose sample is not ceil(30 %)");
        assertTrue(rs.getLong(3) >= 0.3 * rs.getLong(4), rs.getLong(3) + " of " + rs.getLong(4));
      }
      assertEquals(0, one(c, "SELECT count(*) FROM v_inspection_sample WHERE unit_name IS NULL OR managing_unit_name IS NULL OR reason IS NULL"));
      assertTrue(one(c, "SELECT count(*) FILTER (WHERE risk_score > 0) * 100 / count(*) FROM v_inspection_sample") > 70,
          "most picks carry a risk factor");
    }
    List<String> csv = Files.readAllLines(sample.out().resolve("inspection/mau-kiem-tra-2025-2026.csv"));
    assertTrue(csv.get(0).startsWith("\ufeffNăm học,Thứ tự chọn,"), csv.get(0));
  }

  /** A table of a report sheet: the rows under the header that follows the row whose first cell starts with {@code title}. */
  static List<List<Object>> table(Sheet sheet, String title) {
    int r = 0;
    while (r <= sheet.getLastRowNum() && !(sheet.getRow(r) != null && sheet.getRow(r).getCell(0) != null
        && sheet.getRow(r).getCell(0).getStringCellValue().startsWith(title))) r++;
    assertTrue(r <= sheet.getLastRowNum(), "no table titled " + title + " in " + sheet.getSheetName());
    List<List<Object>> rows = new java.util.ArrayList<>();
    int width = sheet.getRow(r + 1).getLastCellNum();
    for (int i = r + 2; i <= sheet.getLastRowNum() && sheet.getRow(i) != null && sheet.getRow(i).getCell(0) != null; i++) {
      List<Object> row = new java.util.ArrayList<>();
      for (int c = 0; c < width; c++) {
        Cell cell = sheet.getRow(i).getCell(c);
        row.add(cell == null || cell.getCellType() == CellType.BLANK ? null
            : cell.getCellType() == CellType.NUMERIC ? (Object) cell.getNumericCellValue() : cell.getStringCellValue());
      }
      rows.add(row);
    }
    return rows;
  }

  private static double share(long n, long of) {
    return BigDecimal.valueOf((double) n / of).setScale(4, java.math.RoundingMode.HALF_UP).doubleValue();
  }

  /**
   * The annual report read back with POI: the numbers of the summary, the published list and the notes equal what
   * the mart says, counted here straight from the official results, the registry coverage and the rejects.
   */
  @Test
  void theAnnualReportReadBackEqualsTheMart() throws Exception {
    vn.cds.report.ReportConfig config = new vn.cds.report.ReportConfig("Sở GDĐT thử nghiệm", "Hải Phòng", java.time.LocalDate.of(2026, 12, 5), 10, 3);
    vn.cds.report.ReportFiles.Written w = vn.cds.report.ReportFiles.write(sample.mart(), work.resolve("reports"), "2024-2025",
        "2023-2024", config);
    try (Workbook wb = WorkbookFactory.create(w.xlsx().toFile()); Connection c = mart()) {
      assertEquals(List.of("1. Theo cấp học", "2. Theo khu vực", "3. Theo bộ chỉ số", "4. Danh sách công bố", "5. Tiêu chí yếu",
          "6. Tiến độ, hạn nộp", "7. Ghi chú dữ liệu", "8. Văn bản, kiểm tra"), java.util.stream.IntStream.range(0, wb.getNumberOfSheets()).mapToObj(wb::getSheetName).toList());
      Sheet summary = wb.getSheetAt(0);
      assertEquals("Sở GDĐT thử nghiệm — Hải Phòng, ngày 5 tháng 12 năm 2026", summary.getRow(1).getCell(0).getStringCellValue());

      // sheet 1, every number: counted from the official results (assessed, levels) and the coverage rows (registered)
      Map<String, List<Object>> expected = new TreeMap<>();
      String counts = "SELECT coalesce(s.school_level_name, 'Toàn tỉnh'), count(*), count(r.overall_level), "
          + "count(*) FILTER (WHERE r.overall_level = 1), count(*) FILTER (WHERE r.overall_level = 2), count(*) FILTER (WHERE r.overall_level = 3) "
          + "FROM agg_unit_coverage u LEFT JOIN v_unit_result r USING (unit_code, school_year) LEFT JOIN dim_school_level s ON s.school_level = u.school_level "
          + "WHERE u.school_year = ? GROUP BY ROLLUP (s.school_level_name)";
      Map<String, long[]> now = levelCounts(c, counts, "2024-2025"), before = levelCounts(c, counts, "2023-2024");
      now.forEach((level, n) -> {
        long[] p = before.get(level);
        List<Object> row = new java.util.ArrayList<>(List.of((double) n[0], (double) n[1], (double) (n[0] - n[1]), (double) n[2], (double) n[3],
            (double) n[4], share(n[2], n[1]), share(n[3], n[1]), share(n[4], n[1]), share(n[3] + n[4], n[1])));
        row.add(p == null ? null : (double) p[1]);
        row.add(p == null ? null : BigDecimal.valueOf((double) (n[3] + n[4]) / n[1] - (double) (p[3] + p[4]) / p[1]).setScale(4, java.math.RoundingMode.HALF_UP).doubleValue());
        row.add(p == null ? null : BigDecimal.valueOf((double) n[4] / n[1] - (double) p[4] / p[1]).setScale(4, java.math.RoundingMode.HALF_UP).doubleValue());
        expected.put(level, row);
      });
      Map<String, List<Object>> actual = new TreeMap<>();
      for (List<Object> row : table(summary, "Tổng hợp kết quả theo cấp học")) actual.put((String) row.get(0), row.subList(1, row.size()));
      assertEquals(expected, actual);
      assertEquals("0.0%", summary.getRow(5).getCell(8).getCellStyle().getDataFormatString(), "shares are shown as percents");
      assertEquals("#,##0", summary.getRow(5).getCell(1).getCellStyle().getDataFormatString());
      assertEquals(5, summary.getPaneInformation().getHorizontalSplitPosition(), "the header row stays in view");
      assertTrue(summary.getPrintSetup().getLandscape() && summary.getPrintSetup().getFitWidth() == 1
          && summary.getPrintSetup().getPaperSize() == org.apache.poi.ss.usermodel.PrintSetup.A4_PAPERSIZE, "A4 landscape, fit to width");

      // sheet 4, the published list: one row per official result, with its total and levels
      Map<String, String> list = new TreeMap<>();
      for (List<Object> row : table(wb.getSheetAt(3), "Danh sách công bố"))
        list.put((String) row.get(0), row.get(7) + "/" + row.get(8) + " " + row.get(10) + "/" + row.get(11) + " " + row.get(12) + " " + row.get(13));
      Map<String, String> results = new TreeMap<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT unit_code, round(coalesce(dh_points, nd_points, ld_points), 2)::DOUBLE, "
          + "coalesce(dh_level, nd_level)::DOUBLE, round(coalesce(qt_points, kq_points), 2)::DOUBLE, qt_level::DOUBLE, round(total_points, 2)::DOUBLE, "
          + "overall_level::DOUBLE FROM v_unit_result WHERE school_year = '2024-2025'")) {
        while (rs.next())
          results.put(rs.getString(1), rs.getObject(2) + "/" + rs.getObject(3) + " " + rs.getObject(4) + "/" + rs.getObject(5) + " " + rs.getObject(6)
              + " " + rs.getObject(7));
      }
      assertEquals(results, list);
      assertEquals(results.size(), w.units());

      // sheet 2, by area: registered from the coverage rows, assessed and levels from the official results
      Map<String, List<Object>> byArea = new TreeMap<>();
      for (List<Object> row : table(wb.getSheetAt(1), "Kết quả theo khu vực")) {
        String label = (String) row.get(0);
        byArea.put(label.equals("Toàn tỉnh") ? label : label.substring(label.lastIndexOf('(') + 1, label.length() - 1), row.subList(1, 7));
      }
      Map<String, List<Object>> areaExpected = new TreeMap<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(u.area_code, 'Toàn tỉnh'), count(*)::DOUBLE, "
          + "count(r.overall_level)::DOUBLE, (count(*) - count(r.overall_level))::DOUBLE, count(*) FILTER (WHERE r.overall_level = 1)::DOUBLE, "
          + "count(*) FILTER (WHERE r.overall_level = 2)::DOUBLE, count(*) FILTER (WHERE r.overall_level = 3)::DOUBLE "
          + "FROM agg_unit_coverage u LEFT JOIN v_unit_result r USING (unit_code, school_year) WHERE u.school_year = '2024-2025' GROUP BY ROLLUP (u.area_code)")) {
        while (rs.next()) areaExpected.put(rs.getString(1), List.of(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)));
      }
      assertEquals(areaExpected, byArea);

      // sheet 6: the province's coverage line
      List<Object> province = table(wb.getSheetAt(5), "Tiến độ nộp").stream().filter(r -> "Toàn tỉnh".equals(r.get(0))).findFirst().orElseThrow();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*)::DOUBLE, count(*) FILTER (WHERE self_submitted)::DOUBLE, "
          + "count(*) FILTER (WHERE self_on_time)::DOUBLE, count(*) FILTER (WHERE externally_assessed)::DOUBLE, count(*) FILTER (WHERE approved)::DOUBLE "
          + "FROM agg_unit_coverage WHERE school_year = '2024-2025'")) {
        rs.next();
        assertEquals(List.of(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)), province.subList(2, 7));
      }

      // sheet 7: rejects by reason, as fact_reject counts them
      Map<String, Long> rejects = new TreeMap<>();
      for (List<Object> row : table(wb.getSheetAt(6), "Các dòng bị loại")) rejects.put((String) row.get(0), ((Double) row.get(3)).longValue());
      assertEquals(countsBy(c, "SELECT reason_code, count(*) FROM fact_reject WHERE school_year = '2024-2025' OR school_year IS NULL GROUP BY 1"), rejects);
    }
    String csv = Files.readString(w.publishedCsv());
    assertTrue(csv.startsWith("\ufeffMã đơn vị,Tên đơn vị,Cấp học,"), "UTF-8 with BOM, Vietnamese headers");
    JsonNode published = new ObjectMapper().readTree(w.publishedJson().toFile());
    assertEquals(w.units(), published.get("units").size());
    assertEquals("2026-12-05", published.get("report_date").asText());
    assertEquals(14, Files.list(w.csvFolder()).count(), "one CSV per table: 8 sheets, two tables on sheet 6, three on sheet 7 and four on sheet 8");
  }

  private static Map<String, long[]> levelCounts(Connection c, String sql, String year) throws Exception {
    Map<String, long[]> m = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, year);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) m.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
      }
    }
    return m;
  }

  /** Every dataset of the Superset bundle: its columns are its view's, and its columns and metrics answer on the sample mart. */
  @Test
  void everySupersetDatasetAnswersOnTheSampleMart() throws Exception {
    vn.cds.dashboards.SupersetBundle bundle = vn.cds.dashboards.SupersetBundle.load(TestSupport.repoRoot().resolve("dashboards/superset"));
    Map<String, Map<String, Object>> datasets = bundle.files("datasets");
    assertEquals(18, datasets.size()); // twelve views (v_province_comparison since issue 26), v_mart_run and five of the yearly cycle's documents
    try (Connection c = mart(); Statement st = c.createStatement()) {
      for (Map<String, Object> ds : datasets.values()) {
        String table = (String) ds.get("table_name");
        List<String> columns = ((List<?>) ds.get("columns")).stream().map(x -> (String) ((Map<?, ?>) x).get("column_name")).toList();
        List<String> inMart = new java.util.ArrayList<>();
        try (ResultSet rs = st.executeQuery("DESCRIBE " + table)) {
          while (rs.next()) inMart.add(rs.getString("column_name"));
        }
        assertEquals(inMart, columns, table + ": the dataset lists the view's columns");
        StringBuilder metrics = new StringBuilder();
        for (Object m : (List<?>) ds.get("metrics")) metrics.append(", ").append(((Map<?, ?>) m).get("expression"));
        try (ResultSet rs = st.executeQuery("SELECT count(*)" + metrics + " FROM main." + table)) {
          rs.next();
          assertTrue(rs.getLong(1) > 0, table + " has rows on the sample mart");
        }
      }
    }
  }

  /**
   * The offline dashboard in a real headless Chromium: no console error, every chart paints its canvas, the headline
   * numbers equal the mart's, a filter change redraws for that area, and a unit name full of HTML stays text.
   */
  @Test
  void theOfflineDashboardWorksInARealBrowser() throws Exception {
    String hostile = "<img src=x onerror=alert(1)>&amp; \"Trường\" 'A' <script>alert(2)</script>";
    Path mart = work.resolve("mart-hostile.duckdb");
    Files.copy(sample.mart(), mart, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String year, hostileUnit;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + mart); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT max(school_year) FROM v_inspection_sample")) {
        rs.next();
        year = rs.getString(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT unit_code FROM v_inspection_sample WHERE school_year = '" + year + "' ORDER BY managing_unit_code, pick_rank LIMIT 1")) {
        rs.next();
        hostileUnit = rs.getString(1);
      }
      // the registry, the names by year the views join on, and the sample's rows as the mart stored them with their names
      for (String table : List.of("dim_unit", "dim_unit_year", "stored_inspection_sample"))
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET unit_name = ? WHERE unit_code = ?")) {
          ps.setString(1, hostile);
          ps.setString(2, hostileUnit);
          assertTrue(ps.executeUpdate() > 0);
        }
    }
    Path html = work.resolve("dashboards/index.html");
    vn.cds.dashboards.OfflineDashboard.write(mart, html);
    String page = Files.readString(html);
    assertTrue(!page.contains("src=\"http") && !page.contains("src='http") && !page.contains("href=\"http"), "nothing loaded from the network");

    try (Connection c = mart(); vn.cds.dashboards.HeadlessChromium browser = new vn.cds.dashboards.HeadlessChromium(work.resolve("chromium-profile"))) {
      browser.open(html.toUri().toString());
      JsonNode painted = browser.eval("(() => { const out = {}; document.querySelectorAll('.chart').forEach(el => { const cv = el.querySelector('canvas');"
          + " if (!cv) { out[el.id] = -1; return; } const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data; let n = 0;"
          + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; out[el.id] = n; }); return out; })()");
      assertEquals(11, painted.size(), "eleven charts: " + painted);
      painted.fields().forEachRemaining(e -> assertTrue(e.getValue().asInt() > 500, e.getKey() + " paints its canvas: " + painted));
      assertEquals(year + "||", browser.eval("document.body.getAttribute('data-rendered')").asText(), "the latest year, all areas, all levels");
      // after the reform no axis lists every commune: the charts group by former district, a sortable table lists the communes
      JsonNode categories = browser.eval("(() => { const out = {}; ['c-dist', 'c-rank', 'c-heat', 'c-coverage', 'c-gap'].forEach(id => {"
          + " const o = echarts.getInstanceByDom(document.getElementById(id)).getOption();"
          + " out[id] = (id === 'c-dist' || id === 'c-gap' ? o.xAxis[0] : o.yAxis[0]).data.length; }); return out; })()");
      long groups = Long.parseLong(digits(c, "SELECT count(DISTINCT area_group_code)::VARCHAR FROM v_level_distribution WHERE scope = 'overall' AND school_year = '"
          + year + "'"));
      long communes = Long.parseLong(digits(c, "SELECT count(DISTINCT area_code)::VARCHAR FROM v_level_distribution WHERE scope = 'overall' AND school_year = '"
          + year + "' AND assessed > 0"));
      assertTrue(communes > 100 && groups < 40, communes + " areas in " + groups + " groups");
      assertEquals(groups, categories.get("c-dist").asLong(), categories.toString());
      categories.fields().forEachRemaining(e -> assertTrue(e.getValue().asInt() <= groups && e.getValue().asInt() > 10, e.getKey() + ": " + categories));
      assertEquals(communes, browser.eval("document.querySelectorAll('#t-rank-areas tbody tr').length").asLong(), "every area in the table");
      browser.eval("document.querySelectorAll('#t-rank-areas th')[2].click()");
      assertEquals(digits(c, "SELECT max(n)::VARCHAR FROM (SELECT sum(assessed) AS n FROM v_level_distribution WHERE scope = 'overall' AND school_year = '"
          + year + "' GROUP BY area_code)"), browser.eval("document.querySelector('#t-rank-areas tbody tr').children[2].textContent").asText()
          .replaceAll("[^0-9]", ""), "a click on 'Đã đánh giá' sorts the largest first");
      assertEquals(digits(c, "SELECT sum(assessed)::VARCHAR || sum(registered)::VARCHAR FROM v_level_distribution WHERE scope = 'overall' AND school_year = '"
          + year + "'"), browser.eval("document.getElementById('k-assessed').textContent").asText().replaceAll("[^0-9]", ""));
      assertTrue(browser.eval("Array.from(document.querySelectorAll('#t-sample td')).some(td => td.textContent === " + new ObjectMapper().writeValueAsString(hostile)
          + ")").asBoolean(), "the hostile name is shown as written");
      assertEquals(0, browser.eval("document.querySelectorAll('main img, main script').length").asInt(), "and never became markup");
      browser.screenshot(TestSupport.repoRoot().resolve("jobs/target/dashboard-offline.png"));

      String area = browser.eval("document.getElementById('f-area').options[1].value").asText();
      browser.eval("(() => { const s = document.getElementById('f-area'); s.value = '" + area + "'; s.dispatchEvent(new Event('change')); })()");
      assertEquals(year + "|" + area + "|", browser.eval("document.body.getAttribute('data-rendered')").asText());
      assertEquals(digits(c, "SELECT sum(assessed)::VARCHAR || sum(registered)::VARCHAR FROM v_level_distribution WHERE scope = 'overall' AND school_year = '"
          + year + "' AND area_code = '" + area + "'"), browser.eval("document.getElementById('k-assessed').textContent").asText().replaceAll("[^0-9]", ""),
          "the headline follows the area filter");
      assertTrue(browser.eval("document.getElementById('h-dist').textContent").asText().startsWith("Phân bố mức theo cấp học — "));
      browser.screenshot(TestSupport.repoRoot().resolve("jobs/target/dashboard-offline-area.png"));
      assertEquals(List.of(), browser.errors(), "no console errors");
      assertEquals(List.of(), browser.dialogs(), "no script from the data ran");
    }
  }

  private static String digits(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  // ---- the independent computation ----

  private static Map<String, Long> independentDistribution() throws Exception {
    Map<String, Long> m = new TreeMap<>();
    independent(INDEPENDENT_SQL, rs -> m.put(rs.getString(1), rs.getLong(2)));
    return m;
  }

  interface RowSink {
    void accept(ResultSet rs) throws Exception;
  }

  private static void independent(String sql, RowSink sink) throws Exception {
    Path sample = TestSupport.repoRoot().resolve("sample-data");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      st.execute("CREATE TABLE raw_long (file VARCHAR, rn INTEGER, header VARCHAR, val VARCHAR)");
      List<Path> files;
      try (Stream<Path> s = Files.walk(sample.resolve("exports"))) {
        files = s.filter(Files::isRegularFile).filter(p -> Files.isReadable(p)).sorted().toList();
      }
      for (Path f : files) {
        String rel = sample.relativize(f).toString();
        if (Files.size(f) == 0) continue;
        if (rel.endsWith(".json")) {
          loadJson(db, f, rel);
        } else if (rel.endsWith(".csv")) {
          st.execute("INSERT INTO raw_long UNPIVOT (SELECT '" + rel + "' AS file, (row_number() OVER () + 1)::INTEGER AS rn, * FROM read_csv('"
              + f + "', all_varchar = true, header = true)) ON COLUMNS(* EXCLUDE (file, rn)) INTO NAME header VALUE val");
        } else {
          loadXlsx(db, f, rel);
        }
      }
      loadCatalog(db);
      st.execute("CREATE TABLE units AS SELECT * FROM read_csv('" + sample.resolve("units.csv") + "', all_varchar = true, header = true)");
      st.execute("CREATE TABLE areas AS SELECT * FROM read_csv('" + sample.resolve("areas.csv") + "', all_varchar = true, header = true)");
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) sink.accept(rs);
      }
    }
  }

  private static void loadXlsx(Connection db, Path f, String rel) throws Exception {
    DateTimeFormatter dmy = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    try (Workbook wb = WorkbookFactory.create(f.toFile(), null, true);
        PreparedStatement ins = db.prepareStatement("INSERT INTO raw_long VALUES (?, ?, ?, ?)")) {
      for (Sheet sheet : wb) {
        List<String> headers = null;
        for (Row row : sheet) {
          if (headers == null) {
            Cell first = row.getCell(0);
            if (first != null && first.getCellType() == CellType.STRING && first.getStringCellValue().equals("Mã đơn vị")) {
              headers = new java.util.ArrayList<>();
              for (Cell c : row) headers.add(c.getStringCellValue());
            }
            continue;
          }
          for (int i = 0; i < headers.size(); i++) {
            Cell c = row.getCell(i);
            if (c == null) continue;
            CellType t = c.getCellType() == CellType.FORMULA ? c.getCachedFormulaResultType() : c.getCellType();
            String v = t == CellType.STRING ? c.getStringCellValue()
                : t == CellType.NUMERIC ? (DateUtil.isCellDateFormatted(c) ? c.getLocalDateTimeCellValue().toLocalDate().format(dmy)
                    : BigDecimal.valueOf(c.getNumericCellValue()).stripTrailingZeros().toPlainString()) : null;
            if (v == null || v.isEmpty()) continue;
            ins.setString(1, rel);
            ins.setInt(2, row.getRowNum() + 1);
            ins.setString(3, headers.get(i));
            ins.setString(4, v);
            ins.addBatch();
          }
        }
        if (headers != null) break;
      }
      ins.executeBatch();
    }
  }

  /** A JSON assessment becomes the same (header, value) pairs a wide export row would give. */
  private static void loadJson(Connection db, Path f, String rel) throws Exception {
    JsonNode doc = new ObjectMapper().readTree(f.toFile());
    Map<String, String> headers = Map.of("unit_code", "Mã đơn vị", "school_year", "Năm học", "stage", "Hình thức đánh giá",
        "indicator_set", "Bộ chỉ số", "submitted_on", "Ngày nộp", "status", "Trạng thái");
    try (PreparedStatement ins = db.prepareStatement("INSERT INTO raw_long VALUES (?, 1, ?, ?)")) {
      headers.forEach((field, header) -> {
        if (!doc.has(field)) return;
        try {
          ins.setString(1, rel);
          ins.setString(2, header);
          ins.setString(3, doc.get(field).asText());
          ins.addBatch();
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      var scores = doc.get("scores").fields();
      while (scores.hasNext()) {
        var e = scores.next();
        if (e.getValue().isNull()) continue;
        ins.setString(1, rel);
        ins.setString(2, e.getKey());
        ins.setString(3, e.getValue().isBoolean() ? (e.getValue().asBoolean() ? "Đạt" : "Chưa đạt") : e.getValue().asText());
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  /** criteria(set_id, group_id, criterion_id, max_points, mandatory), sets, bands: straight from the catalog JSON files. */
  private static void loadCatalog(Connection db) throws Exception {
    try (Statement st = db.createStatement()) {
      st.execute("CREATE TABLE criteria (set_id VARCHAR, group_id VARCHAR, criterion_id VARCHAR, max_points DOUBLE, mandatory BOOLEAN, derived BOOLEAN)");
      st.execute("CREATE TABLE sets (set_id VARCHAR, alias VARCHAR, school_level VARCHAR, first_year VARCHAR, mandatory_failed VARCHAR)");
      st.execute("CREATE TABLE bands (set_id VARCHAR, level INTEGER, lower DOUBLE, lower_inc BOOLEAN, upper DOUBLE, upper_inc BOOLEAN)");
    }
    ObjectMapper json = new ObjectMapper();
    for (String name : List.of("qd4725.v1.json", "qd3267.v1.json", "qd3806.v1.json")) {
      JsonNode d = json.readTree(TestSupport.catalogs().resolve(name).toFile());
      String id = d.get("id").asText();
      try (PreparedStatement c = db.prepareStatement("INSERT INTO criteria VALUES (?,?,?,?,?,?)");
          PreparedStatement s = db.prepareStatement("INSERT INTO sets VALUES (?,?,?,?,?)");
          PreparedStatement b = db.prepareStatement("INSERT INTO bands VALUES (?,?,?,?,?,?)")) {
        for (JsonNode g : d.get("groups"))
          for (JsonNode cr : g.get("criteria")) {
            c.setString(1, id); c.setString(2, g.get("id").asText()); c.setString(3, cr.get("id").asText());
            c.setDouble(4, cr.get("max_points").asDouble()); c.setBoolean(5, cr.get("mandatory").asBoolean());
            c.setBoolean(6, "derived".equals(cr.get("scoring").asText()));
            c.executeUpdate();
          }
        for (JsonNode alias : d.get("aliases"))
          for (JsonNode level : d.get("applies_to")) {
            s.setString(1, id); s.setString(2, alias.asText()); s.setString(3, level.asText()); s.setString(4, d.get("first_school_year").asText());
            s.setString(5, d.get("level_rule").get("mandatory_failed").asText());
            s.executeUpdate();
          }
        for (JsonNode band : d.get("level_rule").get("levels")) {
          b.setString(1, id); b.setInt(2, band.get("level").asInt()); b.setDouble(3, band.get("lower").asDouble());
          b.setBoolean(4, band.get("lower_inclusive").asBoolean()); b.setDouble(5, band.get("upper").asDouble());
          b.setBoolean(6, band.get("upper_inclusive").asBoolean());
          b.executeUpdate();
        }
      }
    }
  }

  private static final String INDEPENDENT_CTES = """
      WITH cells AS (
        SELECT file, rn, replace(strip_accents(lower(trim(header))), 'đ', 'd') AS h, upper(trim(header)) AS hu, nullif(trim(val), '') AS v
        FROM raw_long
      ), keyed AS (
        SELECT file, rn,
          max(v) FILTER (WHERE h = 'ma don vi') AS unit_code,
          max(v) FILTER (WHERE h = 'nam hoc') AS year_raw,
          max(replace(strip_accents(lower(v)), 'đ', 'd')) FILTER (WHERE h = 'hinh thuc danh gia') AS stage_raw,
          max(replace(strip_accents(lower(v)), 'đ', 'd')) FILTER (WHERE h = 'trang thai') AS status_raw,
          max(v) FILTER (WHERE h = 'ngay nop') AS date_raw,
          max(v) FILTER (WHERE h = 'bo chi so') AS set_raw
        FROM cells GROUP BY file, rn
      ), rows AS (
        SELECT k.*,
          CASE WHEN regexp_full_match(replace(replace(year_raw, ' ', ''), '–', '-'), '\\d{4}-\\d{4}')
                AND right(replace(replace(year_raw, ' ', ''), '–', '-'), 4)::INT = left(replace(replace(year_raw, ' ', ''), '–', '-'), 4)::INT + 1
               THEN replace(replace(year_raw, ' ', ''), '–', '-') END AS school_year,
          CASE WHEN stage_raw IN ('tu danh gia', 'self') THEN 'self' WHEN stage_raw IN ('danh gia ngoai', 'external') THEN 'external' END AS stage,
          CASE WHEN status_raw IS NULL THEN 'submitted' WHEN status_raw = 'nhap' THEN 'draft' WHEN status_raw = 'da nop' THEN 'submitted'
               WHEN status_raw = 'da duyet' THEN 'approved' WHEN status_raw = 'tra lai' THEN 'returned' END AS status,
          coalesce(try_strptime(date_raw, '%d/%m/%Y'), try_strptime(date_raw, '%Y-%m-%d'))::DATE AS submitted_on
        FROM keyed k
      ), with_unit AS (
        SELECT r.*, u.school_level,
          row_number() OVER (PARTITION BY r.file, r.rn ORDER BY u.valid_from DESC) AS pick
        FROM rows r LEFT JOIN units u ON u.unit_code = r.unit_code AND u.valid_from <= r.school_year
          AND (u.valid_to IS NULL OR r.school_year <= u.valid_to)
      ), with_set AS (
        SELECT w.*, s.set_id
        FROM (SELECT * FROM with_unit WHERE pick = 1) w
        LEFT JOIN (SELECT DISTINCT set_id, alias, school_level, first_year FROM sets) s
          ON s.school_level = w.school_level AND s.first_year <= w.school_year
          AND (w.set_raw IS NULL OR s.alias = regexp_extract(w.set_raw, '[0-9]{3,}'))
        QUALIFY row_number() OVER (PARTITION BY w.file, w.rn ORDER BY s.set_id) = 1 -- a set has several aliases
      ), values AS (
        SELECT ws.file, ws.rn, c.hu AS criterion_id, c.v, cr.max_points, cr.mandatory, cr.group_id, cr.criterion_id IS NOT NULL AS in_set,
          CASE WHEN cr.mandatory THEN NULL ELSE TRY_CAST(replace(c.v, ',', '.') AS DOUBLE) END AS points,
          CASE WHEN NOT cr.mandatory THEN NULL
               WHEN replace(strip_accents(lower(c.v)), 'đ', 'd') IN ('dat', 'x', '1', 'co') THEN true
               WHEN replace(strip_accents(lower(c.v)), 'đ', 'd') IN ('chua dat', 'khong dat', '0', 'khong') THEN false END AS passed
        FROM with_set ws JOIN cells c ON c.file = ws.file AND c.rn = ws.rn AND regexp_full_match(c.hu, '[A-Z]{2,4}[0-9]+(\\.[0-9]+)?')
        LEFT JOIN criteria cr ON cr.set_id = ws.set_id AND cr.criterion_id = c.hu
        WHERE c.v IS NOT NULL
      ), bad_rows AS (
        SELECT DISTINCT file, rn FROM values
        WHERE NOT in_set OR (NOT mandatory AND (points IS NULL OR points < 0 OR points > max_points)) OR (mandatory AND passed IS NULL)
      ), valid AS (
        SELECT ws.* FROM with_set ws
        WHERE ws.school_level IS NOT NULL AND ws.school_year IS NOT NULL AND ws.stage IS NOT NULL AND ws.status IS NOT NULL AND ws.set_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM bad_rows b WHERE b.file = ws.file AND b.rn = ws.rn)
      ), latest AS (
        SELECT * FROM valid QUALIFY row_number() OVER (PARTITION BY unit_code, school_year, stage
          ORDER BY submitted_on DESC NULLS LAST, file DESC, rn DESC) = 1
      ), official AS (
        SELECT * FROM latest WHERE status NOT IN ('draft', 'returned')
        QUALIFY row_number() OVER (PARTITION BY unit_code, school_year
          ORDER BY stage = 'external' DESC, submitted_on DESC NULLS LAST, file DESC, rn DESC) = 1
      ), groups AS (
        SELECT o.unit_code, o.school_year, o.set_id, g.group_id,
          round(coalesce(sum(v.points) FILTER (WHERE NOT g.mandatory), 0), 4) AS points,
          count(*) FILTER (WHERE g.mandatory AND v.passed = false) AS failed
        FROM official o JOIN criteria g ON g.set_id = o.set_id
        LEFT JOIN values v ON v.file = o.file AND v.rn = o.rn AND v.criterion_id = g.criterion_id
        WHERE o.set_id <> 'QD3806'
        GROUP BY ALL
      ), levels AS (
        SELECT gr.*, CASE WHEN gr.failed > 0 THEN 1 ELSE b.level END AS level
        FROM groups gr JOIN bands b ON b.set_id = gr.set_id
          AND (CASE WHEN b.lower_inc THEN gr.points >= b.lower ELSE gr.points > b.lower END)
          AND (CASE WHEN b.upper_inc THEN gr.points <= b.upper ELSE gr.points < b.upper END)
      ), per_unit AS (
        SELECT unit_code, school_year, set_id,
          max(level) FILTER (WHERE group_id IN ('DH', 'ND')) AS first_level,
          max(level) FILTER (WHERE group_id = 'QT') AS qt_level,
          min(level) AS overall
        FROM levels GROUP BY unit_code, school_year, set_id
      )
      """;

  private static final String INDEPENDENT_SQL = INDEPENDENT_CTES + """
      SELECT concat_ws(' ', school_year, set_id, coalesce(first_level::VARCHAR, 'null') || '/' || coalesce(qt_level::VARCHAR, 'null'),
        'overall', coalesce(overall::VARCHAR, 'null')), count(*)
      FROM per_unit GROUP BY 1
      """;

  /** One former district's share at Mức 2+ per year (TH schools, QĐ 4725): communes map back through areas.csv. */
  private static final String INDEPENDENT_DISTRICT_TREND = INDEPENDENT_CTES.replaceFirst("\\)\\s*$", "") + """
      ), located AS (
        SELECT p.*, u.school_level,
          coalesce(u.district_code, (SELECT min(area_code) FROM areas WHERE area_type = 'district' AND successor_code = u.commune_code))
            AS former_district
        FROM per_unit p JOIN units u ON u.unit_code = p.unit_code AND u.valid_from <= p.school_year
          AND (u.valid_to IS NULL OR p.school_year <= u.valid_to)
      )
      SELECT school_year, round(avg(CASE WHEN overall >= 2 THEN 1.0 ELSE 0.0 END), 4)::VARCHAR
      FROM located WHERE former_district = '305' AND school_level = 'TH' AND set_id = 'QD4725' GROUP BY 1
      """;
}
