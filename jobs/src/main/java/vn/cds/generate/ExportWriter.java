package vn.cds.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import vn.cds.catalog.IndicatorSet;
import vn.cds.catalog.IndicatorSet.Group;
import vn.cds.generate.SampleGenerator.Unit;

/**
 * Writes generated export rows the way real vendor and hand-made files look: CSV with ',' or ';' (then with a BOM and
 * decimal commas), XLSX with title rows and a merged title, date cells, numbers stored as text, a SUM formula for
 * totals, contact columns that must be dropped and columns nobody asked for. Buffered so messy rows can be added.
 */
final class ExportWriter {
  private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

  private record Buffered(IndicatorSet set, List<Map<String, String>> rows) {}

  private final Path root;
  private final Random random;
  private final Map<String, Buffered> files = new LinkedHashMap<>();
  private int written;

  ExportWriter(Path root, Random random) {
    this.root = root;
    this.random = random;
  }

  int files() {
    return written;
  }

  void add(String key, IndicatorSet set, List<Map<String, String>> rows) {
    files.put(key, new Buffered(set, new ArrayList<>(rows)));
  }

  /** Deterministic style of a file, from its name. */
  private static int style(String key) {
    return Math.abs(key.hashCode());
  }

  int flush() throws IOException {
    int rows = 0;
    for (Map.Entry<String, Buffered> f : files.entrySet()) {
      String key = f.getKey();
      Buffered b = f.getValue();
      List<String> columns = columns(key, b);
      if (key.contains("/so-phong")) { // the authorities' platform exports the long layout
        writeLong(root.resolve("exports").resolve(key + ".csv"), b);
        rows += b.rows().size();
        written++;
        continue;
      }
      if (key.startsWith("2025-2026/cum-huyen-vinh-bao/tu-danh-gia-3267")) { // one JSON document per unit assessment
        written += writeJson(root.resolve("exports").resolve(key), b);
        rows += b.rows().size();
        continue;
      }
      boolean xlsx = style(key) % 3 == 0;
      Path path = root.resolve("exports").resolve(key + (xlsx ? ".xlsx" : ".csv"));
      Files.createDirectories(path.getParent());
      if (xlsx) writeXlsx(path, key, b, columns);
      else writeCsv(path, key, b.rows(), columns);
      rows += b.rows().size();
      written++;
    }
    // a unit uploaded an empty file: it must appear among the rejects, not vanish
    Path empty = root.resolve("exports/2025-2026/tai-len-nham-rong.csv");
    Files.createDirectories(empty.getParent());
    Files.write(empty, new byte[0]);
    written++;
    return rows;
  }

  private void writeLong(Path path, Buffered b) throws IOException {
    Files.createDirectories(path.getParent());
    StringBuilder sb = new StringBuilder();
    appendCsv(sb, List.of("unit_code", "unit_name", "school_year", "stage", "indicator_set", "submitted_on", "status", "criterion_id", "value"), ',');
    for (Map<String, String> row : b.rows())
      for (IndicatorSet.Criterion c : b.set().criteria()) {
        if (!row.containsKey(c.id())) continue;
        appendCsv(sb, List.of(row.get("Mã đơn vị"), row.get("Tên đơn vị"), row.get("Năm học"), row.get("Hình thức đánh giá"),
            row.get("Bộ chỉ số"), row.get("Ngày nộp"), row.get("Trạng thái"), c.id(), row.get(c.id())), ',');
      }
    Files.writeString(path, sb.toString(), StandardCharsets.UTF_8);
  }

  private int writeJson(Path folder, Buffered b) throws IOException {
    Files.createDirectories(folder);
    int files = 0;
    for (Map<String, String> row : b.rows()) {
      StringBuilder sb = new StringBuilder("{\n");
      sb.append("  \"unit_code\": ").append(json(row.get("Mã đơn vị"))).append(",\n");
      sb.append("  \"unit_name\": ").append(json(row.get("Tên đơn vị"))).append(",\n");
      sb.append("  \"school_year\": ").append(json(row.get("Năm học"))).append(",\n");
      sb.append("  \"stage\": \"self\",\n");
      sb.append("  \"indicator_set\": ").append(json(row.get("Bộ chỉ số"))).append(",\n");
      sb.append("  \"submitted_on\": ").append(json(LocalDate.parse(row.get("Ngày nộp"), DMY).toString())).append(",\n");
      sb.append("  \"status\": ").append(json(row.get("Trạng thái"))).append(",\n");
      sb.append("  \"scores\": {");
      String sep = "\n";
      for (IndicatorSet.Criterion c : b.set().criteria()) {
        if (!row.containsKey(c.id())) continue;
        String v = row.get(c.id());
        String value = v == null || v.isEmpty() ? "null" : c.mandatory() ? String.valueOf("Đạt".equals(v)) : v;
        sb.append(sep).append("    ").append(json(c.id())).append(": ").append(value);
        sep = ",\n";
      }
      sb.append("\n  }\n}\n");
      Files.writeString(folder.resolve(row.get("Mã đơn vị") + ".json"), sb.toString(), StandardCharsets.UTF_8);
      files++;
    }
    return files;
  }

  private static String json(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static List<String> columns(String key, Buffered b) {
    Set<String> cols = new LinkedHashSet<>();
    b.rows().forEach(r -> cols.addAll(r.keySet()));
    int s = style(key);
    if (s % 5 == 0) cols.remove("Bộ chỉ số"); // the set is then chosen from the unit's school level
    if (s % 4 == 0) cols.removeIf(c -> c.startsWith("Tổng điểm") || c.startsWith("Mức "));
    List<String> out = new ArrayList<>(cols);
    if (s % 7 == 0) {
      out.add("Người lập biểu");
      out.add("Số điện thoại");
      out.add("Ghi chú nội bộ");
    }
    return out;
  }

  private static String extra(String column, Map<String, String> row) {
    return switch (column) {
      case "Người lập biểu" -> "Nguyễn Văn " + (char) ('A' + Math.abs(row.get("Mã đơn vị").hashCode()) % 20);
      case "Số điện thoại" -> "09" + String.format("%08d", Math.abs(row.get("Mã đơn vị").hashCode()) % 100_000_000);
      case "Ghi chú nội bộ" -> "";
      default -> row.getOrDefault(column, "");
    };
  }

  private void writeCsv(Path path, String key, List<Map<String, String>> rows, List<String> columns) throws IOException {
    boolean semicolon = style(key) % 2 == 0;
    char sep = semicolon ? ';' : ',';
    StringBuilder sb = new StringBuilder(semicolon ? "\uFEFF" : "");
    appendCsv(sb, columns, sep);
    for (Map<String, String> row : rows) {
      List<String> values = new ArrayList<>();
      for (String c : columns) {
        String v = extra(c, row);
        // Vietnamese Excel writes decimal commas in ';' files
        if (semicolon && v.matches("-?[0-9]+\\.[0-9]+")) v = v.replace('.', ',');
        values.add(v);
      }
      appendCsv(sb, values, sep);
    }
    Files.writeString(path, sb.toString(), StandardCharsets.UTF_8);
  }

  private static void appendCsv(StringBuilder sb, List<String> values, char sep) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) sb.append(sep);
      String v = values.get(i);
      boolean quote = v.indexOf(sep) >= 0 || v.contains("\"") || v.contains("\n");
      sb.append(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
    }
    sb.append("\r\n");
  }

  private void writeXlsx(Path path, String key, Buffered b, List<String> columns) throws IOException {
    boolean numbersAsText = style(key) % 2 == 0;
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      Sheet notes = wb.createSheet("Hướng dẫn");
      notes.createRow(0).createCell(0).setCellValue("Biểu mẫu tổng hợp kết quả đánh giá mức độ chuyển đổi số");
      Sheet sheet = wb.createSheet("Tổng hợp");
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
      CellStyle bold = wb.createCellStyle();
      Font font = wb.createFont();
      font.setBold(true);
      bold.setFont(font);
      Row title = sheet.createRow(0);
      title.createCell(0).setCellValue("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ - " + key.substring(0, 9));
      title.getCell(0).setCellStyle(bold);
      sheet.addMergedRegion(new CellRangeAddress(0, 0, 0, Math.max(1, columns.size() - 1)));
      sheet.createRow(1).createCell(0).setCellValue("(Kèm theo báo cáo của đơn vị)");
      Row header = sheet.createRow(3);
      for (int c = 0; c < columns.size(); c++) {
        header.createCell(c).setCellValue(columns.get(c));
        header.getCell(c).setCellStyle(bold);
      }
      int r = 4;
      for (Map<String, String> row : b.rows()) {
        Row xr = sheet.createRow(r);
        for (int c = 0; c < columns.size(); c++) {
          String col = columns.get(c);
          String v = extra(col, row);
          Cell cell = xr.createCell(c);
          if (v.isEmpty()) continue;
          if (col.startsWith("Tổng điểm") && b.set() != null && !numbersAsText) { // SUM over text cells would cache 0
            String formula = sumFormula(columns, b.set(), col.substring("Tổng điểm ".length()), r);
            if (formula != null && v.equals(totalOf(row, b.set(), col.substring("Tổng điểm ".length())))) {
              cell.setCellFormula(formula);
              continue;
            }
          }
          if ("Ngày nộp".equals(col) && v.matches("\\d{2}/\\d{2}/\\d{4}")) {
            cell.setCellValue(LocalDate.parse(v, DMY));
            cell.setCellStyle(date);
          } else if (!numbersAsText && v.matches("-?[0-9]+(\\.[0-9]+)?") && !"Mã đơn vị".equals(col)) {
            cell.setCellValue(Double.parseDouble(v));
          } else {
            cell.setCellValue(v);
          }
        }
        r++;
      }
      wb.getCreationHelper().createFormulaEvaluator().evaluateAll(); // cache formula results, as Excel does on save
      try (OutputStream out = Files.newOutputStream(path)) {
        wb.write(out);
      }
    }
  }

  private static String totalOf(Map<String, String> row, IndicatorSet set, String groupId) {
    double t = 0;
    for (Group g : set.groups())
      if (g.id().equals(groupId))
        for (var c : g.criteria()) {
          String v = row.get(c.id());
          if (!c.mandatory() && v != null && !v.isEmpty() && v.matches("-?[0-9]+(\\.[0-9]+)?")) t += Double.parseDouble(v);
        }
    return vn.cds.catalog.Catalogs.fmtPoints(t);
  }

  /** =SUM(...) over the group's point columns, when they are numeric cells (not in a numbers-as-text file). */
  private static String sumFormula(List<String> columns, IndicatorSet set, String groupId, int rowIndex) {
    List<String> refs = new ArrayList<>();
    for (Group g : set.groups())
      if (g.id().equals(groupId))
        for (var c : g.criteria()) {
          int idx = columns.indexOf(c.id());
          if (!c.mandatory() && idx >= 0) refs.add(new CellReference(rowIndex, idx).formatAsString());
        }
    return refs.isEmpty() ? null : "SUM(" + String.join(",", refs) + ")";
  }

  // ---- messy rows ----

  /** A handful of realistic mistakes, each of which the pipeline must reject, supersede or flag with a clear reason. */
  void injectMessyRows(SampleGenerator gen) {
    String target = files.keySet().stream().filter(k -> k.startsWith("2024-2025/phong-") && k.endsWith("tu-danh-gia-4725")).findFirst().orElseThrow();
    List<Map<String, String>> rows = files.get(target).rows();
    Map<String, String> base = rows.get(0);
    rows.add(copy(base, "Mã đơn vị", "99999999"));                                   // UNIT_UNKNOWN
    rows.add(copy(base, "DH4", "abc"));                                             // VALUE_NOT_NUMBER
    rows.add(copy(base, "DH4", "12"));                                              // VALUE_OUT_OF_RANGE
    rows.add(copy(base, "DH1", "Có lẽ"));                                           // MANDATORY_VALUE_UNRECOGNISED
    rows.add(copy(base, "Hình thức đánh giá", "Tự đánh giá lần 2"));                // STAGE_INVALID
    rows.add(copy(base, "Năm học", "2024/2026"));                                   // SCHOOL_YEAR_INVALID
    Map<String, String> nd = copy(rows.get(1), "ND2", "5");                         // CRITERION_NOT_IN_SET
    rows.add(nd);
    Map<String, String> resubmitted = copy(rows.get(2), "Ngày nộp", LocalDate.parse(rows.get(2).get("Ngày nộp"), DMY).plusDays(3).format(DMY));
    resubmitted.put("QT5", "10");
    resubmitted.remove("Tổng điểm QT");
    resubmitted.remove("Mức QT");
    rows.add(resubmitted);                                                          // earlier row DUPLICATE_SUPERSEDED
    Map<String, String> declared = rows.get(3);
    if (declared.containsKey("Tổng điểm DH"))
      declared.put("Tổng điểm DH", vn.cds.catalog.Catalogs.fmtPoints(Double.parseDouble(declared.get("Tổng điểm DH")) + 5)); // DECLARED_TOTAL_MISMATCH
    rows.get(4).put("Năm học", "2024 - 2025");                                      // tolerated spacing
    Unit merged = gen.units().stream().filter(u -> u.district() != null && Geography.HD.equals(u.district().provinceCode())
        && "TH".equals(u.level())).findFirst().orElseThrow();
    rows.add(copy(copy(base, "Mã đơn vị", merged.code()), "Tên đơn vị", merged.name())); // UNIT_NOT_VALID_IN_YEAR

    String later = files.keySet().stream().filter(k -> k.startsWith("2025-2026/cum-") && k.endsWith("tu-danh-gia-4725")).findFirst().orElseThrow();
    List<Map<String, String>> laterRows = files.get(later).rows();
    laterRows.add(copy(laterRows.get(0), "Mã đơn vị", " " + laterRows.get(0).get("Mã đơn vị").substring(0, 7))); // UNIT_UNKNOWN (truncated code)
    laterRows.add(copy(laterRows.get(1), "Trạng thái", "Chờ duyệt"));              // STATUS_INVALID
    laterRows.add(copy(laterRows.get(2), "Ngày nộp", "31/02/2026"));               // DATE_INVALID: flagged; as a duplicate without a
                                                                                    // usable date it is superseded by the dated original
  }

  private Map<String, String> copy(Map<String, String> row, String column, String value) {
    Map<String, String> c = new LinkedHashMap<>(row);
    c.put(column, value);
    return c;
  }
}
