package vn.cds.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.List;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Export files as offices really send them, built from the same rows: Excel workbooks (XLSX, the 97-2003 XLS),
 * Excel's "Unicode Text" (UTF-16 with a byte-order mark, tab-separated) and Windows-1258 text as Windows writes it.
 */
public final class TestExports {
  private TestExports() {}

  /**
   * A Sở's export of three TH schools, {@code prefix}01 to 03: Vietnamese names and values, a decimal comma, a name
   * with a comma, a blank criterion, dates, both stages. Each format's test writes these same rows.
   */
  public static List<List<String>> rows(String prefix) {
    return List.of(
        List.of("Mã đơn vị", "Tên đơn vị", "Năm học", "Hình thức đánh giá", "Ngày nộp", "Trạng thái", "DH1", "DH4", "QT1", "QT5"),
        List.of(prefix + "01", "Trường Tiểu học Hòa Bình", "2024-2025", "Tự đánh giá", "05/01/2025", "Đã nộp", "Đạt", "7,5", "Đạt", "9"),
        List.of(prefix + "02", "Trường Ngô Quyền, cơ sở 2", "2024-2025", "Tự đánh giá", "06/01/2025", "Đã duyệt", "Chưa đạt", "10", "Đạt", "4,5"),
        List.of(prefix + "03", "Trường Lê Lợi", "2024-2025", "Đánh giá ngoài", "10/03/2025", "Đã duyệt", "Đạt", "3", "Chưa đạt", ""));
  }

  /** RFC 4180 text of {@code rows} (the header first) with {@code sep}; a cell holding sep, a quote or a newline is quoted. */
  public static String text(List<List<String>> rows, char sep) {
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        String v = row.get(i) == null ? "" : row.get(i);
        boolean quote = v.indexOf(sep) >= 0 || v.contains("\"") || v.contains("\n");
        sb.append(i > 0 ? String.valueOf(sep) : "").append(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  /** Excel's "Unicode Text": UTF-16 with its byte-order mark, little-endian as Windows writes it, or big-endian. */
  public static byte[] utf16(String text, boolean littleEndian) {
    byte[] body = text.getBytes(littleEndian ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
    byte[] out = new byte[body.length + 2];
    out[0] = (byte) (littleEndian ? 0xFF : 0xFE);
    out[1] = (byte) (littleEndian ? 0xFE : 0xFF);
    System.arraycopy(body, 0, out, 2, body.length);
    return out;
  }

  /** The five Vietnamese tones as combining marks: grave, acute, tilde, hook above, dot below. */
  private static final String TONES = "\u0300\u0301\u0303\u0309\u0323";

  /**
   * Vietnamese text in Windows-1258 as Windows converts it: a letter the code page has whole (ơ, ư, đ, ă, â, á) is one
   * byte; a toned letter it lacks (ờ, ạ, ị) is its base letter followed by a combining tone mark (0xCC, 0xEC, 0xD2, 0xDE,
   * 0xF2). The JDK's encoder alone would write '?' for those.
   */
  public static byte[] cp1258(String text) {
    CharsetEncoder enc = Charset.forName("windows-1258").newEncoder();
    StringBuilder mapped = new StringBuilder();
    for (char c : Normalizer.normalize(text, Normalizer.Form.NFC).toCharArray()) {
      if (enc.canEncode(c)) {
        mapped.append(c);
        continue;
      }
      String nfd = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
      int at = 0; // the tone mark, wherever NFD put it (ộ is o, dot below, circumflex)
      while (at < nfd.length() && TONES.indexOf(nfd.charAt(at)) < 0) at++;
      if (at == nfd.length()) throw new IllegalArgumentException("not in Windows-1258: " + c);
      char tone = nfd.charAt(at);
      String base = Normalizer.normalize(nfd.substring(0, at) + nfd.substring(at + 1), Normalizer.Form.NFC);
      if (!enc.canEncode(base) || !enc.canEncode(tone)) throw new IllegalArgumentException("not in Windows-1258: " + c);
      mapped.append(base).append(tone);
    }
    return mapped.toString().getBytes(Charset.forName("windows-1258"));
  }

  /** The rows as an Excel 97-2003 workbook (HSSF). */
  public static byte[] xls(List<List<String>> rows, int keyColumns) throws IOException {
    return workbook(new HSSFWorkbook(), rows, keyColumns);
  }

  /** The rows as an XLSX workbook. */
  public static byte[] xlsx(List<List<String>> rows, int keyColumns) throws IOException {
    return workbook(new XSSFWorkbook(), rows, keyColumns);
  }

  /**
   * A sheet laid out as a Sở's workbook: a merged title row and a blank row above a two-row header (the first
   * {@code keyColumns} headers merged down over both rows, the criteria under one merged group title). A dd/mm/yyyy
   * value becomes a date cell, a criterion's number written with a point a number cell, anything else (a decimal comma, "Đạt")
   * stays text: a number stored as text. The first data row is Excel row 5.
   */
  static byte[] workbook(Workbook wb, List<List<String>> rows, int keyColumns) throws IOException {
    try (wb; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Sheet s = wb.createSheet("Tổng hợp");
      List<String> header = rows.get(0);
      s.createRow(0).createCell(0).setCellValue("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ");
      s.addMergedRegion(new CellRangeAddress(0, 0, 0, header.size() - 1));
      Row h1 = s.createRow(2), h2 = s.createRow(3);
      for (int c = 0; c < keyColumns; c++) {
        h1.createCell(c).setCellValue(header.get(c));
        s.addMergedRegion(new CellRangeAddress(2, 3, c, c));
      }
      h1.createCell(keyColumns).setCellValue("Tiêu chí");
      if (header.size() - 1 > keyColumns) s.addMergedRegion(new CellRangeAddress(2, 2, keyColumns, header.size() - 1));
      for (int c = keyColumns; c < header.size(); c++) h2.createCell(c).setCellValue(header.get(c));
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
      for (int r = 1; r < rows.size(); r++) {
        Row row = s.createRow(3 + r);
        for (int c = 0; c < rows.get(r).size(); c++) cell(row, c, rows.get(r).get(c), date, c >= keyColumns);
      }
      wb.write(out);
      return out.toByteArray();
    }
  }

  private static void cell(Row row, int c, String v, CellStyle date, boolean criterion) {
    if (v == null || v.isEmpty()) return;
    if (v.matches("\\d{2}/\\d{2}/\\d{4}")) {
      row.createCell(c).setCellValue(LocalDate.of(Integer.parseInt(v.substring(6)), Integer.parseInt(v.substring(3, 5)), Integer.parseInt(v.substring(0, 2))));
      row.getCell(c).setCellStyle(date);
    } else if (criterion && v.matches("\\d+(\\.\\d+)?")) {
      row.createCell(c).setCellValue(Double.parseDouble(v));
    } else {
      row.createCell(c).setCellValue(v);
    }
  }
}
