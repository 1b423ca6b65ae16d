package vn.cds.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import vn.cds.util.Text;

/**
 * The optional submissions.csv / submissions.xlsx of the input folder: one row per document a unit sent
 * ({@code unit_code, school_year, document, submitted_on, reference}, optional {@code note}). Headers are matched like
 * the exports' (case, accents, spaces), in ASCII or in Vietnamese. Nothing is judged here: every row is kept as text,
 * with the columns the file lacks, for {@code transform.Submissions} to check.
 */
public final class SubmissionReader {
  private SubmissionReader() {}

  public static final List<String> FILES = List.of("submissions.csv", "submissions.xlsx");
  public static final List<String> FIELDS = List.of("unit_code", "school_year", "document", "submitted_on", "reference", "note");
  public static final List<String> REQUIRED = FIELDS.subList(0, 5);
  public static final StructType RAW = StructType.fromDDL("source_file string, sheet string, row_number int, unit_code string, "
      + "school_year string, document string, submitted_on string, reference string, note string, missing_columns array<string>, "
      + "column_letters map<string,string>");
  /** A file that gave no row: its name, sheet, reason and detail. */
  public static final StructType FILE_PROBLEM = StructType.fromDDL("source_file string, sheet string, reason_code string, message string");

  /** Folded header texts each field is recognised by. */
  private static final Map<String, List<String>> ALIASES = new LinkedHashMap<>();

  static {
    ALIASES.put("unit_code", List.of("unit_code", "ma don vi", "ma dv"));
    ALIASES.put("school_year", List.of("school_year", "nam hoc"));
    ALIASES.put("document", List.of("document", "van ban", "ma van ban", "loai van ban"));
    ALIASES.put("submitted_on", List.of("submitted_on", "ngay gui", "ngay nop"));
    ALIASES.put("reference", List.of("reference", "so hieu", "so van ban", "duong link", "so hieu / duong link", "so, ngay van ban"));
    ALIASES.put("note", List.of("note", "ghi chu"));
  }

  public record Read(List<Row> rows, List<Row> fileProblems) {}

  public static Read read(byte[] bytes, String name) {
    Tables.Table table;
    try {
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      table = lower.endsWith(".xlsx") || lower.endsWith(".xls") ? Tables.workbook(bytes) : Tables.csv(bytes);
    } catch (Tables.UnreadableException e) {
      return new Read(List.of(), List.of(RowFactory.create(name, null, e.reason.code(), e.reason.message(e.getMessage()))));
    }
    if (table.rows().stream().allMatch(r -> r.cells().stream().allMatch(Text::isBlank)))
      return new Read(List.of(), List.of(RowFactory.create(name, table.sheet(), Reasons.FILE_EMPTY.code(), Reasons.FILE_EMPTY.message(null))));
    if (table.headerIndex() < 0)
      return new Read(List.of(), List.of(RowFactory.create(name, table.sheet(), Reasons.FILE_NO_HEADER.code(),
          Reasons.FILE_NO_HEADER.message("unit_code / Mã đơn vị"))));
    List<String> headers = Tables.headers(table);
    Map<String, Integer> at = new LinkedHashMap<>();
    for (int c = 0; c < headers.size(); c++) {
      String folded = Text.fold(headers.get(c));
      for (Map.Entry<String, List<String>> e : ALIASES.entrySet())
        if (e.getValue().contains(folded)) at.putIfAbsent(e.getKey(), c);
    }
    List<String> missing = REQUIRED.stream().filter(f -> !at.containsKey(f)).toList();
    Map<String, String> letters = new LinkedHashMap<>();
    at.forEach((field, c) -> letters.put(field, Text.columnLetters(c)));
    List<Row> rows = new ArrayList<>();
    for (Tables.TableRow r : table.rows().subList(table.headerEndIndex() + 1, table.rows().size())) {
      if (r.cells().stream().allMatch(Text::isBlank)) continue;
      Object[] values = new Object[RAW.size()];
      values[0] = name;
      values[1] = table.sheet();
      values[2] = r.rowNumber();
      for (int f = 0; f < FIELDS.size(); f++) {
        Integer c = at.get(FIELDS.get(f));
        values[3 + f] = c == null || c >= r.cells().size() ? null : Text.trimToNull(r.cells().get(c));
      }
      values[9] = scala.jdk.javaapi.CollectionConverters.asScala(missing).toSeq();
      values[10] = scala.jdk.javaapi.CollectionConverters.asScala(letters);
      rows.add(RowFactory.create(values));
    }
    return new Read(rows, List.of());
  }
}
