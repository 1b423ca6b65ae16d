package vn.cds.util;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * CSV for people who open it in Excel: UTF-8 with a byte-order mark (without it Excel shows Vietnamese as mojibake),
 * CRLF line ends, every field quoted when needed, and text that Excel would run as a formula (starting with =, +, -,
 * @, tab or CR) prefixed with an apostrophe. Written to a temporary file and moved into place.
 */
public final class CsvOut {
  private CsvOut() {}

  /** Writes the result set with the given headers (one per column, in order). Returns the number of data rows. */
  public static int write(Path file, List<String> headers, ResultSet rs) throws IOException, SQLException {
    int n = rs.getMetaData().getColumnCount();
    if (n != headers.size()) throw new IllegalArgumentException(headers.size() + " headers for " + n + " columns");
    List<List<Object>> rows = new java.util.ArrayList<>();
    while (rs.next()) {
      List<Object> row = new java.util.ArrayList<>(n);
      for (int i = 1; i <= n; i++) row.add(rs.getObject(i));
      rows.add(row);
    }
    return write(file, headers, rows);
  }

  /** Writes rows of values (null = empty); numbers as numbers with a decimal point. Returns the number of data rows. */
  public static int write(Path file, List<String> headers, List<List<Object>> rows) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write('\ufeff');
      line(w, headers);
      for (List<Object> row : rows) {
        List<String> values = new java.util.ArrayList<>(row.size());
        for (Object v : row) values.add(v == null ? "" : v instanceof String s ? defuse(s) : number(v));
        line(w, values);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return rows.size();
  }

  /** 12.0 → "12", 0.1234567 → "0.1234567": no exponent, no trailing zeros. */
  private static String number(Object v) {
    if (v instanceof Double d) return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    if (v instanceof Float f) return java.math.BigDecimal.valueOf(f).stripTrailingZeros().toPlainString();
    return v.toString();
  }

  /** Text a spreadsheet would evaluate as a formula gets a leading apostrophe; numbers are written as numbers. */
  public static String defuse(String s) {
    if (s.isEmpty()) return s;
    char c = s.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
  }

  private static void line(Writer w, List<String> fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) w.write(',');
      String f = fields.get(i);
      boolean quote = f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0;
      w.write(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
    }
    w.write("\r\n");
  }
}
