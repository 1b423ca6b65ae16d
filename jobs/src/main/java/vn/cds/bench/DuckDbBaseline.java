package vn.cds.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * The benchmark's DuckDB-only baseline: computes group results, unit-year levels, level distributions, criterion gaps
 * and level trends in SQL ({@code bench/duckdb-baseline.sql}) over a lake the Spark jobs wrote, times each stage, and
 * checks that every table equals the Spark one (keys exactly; numbers to their last rounded decimal).
 */
public final class DuckDbBaseline {
  /** One baseline table and the Spark lake table it must equal, with its key columns. */
  record Check(String baselineTable, String lakeTable, boolean partitioned, List<String> keys) {}

  static final List<Check> CHECKS = List.of(
      new Check("b_group_result", "group_result", true, List.of("row_key", "group_id")),
      new Check("b_level_distribution", "agg_level_distribution", true,
          List.of("school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level", "ownership", "indicator_set", "scope")),
      new Check("b_criterion_gap", "agg_criterion_gap", true,
          List.of("school_year", "province_code", "area_type", "area_code", "former_district_code", "school_level", "indicator_set", "criterion_id")),
      new Check("b_level_trend", "agg_level_trend", false, List.of("grouping", "group_code", "school_level", "indicator_set", "scope", "school_year")));

  /** Seconds per stage, and per checked table the rows on each side and the rows that differ. */
  public record Result(Map<String, Double> stageSeconds, Map<String, long[]> checks) {
    public boolean identical() {
      return checks.values().stream().allMatch(c -> c[0] == c[1] && c[2] == 0);
    }
  }

  private DuckDbBaseline() {}

  public static Result run(Path lake, Path out, Catalogs catalogs) throws IOException, SQLException {
    Files.createDirectories(out);
    Map<String, Double> seconds = new LinkedHashMap<>();
    Map<String, long[]> checks = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      // which sets apply to which school level is catalog data, not a lake table: it comes from the same files
      st.execute("CREATE TEMP TABLE set_applies_to (set_id VARCHAR, school_level VARCHAR)");
      for (IndicatorSet s : catalogs.sets())
        for (String level : s.appliesTo()) st.execute("INSERT INTO set_applies_to VALUES ('" + s.id() + "', '" + level + "')");
      for (Map.Entry<String, List<String>> stage : stages().entrySet()) {
        long start = System.nanoTime();
        for (String sql : stage.getValue())
          st.execute(sql.replace("${lake}", sqlPath(lake)).replace("${out}", sqlPath(out)));
        seconds.put(stage.getKey(), (System.nanoTime() - start) / 1e9);
      }
      for (Check check : CHECKS) checks.put(check.lakeTable(), compare(st, lake, check));
    }
    return new Result(seconds, checks);
  }

  private static String sqlPath(Path p) {
    return p.toAbsolutePath().toString().replace("'", "''");
  }

  /** The SQL file's statements by stage, in order. */
  static Map<String, List<String>> stages() throws IOException {
    String text;
    try (InputStream in = DuckDbBaseline.class.getResourceAsStream("/bench/duckdb-baseline.sql")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, List<String>> stages = new LinkedHashMap<>();
    String current = null;
    StringBuilder statement = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.startsWith("-- stage: ")) {
        current = line.substring("-- stage: ".length()).trim();
        stages.put(current, new ArrayList<>());
        continue;
      }
      if (line.startsWith("--") || current == null) continue;
      statement.append(line).append('\n');
      if (line.trim().endsWith(";")) {
        stages.get(current).add(statement.toString().trim().replaceAll(";$", ""));
        statement.setLength(0);
      }
    }
    return stages;
  }

  /**
   * {baseline rows, Spark rows, rows that differ}: a full join on the keys; a row differs when it is missing on one
   * side or any other column differs, numbers by more than one unit of their last decimal (Spark rounds decimals half
   * up, DuckDB doubles half away from zero, so a value exactly on a half can land one unit apart).
   */
  static long[] compare(Statement st, Path lake, Check check) throws SQLException {
    String source = check.partitioned()
        ? "read_parquet('" + sqlPath(lake.resolve(check.lakeTable())) + "/school_year=*/*.parquet', hive_partitioning = true, hive_types = {'school_year': VARCHAR})"
        : "read_parquet('" + sqlPath(lake.resolve(check.lakeTable())) + "/*.parquet')";
    st.execute("CREATE OR REPLACE TEMP TABLE spark_side AS SELECT * FROM " + source);
    List<String[]> columns = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '" + check.baselineTable() + "'")) {
      while (rs.next()) columns.add(new String[] {rs.getString(1), rs.getString(2)});
    }
    StringBuilder on = new StringBuilder("TRUE"), differs = new StringBuilder("s." + check.keys().get(0) + " IS NULL AND b." + check.keys().get(0) + " IS NOT NULL");
    differs.append(" OR b.").append(check.keys().get(0)).append(" IS NULL AND s.").append(check.keys().get(0)).append(" IS NOT NULL");
    for (String k : check.keys()) on.append(" AND b.").append(k).append(" IS NOT DISTINCT FROM s.").append(k);
    for (String[] col : columns) {
      String name = col[0];
      if (check.keys().contains(name)) continue;
      boolean number = col[1].startsWith("DOUBLE") || col[1].startsWith("DECIMAL") || col[1].equals("FLOAT");
      differs.append(" OR ").append(number
          ? "coalesce(abs(b." + name + "::DOUBLE - s." + name + "::DOUBLE) > " + (name.contains("mean_points") ? "0.0101" : "0.000101")
              + ", b." + name + " IS DISTINCT FROM s." + name + ")"
          : "b." + name + " IS DISTINCT FROM s." + name);
    }
    try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM " + check.baselineTable() + "), (SELECT count(*) FROM spark_side), "
        + "(SELECT count(*) FROM " + check.baselineTable() + " b FULL JOIN spark_side s ON " + on + " WHERE " + differs + ")")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    }
  }

  /** Runs the baseline against the sample's lake, for a quick look: {@code DuckDbBaseline LAKE OUT CATALOGS}. */
  public static void main(String[] args) throws Exception {
    Result r = run(Path.of(args[0]), Path.of(args[1]), Catalogs.load(Path.of(args[2])));
    System.out.println(r.stageSeconds());
    r.checks().forEach((k, v) -> System.out.println(k + " " + java.util.Arrays.toString(v)));
  }
}
