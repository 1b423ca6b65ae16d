package vn.cds.report;

import static vn.cds.report.Table.count;
import static vn.cds.report.Table.percent;
import static vn.cds.report.Table.text;

import java.sql.SQLException;
import java.util.List;

/**
 * Sheet 8 of the annual report: the yearly cycle's documents (schemas/milestones.json, submissions.csv) of the report's
 * school year: who sent what by when, what each managing body still has to chase, and the 30 % inspection rule.
 */
final class DocumentTables {
  private final AnnualReport report;

  DocumentTables(AnnualReport report) {
    this.report = report;
  }

  private String y() {
    return "'" + report.year() + "'";
  }

  private static final String DEADLINE_BASIS = "CASE WHEN bool_or(deadline_provisional) THEN 'Mặc định theo công văn (tạm thời)' ELSE 'Sở quy định' END";

  List<Table> tables() throws SQLException {
    return List.of(headline(), byManagingBody(), inspections(), reconciliation());
  }

  private Table headline() throws SQLException {
    String sql = "SELECT document_name, coalesce(school_level_name, school_level), strftime(min(deadline), '%d/%m/%Y'), sum(required), sum(submitted), "
        + "sum(on_time), sum(not_submitted), sum(submitted) / sum(required), sum(on_time) / sum(required), " + DEADLINE_BASIS + ", "
        + "any_value(document_order), any_value(school_level_order)\n"
        + "FROM v_document_headline WHERE school_year = " + y() + " GROUP BY document_name, school_level_name, school_level ORDER BY 11, 12";
    return report.query("van-ban-tien-do", "Tiến độ gửi văn bản theo cấp học (hạn nộp: document_deadlines.csv nếu Sở quy định, nếu không thì "
        + "mặc định lấy từ công văn, tạm thời)", List.of(text("Văn bản"), text("Cấp học"), text("Hạn nộp"), count("Phải gửi"), count("Đã gửi"),
        count("Đúng hạn"), count("Chưa gửi"), percent("Tỷ lệ đã gửi"), percent("Tỷ lệ đúng hạn"), text("Hạn nộp theo")), sql, 2);
  }

  private Table byManagingBody() throws SQLException {
    String sql = "SELECT o.managing_unit_name || coalesce(' (' || o.managing_unit_code || ')', ''), o.document_name, o.units_required, "
        + "o.units_submitted, o.units_not_submitted, o.units_overdue, k.document_order\n"
        + "FROM v_document_overdue o JOIN dim_document k USING (document) WHERE o.school_year = " + y() + " AND o.units_not_submitted > 0\n"
        + "ORDER BY o.managing_unit_code NULLS LAST, 7";
    return report.query("van-ban-con-thieu", "Văn bản còn thiếu theo đơn vị quản lý (danh sách từng đơn vị: nhac-nop-" + report.year() + "/)",
        List.of(text("Đơn vị quản lý"), text("Văn bản"), count("Phải gửi"), count("Đã gửi"), count("Chưa gửi"), count("Quá hạn")), sql, 1);
  }

  private Table inspections() throws SQLException {
    String sql = "SELECT managing_unit_name || ' (' || managing_unit_code || ')', units, units_inspected, share_inspected, required_share, "
        + "units_required, CASE WHEN meets_rule THEN 'Đạt' ELSE 'Chưa đạt' END, sample_units, sample_units_inspected\n"
        + "FROM v_inspection_rule WHERE school_year = " + y() + " ORDER BY meets_rule, managing_unit_code";
    return report.query("kiem-tra-30", "Kiểm tra tại đơn vị: tỷ lệ đơn vị trực thuộc mỗi đơn vị quản lý đã được kiểm tra, so với tỷ lệ yêu cầu "
        + "(schemas/oversight.json; 30% theo kế hoạch của Sở)",
        List.of(text("Đơn vị quản lý"), count("Số đơn vị"), count("Đã kiểm tra"), percent("Tỷ lệ đã kiểm tra"), percent("Tỷ lệ yêu cầu"),
            count("Số đơn vị phải kiểm tra"), text("Kết quả"), count("Trong mẫu kiểm tra"), count("Trong mẫu đã kiểm tra")), sql);
  }

  /** Every row of the submissions files accounted for (all school years: the files describe the whole cycle). */
  private Table reconciliation() throws SQLException {
    String sql = "SELECT source_file, count(*), count(*) FILTER (WHERE disposition = 'accepted'), count(*) FILTER (WHERE disposition = 'rejected'), "
        + "count(*) FILTER (WHERE disposition = 'superseded') FROM fact_submission GROUP BY source_file ORDER BY source_file";
    return report.query("doi-chieu-van-ban", "Đối chiếu các dòng văn bản đã nhận (submissions, mọi năm học): đọc = nhận + loại + thay thế",
        List.of(text("Tệp"), count("Dòng đọc"), count("Nhận"), count("Loại"), count("Thay thế")), sql);
  }
}
