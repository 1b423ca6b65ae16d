package vn.cds.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vn.cds.util.Text;

/**
 * The optional {@value #FILE} of the input folder: figures other bodies published (other provinces, the country), one
 * row per school year, province, school level and source, that a Sở's dashboards show beside its own. Every row is
 * accepted, rejected or superseded with a stable reason code, so that rows read = accepted + rejected + superseded.
 * These figures are never added to the Sở's own units: they are another source's counts, shown as such.
 */
public final class PublishedFigures {
  public static final String FILE = "published_figures.csv";
  public static final List<String> COLUMNS = List.of("school_year", "province_code", "province_name", "school_level", "assessed", "level_1",
      "level_2", "level_3", "source");
  /** The school level of a row that counts every level (an empty cell says the same). */
  public static final String ALL_LEVELS = "ALL";

  private PublishedFigures() {}

  public record Figure(int row, String schoolYear, String provinceCode, String provinceName, String schoolLevel, long assessed, long level1,
      long level2, long level3, String source) {
    String key() {
      return String.join("|", schoolYear, provinceCode == null ? "" : provinceCode, provinceName, schoolLevel, source);
    }
  }

  public record Issue(String file, int row, String column, String rawValue, String reasonCode, String severity, String message) {}

  public record Read(int rowsRead, List<Figure> accepted, List<Issue> issues) {
    public long count(String severity) {
      return issues.stream().filter(i -> i.row() > 0 && i.severity().equals(severity)).count();
    }

    public boolean reconciles() {
      return rowsRead == accepted.size() + count(Reasons.SEVERITY_REJECTED) + count(Reasons.SEVERITY_SUPERSEDED);
    }

    /** The run's console line, like the exports' and the submissions': rows read = accepted + rejected + superseded. */
    public String reconciliation() {
      long fileProblems = issues.stream().filter(i -> i.row() <= 0).count();
      return String.format(java.util.Locale.ROOT, "Đối chiếu số liệu công bố (%s): %,d dòng đọc = %,d nhận + %,d loại + %,d thay thế%s%s.", FILE,
          rowsRead, accepted.size(), count(Reasons.SEVERITY_REJECTED), count(Reasons.SEVERITY_SUPERSEDED), reconciles() ? " ✓" : " ✗ KHÔNG KHỚP",
          fileProblems > 0 ? "; " + fileProblems + " lỗi cấp tệp (file-level problems)" : "");
    }

    /** Whether there was a file to read: no file, no line. */
    public boolean present() {
      return rowsRead > 0 || !issues.isEmpty();
    }
  }

  /** Reads the file's bytes; {@code schoolLevels} are the codes a row may name (dim_school_level). */
  public static Read read(byte[] bytes, Set<String> schoolLevels) {
    Tables.Table table;
    try {
      table = Tables.csv(bytes);
    } catch (Tables.UnreadableException e) {
      return new Read(0, List.of(), List.of(new Issue(FILE, 0, null, null, e.reason.code(), Reasons.SEVERITY_REJECTED, e.reason.message(e.getMessage()))));
    }
    List<Tables.TableRow> rows = table.rows().stream().filter(r -> !r.cells().stream().allMatch(Text::isBlank)).toList();
    if (rows.isEmpty()) return new Read(0, List.of(), List.of(new Issue(FILE, 0, null, null, Reasons.FILE_EMPTY.code(), Reasons.SEVERITY_REJECTED,
        Reasons.FILE_EMPTY.message(null))));
    Map<String, Integer> at = new LinkedHashMap<>();
    List<String> header = rows.get(0).cells();
    for (int c = 0; c < header.size(); c++) at.putIfAbsent(Text.fold(header.get(c)).replace(' ', '_'), c);
    List<String> missing = COLUMNS.stream().filter(c -> !c.equals("province_code") && !at.containsKey(c)).toList();
    List<Issue> issues = new ArrayList<>();
    Map<String, Figure> kept = new LinkedHashMap<>();
    for (Tables.TableRow r : rows.subList(1, rows.size())) {
      if (!missing.isEmpty()) {
        issues.add(new Issue(FILE, r.rowNumber(), missing.get(0), null, Reasons.FILE_MISSING_COLUMN.code(), Reasons.SEVERITY_REJECTED,
            Reasons.FILE_MISSING_COLUMN.message(String.join(", ", missing))));
        continue;
      }
      Map<String, String> v = new LinkedHashMap<>();
      for (String col : COLUMNS) {
        Integer c = at.get(col);
        v.put(col, c == null || c >= r.cells().size() ? null : Text.trimToNull(r.cells().get(c)));
      }
      Object checked = check(r.rowNumber(), v, schoolLevels);
      if (checked instanceof Issue issue) {
        issues.add(issue);
        continue;
      }
      Figure f = (Figure) checked;
      Figure earlier = kept.remove(f.key()); // the later row of the same figure counts, as with exports
      if (earlier != null) issues.add(new Issue(FILE, earlier.row(), null, null, Reasons.DUPLICATE_SUPERSEDED.code(), Reasons.SEVERITY_SUPERSEDED,
          Reasons.DUPLICATE_SUPERSEDED.message("dòng " + f.row())));
      kept.put(f.key(), f);
    }
    return new Read(rows.size() - 1, new ArrayList<>(kept.values()), issues);
  }

  /** The row as a figure, or the first problem found in it. */
  private static Object check(int row, Map<String, String> v, Set<String> schoolLevels) {
    String year = v.get("school_year");
    if (year == null || !year.matches("\\d{4}-\\d{4}") || Integer.parseInt(year.substring(5)) != Integer.parseInt(year.substring(0, 4)) + 1)
      return issue(row, "school_year", year, Reasons.SCHOOL_YEAR_INVALID, year);
    if (v.get("province_name") == null) return issue(row, "province_name", null, Reasons.FIGURE_PROVINCE_MISSING, null);
    String level = v.get("school_level") == null ? ALL_LEVELS : v.get("school_level").toUpperCase(java.util.Locale.ROOT);
    if (!level.equals(ALL_LEVELS) && !schoolLevels.contains(level)) return issue(row, "school_level", v.get("school_level"), Reasons.FIGURE_SCHOOL_LEVEL_UNKNOWN, level);
    long[] n = new long[4];
    List<String> counts = List.of("assessed", "level_1", "level_2", "level_3");
    for (int i = 0; i < 4; i++) {
      String raw = v.get(counts.get(i));
      if (raw == null || !raw.replace(".", "").replace(",", "").matches("\\d{1,9}") || raw.matches(".*[.,]\\d{1,2}$"))
        return issue(row, counts.get(i), raw, Reasons.FIGURE_COUNT_INVALID, raw);
      n[i] = Long.parseLong(raw.replace(".", "").replace(",", ""));
    }
    if (n[1] + n[2] + n[3] != n[0])
      return issue(row, "assessed", v.get("assessed"), Reasons.FIGURE_LEVELS_NOT_ASSESSED, (n[1] + n[2] + n[3]) + " ≠ " + n[0]);
    if (v.get("source") == null) return issue(row, "source", null, Reasons.FIGURE_SOURCE_MISSING, null);
    return new Figure(row, year, v.get("province_code"), v.get("province_name"), level, n[0], n[1], n[2], n[3], v.get("source"));
  }

  private static Issue issue(int row, String column, String raw, Reasons reason, String detail) {
    return new Issue(FILE, row, column, raw, reason.code(), Reasons.SEVERITY_REJECTED, reason.message(detail));
  }
}
