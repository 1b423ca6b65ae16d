package vn.cds.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.ss.util.CellRangeAddress;
import vn.cds.util.Text;

/** Turns CSV, text and Excel (XLSX, XLS) bytes into rows of strings, keeping the row numbers a person sees in Excel. */
public final class Tables {
  private Tables() {}

  public record TableRow(int rowNumber, List<String> cells) {
    boolean blank() {
      return cells.stream().allMatch(Text::isBlank);
    }
  }

  /** One sheet (or the whole CSV); {@code headerEnd} > header row when merged header cells span several rows. */
  public record Table(String sheet, List<TableRow> rows, int headerIndex, int headerEndIndex) {}

  public static class UnreadableException extends IOException {
    public final Reasons reason;

    public UnreadableException(Reasons reason, String detail) {
      super(detail);
      this.reason = reason;
    }
  }

  // ---- CSV ----

  /** A reference file (registry, areas, deadlines): RFC 4180 as {@link #csv(String)}, strictly UTF-8. */
  public static Table csv(byte[] bytes) throws UnreadableException {
    String text = decodeUtf8(bytes);
    return csv(text.startsWith("\uFEFF") ? text.substring(1) : text);
  }

  /** RFC 4180 with the quirks of real exports: ';', ',' or tab (Excel's "Unicode Text"), quoted newlines. */
  public static Table csv(String text) throws UnreadableException {
    char sep = detectSeparator(text);
    List<TableRow> rows = new ArrayList<>();
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    int record = 1;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cell.append(c);
        }
      } else if (c == '"' && cell.length() == 0) {
        quoted = true;
      } else if (c == sep) {
        cells.add(cell.toString());
        cell.setLength(0);
        if (cells.size() > MAX_COLUMNS) checkWidth(cells.size()); // stop reading at once: the rest could be gigabytes
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        cells.add(cell.toString());
        cell.setLength(0);
        rows.add(new TableRow(record++, cells));
        cells = new ArrayList<>();
      } else {
        cell.append(c);
      }
      i++;
    }
    if (cell.length() > 0 || !cells.isEmpty()) {
      cells.add(cell.toString());
      rows.add(new TableRow(record, cells));
    }
    int header = findHeader(rows);
    return new Table(null, rows, header, header);
  }

  /** An export's text, and the legacy encoding it was converted from (null when it was UTF-8 or UTF-16). */
  public record Decoded(String text, String legacyEncoding) {}

  private static final String TRIED = "đã thử UTF-8, UTF-16 có BOM, Windows-1258 và TCVN3 (tried UTF-8, UTF-16 with a BOM, Windows-1258 and TCVN3)";

  /**
   * The text of a CSV or text export, by what its bytes say: a UTF-16 byte-order mark (Excel's "Unicode Text"), else
   * UTF-8 (BOM or not), else Windows-1258 when its tone marks show (converted to NFC, the form the rest of the
   * pipeline compares). TCVN3 and anything that cannot be told are refused, saying what was tried.
   */
  public static Decoded decode(byte[] bytes) throws UnreadableException {
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) return new Decoded(strict(bytes, 2, StandardCharsets.UTF_16LE), null);
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) return new Decoded(strict(bytes, 2, StandardCharsets.UTF_16BE), null);
    // a NUL byte is never text in UTF-8 or an 8-bit code page: these are UTF-16 code units without their byte-order mark
    for (byte b : bytes) if (b == 0) throw unknownEncoding("có byte NUL, có lẽ là UTF-16 không có BOM (NUL bytes: UTF-16 without a BOM?)");
    String utf8 = strict(bytes, 0, StandardCharsets.UTF_8);
    if (utf8 != null) return new Decoded(utf8.startsWith("\uFEFF") ? utf8.substring(1) : utf8, null);
    String guess = guessLegacyEncoding(bytes);
    if (guess.equals(TCVN3)) throw notUtf8(bytes);
    String text = guess.equals(WINDOWS_1258) ? strict(bytes, 0, java.nio.charset.Charset.forName("windows-1258")) : null;
    if (text == null) throw unknownEncoding("không xác định được mã ký tự (the encoding cannot be told)");
    return new Decoded(java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC), WINDOWS_1258);
  }

  private static UnreadableException unknownEncoding(String why) {
    return new UnreadableException(Reasons.FILE_NOT_UTF8, why + "; " + TRIED + "; hãy mở bằng Excel và lưu lại bằng \"CSV UTF-8\" (save it again as CSV UTF-8)");
  }

  /** The bytes from {@code offset} in {@code charset}, or null if they are not valid in it (a UTF-16 file that is not is unreadable). */
  private static String strict(byte[] bytes, int offset, java.nio.charset.Charset charset) throws UnreadableException {
    try {
      return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
    } catch (CharacterCodingException e) {
      if (charset == StandardCharsets.UTF_16LE || charset == StandardCharsets.UTF_16BE)
        throw new UnreadableException(Reasons.FILE_UNREADABLE, "tệp có dấu BOM của " + charset.name() + " nhưng nội dung không phải " + charset.name()
            + " (a " + charset.name() + " byte-order mark, but the content is not " + charset.name() + ")");
      return null;
    }
  }

  private static UnreadableException notUtf8(byte[] bytes) {
    String guess = guessLegacyEncoding(bytes);
    return new UnreadableException(Reasons.FILE_NOT_UTF8, "có vẻ là " + guess
        + ", hãy mở và lưu lại bằng \"CSV UTF-8\" (looks like " + guess + "; save it again as CSV UTF-8)");
  }

  static String decodeUtf8(byte[] bytes) throws UnreadableException {
    String text = strict(bytes, 0, StandardCharsets.UTF_8);
    if (text == null) throw notUtf8(bytes);
    return text;
  }

  /**
   * Which legacy Vietnamese encoding a non-UTF-8 file most likely uses. TCVN3 (ABC) puts ă â ê ô ơ ư đ at 0xA8-0xAE,
   * bytes that Windows-1258 text hardly ever holds (¨ © ª « ¬ soft hyphen ®); Windows-1258 writes tones as separate
   * combining marks at 0xCC 0xD2 0xDE 0xEC 0xF2.
   */
  static String guessLegacyEncoding(byte[] bytes) {
    int high = 0, tcvn = 0, cp1258Tones = 0;
    for (byte b : bytes) {
      int v = b & 0xff;
      if (v < 0x80) continue;
      high++;
      if (v >= 0xA8 && v <= 0xAE) tcvn++;
      if (v == 0xCC || v == 0xD2 || v == 0xDE || v == 0xEC || v == 0xF2) cp1258Tones++;
    }
    if (high == 0) return "không rõ mã (unknown)";
    if (tcvn * 5 >= high) return TCVN3;
    return cp1258Tones > 0 ? WINDOWS_1258 : "một mã cũ không phải UTF-8 (a legacy 8-bit encoding)";
  }

  static final String TCVN3 = "TCVN3 (ABC)";
  static final String WINDOWS_1258 = "Windows-1258";

  /** Beyond this many columns a file is not an export but a mistake (or an attack on memory). */
  public static final int MAX_COLUMNS = 2000;

  static void checkWidth(int columns) throws UnreadableException {
    if (columns > MAX_COLUMNS) throw new UnreadableException(Reasons.FILE_TOO_WIDE, "ít nhất " + columns + " cột (at least " + columns + " columns)");
  }

  /**
   * The separator that occurs most often outside quotes in the first lines. A tab wins ties: in a tab-separated file
   * every line has a tab between every two cells, and commas only where a value has a decimal comma.
   */
  static char detectSeparator(String text) {
    int semis = 0, commas = 0, tabs = 0, lines = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length() && lines < 20; i++) {
      char c = text.charAt(i);
      if (c == '"') quoted = !quoted;
      else if (!quoted && c == ';') semis++;
      else if (!quoted && c == ',') commas++;
      else if (!quoted && c == '\t') tabs++;
      else if (!quoted && c == '\n') lines++;
    }
    if (tabs > 0 && tabs >= Math.max(semis, commas)) return '\t';
    return semis > commas ? ';' : ',';
  }

  // ---- XLSX and XLS ----

  /**
   * The first sheet with a "Mã đơn vị" header of an Excel workbook, XLSX or the Excel 97-2003 XLS (POI tells them by
   * their content, not their name); formula cells give their cached values, dates become dd/mm/yyyy.
   */
  public static Table workbook(byte[] bytes) throws UnreadableException {
    try (Workbook wb = WorkbookFactory.create(new ByteArrayInputStream(bytes))) {
      Table firstNonEmpty = null;
      for (int s = 0; s < wb.getNumberOfSheets(); s++) {
        Sheet sheet = wb.getSheetAt(s);
        List<TableRow> rows = sheetRows(sheet);
        int header = findHeader(rows);
        if (header >= 0) {
          int headerEnd = mergedHeaderEnd(sheet, rows, header);
          fillMergedHeaderCells(sheet, rows, header, headerEnd);
          return new Table(sheet.getSheetName(), rows, header, headerEnd);
        }
        if (firstNonEmpty == null && rows.stream().anyMatch(r -> !r.blank())) firstNonEmpty = new Table(sheet.getSheetName(), rows, -1, -1);
      }
      return firstNonEmpty != null ? firstNonEmpty : new Table(wb.getNumberOfSheets() > 0 ? wb.getSheetName(0) : null, List.of(), -1, -1);
    } catch (UnreadableException e) {
      throw e;
    } catch (Exception | LinkageError e) {
      throw new UnreadableException(Reasons.FILE_UNREADABLE, (looksLikeMarkup(bytes) ? HTML_AS_EXCEL : "")
          + "not a readable Excel workbook: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage().lines().findFirst().orElse("")));
    }
  }

  /** Web platforms often export an HTML table named .xls: Excel opens it, POI does not. */
  private static final String HTML_AS_EXCEL = "tệp là trang HTML/XML mang đuôi Excel, hãy mở bằng Excel rồi lưu lại dạng Excel Workbook (.xlsx) "
      + "(the file is an HTML/XML page named like a workbook; open it in Excel and save it as .xlsx); ";

  private static boolean looksLikeMarkup(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '<') return true;
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && (b & 0xff) != 0xEF && (b & 0xff) != 0xBB && (b & 0xff) != 0xBF) return false;
    }
    return false;
  }

  private static List<TableRow> sheetRows(Sheet sheet) throws UnreadableException {
    List<TableRow> rows = new ArrayList<>();
    for (Row row : sheet) {
      List<String> cells = new ArrayList<>();
      short last = row.getLastCellNum();
      checkWidth(last);
      for (int c = 0; c < last; c++) cells.add(cellText(row.getCell(c)));
      rows.add(new TableRow(row.getRowNum() + 1, cells));
    }
    return rows;
  }

  private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

  static String cellText(Cell cell) {
    if (cell == null) return null;
    CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
    return switch (type) {
      case STRING -> cell.getStringCellValue();
      case NUMERIC -> DateUtil.isCellDateFormatted(cell)
          ? cell.getLocalDateTimeCellValue().toLocalDate().format(DMY)
          : plain(cell.getNumericCellValue());
      case BOOLEAN -> cell.getBooleanCellValue() ? "TRUE" : "FALSE";
      case ERROR -> FormulaError.forInt(cell.getErrorCellValue()).getString();
      default -> null;
    };
  }

  static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static int mergedHeaderEnd(Sheet sheet, List<TableRow> rows, int headerIndex) {
    int rowNum = rows.get(headerIndex).rowNumber() - 1;
    int end = rowNum;
    for (CellRangeAddress r : sheet.getMergedRegions())
      if (r.getFirstRow() == rowNum && r.getLastRow() > rowNum) end = Math.max(end, r.getLastRow());
    int endIndex = headerIndex;
    while (endIndex + 1 < rows.size() && rows.get(endIndex + 1).rowNumber() - 1 <= end) endIndex++;
    return endIndex;
  }

  /** A merged header cell holds its text in the top-left cell only: copy it into the cells it covers. */
  private static void fillMergedHeaderCells(Sheet sheet, List<TableRow> rows, int from, int to) {
    for (int i = from; i <= to; i++) {
      TableRow tr = rows.get(i);
      int rowNum = tr.rowNumber() - 1;
      for (CellRangeAddress r : sheet.getMergedRegions()) {
        if (rowNum < r.getFirstRow() || rowNum > r.getLastRow()) continue;
        String text = topLeft(rows, r);
        for (int c = r.getFirstColumn(); c <= r.getLastColumn(); c++) {
          while (tr.cells().size() <= c) tr.cells().add(null);
          if (Text.isBlank(tr.cells().get(c))) tr.cells().set(c, text);
        }
      }
    }
  }

  private static String topLeft(List<TableRow> rows, CellRangeAddress r) {
    for (TableRow tr : rows)
      if (tr.rowNumber() - 1 == r.getFirstRow() && tr.cells().size() > r.getFirstColumn()) return tr.cells().get(r.getFirstColumn());
    return null;
  }

  static int findHeader(List<TableRow> rows) {
    for (int i = 0; i < rows.size() && i < 50; i++)
      if (ExportColumns.isHeaderRow(rows.get(i).cells())) return i;
    return -1;
  }

  /** Header text per column: for a multi-row merged header the lowest non-blank text wins (criteria sit below group titles). */
  public static List<String> headers(Table t) {
    List<String> headers = new ArrayList<>();
    for (int i = t.headerIndex(); i <= t.headerEndIndex(); i++) {
      List<String> cells = t.rows().get(i).cells();
      for (int c = 0; c < cells.size(); c++) {
        while (headers.size() <= c) headers.add(null);
        if (!Text.isBlank(cells.get(c))) headers.set(c, cells.get(c));
      }
    }
    return headers;
  }
}
