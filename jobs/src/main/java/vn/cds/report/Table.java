package vn.cds.report;

import java.util.List;

/** One table of the report: a title, typed columns with Vietnamese headers, and its rows (values in column order). */
public record Table(String id, String title, List<Column> columns, List<List<Object>> rows) {
  /** How a column's values are shown: text, whole numbers, decimals, shares (0.123 → 12.3%), or a change of share. */
  public enum Kind { TEXT, INT, DECIMAL, PERCENT, PERCENT_CHANGE }

  public record Column(String header, Kind kind) {}

  public static Column text(String header) {
    return new Column(header, Kind.TEXT);
  }

  public static Column count(String header) {
    return new Column(header, Kind.INT);
  }

  public static Column decimal(String header) {
    return new Column(header, Kind.DECIMAL);
  }

  public static Column percent(String header) {
    return new Column(header, Kind.PERCENT);
  }

  public static Column change(String header) {
    return new Column(header, Kind.PERCENT_CHANGE);
  }

  public List<String> headers() {
    return columns.stream().map(Column::header).toList();
  }

  /** One sheet: a name (at most 31 characters, Excel's limit) and its tables, stacked. */
  public record Sheet(String name, List<Table> tables) {}
}
