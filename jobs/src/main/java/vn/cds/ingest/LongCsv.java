package vn.cds.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vn.cds.ingest.ExportColumns.Role;
import vn.cds.ingest.RawRecords.FileSummary;
import vn.cds.ingest.RawRecords.ParsedFile;
import vn.cds.ingest.RawRecords.RawRow;
import vn.cds.ingest.Tables.Table;
import vn.cds.ingest.Tables.TableRow;
import vn.cds.util.Text;

/**
 * The long CSV layout (schemas/exports/long-csv.schema.json): one line per unit × school year × stage × criterion.
 * Lines of the same unit, year, stage and submission date make one assessment, counted as one row; every value keeps
 * its own cell reference (E12) so a bad value points at its line.
 */
final class LongCsv {
  private LongCsv() {}

  static final List<String> REQUIRED = List.of("unit_code", "school_year", "stage", "criterion_id");

  static boolean isLong(List<String> headers) {
    return headers.stream().map(Text::fold).anyMatch("criterion_id"::equals);
  }

  static ParsedFile parse(Table table, String name, String sha, long bytes) {
    Map<String, Integer> index = new LinkedHashMap<>();
    List<String> headers = Tables.headers(table);
    List<String> ignored = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      String f = Text.fold(headers.get(i));
      if (f.isEmpty()) continue;
      if (RowBuilder.FIELD_NAMES.containsKey(f) || "criterion_id".equals(f) || "value".equals(f)) index.putIfAbsent(f, i);
      else ignored.add(Text.columnLetters(i) + " " + headers.get(i));
    }
    List<String> missing = REQUIRED.stream().filter(r -> !index.containsKey(r)).toList();
    Map<List<String>, List<TableRow>> groups = new LinkedHashMap<>();
    for (int i = table.headerIndex() + 1; i < table.rows().size(); i++) {
      TableRow tr = table.rows().get(i);
      if (tr.blank()) continue;
      List<String> key = new ArrayList<>();
      for (String k : List.of("unit_code", "school_year", "stage", "submitted_on")) key.add(Text.fold(get(tr, index.get(k))));
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(tr);
    }
    List<RawRow> rows = new ArrayList<>();
    for (List<TableRow> lines : groups.values()) {
      TableRow first = lines.get(0);
      RowBuilder b = new RowBuilder();
      if (!missing.isEmpty()) b.issue(null, null, null, Reasons.FILE_MISSING_COLUMN, String.join(", ", missing));
      RowBuilder.FIELD_NAMES.forEach((field, role) -> {
        Integer col = index.get(field);
        if (col != null) b.field(role, Text.columnLetters(col) + first.rowNumber(), field, get(first, col));
      });
      Integer criterion = index.get("criterion_id");
      Integer value = index.get("value");
      for (TableRow line : lines) {
        String id = Text.trimToNull(get(line, criterion));
        if (id == null) continue;
        b.cell((value == null ? "?" : Text.columnLetters(value)) + line.rowNumber(), id, id.toUpperCase(Locale.ROOT), get(line, value));
      }
      rows.add(b.build(name, "csv", null, first.rowNumber()));
    }
    int headerRow = table.rows().get(table.headerIndex()).rowNumber();
    if (rows.isEmpty())
      return new ParsedFile(new FileSummary(name, "csv", sha, bytes, null, headerRow, 0, Reasons.FILE_EMPTY.code(),
          Reasons.FILE_EMPTY.message("chỉ có dòng tiêu đề"), ignored, List.of()), List.of());
    return new ParsedFile(new FileSummary(name, "csv", sha, bytes, null, headerRow, rows.size(),
        missing.isEmpty() ? null : Reasons.FILE_MISSING_COLUMN.code(),
        missing.isEmpty() ? null : Reasons.FILE_MISSING_COLUMN.message(String.join(", ", missing)), ignored, List.of()), rows);
  }

  private static String get(TableRow tr, Integer col) {
    return col == null || col >= tr.cells().size() ? null : tr.cells().get(col);
  }
}
