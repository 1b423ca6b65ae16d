package vn.cds.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import vn.cds.catalog.Catalogs;
import vn.cds.ingest.ExportColumns.Column;
import vn.cds.ingest.ExportColumns.Role;
import vn.cds.ingest.RawRecords.Cell;
import vn.cds.ingest.RawRecords.Declared;
import vn.cds.ingest.RawRecords.FileSummary;
import vn.cds.ingest.RawRecords.Issue;
import vn.cds.ingest.RawRecords.ParsedFile;
import vn.cds.ingest.RawRecords.RawRow;
import vn.cds.ingest.Tables.Table;
import vn.cds.ingest.Tables.TableRow;
import vn.cds.util.Text;

/**
 * Reads one export file (CSV, text, XLSX or XLS in the wide layout of exports.md section 1) into raw rows. Runs on executors: it
 * needs only the file's URI. Never throws for bad content: a file it cannot use comes back as a summary with an
 * error code, and every row it can see comes back, with issues attached.
 */
public final class ExportReader {
  private ExportReader() {}

  /** Larger export files are refused unread: a unit's yearly export is kilobytes, a whole province's a few MB. */
  public static final long MAX_FILE_BYTES = 64L << 20;

  /**
   * Reads the file whatever its name (a ':' or '%' that Hadoop's paths reject included) and whatever it holds: any
   * failure is this file's problem, reported with its name, never the run's.
   */
  public static ParsedFile read(String uri, String relativeName) {
    byte[] bytes;
    try {
      bytes = readBytes(uri, relativeName);
    } catch (Tables.UnreadableException e) {
      return failed(relativeName, formatOf(relativeName), null, 0, e.reason, e.getMessage());
    } catch (Exception | OutOfMemoryError e) {
      return failed(relativeName, formatOf(relativeName), null, 0, Reasons.FILE_UNREADABLE, String.valueOf(e.getMessage()));
    }
    try {
      return parse(bytes, relativeName);
    } catch (RuntimeException | StackOverflowError e) {
      return failed(relativeName, formatOf(relativeName), Catalogs.sha256(bytes), 0, Reasons.FILE_UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static byte[] readBytes(String uri, String relativeName) throws IOException, Tables.UnreadableException {
    if (uri.startsWith("file:")) { // local files through java.nio: no checksum side files, any character in the name
      java.nio.file.Path p = java.nio.file.Path.of(java.net.URI.create(uri));
      long size = java.nio.file.Files.size(p);
      if (size > MAX_FILE_BYTES) throw tooLarge(size);
      return java.nio.file.Files.readAllBytes(p);
    }
    Path path = new Path(java.net.URI.create(uri));
    FileSystem fs = path.getFileSystem(new Configuration());
    long size = fs.getFileStatus(path).getLen();
    if (size > MAX_FILE_BYTES) throw tooLarge(size);
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  private static Tables.UnreadableException tooLarge(long size) {
    return new Tables.UnreadableException(Reasons.FILE_TOO_LARGE, String.format(Locale.ROOT, "%,d bytes > %,d", size, MAX_FILE_BYTES));
  }

  /** The file types read, by their name's extension: text (CSV, Excel's "Unicode Text"), Excel workbooks, JSON. */
  public static final List<String> TEXT = List.of("csv", "txt", "tsv"), WORKBOOK = List.of("xlsx", "xls"), JSON = List.of("json");

  /** What a refused file type is told: what is read, and how to get there from Excel. */
  static final String SUPPORTED = "chỉ đọc .csv, .txt (CSV hoặc Unicode Text), .xlsx, .xls và .json; hãy mở tệp bằng Excel rồi lưu lại dạng "
      + "Excel Workbook (.xlsx) hoặc CSV UTF-8 (only .csv, .txt, .xlsx, .xls and .json are read: open it in Excel and save it as .xlsx or CSV UTF-8)";

  public static ParsedFile parse(byte[] bytes, String name) {
    String format = formatOf(name);
    String sha = Catalogs.sha256(bytes);
    if (!TEXT.contains(format) && !WORKBOOK.contains(format) && !JSON.contains(format))
      return failed(name, format, sha, bytes.length, Reasons.FILE_UNSUPPORTED, (format.isEmpty() ? "tệp không có đuôi (no extension)" : "." + format)
          + "; " + SUPPORTED);
    if (bytes.length == 0) return failed(name, format, sha, 0, Reasons.FILE_EMPTY, "0 bytes");
    if (JSON.contains(format)) return JsonAssessments.parse(bytes, name, sha);
    Table table;
    String legacyEncoding = null;
    try {
      if (WORKBOOK.contains(format)) {
        table = Tables.workbook(bytes);
      } else {
        Tables.Decoded text = Tables.decode(bytes);
        legacyEncoding = text.legacyEncoding();
        table = Tables.csv(text.text());
      }
    } catch (Tables.UnreadableException e) {
      return failed(name, format, sha, bytes.length, e.reason, e.getMessage());
    }
    ParsedFile parsed = table(table, name, format, sha, bytes.length);
    return legacyEncoding == null ? parsed : flagEveryRow(parsed, Reasons.FILE_ENCODING_WINDOWS_1258);
  }

  /** A file's problem that keeps its rows: each row carries it, as each carries a missing column, and is counted flagged. */
  private static ParsedFile flagEveryRow(ParsedFile parsed, Reasons reason) {
    Issue issue = new Issue(null, null, null, reason.code(), reason.message(null));
    return new ParsedFile(parsed.summary(), parsed.rows().stream().map(r -> r.withIssue(issue)).toList());
  }

  private static ParsedFile table(Table table, String name, String format, String sha, long bytes) {
    if (table.rows().stream().allMatch(TableRow::blank))
      return failed(name, format, sha, bytes, Reasons.FILE_EMPTY, "no data rows");
    if (table.headerIndex() < 0)
      return failed(name, format, sha, bytes, Reasons.FILE_NO_HEADER, null);
    if (LongCsv.isLong(Tables.headers(table))) return LongCsv.parse(table, name, sha, bytes);
    return wide(table, name, format, sha, bytes);
  }

  private static ParsedFile wide(Table table, String name, String format, String sha, long bytes) {
    List<Column> columns = ExportColumns.classifyAll(Tables.headers(table));
    Map<Role, Column> single = new EnumMap<>(Role.class);
    List<String> ignored = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (Column c : columns) {
      switch (c.role()) {
        case CRITERION, DECLARED_POINTS, DECLARED_LEVEL, DESCRIPTIVE -> { }
        case CONTACT -> dropped.add(c.ref() + " " + c.header());
        case UNKNOWN -> ignored.add(c.ref() + " " + c.header());
        default -> single.putIfAbsent(c.role(), c);
      }
    }
    List<String> missing = ExportColumns.REQUIRED.stream().filter(r -> !single.containsKey(r)).map(ExportColumns::label).toList();

    List<RawRow> rows = new ArrayList<>();
    for (int i = table.headerEndIndex() + 1; i < table.rows().size(); i++) {
      TableRow tr = table.rows().get(i);
      if (tr.blank()) continue; // blank rows are layout, not data
      rows.add(row(tr, columns, single, missing, name, format, table.sheet()));
    }
    int headerRow = table.rows().get(table.headerIndex()).rowNumber();
    if (rows.isEmpty())
      return new ParsedFile(new FileSummary(name, format, sha, bytes, table.sheet(), headerRow, 0, Reasons.FILE_EMPTY.code(),
          Reasons.FILE_EMPTY.message("chỉ có dòng tiêu đề"), ignored, dropped), List.of());
    String errorCode = missing.isEmpty() ? null : Reasons.FILE_MISSING_COLUMN.code();
    String errorMessage = missing.isEmpty() ? null : Reasons.FILE_MISSING_COLUMN.message(String.join(", ", missing));
    return new ParsedFile(new FileSummary(name, format, sha, bytes, table.sheet(), headerRow, rows.size(), errorCode, errorMessage,
        ignored, dropped), rows);
  }

  private static RawRow row(TableRow tr, List<Column> columns, Map<Role, Column> single, List<String> missing, String file,
      String format, String sheet) {
    RowBuilder b = new RowBuilder();
    if (!missing.isEmpty()) b.issue(null, null, null, Reasons.FILE_MISSING_COLUMN, String.join(", ", missing));
    single.forEach((role, c) -> b.field(role, c.ref(), c.header(), value(tr, c)));
    for (Column c : columns) {
      switch (c.role()) {
        case CRITERION -> b.cell(c.ref(), c.header(), c.key(), value(tr, c));
        case DECLARED_POINTS -> b.declared(c.ref(), c.header(), c.key(), "points", value(tr, c));
        case DECLARED_LEVEL -> b.declared(c.ref(), c.header(), c.key(), "level", value(tr, c));
        default -> { }
      }
    }
    return b.build(file, format, sheet, tr.rowNumber());
  }

  private static String value(TableRow tr, Column c) {
    if (c == null || c.index() >= tr.cells().size()) return null;
    return tr.cells().get(c.index());
  }

  static String formatOf(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1);
  }

  static ParsedFile failed(String name, String format, String sha, long bytes, Reasons reason, String detail) {
    return new ParsedFile(new FileSummary(name, format, sha, bytes, null, null, 0, reason.code(), reason.message(detail), List.of(), List.of()),
        List.of());
  }
}
