package vn.cds.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import vn.cds.catalog.Catalogs;
import vn.cds.generate.ReferenceWorkload;
import vn.cds.generate.SampleGenerator;

/**
 * {@code cds bench}: generates each dataset once, runs {@code cds run} on it in a fresh JVM (so memory and JIT start
 * cold, as in production), reads the run's own stage timings, runs the DuckDB-only baseline over the lake it wrote
 * and checks the two agree, times the dashboards' views on the mart, and optionally adds one school year to a lake
 * holding the others (one dataset). Results: {@code results.json} and {@code results.md} in the output folder.
 */
public final class Benchmark {
  /** A dataset: the province sample at a scale, or the national profile. */
  record Dataset(String name, SampleGenerator.Profile profile, int scale) {}

  private final Path home, out;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The national reference workload: 53,000 units in 62 provinces of 10 districts, three school years. */
  static final String REFERENCE = "reference";
  static final int REFERENCE_UNITS = 53_000;
  static final int[] REFERENCE_DISTRICTS = java.util.stream.IntStream.generate(() -> 10).limit(62).toArray();

  public Benchmark(Path home, Path out) {
    this.home = home.toAbsolutePath();
    this.out = out.toAbsolutePath();
  }

  public static Dataset dataset(String name) {
    return switch (name) {
      case "national", REFERENCE -> new Dataset(name, SampleGenerator.Profile.NATIONAL, 1);
      case "province" -> new Dataset(name, SampleGenerator.Profile.PROVINCE, 1);
      default -> {
        if (!name.matches("province-[0-9]+x"))
          throw new IllegalArgumentException("unknown dataset " + name + " (province, province-Nx, national, " + REFERENCE + ")");
        yield new Dataset(name, SampleGenerator.Profile.PROVINCE, Integer.parseInt(name.replaceAll("[^0-9]", "")));
      }
    };
  }

  public Map<String, Object> run(List<String> names, String incremental) throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", machine());
    Catalogs catalogs = Catalogs.load(home.resolve("schemas/indicator-sets"));
    for (String name : names) {
      Dataset d = dataset(name);
      Map<String, Object> r = new LinkedHashMap<>();
      Path data = out.resolve("data").resolve(name);
      if (!Files.exists(data.resolve("units.csv"))) {
        System.out.println("▸ generating " + name + " …");
        if (name.equals(REFERENCE)) ReferenceWorkload.write(data, catalogs, REFERENCE_UNITS, REFERENCE_DISTRICTS, 1);
        else new SampleGenerator(2025, d.scale(), d.profile(), catalogs).write(data);
      }
      r.put("export_bytes", size(data.resolve("exports")));
      Path runOut = out.resolve("runs").resolve(name);
      System.out.println("▸ cds run on " + name + " …");
      JsonNode spark = cdsRun(data, runOut, out.resolve("runs").resolve(name + ".timings.json"));
      r.put("spark", spark);
      System.out.println("▸ DuckDB baseline on " + name + " …");
      DuckDbBaseline.Result baseline = DuckDbBaseline.run(runOut.resolve("lake"), out.resolve("baseline").resolve(name), catalogs);
      r.put("duckdb_seconds", baseline.stageSeconds());
      Map<String, Object> checks = new LinkedHashMap<>();
      baseline.checks().forEach((table, c) -> checks.put(table, Map.of("duckdb_rows", c[0], "spark_rows", c[1], "rows_differing", c[2])));
      r.put("duckdb_equals_spark", checks);
      System.out.println("▸ dashboard view latency on " + name + " …");
      r.put("view_latency_ms", viewLatency(runOut.resolve("mart/cds.duckdb")));
      r.put("offline_pages", offlinePages(runOut.resolve("dashboards")));
      if (name.equals(incremental)) {
        System.out.println("▸ adding the last school year to a lake of the others, " + name + " …");
        r.put("incremental", addOneYear(data, spark));
      }
      results.put(name, r);
      Files.createDirectories(out);
      json.writeValue(out.resolve("results.json").toFile(), results);
    }
    Files.writeString(out.resolve("results.md"), BenchmarkReport.markdown(results), StandardCharsets.UTF_8);
    return results;
  }

  /**
   * {@code cds run} in a child JVM started by the launcher, so that it gets the JVM options a user's run of that input
   * would (the JIT follows the input's size); its --timings file is the measurement.
   */
  private JsonNode cdsRun(Path input, Path runOut, Path timings) throws Exception {
    List<String> cmd = List.of(home.resolve("cds").toString(), "run", "--input", input.toString(), "--out", runOut.toString(),
        "--timings", timings.toString());
    Files.createDirectories(runOut);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(runOut.resolveSibling(runOut.getFileName() + ".log").toFile());
    pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("cds run did not finish in an hour: " + input);
    }
    if (p.exitValue() != 0) throw new IllegalStateException("cds run failed (exit " + p.exitValue() + "), see " + runOut + ".log");
    return json.readTree(timings.toFile());
  }

  /**
   * Each dashboard dataset's view, queried the two ways its charts do: a page of the latest year's rows, sorted (a
   * table chart; 1,000 rows) and a count per year (time series). One warm-up, then the median and maximum of five, on a read-only connection.
   */
  private Map<String, Object> viewLatency(Path mart) throws Exception {
    Map<String, Object> views = new LinkedHashMap<>();
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    List<String> names;
    try (Stream<Path> files = Files.list(home.resolve("dashboards/superset/datasets/cds_mart"))) {
      names = files.map(f -> f.getFileName().toString().replace(".yaml", "")).sorted().toList();
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + mart, readOnly); Statement st = c.createStatement()) {
      String latest;
      try (ResultSet rs = st.executeQuery("SELECT max(school_year) FROM v_level_distribution")) {
        rs.next();
        latest = rs.getString(1);
      }
      for (String view : names) {
        boolean hasYear;
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_name = '" + view + "' AND column_name = 'school_year'")) {
          rs.next();
          hasYear = rs.getLong(1) > 0;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        // a table chart's page: Superset's tables fetch a row limit, sorted
        m.put("latest_year_rows", time(st, "SELECT * FROM " + view + (hasYear ? " WHERE school_year = '" + latest + "'" : "") + " ORDER BY 1 LIMIT 1000"));
        if (hasYear) m.put("count_per_year", time(st, "SELECT school_year, count(*) FROM " + view + " GROUP BY school_year ORDER BY school_year"));
        views.put(view, m);
      }
    }
    return views;
  }

  private static Map<String, Object> time(Statement st, String sql) throws Exception {
    double[] ms = new double[6];
    long rows = 0;
    for (int i = 0; i < ms.length; i++) {
      long start = System.nanoTime();
      rows = 0;
      try (ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int k = 1; k <= n; k++) rs.getObject(k);
          rows++;
        }
      }
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    double[] timed = Arrays.copyOfRange(ms, 1, ms.length); // the first is the warm-up
    Arrays.sort(timed);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    m.put("median_ms", Math.round(timed[timed.length / 2] * 10) / 10.0);
    m.put("max_ms", Math.round(timed[timed.length - 1] * 10) / 10.0);
    return m;
  }

  /**
   * A lake with every year but the last, then a run with only the last year's exports into it: the run computes that
   * year, and the trends over the whole history read back from the lake. Compared with the full run's time.
   */
  private Map<String, Object> addOneYear(Path data, JsonNode full) throws Exception {
    List<String> years;
    try (Stream<Path> s = Files.list(data.resolve("exports"))) {
      years = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
    String last = years.get(years.size() - 1);
    Path before = out.resolve("incremental/input-before"), after = out.resolve("incremental/input-last"), lake = out.resolve("incremental/out");
    for (Path in : List.of(before, after)) {
      deleteTree(in);
      Files.createDirectories(in.resolve("exports"));
      for (String f : List.of("units.csv", "areas.csv", "deadlines.csv", "criterion_costs.csv"))
        if (Files.exists(data.resolve(f))) Files.createSymbolicLink(in.resolve(f), data.resolve(f).toAbsolutePath());
    }
    for (String y : years)
      Files.createSymbolicLink((y.equals(last) ? after : before).resolve("exports").resolve(y), data.resolve("exports").resolve(y).toAbsolutePath());
    deleteTree(lake);
    JsonNode first = cdsRun(before, lake, out.resolve("incremental/before.timings.json"));
    JsonNode added = cdsRun(after, lake, out.resolve("incremental/last.timings.json"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("year_added", last);
    m.put("lake_before_seconds", first.get("total_seconds").asDouble());
    m.put("add_one_year", added);
    m.put("full_run_seconds", full.get("total_seconds").asDouble());
    return m;
  }

  /** The offline pages a run wrote: how many, the first (national, or the only) page's bytes, the largest province page's. */
  static Map<String, Object> offlinePages(Path dashboards) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Path> pages;
    try (Stream<Path> files = Files.list(dashboards)) {
      pages = files.filter(p -> p.getFileName().toString().endsWith(".html")).sorted().toList();
    }
    long largestProvince = 0, total = 0;
    for (Path p : pages) {
      total += Files.size(p);
      if (p.getFileName().toString().startsWith("tinh-")) largestProvince = Math.max(largestProvince, Files.size(p));
    }
    m.put("pages", pages.size());
    m.put("first_page_bytes", Files.exists(dashboards.resolve("index.html")) ? Files.size(dashboards.resolve("index.html")) : -1);
    m.put("largest_province_page_bytes", largestProvince);
    m.put("all_pages_bytes", total);
    return m;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("java_options", System.getenv().getOrDefault("CDS_JAVA_OPTS", "the launcher's, by input size (each run's are in its results)"));
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo")))
        if (line.startsWith("MemTotal:")) m.put("memory_bytes", Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
        if (line.startsWith("model name")) {
          m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
          break;
        }
    } catch (IOException | RuntimeException e) {
      m.put("memory_bytes", -1);
    }
    m.put("measured_at", java.time.Instant.now().toString());
    m.put("locale", Locale.getDefault().toString());
    return m;
  }
}
