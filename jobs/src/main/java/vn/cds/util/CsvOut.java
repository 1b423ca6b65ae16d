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
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    int rows = 0;
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write('\ufeff');
      line(w, headers);
      int n = rs.getMetaData().getColumnCount();
      if (n != headers.size()) throw new IllegalArgumentException(headers.size() + " headers for " + n + " columns");
      String[] values = new String[n];
      while (rs.next()) {
        for (int i = 0; i < n; i++) {
          Object v = rs.getObject(i + 1);
          values[i] = v == null ? "" : v instanceof String s ? defuse(s) : String.valueOf(v);
        }
        line(w, List.of(values));
        rows++;
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return rows;
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
