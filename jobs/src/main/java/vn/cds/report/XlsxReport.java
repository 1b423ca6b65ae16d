package vn.cds.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.HorizontalAlignment;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.PrintSetup;
import org.apache.poi.ss.usermodel.VerticalAlignment;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import vn.cds.report.Table.Kind;
import vn.cds.report.Table.Sheet;

/**
 * Writes the report's sheets to one XLSX with Apache POI: a title block (report title, the Sở, the date), each table
 * with its title and a bold header row, number and percent formats, the first header frozen and repeated on every
 * printed page, column widths from the content, A4 landscape fitted to the page width. Text is always written as a
 * string cell, so a unit name like "=HYPERLINK(…)" is shown, never evaluated.
 */
public final class XlsxReport {
  private XlsxReport() {}

  public static void write(Path file, String title, ReportConfig config, List<Sheet> sheets) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    // streamed: rows go to temporary files as they are written, not into one in-memory document (the national
    // report's 40,000-unit published list took 19 s to build and save whole)
    try (SXSSFWorkbook wb = new SXSSFWorkbook()) {
      Styles styles = new Styles(wb);
      for (Sheet sheet : sheets) writeSheet(wb.createSheet(sheet.name()), title, config, sheet, styles);
      wb.getXSSFWorkbook().getProperties().getCoreProperties().setTitle(title);
      wb.getXSSFWorkbook().getProperties().getCoreProperties().setCreator(config.soName());
      try (OutputStream out = Files.newOutputStream(tmp)) {
        wb.write(out);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeSheet(org.apache.poi.ss.usermodel.Sheet sh, String title, ReportConfig config, Sheet sheet, Styles styles) {
    int width = sheet.tables().stream().mapToInt(t -> t.columns().size()).max().orElse(1);
    int[] chars = new int[width];
    int r = 0;
    r = textRow(sh, r, title, styles.title, width);
    r = textRow(sh, r, config.soName() + " — " + config.dateLine(), styles.subtitle, width);
    r++;
    boolean first = true;
    for (Table t : sheet.tables()) {
      r = textRow(sh, r, t.title(), styles.tableTitle, width);
      org.apache.poi.ss.usermodel.Row header = sh.createRow(r);
      header.setHeightInPoints(32);
      for (int c = 0; c < t.columns().size(); c++) {
        org.apache.poi.ss.usermodel.Cell cell = header.createCell(c);
        cell.setCellValue(t.columns().get(c).header());
        cell.setCellStyle(styles.header);
        chars[c] = Math.max(chars[c], Math.min(24, t.columns().get(c).header().length()));
      }
      if (first) {
        sh.createFreezePane(0, r + 1);
        sh.setRepeatingRows(new CellRangeAddress(r, r, 0, t.columns().size() - 1));
        first = false;
      }
      r++;
      for (List<Object> row : t.rows()) {
        org.apache.poi.ss.usermodel.Row xr = sh.createRow(r++);
        for (int c = 0; c < row.size(); c++) {
          Object v = row.get(c);
          Kind kind = t.columns().get(c).kind();
          org.apache.poi.ss.usermodel.Cell cell = xr.createCell(c);
          cell.setCellStyle(styles.byKind.get(kind));
          if (v == null) continue;
          if (v instanceof Number n) cell.setCellValue(n.doubleValue());
          else cell.setCellValue(v.toString()); // a string cell: never a formula
          chars[c] = Math.max(chars[c], kind == Kind.TEXT ? v.toString().length() : 10);
        }
      }
      r++;
    }
    for (int c = 0; c < width; c++) sh.setColumnWidth(c, Math.min(60, Math.max(8, chars[c] + 2)) * 256);
    PrintSetup ps = sh.getPrintSetup();
    ps.setPaperSize(PrintSetup.A4_PAPERSIZE);
    ps.setLandscape(true);
    ps.setFitWidth((short) 1);
    ps.setFitHeight((short) 0);
    sh.setFitToPage(true);
    sh.setHorizontallyCenter(true);
    sh.getHeader().setLeft(config.soName());
    sh.getFooter().setLeft(title);
    sh.getFooter().setRight("Trang &P / &N");
  }

  private static int textRow(org.apache.poi.ss.usermodel.Sheet sh, int r, String text, CellStyle style, int width) {
    org.apache.poi.ss.usermodel.Cell cell = sh.createRow(r).createCell(0);
    cell.setCellValue(text);
    cell.setCellStyle(style);
    if (width > 1) sh.addMergedRegion(new CellRangeAddress(r, r, 0, width - 1));
    return r + 1;
  }

  private static final class Styles {
    final CellStyle title, subtitle, tableTitle, header;
    final Map<Kind, CellStyle> byKind = new EnumMap<>(Kind.class);

    Styles(Workbook wb) {
      title = wb.createCellStyle();
      title.setFont(font(wb, 14, true));
      title.setAlignment(HorizontalAlignment.CENTER);
      subtitle = wb.createCellStyle();
      subtitle.setFont(font(wb, 11, false));
      subtitle.setAlignment(HorizontalAlignment.CENTER);
      tableTitle = wb.createCellStyle();
      tableTitle.setFont(font(wb, 12, true));
      header = bordered(wb);
      header.setFont(font(wb, 11, true));
      header.setWrapText(true);
      header.setVerticalAlignment(VerticalAlignment.CENTER);
      header.setAlignment(HorizontalAlignment.CENTER);
      header.setFillForegroundColor(IndexedColors.GREY_25_PERCENT.getIndex());
      header.setFillPattern(FillPatternType.SOLID_FOREGROUND);
      short fmtInt = wb.createDataFormat().getFormat("#,##0");
      short fmtDec = wb.createDataFormat().getFormat("#,##0.00");
      short fmtPct = wb.createDataFormat().getFormat("0.0%");
      short fmtChange = wb.createDataFormat().getFormat("+0.0%;-0.0%;0.0%");
      byKind.put(Kind.TEXT, bordered(wb));
      byKind.put(Kind.INT, numeric(wb, fmtInt));
      byKind.put(Kind.DECIMAL, numeric(wb, fmtDec));
      byKind.put(Kind.PERCENT, numeric(wb, fmtPct));
      byKind.put(Kind.PERCENT_CHANGE, numeric(wb, fmtChange));
    }

    private static Font font(Workbook wb, int points, boolean bold) {
      Font f = wb.createFont();
      f.setFontName("Times New Roman");
      f.setFontHeightInPoints((short) points);
      f.setBold(bold);
      return f;
    }

    private static CellStyle bordered(Workbook wb) {
      CellStyle s = wb.createCellStyle();
      s.setBorderBottom(BorderStyle.THIN);
      s.setBorderTop(BorderStyle.THIN);
      s.setBorderLeft(BorderStyle.THIN);
      s.setBorderRight(BorderStyle.THIN);
      s.setVerticalAlignment(VerticalAlignment.TOP);
      return s;
    }

    private static CellStyle numeric(Workbook wb, short format) {
      CellStyle s = bordered(wb);
      s.setDataFormat(format);
      s.setAlignment(HorizontalAlignment.RIGHT);
      return s;
    }
  }
}
