package vn.cds.mart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Loads the DuckDB mart from the Parquet lake. The file is built under a temporary name beside the target and renamed
 * into place atomically, so a reader (Superset) never sees a half-built mart and a crash leaves the old one intact.
 * Tables are ordered by their keys, so that two runs on the same inputs store the same rows in the same order; the
 * criterion scores, the largest table and one no view reads, are the exception.
 */
public final class MartBuilder {
  public static final String MART_FILE = "cds.duckdb";

  /** The files under exports/: found = read (gave rows) + refused (gave none, with a reason) + skipped (the OS's litter). */
  public record FileCounts(long found, long read, long refused, long skipped) {
    public boolean reconciled() {
      return found == read + refused + skipped;
    }
  }

  /** What the run knows about itself, recorded in _mart_metadata. */
  public record RunInfo(String runId, Instant startedAt, String inputDir, String catalogsDir, String sparkVersion, long rowsRead,
      long accepted, long rejected, long superseded, FileCounts files, List<String> provisionalSets) {
    public boolean rowsReconciled() {
      return rowsRead == accepted + rejected + superseded;
    }

    public boolean reconciled() {
      return rowsReconciled() && files.reconciled();
    }
  }

  private final Path lakeDir;
  private final Path martDir;
  /** What the last build read of published_figures.csv, for the run's reconciliation line. */
  private vn.cds.ingest.PublishedFigures.Read publishedFigures = new vn.cds.ingest.PublishedFigures.Read(0, List.of(), List.of());

  public MartBuilder(Path lakeDir, Path martDir) {
    this.lakeDir = lakeDir.toAbsolutePath();
    this.martDir = martDir.toAbsolutePath();
  }

  /**
   * The area a chart groups by (code, name), so that no axis lists every commune after the 2025 reform: the former
   * district (the district itself before 2025-2026, the commune's former district from then on: tens of bars, not
   * ~130), or the area itself for a row above district level (the Sở's). Formatted with the aliases of the row, of the
   * former district's names and of the area's names.
   */
  static final String AREA_GROUP = "coalesce(%1$s.former_district_code, %1$s.area_code) AS area_group_code, "
      + "coalesce(%2$s.area_name, %3$s.area_name) AS area_group_name";

  /** DuckDB's memory while it builds the mart (the Spark JVM is still alive beside it). */
  static final String MEMORY_LIMIT = "512MB";

  static void execute(Statement st, String sql) throws SQLException {
    long start = System.nanoTime();
    st.execute(sql);
    if (vn.cds.util.Profile.ENABLED) {
      String oneLine = sql.replaceAll("\\s+", " ");
      vn.cds.util.Profile.done("mart " + oneLine.substring(0, Math.min(70, oneLine.length())), start);
    }
  }

  public Path martFile() {
    return martDir.resolve(MART_FILE);
  }

  public vn.cds.ingest.PublishedFigures.Read publishedFigures() {
    return publishedFigures;
  }

  /** Builds the whole mart; returns the final path. {@code groupIds} are every group of every catalog, in order. */
  public Path build(RunInfo run, List<String> groupIds) throws SQLException, IOException {
    Files.createDirectories(martDir);
    removeLeftovers();
    Path tmp = martDir.resolve("." + MART_FILE + "." + run.runId() + ".tmp");
    Files.deleteIfExists(tmp);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp); Statement st = c.createStatement()) {
      execute(st, "SET threads TO 2");
      // DuckDB takes up to 80 % of the machine by default, on top of the JVM's heap: 6.8 GB at national scale. With a
      // cap it sorts the big fact tables through its temp files instead. The national mart alone, measured: 1GB 18.4 s
      // and 1.26 GB peak, 768MB 16.7 s and 0.95 GB, 512MB 17.6 s and 0.78 GB.
      execute(st, "SET memory_limit = '" + MEMORY_LIMIT + "'");
      loadTables(st);
      loadReasons(c);
      createViews(st, groupIds);
      publishedFigures = PublishedFiguresMart.load(c, st, run.inputDir());
      writeMetadata(c, st, run);
      execute(st, "CHECKPOINT");
    } catch (SQLException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Path target = martFile();
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /**
   * Temporary marts of runs that were killed before their rename. Only a run holding the output folder's lock
   * (OutputLock) gets here, so none of them belongs to a live run: a second run once deleted the first's.
   */
  private void removeLeftovers() throws IOException {
    try (var files = Files.list(martDir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().matches("\\." + java.util.regex.Pattern.quote(MART_FILE) + "\\..*\\.tmp(\\.wal)?")).toList())
        Files.deleteIfExists(p);
    }
  }

  private String parquet(String table, boolean partitioned) {
    // named partition folders only: a run killed mid-write leaves Spark's hidden staging folders, which must not be read
    String glob = lakeDir.resolve(table) + (partitioned ? "/school_year=*/*.parquet" : "/*.parquet");
    return "read_parquet('" + glob.replace("'", "''") + "'"
        + (partitioned ? ", hive_partitioning = true, hive_types = {'school_year': VARCHAR}" : "") + ")";
  }

  private static final String NULL_PARTITION = "'__HIVE_DEFAULT_PARTITION__'";

  private void loadTables(Statement st) throws SQLException {
    execute(st, "CREATE TABLE dim_unit AS SELECT * FROM " + parquet("dim_unit", false) + " ORDER BY unit_code, valid_from");
    execute(st, "CREATE TABLE dim_area AS SELECT * FROM " + parquet("dim_area", false) + " ORDER BY area_type, area_code");
    execute(st, "CREATE TABLE dim_indicator_set AS SELECT * FROM " + parquet("dim_indicator_set", false) + " ORDER BY set_id");
    execute(st, "CREATE TABLE dim_group AS SELECT * FROM " + parquet("dim_group", false) + " ORDER BY set_id, group_order");
    execute(st, "CREATE TABLE dim_criterion AS SELECT * FROM " + parquet("dim_criterion", false) + " ORDER BY set_id, criterion_order");
    execute(st, "CREATE TABLE dim_level_band AS SELECT * FROM " + parquet("dim_level_band", false) + " ORDER BY set_id, scope, level");
    execute(st, "CREATE TABLE dim_level AS SELECT level, 'Mức ' || level AS level_label, any_value(level_name ORDER BY set_id) AS level_name, "
        + "CASE level WHEN 1 THEN '#d9534f' WHEN 2 THEN '#f0ad4e' ELSE '#3c9a5f' END AS color "
        + "FROM dim_level_band WHERE scope = 'level_rule' GROUP BY level ORDER BY level");
    // Vietnamese names of the school levels, in the order reports and dashboards list them.
    execute(st, "CREATE TABLE dim_school_level AS SELECT * FROM (VALUES ('MN', 'Mầm non', 1), ('TH', 'Tiểu học', 2), "
        + "('TH-THCS', 'Liên cấp TH-THCS', 3), ('THCS', 'Trung học cơ sở', 4), ('THCS-THPT', 'Liên cấp THCS-THPT', 5), "
        + "('TH-THCS-THPT', 'Liên cấp TH-THCS-THPT', 6), ('THPT', 'Trung học phổ thông', 7), ('GDTX', 'Giáo dục thường xuyên', 8), "
        + "('PHONG', 'Phòng GDĐT', 9), ('SO', 'Sở GDĐT', 10)) t(school_level, school_level_name, sort_order)");
    execute(st, "CREATE TABLE dim_deadline AS SELECT * FROM " + parquet("deadline", false) + " ORDER BY school_year, province_code, stage");
    execute(st, "CREATE TABLE fact_assessment AS SELECT * EXCLUDE (school_year), NULLIF(school_year, " + NULL_PARTITION + ") AS school_year FROM "
        + parquet("group_result", true) + " ORDER BY school_year, stage, unit_code, row_key, group_order");
    // Not sorted: no view reads this table, and sorting its 7.8 million national rows took 12.5-13 s against 7.3 s. The
    // lake's files are read in path order, so the rows still come grouped by school year.
    // The criterion's derivation and catalog order come from dim_criterion (the lake keeps them once, not per row).
    execute(st, "CREATE TABLE fact_criterion_score AS SELECT c.set_id, c.criterion_id, c.row_key, c.unit_code, c.stage, c.group_id, c.max_points, "
        + "c.mandatory, d.derived_metric, d.derived_level, c.points, c.passed, c.reported, d.criterion_order, "
        + "NULLIF(c.school_year, " + NULL_PARTITION + ") AS school_year FROM " + parquet("criterion_score", true) + " c "
        + "LEFT JOIN dim_criterion d ON d.set_id = c.set_id AND d.criterion_id = c.criterion_id");
    // the exports' issues and the submissions' (submissions.csv), one table of rejects
    execute(st, "CREATE TABLE fact_reject AS SELECT * FROM (SELECT * EXCLUDE (school_year), NULLIF(school_year, " + NULL_PARTITION + ") AS school_year FROM "
        + parquet("issue", true) + " UNION ALL BY NAME SELECT * FROM " + parquet("submission_issue", false)
        + ") ORDER BY source_file, row_number NULLS FIRST, column_ref NULLS FIRST, reason_code");
    loadDocumentTables(st);
    execute(st, "CREATE TABLE agg_level_distribution AS SELECT * FROM " + parquet("agg_level_distribution", true)
        + " ORDER BY school_year, province_code, area_code, school_level, ownership, indicator_set, scope");
    execute(st, "CREATE TABLE agg_criterion_gap AS SELECT * FROM " + parquet("agg_criterion_gap", true)
        + " ORDER BY school_year, area_code, school_level, indicator_set, criterion_id");
    execute(st, "CREATE TABLE agg_self_vs_external AS SELECT * FROM " + parquet("agg_self_vs_external", true)
        + " ORDER BY school_year, unit_code, scope");
    execute(st, "CREATE TABLE agg_unit_coverage AS SELECT * FROM " + parquet("agg_unit_coverage", true) + " ORDER BY school_year, unit_code");
    execute(st, "CREATE TABLE agg_coverage AS SELECT * FROM " + parquet("agg_coverage", true)
        + " ORDER BY school_year, province_code, area_code, school_level, indicator_set");
    execute(st, "CREATE TABLE agg_funding_priority AS SELECT * FROM " + parquet("agg_funding_priority", true)
        + " ORDER BY school_year, area_code, school_level, indicator_set, criterion_id");
    execute(st, "CREATE TABLE agg_unit_next_level AS SELECT * FROM " + parquet("agg_unit_next_level", true)
        + " ORDER BY school_year, unit_code, row_key");
    execute(st, "CREATE TABLE agg_unit_next_level_step AS SELECT * FROM " + parquet("agg_unit_next_level_step", true)
        + " ORDER BY school_year, unit_code, row_key, pool_order, step_order, criterion_id");
    execute(st, "CREATE TABLE dim_criterion_cost AS SELECT * FROM " + parquet("dim_criterion_cost", false) + " ORDER BY indicator_set, criterion_id");
    execute(st, "CREATE TABLE agg_level_trend AS SELECT * FROM " + parquet("agg_level_trend", false)
        + " ORDER BY school_year, grouping, group_code, school_level, indicator_set, scope");
    execute(st, "CREATE TABLE agg_level_transition AS SELECT * FROM " + parquet("agg_level_transition", false)
        + " ORDER BY school_year, grouping, group_code, school_level, indicator_set, level_from, level_to");
    loadInspectionSample(st, "CREATE TABLE");
    execute(st, "CREATE TABLE fact_ingest_file AS SELECT * EXCLUDE (school_year), NULLIF(school_year, " + NULL_PARTITION + ") AS school_year FROM "
        + parquet("ingest_file", true) + " ORDER BY source_file, school_year");
    // Helpers the views join on equality. A range join on the registry's validity took 0.5 to 7 s per dashboard query
    // on the national mart; with these every view answers in tens of milliseconds.
    execute(st, "CREATE TABLE dim_unit_year AS\n"
        + "SELECT y.school_year, u.unit_code, arg_max(u.unit_name, u.valid_from) AS unit_name,\n"
        + "  arg_max(u.managing_unit_code, u.valid_from) AS managing_unit_code\n"
        + "FROM dim_unit u JOIN (SELECT school_year FROM agg_unit_coverage UNION SELECT school_year FROM fact_assessment\n"
        + "  UNION SELECT school_year FROM agg_unit_document) y\n"
        + "  ON u.valid_from <= y.school_year AND (u.valid_to IS NULL OR y.school_year <= u.valid_to)\n"
        + "GROUP BY ALL ORDER BY school_year, unit_code");
    execute(st, "CREATE TABLE agg_unit_next_level_cost AS\n"
        + "SELECT x.school_year, x.row_key, sum(c.cost_vnd_per_unit) AS plan_cost_vnd, count(c.cost_vnd_per_unit)::INTEGER AS costed,\n"
        + "  bool_or(c.illustrative) AS cost_is_illustrative\n"
        + "FROM agg_unit_next_level_step x\n"
        + "LEFT JOIN dim_criterion_cost c ON c.indicator_set = x.set_id AND c.criterion_id = x.criterion_id\n"
        + "WHERE x.step_kind = 'raise_points' GROUP BY x.school_year, x.row_key ORDER BY x.school_year, x.row_key");
  }

  /** The yearly cycle's documents: the rules, the Sở's deadlines, the submissions as read and each unit's required documents. */
  private void loadDocumentTables(Statement st) throws SQLException {
    execute(st, "CREATE TABLE dim_document AS SELECT * FROM " + parquet("dim_document", false) + " ORDER BY document_order");
    execute(st, "CREATE TABLE dim_document_requirement AS SELECT * FROM " + parquet("dim_document_requirement", false)
        + " ORDER BY document, era, school_level");
    execute(st, "CREATE TABLE dim_document_deadline AS SELECT * FROM " + parquet("document_deadline", false)
        + " ORDER BY school_year, province_code, document, school_level NULLS FIRST");
    execute(st, "CREATE TABLE fact_submission AS SELECT * FROM " + parquet("submission", false) + " ORDER BY source_file, row_number");
    execute(st, "CREATE TABLE agg_unit_document AS SELECT * FROM " + parquet("agg_unit_document", false) + " ORDER BY school_year, unit_code, document");
  }

  private void loadInspectionSample(Statement st, String create) throws SQLException {
    execute(st, create + " inspection_sample AS SELECT * FROM " + parquet("inspection_sample", true)
        + " ORDER BY school_year, managing_unit_code, pick_rank");
  }

  /**
   * Replaces the inspection samples in the existing mart with the lake's (after cds inspect-sample): a copy is changed
   * and renamed into place, so readers keep seeing the old file until the new one is complete.
   */
  public Path refreshInspectionSample(String runId) throws SQLException, IOException {
    Path target = martFile();
    Path tmp = martDir.resolve("." + MART_FILE + "." + runId + ".tmp");
    Files.copy(target, tmp, StandardCopyOption.REPLACE_EXISTING);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp); Statement st = c.createStatement()) {
      loadInspectionSample(st, "CREATE OR REPLACE TABLE");
      storeRows(st, "v_inspection_sample", INSPECTION_SAMPLE_ROWS, "CREATE OR REPLACE TABLE");
      execute(st, "CHECKPOINT");
    } catch (SQLException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /** Reason codes with their Vietnamese label and English gloss, from the one list the readers use. */
  private static void loadReasons(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      execute(st, "CREATE TABLE dim_reason (reason_code VARCHAR, label_vi VARCHAR, label_en VARCHAR, keeps_row BOOLEAN)");
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dim_reason VALUES (?, ?, ?, ?)")) {
      for (vn.cds.ingest.Reasons r : vn.cds.ingest.Reasons.values()) {
        ps.setString(1, r.code());
        ps.setString(2, r.vietnamese());
        ps.setString(3, r.english());
        ps.setBoolean(4, r.flagOnly());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Each area's name (the earliest of its names): what the views join areas on. */
  private static final String AREA_NAMES = "(SELECT area_code, any_value(area_name ORDER BY valid_from) AS area_name FROM dim_area GROUP BY area_code)";

  /** Each unit's name that school year, for a view whose rows are {@code n}: an equality join, not a range join. */
  private static final String UNIT_NAMES = "dim_unit_year u ON u.unit_code = n.unit_code AND u.school_year = n.school_year";

  /**
   * The inspection samples with names: the managing body is a Phòng or the Sở (a unit) or, after the 2025 reform, a
   * commune (an area). Stored at build, and again when cds inspect-sample replaces a year's sample.
   */
  private static final String INSPECTION_SAMPLE_ROWS = "SELECT n.school_year, n.managing_unit_code, coalesce(m.unit_name, ma.area_name) AS managing_unit_name, n.pick_rank, n.unit_code,\n"
      + "  u.unit_name, n.province_code, n.area_type, n.area_code, a.area_name, n.former_district_code, n.school_level, n.indicator_set,\n"
      + "  n.self_points, n.self_level, n.previous_points, n.previous_level, n.risk_score, n.past_gap, n.large_jump, n.near_threshold,\n"
      + "  n.never_inspected, n.reason_codes, n.reason, n.stratum_units, n.managing_units, n.managing_quota, n.share, n.seed, n.source\n"
      + "FROM inspection_sample n\n"
      + "LEFT JOIN " + UNIT_NAMES + "\n"
      + "LEFT JOIN dim_unit_year m ON m.unit_code = n.managing_unit_code AND m.school_year = n.school_year\n"
      + "LEFT JOIN " + AREA_NAMES + " ma ON ma.area_code = n.managing_unit_code\n"
      + "LEFT JOIN " + AREA_NAMES + " a ON a.area_code = n.area_code";

  private void createViews(Statement st, List<String> groupIds) throws SQLException {
    String pivots = groupIds.stream().map(g -> {
      String lower = g.toLowerCase(Locale.ROOT);
      return "max(points) FILTER (WHERE group_id = '" + g + "') AS " + lower + "_points, "
          + "max(level) FILTER (WHERE group_id = '" + g + "') AS " + lower + "_level";
    }).collect(Collectors.joining(",\n  "));
    stored(st, "v_unit_result",
        "SELECT unit_code, any_value(registry_unit_name) AS unit_name, school_year, any_value(school_level) AS school_level,\n"
        + "  any_value(ownership) AS ownership, any_value(province_code) AS province_code, any_value(district_code) AS district_code,\n"
        + "  any_value(commune_code) AS commune_code, any_value(set_id) AS indicator_set, any_value(stage) AS stage,\n  " + pivots + ",\n"
        + "  any_value(total_points) AS total_points, any_value(overall_level) AS overall_level, any_value(provisional) AS provisional\n"
        + "FROM fact_assessment WHERE is_official GROUP BY unit_code, school_year");
    // Issues by school year, area (as of that year), file and reason: what the Sở follows up with its units.
    execute(st, "CREATE VIEW v_data_quality AS\n"
        + "SELECT r.school_year, u.province_code, coalesce(u.district_code, u.commune_code, u.province_code) AS area_code,\n"
        + "  CASE WHEN u.district_code IS NOT NULL THEN 'district' WHEN u.commune_code IS NOT NULL THEN 'commune' WHEN u.province_code IS NOT NULL THEN 'province' END AS area_type,\n"
        + "  a.area_name, r.source_file, r.reason_code, d.label_vi AS reason_label, r.severity,\n"
        + "  count(*) AS issues, count(DISTINCT r.row_number) AS rows_affected\n"
        + "FROM fact_reject r\n"
        + "LEFT JOIN dim_unit u ON u.unit_code = r.unit_code AND u.valid_from <= r.school_year AND (u.valid_to IS NULL OR r.school_year <= u.valid_to)\n"
        + "LEFT JOIN (SELECT area_code, any_value(area_name) AS area_name FROM dim_area GROUP BY area_code) a\n"
        + "  ON a.area_code = coalesce(u.district_code, u.commune_code, u.province_code)\n"
        + "LEFT JOIN dim_reason d ON d.reason_code = r.reason_code\n"
        + "GROUP BY ALL");
    execute(st, "CREATE VIEW v_level_distribution AS\n"
        + "SELECT d.school_year, d.province_code, p.area_name AS province_name, d.area_type, d.area_code, a.area_name,\n"
        + "  d.former_district_code, f.area_name AS former_district_name, " + AREA_GROUP.formatted("d", "f", "a") + ",\n"
        + "  d.school_level, d.ownership, d.indicator_set, d.scope,\n"
        + "  d.registered, d.assessed, d.not_assessed, d.level_1, d.level_2, d.level_3, d.share_level_2_plus, d.share_level_3,\n"
        + "  s.provisional\n"
        + "FROM agg_level_distribution d\n"
        + "LEFT JOIN " + AREA_NAMES + " a ON a.area_code = d.area_code\n"
        + "LEFT JOIN " + AREA_NAMES + " p ON p.area_code = d.province_code\n"
        + "LEFT JOIN " + AREA_NAMES + " f ON f.area_code = d.former_district_code\n"
        + "LEFT JOIN dim_indicator_set s ON s.set_id = d.indicator_set");
    stored(st, "v_criterion_gap",
        "SELECT g.school_year, g.province_code, p.area_name AS province_name, g.area_type, g.area_code, a.area_name, g.former_district_code,\n"
        + "  f.area_name AS former_district_name,\n"
        + "  g.school_level, g.indicator_set, g.group_id, g.criterion_id, c.criterion_name, c.status AS criterion_status, g.max_points,\n"
        + "  g.units, g.units_reported, g.mean_attainment, g.mean_points, g.gap_to_max, g.share_full, g.share_zero, g.share_not_reported,\n"
        + "  g.weakness_rank\n"
        + "FROM agg_criterion_gap g\n"
        + "LEFT JOIN dim_criterion c ON c.set_id = g.indicator_set AND c.criterion_id = g.criterion_id\n"
        + "LEFT JOIN " + AREA_NAMES + " a ON a.area_code = g.area_code\n"
        + "LEFT JOIN " + AREA_NAMES + " p ON p.area_code = g.province_code\n"
        + "LEFT JOIN " + AREA_NAMES + " f ON f.area_code = g.former_district_code");
    execute(st, "CREATE VIEW v_self_vs_external AS\n"
        + "SELECT x.school_year, x.unit_code, u.unit_name, x.province_code, x.area_type, x.area_code, a.area_name, x.former_district_code,\n"
        + "  x.school_level, x.indicator_set, x.scope, x.self_points, x.external_points, x.points_diff, x.self_level, x.external_level,\n"
        + "  x.claims_higher_level, x.exceeds_gap, x.gap_threshold\n"
        + "FROM agg_self_vs_external x\n"
        + "LEFT JOIN (SELECT unit_code, any_value(unit_name ORDER BY valid_from DESC) AS unit_name FROM dim_unit GROUP BY unit_code) u USING (unit_code)\n"
        + "LEFT JOIN " + AREA_NAMES + " a ON a.area_code = x.area_code");
    stored(st, "v_self_vs_external_area",
        "SELECT x.school_year, x.province_code, x.area_type, x.area_code, x.area_name, x.former_district_code,\n"
        + "  " + AREA_GROUP.formatted("x", "f", "x") + ", x.school_level, x.indicator_set, x.scope,\n"
        + "  count(*)::INTEGER AS units_compared, round(avg(x.points_diff), 2) AS mean_points_diff,\n"
        + "  count(*) FILTER (WHERE x.claims_higher_level)::INTEGER AS units_claiming_higher_level,\n"
        + "  count(*) FILTER (WHERE x.exceeds_gap)::INTEGER AS units_exceeding_gap\n"
        + "FROM v_self_vs_external x LEFT JOIN " + AREA_NAMES + " f ON f.area_code = x.former_district_code GROUP BY ALL");
    execute(st, "CREATE VIEW v_coverage AS\n"
        + "SELECT c.school_year, c.province_code, c.area_type, c.area_code, a.area_name, c.former_district_code,\n"
        + "  " + AREA_GROUP.formatted("c", "f", "a") + ", c.school_level, c.indicator_set,\n"
        + "  c.registered, c.self_submitted, c.self_on_time, c.externally_assessed, c.approved,\n"
        + "  c.share_self_submitted, c.share_self_on_time, c.share_externally_assessed, c.share_approved\n"
        + "FROM agg_coverage c LEFT JOIN " + AREA_NAMES + " a ON a.area_code = c.area_code\n"
        + "LEFT JOIN " + AREA_NAMES + " f ON f.area_code = c.former_district_code");
    execute(st, "CREATE VIEW v_missing_submission AS\n"
        + "SELECT c.school_year, c.unit_code, u.unit_name, u.managing_unit_code, c.province_code, c.area_type, c.area_code, a.area_name,\n"
        + "  c.school_level, c.indicator_set, c.missing_reason,\n"
        + "  CASE c.missing_reason WHEN 'draft_or_returned_only' THEN 'Chỉ có bản nháp hoặc bị trả lại'\n"
        + "    WHEN 'rejected_only' THEN 'Chỉ có bản nộp bị loại (lỗi dữ liệu)' ELSE 'Chưa nộp tự đánh giá' END AS missing_reason_label\n"
        + "FROM agg_unit_coverage c\n"
        + "LEFT JOIN dim_unit_year u ON u.unit_code = c.unit_code AND u.school_year = c.school_year\n"
        + "LEFT JOIN " + AREA_NAMES + " a ON a.area_code = c.area_code\n"
        + "WHERE NOT c.self_submitted");
    // Costs are optional: without criterion_costs.csv the cost columns are null, and they say when they are illustrative.
    stored(st, "v_funding_priority",
        "SELECT f.school_year, f.province_code, f.area_type, f.area_code, a.area_name, f.former_district_code, f.school_level, f.indicator_set,\n"
        + "  f.group_id, f.criterion_id, c.criterion_name, f.max_points, f.units, f.units_below_full, f.mean_points_missing,\n"
        + "  f.units_rising_group_level, f.units_rising_overall_level,\n"
        + "  k.cost_vnd_per_unit, f.units_below_full * k.cost_vnd_per_unit AS cost_to_full_vnd,\n"
        + "  CASE WHEN f.units_below_full * k.cost_vnd_per_unit > 0\n"
        + "    THEN round(f.units_rising_overall_level / (f.units_below_full * k.cost_vnd_per_unit / 1e9), 4) END AS units_lifted_per_billion_vnd,\n"
        + "  k.illustrative AS cost_is_illustrative\n"
        + "FROM agg_funding_priority f\n"
        + "LEFT JOIN dim_criterion c ON c.set_id = f.indicator_set AND c.criterion_id = f.criterion_id\n"
        + "LEFT JOIN dim_criterion_cost k ON k.indicator_set = f.indicator_set AND k.criterion_id = f.criterion_id\n"
        + "LEFT JOIN " + AREA_NAMES + " a ON a.area_code = f.area_code");
    execute(st, "CREATE VIEW v_unit_next_level_step AS\n"
        + "SELECT n.school_year, n.unit_code, u.unit_name, n.set_id AS indicator_set, n.overall_level AS current_level, n.target_level,\n"
        + "  n.pool AS group_to_raise, n.pool_order, n.step_order, n.step_kind, n.group_id, n.criterion_id, c.criterion_name,\n"
        + "  n.points AS current_points, n.max_points, n.points_to_add, n.reported, k.cost_vnd_per_unit, k.illustrative AS cost_is_illustrative\n"
        + "FROM agg_unit_next_level_step n\n"
        + "LEFT JOIN " + UNIT_NAMES + "\n"
        + "LEFT JOIN dim_criterion c ON c.set_id = n.set_id AND c.criterion_id = n.criterion_id\n"
        + "LEFT JOIN dim_criterion_cost k ON k.indicator_set = n.set_id AND k.criterion_id = n.criterion_id AND n.step_kind = 'raise_points'");
    // A plan's cost is given only when every criterion it raises has a cost.
    stored(st, "v_unit_next_level",
        "SELECT n.school_year, n.unit_code, u.unit_name, u.managing_unit_code, n.province_code, n.area_type, n.area_code, a.area_name,\n"
        + "  n.former_district_code, n.school_level, n.indicator_set, n.current_level, n.target_level, n.groups_to_raise, n.points_needed,\n"
        + "  n.criteria_to_raise, n.conditions_to_pass, n.reachable, n.plan,\n"
        + "  CASE WHEN coalesce(k.costed, 0) = n.criteria_to_raise AND EXISTS (SELECT 1 FROM dim_criterion_cost)\n"
        + "    THEN coalesce(k.plan_cost_vnd, 0) END AS plan_cost_vnd,\n"
        + "  coalesce(k.cost_is_illustrative, (SELECT bool_or(illustrative) FROM dim_criterion_cost), false) AS cost_is_illustrative, s.provisional\n"
        + "FROM agg_unit_next_level n\n"
        + "LEFT JOIN " + UNIT_NAMES + "\n"
        + "LEFT JOIN " + AREA_NAMES + " a ON a.area_code = n.area_code\n"
        + "LEFT JOIN dim_indicator_set s ON s.set_id = n.indicator_set\n"
        + "LEFT JOIN agg_unit_next_level_cost k ON k.school_year = n.school_year AND k.row_key = n.row_key");
    execute(st, "CREATE VIEW v_level_trend AS\n"
        + "SELECT t.school_year, t.previous_year, t.grouping, t.group_code, g.area_name AS group_name, t.school_level, t.indicator_set, t.scope,\n"
        + "  t.assessed, t.mean_points, t.share_level_2_plus, t.share_level_3,\n"
        + "  t.prev_assessed, t.prev_mean_points, t.prev_share_level_2_plus, t.prev_share_level_3,\n"
        + "  t.change_mean_points, t.change_share_level_2_plus, t.change_share_level_3,\n"
        + "  t.same_units, t.same_mean_points, t.same_prev_mean_points, t.same_change_mean_points,\n"
        + "  t.same_share_level_2_plus, t.same_prev_share_level_2_plus, t.same_change_share_level_2_plus,\n"
        + "  t.same_share_level_3, t.same_prev_share_level_3, t.same_change_share_level_3\n"
        + "FROM agg_level_trend t LEFT JOIN " + AREA_NAMES + " g ON g.area_code = t.group_code");
    execute(st, "CREATE VIEW v_level_transition AS\n"
        + "SELECT t.previous_year, t.school_year, t.grouping, t.group_code, g.area_name AS group_name, t.school_level, t.indicator_set,\n"
        + "  t.level_from, t.level_to, t.units\n"
        + "FROM agg_level_transition t LEFT JOIN " + AREA_NAMES + " g ON g.area_code = t.group_code");
    stored(st, "v_inspection_sample", INSPECTION_SAMPLE_ROWS);
    DocumentViews.create(st, AREA_NAMES);
    execute(st, "CREATE VIEW _mart_input_file AS SELECT source_file, file_format, sha256, bytes, rows_read, rows_accepted, rows_rejected, "
        + "rows_superseded, error_code FROM fact_ingest_file");
    execute(st, "CREATE VIEW _mart_catalog AS SELECT set_id, version, source_file, sha256, provisional, unverified_parts FROM dim_indicator_set");
  }

  /**
   * A view whose rows are computed once, when the mart is built, into the table {@code stored_<view>}, where the view
   * answered near 50 ms on the national mart. The self-vs-external and next-level views took 50-60 ms for a count per
   * year, 1-4 ms stored, for 0.3 s of build time; the criterion-gap and funding-priority pages (joins over ~940,000
   * rows) 33 and 40 ms, 20 and 18 ms stored, for 1.2 s each; the unit-result and inspection-sample pages 41-72 ms
   * (medians) in a slow hour (ninth session). The view keeps its name and columns, so charts and docs are unchanged.
   */
  private static void stored(Statement st, String view, String query) throws SQLException {
    execute(st, "CREATE VIEW " + view + " AS SELECT * FROM " + storeRows(st, view, query, "CREATE TABLE"));
  }

  /** Computes the rows of {@code view} into its table; returns the table's name. */
  private static String storeRows(Statement st, String view, String query, String create) throws SQLException {
    String table = "stored_" + view.substring(2);
    execute(st, create + " " + table + " AS SELECT * FROM (" + query + ") ORDER BY school_year");
    return table;
  }

  private void writeMetadata(Connection c, Statement st, RunInfo run) throws SQLException {
    String duckdbVersion;
    try (ResultSet rs = st.executeQuery("SELECT version()")) {
      rs.next();
      duckdbVersion = rs.getString(1);
    }
    execute(st, "CREATE TABLE _mart_metadata (run_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, input_dir VARCHAR, "
        + "catalogs_dir VARCHAR, spark_version VARCHAR, duckdb_version VARCHAR, rows_read BIGINT, rows_accepted BIGINT, rows_rejected BIGINT, "
        + "rows_superseded BIGINT, reconciled BOOLEAN, provisional_catalogs VARCHAR, files_found BIGINT, files_read BIGINT, files_refused BIGINT, "
        + "files_skipped BIGINT)");
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO _mart_metadata VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, run.runId());
      ps.setTimestamp(2, Timestamp.from(run.startedAt()));
      ps.setTimestamp(3, Timestamp.from(Instant.now()));
      ps.setString(4, run.inputDir());
      ps.setString(5, run.catalogsDir());
      ps.setString(6, run.sparkVersion());
      ps.setString(7, duckdbVersion);
      ps.setLong(8, run.rowsRead());
      ps.setLong(9, run.accepted());
      ps.setLong(10, run.rejected());
      ps.setLong(11, run.superseded());
      ps.setBoolean(12, run.reconciled());
      ps.setString(13, String.join(", ", run.provisionalSets()));
      ps.setLong(14, run.files().found());
      ps.setLong(15, run.files().read());
      ps.setLong(16, run.files().refused());
      ps.setLong(17, run.files().skipped());
      ps.executeUpdate();
    }
    // what the dashboards show as the data's date: the run that built this mart
    execute(st, "CREATE VIEW v_mart_run AS SELECT run_id, started_at, finished_at, rows_read, rows_accepted, rows_rejected, rows_superseded,\n"
        + "  files_found, files_read, files_refused, files_skipped, reconciled, provisional_catalogs FROM _mart_metadata");
  }
}
