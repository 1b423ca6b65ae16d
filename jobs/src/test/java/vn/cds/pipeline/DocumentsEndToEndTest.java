package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;

/**
 * The yearly cycle's documents over the committed sample (the shared sample run): the letters' story is there, and the
 * headline counts equal an independent count in plain SQL over the raw submissions.csv, units.csv and milestones.json.
 */
class DocumentsEndToEndTest {
  static TestSupport.SampleRun sample;

  @BeforeAll
  static void runPipeline() throws Exception {
    sample = TestSupport.sampleRun();
  }

  private static List<String> rows(Connection c, String sql) throws Exception {
    return TestSupport.rows(c, sql);
  }

  private static Connection mart() throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + sample.mart(), ro);
  }

  @Test
  void theSubmissionsAreReconciledAndTheLettersStoryIsThere() throws Exception {
    assertEquals(new Pipeline.Documents(List.of("submissions.csv"), 9763, 9755, 7, 1, 0), sample.result().documents());
    assertTrue(sample.console().contains("Đối chiếu văn bản (submissions.csv): 9,763 dòng đọc = 9,755 nhận + 7 loại + 1 thay thế ✓; 0 tệp lỗi."),
        sample.console());
    try (Connection c = mart()) {
      assertEquals(List.of("3/14 Phòng GDĐT gửi Kế hoạch đánh giá mức độ chuyển đổi số đúng hạn (30/11/2024); 12/14 đã gửi"),
          rows(c, "SELECT headline FROM v_document_headline WHERE school_year = '2024-2025' AND document = 'ke_hoach' AND school_level = 'PHONG'"));
      assertEquals(List.of("DOCUMENT_NOT_REQUIRED 1", "DOCUMENT_UNKNOWN 1", "REFERENCE_NOT_URL 1", "SCHOOL_YEAR_INVALID 1", "SUBMISSION_DATE_INVALID 1",
          "SUBMISSION_REPEATED 1", "UNIT_NOT_VALID_IN_YEAR 1", "UNIT_UNKNOWN 1"),
          rows(c, "SELECT reason_code, count(*) FROM fact_reject WHERE source_file = 'submissions.csv' GROUP BY 1 ORDER BY 1"));
      // one Phòng in 2024-2025 and one commune in 2025-2026 below 30 %; every other managing body at or above it
      assertEquals(List.of("2024-2025 1", "2025-2026 1"),
          rows(c, "SELECT school_year, count(*) FROM v_inspection_rule WHERE NOT meets_rule GROUP BY 1 ORDER BY 1"));
      assertEquals(List.of("0"), rows(c, "SELECT count(*) FROM v_unit_document WHERE deadline_source <> 'default' OR NOT deadline_provisional"),
          "the sample sets no deadline of its own: every one is a provisional default");
    }
  }

  /** Who must send what, counted from the raw files with DuckDB alone: no table of the pipeline is read. */
  private static final String INDEPENDENT = """
      WITH s AS (SELECT * FROM read_csv('%1$s/submissions.csv', all_varchar = true, header = true)),
      u AS (SELECT * FROM read_csv('%1$s/units.csv', all_varchar = true, header = true)),
      m AS (SELECT unnest(documents) AS d, reform_school_year FROM read_json_auto('%2$s')),
      rules AS (SELECT d.code AS document, d.tracking, d.reference, r.era, level, r.deadline.day AS dd, r.deadline.month AS mm,
          r.deadline.calendar_year AS cy, reform_school_year
        FROM (SELECT d, reform_school_year, unnest(d.requirements) AS r FROM m), unnest(r.school_levels) AS t(level)),
      good AS (SELECT s.unit_code, s.school_year, lower(s.document) AS document, try_strptime(s.submitted_on, '%%d/%%m/%%Y')::DATE AS sent, s.reference
        FROM s WHERE regexp_matches(s.school_year, '^[0-9]{4}-[0-9]{4}$')
          AND s.school_year[6:9]::INT = s.school_year[1:4]::INT + 1),
      unit_year AS (SELECT y.school_year, u.unit_code, arg_max(u.school_level, u.valid_from) AS school_level
        FROM u JOIN (SELECT DISTINCT school_year FROM good) y
          ON u.valid_from <= y.school_year AND (u.valid_to IS NULL OR y.school_year <= u.valid_to) GROUP BY ALL),
      required AS (SELECT y.school_year, y.unit_code, y.school_level, r.document, r.tracking, r.reference,
          make_date(y.school_year[1:4]::INT + CASE r.cy WHEN 'second' THEN 1 ELSE 0 END, r.mm, r.dd) AS deadline
        FROM unit_year y JOIN rules r ON r.level = y.school_level
          AND (r.era = 'all' OR r.era = CASE WHEN y.school_year >= r.reform_school_year THEN 'after_reform' ELSE 'before_reform' END)),
      accepted AS (SELECT q.school_year, q.unit_code, q.document, min(g.sent) AS first_sent
        FROM required q JOIN good g ON g.unit_code = q.unit_code AND g.school_year = q.school_year AND g.document = q.document
        WHERE g.sent IS NOT NULL AND (q.reference <> 'url' OR regexp_matches(coalesce(g.reference, ''), '^https?://'))
        GROUP BY ALL),
      tracked AS (SELECT DISTINCT school_year FROM accepted)
      SELECT q.school_year, q.document, q.school_level, count(*) AS required, count(a.first_sent) AS submitted,
        count(*) FILTER (WHERE a.first_sent <= q.deadline) AS on_time
      FROM required q JOIN tracked USING (school_year)
      LEFT JOIN accepted a USING (school_year, unit_code, document)
      WHERE q.tracking = 'each_unit'
      GROUP BY ALL ORDER BY ALL
      """;

  @Test
  void theHeadlineCountsEqualAnIndependentCountOverTheRawFiles() throws Exception {
    String sql = String.format(INDEPENDENT, TestSupport.repoRoot().resolve("sample-data").toString().replace("'", "''"),
        TestSupport.repoRoot().resolve("schemas/milestones.json").toString().replace("'", "''"));
    List<String> independent;
    try (Connection raw = DriverManager.getConnection("jdbc:duckdb:")) {
      independent = rows(raw, sql);
    }
    try (Connection c = mart()) {
      assertEquals(independent, rows(c, "SELECT school_year, document, school_level, required, submitted, on_time FROM v_document_headline ORDER BY ALL"));
    }
    assertTrue(independent.contains("2024-2025 ke_hoach PHONG 14 12 3"), independent.toString());
  }

  @Test
  void theReportHasTheDocumentsSheetAndAFollowUpListPerManagingBody(@org.junit.jupiter.api.io.TempDir java.nio.file.Path work) throws Exception {
    vn.cds.report.ReportConfig config = new vn.cds.report.ReportConfig("Sở GDĐT thử nghiệm", "Hải Phòng", java.time.LocalDate.of(2026, 12, 5), 10, 3);
    vn.cds.report.ReportFiles.Written w = vn.cds.report.ReportFiles.write(sample.mart(), work, "2024-2025", "2023-2024", config);
    try (org.apache.poi.ss.usermodel.Workbook wb = org.apache.poi.ss.usermodel.WorkbookFactory.create(w.xlsx().toFile()); Connection c = mart()) {
      org.apache.poi.ss.usermodel.Sheet sheet = wb.getSheet("8. Văn bản, kiểm tra");
      List<List<Object>> headline = EndToEndTest.table(sheet, "Tiến độ gửi văn bản theo cấp học");
      List<Object> plans = headline.stream().filter(r -> r.get(0).toString().startsWith("Kế hoạch") && "Phòng GDĐT".equals(r.get(1))).findFirst().orElseThrow();
      assertEquals(List.of("30/11/2024", 14.0, 12.0, 3.0, 2.0), plans.subList(2, 7), "3/14 on time, 12/14 sent, 2 not");
      assertEquals("Mặc định theo công văn (tạm thời)", plans.get(9), "the deadline says it is a provisional default");
      assertEquals(List.of(List.of("submissions.csv", 9763.0, 9755.0, 7.0, 1.0)), EndToEndTest.table(sheet, "Đối chiếu các dòng văn bản"));
      List<List<Object>> inspected = EndToEndTest.table(sheet, "Kiểm tra tại đơn vị");
      assertEquals(List.of("Phòng Giáo dục và Đào tạo Huyện Tiên Lãng (28811489)", 68.0, 10.0, 0.1471, 0.3, 21.0, "Chưa đạt"), inspected.get(0).subList(0, 7));
      // one list per managing body with something missing, each listing exactly the view's missing documents
      List<String> bodies = rows(c, "SELECT count(DISTINCT coalesce(managing_unit_code, '')) FROM v_unit_document WHERE school_year = '2024-2025' "
          + "AND submitted_on IS NULL");
      assertEquals(Integer.parseInt(bodies.get(0)), w.followUpLists());
      java.nio.file.Path list = work.resolve("nhac-nop-2024-2025/phong-giao-duc-va-dao-tao-huyen-tien-lang-28811489.csv");
      List<String> lines = java.nio.file.Files.readAllLines(list);
      assertEquals("\ufeffMã đơn vị,Tên đơn vị,Cấp học,Văn bản chưa gửi,Hạn nộp,Số ngày quá hạn,Hạn nộp theo", lines.get(0));
      assertEquals(rows(c, "SELECT count(*) FROM v_unit_document WHERE school_year = '2024-2025' AND managing_unit_code = '28811489' "
          + "AND submitted_on IS NULL").get(0), String.valueOf(lines.size() - 1));
      assertTrue(java.nio.file.Files.exists(list.resolveSibling("phong-giao-duc-va-dao-tao-huyen-tien-lang-28811489.xlsx")));
    }
  }
}
