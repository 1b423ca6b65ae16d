package vn.cds.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import vn.cds.pipeline.ConfigException;

/**
 * Who issues the report and when, from schemas/report.json (a data file, so each Sở sets its own): the Sở's name,
 * the place written before the date, the report date (today in Vietnam when not set), and how many weakest criteria
 * to list for the province and for each area.
 */
public record ReportConfig(String soName, String place, LocalDate reportDate, int weakestProvince, int weakestArea) {
  public static final String FILE = "report.json";

  public static ReportConfig load(Path schemasDir, LocalDate dateOverride) {
    Path p = schemasDir.resolve(FILE);
    String so = "Sở Giáo dục và Đào tạo", place = "";
    LocalDate date = null;
    int province = 10, area = 3;
    if (Files.exists(p)) {
      try {
        JsonNode n = new ObjectMapper().readTree(p.toFile());
        so = n.path("so_name").asText(so);
        place = n.path("place").asText(place);
        if (n.hasNonNull("report_date")) date = LocalDate.parse(n.get("report_date").asText());
        province = n.path("weakest_criteria_province").asInt(province);
        area = n.path("weakest_criteria_area").asInt(area);
      } catch (IOException | java.time.DateTimeException e) {
        throw new ConfigException(p + ": không đọc được (unreadable; report_date is yyyy-mm-dd): " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    if (dateOverride != null) date = dateOverride;
    if (date == null) date = LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh"));
    return new ReportConfig(so, place, date, Math.max(1, province), Math.max(1, area));
  }

  /** "Hải Phòng, ngày 5 tháng 12 năm 2026". */
  public String dateLine() {
    return (place.isBlank() ? "" : place + ", ") + "ngày " + reportDate.getDayOfMonth() + " tháng " + reportDate.getMonthValue() + " năm "
        + reportDate.getYear();
  }
}
