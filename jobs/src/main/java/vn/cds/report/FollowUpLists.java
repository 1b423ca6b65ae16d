package vn.cds.report;

import static vn.cds.report.Table.count;
import static vn.cds.report.Table.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vn.cds.util.CsvOut;
import vn.cds.util.Text;

/**
 * For each managing body, the list of its units with the documents they have not sent in the report's school year
 * (v_unit_document), as XLSX and CSV under {@code nhac-nop-<year>/}, ready to attach to a reminder letter. The Sở's
 * own documents are listed under Bộ GDĐT.
 */
final class FollowUpLists {
  private final AnnualReport report;

  FollowUpLists(AnnualReport report) {
    this.report = report;
  }

  private static String literal(Object s) {
    return s == null ? "NULL" : "'" + s.toString().replace("'", "''") + "'";
  }

  /** Writes the lists; returns how many managing bodies have one. */
  int write(Path reportsDir) throws Exception {
    Path folder = reportsDir.resolve("nhac-nop-" + report.year());
    if (Files.isDirectory(folder)) // lists of an earlier report of this year must not linger beside the new ones
      try (var old = Files.list(folder)) {
        for (Path p : old.filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".xlsx")).toList()) Files.delete(p);
      }
    Table bodies = report.query("don-vi-quan-ly", "", List.of(text("code"), text("name")),
        "SELECT DISTINCT managing_unit_code, managing_unit_name FROM v_unit_document WHERE school_year = " + literal(report.year())
            + " AND submitted_on IS NULL ORDER BY managing_unit_code NULLS LAST");
    for (List<Object> body : bodies.rows()) {
      Table t = list(body.get(0), (String) body.get(1));
      String base = Text.slug((String) body.get(1)) + "-" + (body.get(0) == null ? "so" : Text.slug((String) body.get(0)));
      XlsxReport.write(folder.resolve(base + ".xlsx"), t.title().toUpperCase(new java.util.Locale("vi")), report.config(),
          List.of(new Table.Sheet("Chưa gửi", List.of(t))));
      CsvOut.write(folder.resolve(base + ".csv"), t.headers(), t.rows());
    }
    return bodies.rows().size();
  }

  private Table list(Object code, String name) throws Exception {
    String sql = "SELECT d.unit_code, d.unit_name, coalesce(l.school_level_name, d.school_level), d.document_name, strftime(d.deadline, '%d/%m/%Y'), "
        + "d.days_overdue, CASE WHEN d.deadline_provisional THEN 'Mặc định theo công văn (tạm thời)' ELSE 'Sở quy định' END, d.document_order\n"
        + "FROM v_unit_document d LEFT JOIN dim_school_level l USING (school_level)\n"
        + "WHERE d.school_year = " + literal(report.year()) + " AND d.managing_unit_code IS NOT DISTINCT FROM " + literal(code)
        + " AND d.submitted_on IS NULL ORDER BY d.unit_name, d.unit_code, 8";
    return report.query("nhac-nop", "Danh sách đơn vị chưa gửi văn bản — " + name + " — năm học " + report.year(), List.of(text("Mã đơn vị"),
        text("Tên đơn vị"), text("Cấp học"), text("Văn bản chưa gửi"), text("Hạn nộp"), count("Số ngày quá hạn"), text("Hạn nộp theo")), sql, 1);
  }
}
