package vn.cds.mart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every table and view of a mart, without what differs from run to run, so that two marts can be compared: a
 * fingerprint per table (rows and an order-free hash of them, for the golden test on the sample), or the rows
 * themselves as Parquet (for {@code EXCEPT ALL} both ways on a large input). Doubles are rounded to 9 decimals: Spark
 * may add the same values in another order from one run to the next.
 *
 * <pre>
 *   java -cp "jobs/target/classes:$(cat jobs/target/runtime-classpath.txt)" vn.cds.mart.MartDump fingerprints MART
 *   java -cp … vn.cds.mart.MartDump dump MART DIR          # one Parquet file per table and view
 *   java -cp … vn.cds.mart.MartDump compare DIR_A DIR_B    # EXCEPT ALL both ways, per table; exit 1 on a difference
 * </pre>
 */
public final class MartDump {
  private MartDump() {}

  /**
   * Columns that say when, where from or by which run the mart was built, or that a view computes from today's date
   * (the documents' overdue counts): never the same twice.
   */
  static final Set<String> RUN_SPECIFIC = Set.of("run_id", "started_at", "finished_at", "input_dir", "catalogs_dir", "overdue",
      "days_overdue", "units_overdue", "max_days_overdue");

  /** One table's rows and the sum of their hashes (an order-free fingerprint of the multiset of rows). */
  public record Fingerprint(long rows, String hash) {}

  /** Every table and view of the main schema, by name: the SELECT of its comparable columns. */
  static Map<String, String> comparableSelects(Connection c) throws SQLException {
    Map<String, List<String>> columns = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name, column_name, data_type "
        + "FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position")) {
      while (rs.next()) {
        String column = rs.getString(2);
        if (RUN_SPECIFIC.contains(column)) continue;
        String quoted = '"' + column + '"';
        String type = rs.getString(3);
        String expr = type.equals("DOUBLE") || type.equals("FLOAT") ? "round(" + quoted + ", 9) AS " + quoted : quoted;
        columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(expr);
      }
    }
    Map<String, String> selects = new LinkedHashMap<>();
    columns.forEach((table, cols) -> selects.put(table, "SELECT " + String.join(", ", cols) + " FROM \"" + table + '"'));
    return selects;
  }

  public static Map<String, Fingerprint> fingerprints(Connection c) throws SQLException {
    Map<String, Fingerprint> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : comparableSelects(c).entrySet()) {
      String sql = "SELECT count(*), coalesce(sum(hash(t)::HUGEINT) % 18446744073709551616, 0)::VARCHAR FROM (" + e.getValue() + ") t";
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        out.put(e.getKey(), new Fingerprint(rs.getLong(1), rs.getString(2)));
      }
    }
    return out;
  }

  /** The fingerprints as text, one table a line: {@code name<TAB>rows<TAB>hash}. */
  public static String fingerprintText(Map<String, Fingerprint> fingerprints) {
    StringBuilder sb = new StringBuilder();
    fingerprints.forEach((t, f) -> sb.append(t).append('\t').append(f.rows()).append('\t').append(f.hash()).append('\n'));
    return sb.toString();
  }

  public static void dump(Connection c, Path dir) throws Exception {
    Files.createDirectories(dir);
    for (Map.Entry<String, String> e : comparableSelects(c).entrySet()) {
      try (Statement st = c.createStatement()) {
        st.execute("COPY (" + e.getValue() + ") TO '" + dir.resolve(e.getKey() + ".parquet").toAbsolutePath() + "' (FORMAT parquet)");
      }
    }
  }

  /** Per table of either dump: rows only in A, rows only in B ({@code EXCEPT ALL}), or -1 when a side has no such table. */
  public static Map<String, long[]> compare(Path a, Path b) throws Exception {
    Set<String> tables = new java.util.TreeSet<>();
    for (Path dir : List.of(a, b)) {
      try (var files = Files.list(dir)) {
        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).forEach(n -> tables.add(n.substring(0, n.length() - 8)));
      }
    }
    Map<String, long[]> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      for (String t : tables) {
        Path pa = a.resolve(t + ".parquet").toAbsolutePath();
        Path pb = b.resolve(t + ".parquet").toAbsolutePath();
        if (!Files.exists(pa) || !Files.exists(pb)) {
          out.put(t, new long[] {-1, -1});
          continue;
        }
        out.put(t, new long[] {exceptAll(st, pa, pb), exceptAll(st, pb, pa)});
      }
    }
    return out;
  }

  private static long exceptAll(Statement st, Path left, Path right) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT * FROM read_parquet('" + left + "') EXCEPT ALL SELECT * FROM read_parquet('"
        + right + "'))")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection readOnly(String mart) throws SQLException {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + Path.of(mart).toAbsolutePath(), ro);
  }

  public static void main(String[] args) throws Exception {
    String usage = "usage: MartDump fingerprints MART | dump MART DIR | compare DIR_A DIR_B";
    if (args.length < 2) throw new IllegalArgumentException(usage);
    switch (args[0]) {
      case "fingerprints" -> {
        try (Connection c = readOnly(args[1])) {
          System.out.print(fingerprintText(fingerprints(c)));
        }
      }
      case "dump" -> {
        try (Connection c = readOnly(args[1])) {
          dump(c, Path.of(args[2]));
        }
      }
      case "compare" -> {
        boolean same = true;
        for (Map.Entry<String, long[]> e : compare(Path.of(args[1]), Path.of(args[2])).entrySet()) {
          long[] d = e.getValue();
          same &= d[0] == 0 && d[1] == 0;
          System.out.println(e.getKey() + "\tonly_in_a=" + d[0] + "\tonly_in_b=" + d[1] + (d[0] == 0 && d[1] == 0 ? "" : "\tDIFFERENT"));
        }
        System.out.println(same ? "equal" : "DIFFERENT");
        if (!same) System.exit(1);
      }
      default -> throw new IllegalArgumentException(usage);
    }
  }
}
