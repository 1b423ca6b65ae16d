package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

/**
 * The yearly cycle's documents on a small input counted by hand: two Phòng, four schools and the Sở in 2024-2025, one
 * school moved into a commune in 2025-2026, and fifteen submission rows, eight of them bad and one sent twice. The Sở
 * sets its own plan deadline for 2025-2026 (document_deadlines.csv), every other deadline is the letters' default.
 */
class SubmissionsTest {
  @TempDir static Path dir;
  static Pipeline.Result result;
  static String console;

  static final String UNITS = "unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,managing_unit_code,valid_from,valid_to\n"
      + "SO31,Sở GDĐT Hải Phòng,SO,cong_lap,31,,,,2024-2025,\n"
      + "P303,Phòng GDĐT Hồng Bàng,PHONG,cong_lap,31,303,,SO31,2024-2025,2024-2025\n"
      + "P304,Phòng GDĐT Ngô Quyền,PHONG,cong_lap,31,304,,SO31,2024-2025,2024-2025\n"
      + "T1,Trường TH Một,TH,cong_lap,31,303,,P303,2024-2025,2024-2025\n"
      + "T1,Trường TH Một,TH,cong_lap,31,,11001,11001,2025-2026,\n"
      + "T2,Trường TH Hai,TH,cong_lap,31,303,,P303,2024-2025,2024-2025\n"
      + "T3,Trường THCS Ba,THCS,cong_lap,31,304,,P304,2024-2025,2024-2025\n"
      + "H1,Trường THPT Bốn,THPT,cong_lap,31,304,,SO31,2024-2025,2024-2025\n";
  static final String AREAS = "area_code,area_name,area_type,parent_code,valid_from,valid_to,successor_code\n"
      + "31,Hải Phòng,province,,2022-2023,,\n"
      + "303,Quận Hồng Bàng,district,31,2022-2023,2024-2025,11001\n"
      + "304,Quận Ngô Quyền,district,31,2022-2023,2024-2025,\n"
      + "11001,Phường Hồng Bàng,commune,31,2025-2026,,\n";
  /** Rows 2..16, each commented with what it should come to. */
  static final String SUBMISSIONS = "unit_code,school_year,document,submitted_on,reference,note\n"
      + "P303,2024-2025,ke_hoach,15/11/2024,123/KH-PGDĐT,\n" // 2 on time
      + "P304,2024-2025,ke_hoach,10/01/2025,45/KH-PGDĐT,\n" // 3 late, 41 days
      + "P304,2024-2025,ke_hoach,20/01/2025,45/KH-PGDĐT bổ sung,gửi lại\n" // 4 superseded
      + "T1,2024-2025,KE_HOACH,28/11/2024,12/KH-TH1,\n" // 5 on time (the code's case does not matter)
      + "T1,2024-2025,cong_bo,20/05/2025,th1.haiphong.edu.vn/cds,\n" // 6 REFERENCE_NOT_URL
      + "T2,2024-2025,cong_bo,20/05/2025,https://th2.haiphong.edu.vn/cds,\n" // 7 on time
      + "T3,2024-2025,bao_cao,20/05/2025,7/BC-THCS3,\n" // 8 DOCUMENT_NOT_REQUIRED
      + "T3,2024-2025,ke_hoch,20/11/2024,7/KH,\n" // 9 DOCUMENT_UNKNOWN
      + "T9,2024-2025,ke_hoach,20/11/2024,1/KH,\n" // 10 UNIT_UNKNOWN
      + "T2,2025-2026,ke_hoach,20/11/2025,2/KH,\n" // 11 UNIT_NOT_VALID_IN_YEAR
      + "H1,2024-2025,ke_hoach,31/02/2025,3/KH,\n" // 12 SUBMISSION_DATE_INVALID
      + "H1,2024/2026,ke_hoach,20/11/2024,3/KH,\n" // 13 SCHOOL_YEAR_INVALID
      + "T3,2024-2025,kiem_tra,10/03/2025,BB-01/PGDĐT,\n" // 14 an inspection of T3
      + "T1,2025-2026,bao_cao,20/05/2026,9/BC,\n" // 15 DOCUMENT_NOT_REQUIRED
      + "T1,2025-2026,ke_hoach,01/12/2025,15/KH-TH1,\n"; // 16 on time by the Sở's own deadline (late by the default)

  @BeforeAll
  static void run() throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in.resolve("exports"));
    Files.writeString(in.resolve("units.csv"), UNITS);
    Files.writeString(in.resolve("areas.csv"), AREAS);
    Files.writeString(in.resolve("submissions.csv"), SUBMISSIONS);
    // 05/12/2025 instead of 30/11/2025 for every level: T1's plan of 01/12/2025 is then on time
    Files.writeString(in.resolve("document_deadlines.csv"), "school_year,province_code,document,school_level,deadline\n2025-2026,31,ke_hoach,,05/12/2025\n"
        + "2024-2025,31,cong_bo,THPT,15/06/2025\n");
    Files.writeString(in.resolve("exports/a.csv"), "Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,Ngày nộp,DH1,DH4\n"
        + "T1,Trường TH Một,2024-2025,Tự đánh giá,20/01/2025,Đạt,10\nT1,Trường TH Một,2025-2026,Tự đánh giá,20/01/2026,Đạt,12\n");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    result = new Pipeline(TestSupport.spark(), new Progress(new PrintStream(sink, true, StandardCharsets.UTF_8)))
        .run(new Pipeline.Config(in.toString(), dir.resolve("out").toString(), TestSupport.catalogs(), false));
    console = sink.toString(StandardCharsets.UTF_8);
  }

  private static List<String> rows(String sql) throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + result.mart(), ro)) {
      return TestSupport.rows(c, sql);
    }
  }

  @Test
  void everySubmissionRowIsAccountedFor() throws Exception {
    assertEquals(new Pipeline.Documents(List.of("submissions.csv"), 15, 6, 8, 1, 0), result.documents());
    assertTrue(result.reconciled());
    assertTrue(console.contains("Đối chiếu văn bản (submissions.csv): 15 dòng đọc = 6 nhận + 8 loại + 1 thay thế ✓; 0 tệp lỗi."), console);
    assertTrue(console.contains("⚠ Hạn nộp văn bản là mặc định lấy từ công văn"), console);
    assertEquals(List.of(
        "submissions.csv 4 C4 document SUBMISSION_REPEATED superseded",
        "submissions.csv 6 E6 reference REFERENCE_NOT_URL rejected",
        "submissions.csv 8 C8 document DOCUMENT_NOT_REQUIRED rejected",
        "submissions.csv 9 C9 document DOCUMENT_UNKNOWN rejected",
        "submissions.csv 10 A10 unit_code UNIT_UNKNOWN rejected",
        "submissions.csv 11 A11 unit_code UNIT_NOT_VALID_IN_YEAR rejected",
        "submissions.csv 12 D12 submitted_on SUBMISSION_DATE_INVALID rejected",
        "submissions.csv 13 B13 school_year SCHOOL_YEAR_INVALID rejected",
        "submissions.csv 15 C15 document DOCUMENT_NOT_REQUIRED rejected"),
        rows("SELECT source_file, row_number, column_ref, header, reason_code, severity FROM fact_reject WHERE source_file = 'submissions.csv' "
            + "ORDER BY row_number"));
    assertEquals(List.of("Đường link công bố không phải địa chỉ http(s): th1.haiphong.edu.vn/cds (the published result's reference is not an http(s) URL)"),
        rows("SELECT message FROM fact_reject WHERE reason_code = 'REFERENCE_NOT_URL'"));
    assertEquals(List.of("Văn bản này đơn vị đã gửi trước đó: tính lần gửi sớm nhất: ke_hoach, gửi ngày 10/01/2025 ở dòng 3 của submissions.csv "
        + "(document sent again; the earliest submission counts)"), rows("SELECT message FROM fact_reject WHERE reason_code = 'SUBMISSION_REPEATED'"));
  }

  @Test
  void eachUnitsRequiredDocumentsWithTheirDeadlines() throws Exception {
    assertEquals(List.of(
        "2024-2025 H1 Trường THPT Bốn SO31 Sở GDĐT Hải Phòng 2024-11-30 null not_submitted null null",
        "2024-2025 P303 Phòng GDĐT Hồng Bàng SO31 Sở GDĐT Hải Phòng 2024-11-30 2024-11-15 on_time 0 123/KH-PGDĐT",
        "2024-2025 P304 Phòng GDĐT Ngô Quyền SO31 Sở GDĐT Hải Phòng 2024-11-30 2025-01-10 late 41 45/KH-PGDĐT",
        "2024-2025 SO31 Sở GDĐT Hải Phòng null Bộ GDĐT 2024-11-30 null not_submitted null null",
        "2024-2025 T1 Trường TH Một P303 Phòng GDĐT Hồng Bàng 2024-11-30 2024-11-28 on_time 0 12/KH-TH1",
        "2024-2025 T2 Trường TH Hai P303 Phòng GDĐT Hồng Bàng 2024-11-30 null not_submitted null null",
        "2024-2025 T3 Trường THCS Ba P304 Phòng GDĐT Ngô Quyền 2024-11-30 null not_submitted null null",
        "2025-2026 SO31 Sở GDĐT Hải Phòng null Bộ GDĐT 2025-12-05 null not_submitted null null",
        "2025-2026 T1 Trường TH Một 11001 Phường Hồng Bàng 2025-12-05 2025-12-01 on_time 0 15/KH-TH1"),
        rows("SELECT school_year, unit_code, unit_name, managing_unit_code, managing_unit_name, deadline, submitted_on, status, days_late, reference "
            + "FROM v_unit_document WHERE document = 'ke_hoach' ORDER BY school_year, unit_code"));
    // the Sở's deadlines replace the letters' default for every level, or for the level named; only the defaults are provisional
    assertEquals(List.of("default true 2025-05-25 T2", "override false 2025-06-15 H1", "override false 2025-12-05 SO31", "override false 2025-12-05 T1"),
        rows("SELECT deadline_source, deadline_provisional, deadline, unit_code FROM v_unit_document WHERE concat_ws('/', school_year, unit_code, document) "
            + "IN ('2024-2025/T2/cong_bo', '2025-2026/SO31/ke_hoach', '2025-2026/T1/ke_hoach', '2024-2025/H1/cong_bo') ORDER BY deadline_source, unit_code"));
    assertEquals(List.of("true"), rows("SELECT bool_and(overdue = (submitted_on IS NULL)) FROM v_unit_document"), "every deadline has passed");
    assertEquals(List.of("2024-2025 7", "2025-2026 2"), rows("SELECT school_year, count(*) FROM v_unit_document WHERE document = 'cong_bo' GROUP BY 1 ORDER BY 1"));
    assertEquals(List.of(), rows("SELECT unit_code FROM v_unit_document WHERE document = 'kiem_tra'"), "inspections are a share, not a duty of each unit");
  }

  @Test
  void complianceCountsByAreaAndSchoolLevel() throws Exception {
    assertEquals(List.of(
        "2024-2025 district 303 303 PHONG 1 1 1 0 0 1.0",
        "2024-2025 district 303 303 TH 2 1 1 0 1 0.5",
        "2024-2025 district 304 304 PHONG 1 1 0 1 0 0.0",
        "2024-2025 district 304 304 THCS 1 0 0 0 1 0.0",
        "2024-2025 district 304 304 THPT 1 0 0 0 1 0.0",
        "2024-2025 province 31 null SO 1 0 0 0 1 0.0",
        "2025-2026 commune 11001 303 TH 1 1 1 0 0 1.0",
        "2025-2026 province 31 null SO 1 0 0 0 1 0.0"),
        rows("SELECT school_year, area_type, area_code, former_district_code, school_level, required, submitted, on_time, late, not_submitted, "
            + "share_on_time FROM v_document_compliance WHERE document = 'ke_hoach' ORDER BY ALL"));
    assertEquals(List.of(
        "PHONG 1/2 Phòng GDĐT gửi Kế hoạch đánh giá mức độ chuyển đổi số đúng hạn (30/11/2024); 2/2 đã gửi",
        "TH 1/2 Tiểu học gửi Kế hoạch đánh giá mức độ chuyển đổi số đúng hạn (30/11/2024); 1/2 đã gửi"),
        rows("SELECT school_level, headline FROM v_document_headline WHERE school_year = '2024-2025' AND document = 'ke_hoach' "
            + "AND school_level IN ('PHONG', 'TH') ORDER BY 1"));
    assertEquals(List.of("P303 2 1 1", "P304 1 0 1", "SO31 3 2 1", "null 1 0 1"),
        rows("SELECT managing_unit_code, units_required, units_submitted, units_overdue FROM v_document_overdue "
            + "WHERE school_year = '2024-2025' AND document = 'ke_hoach' ORDER BY 1 NULLS LAST"));
  }

  @Test
  void theThirtyPercentInspectionRule() throws Exception {
    assertEquals(List.of(
        "2024-2025 P303 2 0 0.0 0.3 1 false",
        "2024-2025 P304 1 1 1.0 0.3 1 true",
        "2024-2025 SO31 3 0 0.0 0.3 1 false",
        "2025-2026 11001 1 0 0.0 0.3 1 false"),
        rows("SELECT school_year, managing_unit_code, units, units_inspected, share_inspected, required_share, units_required, meets_rule "
            + "FROM v_inspection_rule ORDER BY ALL"));
  }
}
