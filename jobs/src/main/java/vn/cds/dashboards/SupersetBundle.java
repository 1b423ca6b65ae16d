package vn.cds.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Superset dashboards as an import bundle (v1): the YAML under dashboards/superset, checked against the rules of
 * Superset's importer, and zipped under one root folder with the database pointed at a given mart file.
 */
public final class SupersetBundle {
  public static final String ZIP_ROOT = "cds-superset";
  /** The chart types this bundle may use: the ECharts and table plugins of Superset 4.1 to 6 (no legacy types). */
  static final Set<String> VIZ_TYPES = Set.of("big_number_total", "echarts_timeseries_bar", "echarts_timeseries_line", "echarts_area", "pie",
      "table", "pivot_table_v2", "heatmap_v2", "country_map");

  /**
   * The fields Superset 6.1's import schemas (marshmallow, which refuses unknown fields) accept, per kind of object:
   * a dataset column or metric with a {@code uuid} fails the whole import ("Unknown field"), as a real import showed.
   */
  static final Map<String, Set<String>> KNOWN_FIELDS = Map.of(
      "databases", Set.of("database_name", "sqlalchemy_uri", "password", "encrypted_extra", "masked_encrypted_extra", "cache_timeout",
          "expose_in_sqllab", "allow_run_async", "allow_ctas", "allow_cvas", "allow_dml", "allow_csv_upload", "allow_file_upload",
          "impersonate_user", "extra", "uuid", "version", "is_managed_externally", "external_url", "ssh_tunnel", "configuration_method"),
      "datasets", Set.of("table_name", "main_dttm_col", "currency_code_column", "description", "default_endpoint", "offset",
          "cache_timeout", "schema", "catalog", "sql", "source_db_engine", "params", "template_params", "filter_select_enabled",
          "fetch_values_predicate", "extra", "uuid", "columns", "metrics", "version", "database_uuid", "data", "is_managed_externally",
          "external_url", "normalize_columns", "always_filter_main_dttm", "folders", "data_file"),
      "columns", Set.of("column_name", "extra", "verbose_name", "is_dttm", "is_active", "type", "advanced_data_type", "groupby",
          "filterable", "expression", "description", "python_date_format", "datetime_format"),
      "metrics", Set.of("metric_name", "verbose_name", "metric_type", "expression", "description", "d3format", "currency", "extra",
          "warning_text"),
      "charts", Set.of("slice_name", "description", "certified_by", "certification_details", "viz_type", "params", "query_context",
          "cache_timeout", "uuid", "version", "dataset_uuid", "is_managed_externally", "external_url", "tags"),
      "dashboards", Set.of("dashboard_title", "description", "css", "slug", "uuid", "position", "metadata", "version",
          "is_managed_externally", "external_url", "certified_by", "certification_details", "published", "tags", "theme_uuid", "theme_id"));

  /** Columns with one value per commune (or unit): a chart axis over them is unreadable after the 2025 reform. */
  static final Set<String> PER_AREA_COLUMNS = Set.of("area_name", "area_code", "unit_name", "unit_code");

  /**
   * Columns that group units one level up (provinces, former districts): a national mart has 62 provinces and 620 former
   * districts, so a chart's axis over one draws at most {@value #MAX_AXIS} of them, the first of an ordered query.
   */
  static final Set<String> GROUP_COLUMNS = Set.of("province_name", "province_code", "area_group_name", "area_group_code",
      "former_district_name", "former_district_code");
  /** The most categories a bar or line chart's axis draws by default: past about 40 the labels cannot be read. */
  static final int MAX_AXIS = 40;

  /** Relative path (databases/…, datasets/…, charts/…, dashboards/…, metadata.yaml) → its text. */
  private final Map<String, String> texts;
  private final Map<String, Map<String, Object>> docs = new TreeMap<>();
  private final List<String> parseProblems = new ArrayList<>();

  private SupersetBundle(Map<String, String> texts) {
    this.texts = new TreeMap<>(texts);
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    for (var e : this.texts.entrySet()) {
      try {
        Object doc = yaml.load(e.getValue());
        if (doc instanceof Map<?, ?> m) docs.put(e.getKey(), cast(m));
        else parseProblems.add(e.getKey() + ": not a YAML mapping");
      } catch (RuntimeException ex) {
        parseProblems.add(e.getKey() + ": not valid YAML (" + ex.getMessage().lines().findFirst().orElse("") + ")");
      }
    }
  }

  /** The unzipped bundle in {@code dir} (every .yaml file below it). */
  public static SupersetBundle load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new vn.cds.pipeline.ConfigException("Không thấy thư mục bảng điều khiển Superset (bundle folder not found): " + dir);
    Map<String, String> texts = new TreeMap<>();
    try (var files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList())
        texts.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
    }
    return new SupersetBundle(texts);
  }

  /** A zipped bundle; entries outside a single root folder are reported by {@link #zipLayoutProblems}. */
  public static SupersetBundle fromZip(Path zip) throws IOException {
    Map<String, String> texts = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isDirectory()) continue;
        String name = e.getName();
        texts.put(name.contains("/") ? name.substring(name.indexOf('/') + 1) : name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return new SupersetBundle(texts);
  }

  /** What Superset's importer requires of the zip itself: one root folder holding every entry, YAML files only. */
  public static List<String> zipLayoutProblems(Path zip) throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> roots = new java.util.TreeSet<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = e.getName();
        if (!name.contains("/")) problems.add(name + ": at the zip root (the importer strips the first folder, so it would be lost)");
        else roots.add(name.substring(0, name.indexOf('/')));
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (!e.isDirectory() && !(base.endsWith(".yaml") || base.endsWith(".yml")) || base.startsWith(".") || base.startsWith("_"))
          if (!e.isDirectory()) problems.add(name + ": ignored by the importer (not a .yaml file, or a hidden name)");
      }
    }
    if (roots.size() != 1) problems.add("entries must share one root folder, found " + roots);
    return problems;
  }

  public Map<String, Map<String, Object>> files(String folder) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    docs.forEach((k, v) -> { if (k.startsWith(folder + "/")) out.put(k, v); });
    return out;
  }

  /** Every rule of the importer this bundle can break, one line per problem; empty when the bundle imports. */
  public List<String> problems() {
    List<String> p = new ArrayList<>(parseProblems);
    Map<String, Object> meta = docs.get("metadata.yaml");
    if (meta == null) p.add("metadata.yaml: missing");
    else {
      if (!"1.0.0".equals(String.valueOf(meta.get("version")))) p.add("metadata.yaml: version must be 1.0.0, not " + meta.get("version"));
      if (meta.containsKey("type") && !"Dashboard".equals(meta.get("type"))) p.add("metadata.yaml: type must be Dashboard, not " + meta.get("type"));
    }
    Map<String, Map<String, Object>> dbs = byUuid("databases", p, List.of("database_name", "sqlalchemy_uri", "uuid", "version", "allow_csv_upload", "extra"));
    Map<String, Map<String, Object>> datasets = byUuid("datasets", p, List.of("table_name", "uuid", "database_uuid", "version", "columns", "metrics"));
    Map<String, Map<String, Object>> charts = byUuid("charts", p, List.of("slice_name", "viz_type", "uuid", "dataset_uuid", "version", "params"));
    byUuid("dashboards", p, List.of("dashboard_title", "uuid", "version", "position", "metadata"));
    for (var db : dbs.values()) {
      Object readOnly = path(db, "extra", "engine_params", "connect_args", "read_only");
      if (!Boolean.TRUE.equals(readOnly)) p.add("database " + db.get("database_name") + ": extra.engine_params.connect_args.read_only must be true "
          + "(DuckDB allows one writer or many readers; Superset's workers are many)");
    }
    for (var ds : datasets.entrySet())
      if (!dbs.containsKey(String.valueOf(ds.getValue().get("database_uuid")))) p.add(ds.getValue().get("table_name") + ": database_uuid not in the bundle");
    for (var c : charts.values()) checkChart(c, datasets, p);
    for (var d : files("dashboards").entrySet()) checkDashboard(d.getKey(), d.getValue(), charts, datasets, p);
    Set<String> used = new HashSet<>();
    for (var d : files("dashboards").values()) used.addAll(chartNodes(map(d.get("position"))).values().stream().map(n -> String.valueOf(map(n.get("meta")).get("uuid"))).toList());
    for (var c : charts.entrySet()) if (!used.contains(c.getKey())) p.add("chart " + c.getValue().get("slice_name") + ": on no dashboard, so never imported");
    return p;
  }

  private Map<String, Map<String, Object>> byUuid(String folder, List<String> problems, List<String> required) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (var e : files(folder).entrySet()) {
      for (String field : required) if (!e.getValue().containsKey(field)) problems.add(e.getKey() + ": missing " + field);
      unknownFields(e.getKey(), folder, e.getValue(), problems);
      if (folder.equals("datasets"))
        for (String part : List.of("columns", "metrics"))
          for (Object item : list(e.getValue().get(part))) unknownFields(e.getKey() + " " + part + " " + map(item).get(part.equals("columns") ? "column_name" : "metric_name"), part, map(item), problems);
      if (!"1.0.0".equals(String.valueOf(e.getValue().get("version")))) problems.add(e.getKey() + ": version must be 1.0.0");
      String uuid = String.valueOf(e.getValue().get("uuid"));
      if (!uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) problems.add(e.getKey() + ": uuid is not a UUID: " + uuid);
      if (out.put(uuid, e.getValue()) != null) problems.add(e.getKey() + ": duplicate uuid " + uuid);
    }
    return out;
  }

  private static void unknownFields(String where, String kind, Map<String, Object> doc, List<String> problems) {
    for (String key : doc.keySet())
      if (!KNOWN_FIELDS.get(kind).contains(key)) problems.add(where + ": field " + key + " is unknown to Superset's importer, which refuses the whole bundle");
  }

  /** The columns and metrics a chart's params name, each of which must exist in its dataset. */
  private static void checkChart(Map<String, Object> chart, Map<String, Map<String, Object>> datasets, List<String> p) {
    String name = "chart " + chart.get("slice_name");
    Map<String, Object> params = map(chart.get("params"));
    Object viz = chart.get("viz_type");
    if (!VIZ_TYPES.contains(String.valueOf(viz))) p.add(name + ": viz_type " + viz + " is not one this bundle may use");
    if (!String.valueOf(viz).equals(String.valueOf(params.get("viz_type")))) p.add(name + ": params.viz_type differs from viz_type");
    if (params.containsKey("row_limit") && !(params.get("row_limit") instanceof Integer)) p.add(name + ": row_limit must be an integer");
    if ("table".equals(viz) && !params.containsKey("query_mode")) p.add(name + ": a table needs query_mode");
    // a real run showed "the 15 weakest criteria" as 15 arbitrary ones: a small limit keeps whatever rows come first
    if (params.get("row_limit") instanceof Integer limit && limit < 1000 && !orderedQuery(viz, params))
      p.add(name + ": row_limit " + limit + " keeps arbitrary rows; order the query (a table with timeseries_limit_metric, or order_by_cols)");
    Object axis = "heatmap_v2".equals(viz) ? params.get("groupby") : params.get("x_axis");
    if (PER_AREA_COLUMNS.contains(String.valueOf(axis)) && (String.valueOf(viz).startsWith("echarts_") || "heatmap_v2".equals(viz)))
      p.add(name + ": axis " + axis + " puts every commune on the axis (~130 after the 2025 reform); group by "
          + "area_group_name (former districts) and list communes in a table");
    // Superset orders a bar or line chart's query by timeseries_limit_metric (else its first metric) before the row limit
    if (GROUP_COLUMNS.contains(String.valueOf(axis)) && String.valueOf(viz).startsWith("echarts_")
        && !(params.get("row_limit") instanceof Integer limit && limit <= MAX_AXIS && params.get("timeseries_limit_metric") != null))
      p.add(name + ": axis " + axis + " draws every group of a national mart (62 provinces, 620 former districts); set row_limit "
          + "to at most " + MAX_AXIS + " and timeseries_limit_metric to the measure that picks them, and list every group in a table");
    Map<String, Object> ds = datasets.get(String.valueOf(chart.get("dataset_uuid")));
    if (ds == null) {
      p.add(name + ": dataset_uuid not in the bundle");
      return;
    }
    Set<String> columns = new HashSet<>(), metrics = new HashSet<>();
    for (Object c : list(ds.get("columns"))) columns.add(String.valueOf(map(c).get("column_name")));
    for (Object m : list(ds.get("metrics"))) metrics.add(String.valueOf(map(m).get("metric_name")));
    List<String> usedColumns = new ArrayList<>();
    for (String key : List.of("x_axis", "groupby", "all_columns", "groupbyRows", "groupbyColumns", "entity", "series")) {
      Object v = params.get(key);
      if (v instanceof String s) usedColumns.add(s);
      else for (Object o : list(v)) if (o instanceof String s) usedColumns.add(s);
    }
    for (Object f : list(params.get("adhoc_filters"))) if ("SIMPLE".equals(map(f).get("expressionType"))) usedColumns.add(String.valueOf(map(f).get("subject")));
    for (Object o : list(params.get("order_by_cols"))) {
      Matcher m = java.util.regex.Pattern.compile("^\\[\"([^\"]+)\"").matcher(String.valueOf(o));
      if (m.find()) usedColumns.add(m.group(1));
    }
    for (String c : usedColumns) if (!columns.contains(c)) p.add(name + ": column " + c + " is not in dataset " + ds.get("table_name"));
    List<Object> usedMetrics = new ArrayList<>(list(params.get("metrics")));
    if (params.containsKey("metric")) usedMetrics.add(params.get("metric"));
    for (String key : List.of("x_axis_sort", "timeseries_limit_metric")) if (params.get(key) instanceof String s && !columns.contains(s)) usedMetrics.add(s);
    for (Object m : usedMetrics) {
      if (m instanceof String s && !metrics.contains(s)) p.add(name + ": metric " + s + " is not in dataset " + ds.get("table_name"));
      if (m instanceof Map<?, ?> adhoc && adhoc.get("label") == null) p.add(name + ": an adhoc metric needs a label");
    }
    if (List.of("big_number_total", "pie", "heatmap_v2", "country_map").contains(viz) && params.containsKey("metrics"))
      p.add(name + ": " + viz + " takes one metric (metric), not metrics");
  }

  /** Whether the chart's own query is ordered, so that its row limit keeps the first rows of that order. */
  private static boolean orderedQuery(Object viz, Map<String, Object> params) {
    // a bar or line chart's query is ordered by its series limit metric (normalizeOrderBy in the ECharts plugins' buildQuery)
    if (String.valueOf(viz).startsWith("echarts_")) return params.get("timeseries_limit_metric") != null;
    if (!"table".equals(viz)) return false;
    if (!params.containsKey("query_mode")) return true; // reported as a missing query_mode
    return "raw".equals(params.get("query_mode")) ? !list(params.get("order_by_cols")).isEmpty() : params.get("timeseries_limit_metric") != null;
  }

  private static void checkDashboard(String file, Map<String, Object> d, Map<String, Map<String, Object>> charts,
      Map<String, Map<String, Object>> datasets, List<String> p) {
    Map<String, Object> pos = map(d.get("position"));
    if (!pos.containsKey("ROOT_ID") || !pos.containsKey("GRID_ID")) p.add(file + ": position needs ROOT_ID and GRID_ID");
    Set<Integer> chartIds = new HashSet<>();
    for (var e : chartNodes(pos).entrySet()) {
      Map<String, Object> meta = map(e.getValue().get("meta"));
      if (!(meta.get("chartId") instanceof Integer id)) p.add(file + ": " + e.getKey() + " has no integer meta.chartId");
      else if (!chartIds.add(id)) p.add(file + ": chartId " + id + " used twice");
      if (!charts.containsKey(String.valueOf(meta.get("uuid")))) p.add(file + ": " + e.getKey() + " names chart uuid " + meta.get("uuid") + " with no charts/ file");
    }
    // every node: children point back to it as parent, and its parents are its parent's parents plus the parent
    Set<String> reachable = new HashSet<>();
    walk(pos, "ROOT_ID", List.of(), reachable, file, p);
    for (String id : pos.keySet()) if (!id.equals("DASHBOARD_VERSION_KEY") && !id.equals("HEADER_ID") && !reachable.contains(id))
      p.add(file + ": " + id + " is not reachable from ROOT_ID");
    for (var e : pos.entrySet()) {
      Map<String, Object> node = map(e.getValue());
      if (!"ROW".equals(node.get("type"))) continue;
      int width = 0;
      for (Object child : list(node.get("children"))) width += map(map(pos.get(String.valueOf(child))).get("meta")).get("width") instanceof Integer w ? w : 0;
      if (width > 12) p.add(file + ": row " + e.getKey() + " is " + width + " columns wide (at most 12)");
    }
    Map<String, Object> meta = map(d.get("metadata"));
    heatMapsNeedOneProvince(file, pos, meta, charts, p);
    for (Object id : list(meta.get("timed_refresh_immune_slices")))
      if (!chartIds.contains(id)) p.add(file + ": timed_refresh_immune_slices names chart id " + id + " that is not in the position");
    for (Object id : map(meta.get("expanded_slices")).keySet())
      if (!chartIds.contains(Integer.valueOf(String.valueOf(id)))) p.add(file + ": expanded_slices names chart id " + id + " that is not in the position");
    for (Object f : list(meta.get("native_filter_configuration"))) {
      Map<String, Object> filter = map(f);
      if (filter.containsKey("chartsInScope")) p.add(file + ": filter " + filter.get("name") + " carries chartsInScope (stale ids after import)");
      // Superset 6.1 showed the first year in the filter bar but queried every chart over all years without this flag
      if (Boolean.TRUE.equals(map(filter.get("controlValues")).get("defaultToFirstItem")) && !Boolean.TRUE.equals(filter.get("requiredFirst")))
        p.add(file + ": filter " + filter.get("name") + " selects its first value by default but lacks requiredFirst: true, so the charts "
            + "load before the value is applied");
      for (Object t : list(filter.get("targets"))) {
        Map<String, Object> ds = datasets.get(String.valueOf(map(t).get("datasetUuid")));
        String column = String.valueOf(map(map(t).get("column")).get("name"));
        if (ds == null) p.add(file + ": filter " + filter.get("name") + " targets a dataset not in the bundle");
        else if (list(ds.get("columns")).stream().noneMatch(c -> column.equals(map(c).get("column_name"))))
          p.add(file + ": filter " + filter.get("name") + " targets column " + column + " not in " + ds.get("table_name"));
        else sortedByCode(file, filter, column, ds, p);
      }
    }
  }

  /** Place names sort as text in a select filter ("Tỉnh 10" before "Tỉnh 2", "Quận 10" before "Quận 2") unless a metric orders them by code. */
  private static void sortedByCode(String file, Map<String, Object> filter, String column, Map<String, Object> ds, List<String> p) {
    if (!column.equals("province_name") && !column.equals("area_name")) return;
    Object metric = filter.get("sortMetric");
    if (metric == null) p.add(file + ": filter " + filter.get("name") + " lists " + column + " in text order; give it a sortMetric that orders by code");
    else if (list(ds.get("metrics")).stream().noneMatch(m -> metric.equals(map(m).get("metric_name"))))
      p.add(file + ": filter " + filter.get("name") + " sorts by metric " + metric + ", which " + ds.get("table_name") + " does not have");
  }

  /**
   * A heat-map's rows are not cut by a row limit (it limits cells), so one over former districts or provinces draws all
   * of them (620 on a national mart) unless a filter holds it to one province: required, one value, the first by default.
   */
  private static void heatMapsNeedOneProvince(String file, Map<String, Object> pos, Map<String, Object> meta,
      Map<String, Map<String, Object>> charts, List<String> p) {
    for (var node : chartNodes(pos).values()) {
      Map<String, Object> nodeMeta = map(node.get("meta"));
      Map<String, Object> chart = charts.get(String.valueOf(nodeMeta.get("uuid")));
      if (chart == null || !"heatmap_v2".equals(chart.get("viz_type"))) continue;
      Map<String, Object> params = map(chart.get("params"));
      if (!GROUP_COLUMNS.contains(String.valueOf(params.get("groupby"))) && !GROUP_COLUMNS.contains(String.valueOf(params.get("x_axis")))) continue;
      boolean held = list(meta.get("native_filter_configuration")).stream().map(SupersetBundle::map).anyMatch(f ->
          Boolean.TRUE.equals(f.get("requiredFirst")) && Boolean.TRUE.equals(map(f.get("controlValues")).get("defaultToFirstItem"))
              && Boolean.FALSE.equals(map(f.get("controlValues")).get("multiSelect"))
              && list(f.get("targets")).stream().anyMatch(t -> String.valueOf(map(map(t).get("column")).get("name")).startsWith("province_"))
              && !list(map(f.get("scope")).get("excluded")).contains(nodeMeta.get("chartId")));
      if (!held) p.add(file + ": heat-map " + chart.get("slice_name") + " draws every group of its axis (620 former districts nationally); "
          + "put it in the scope of a province filter that is required, single-valued and picks the first by default");
    }
  }

  private static void walk(Map<String, Object> pos, String id, List<String> parents, Set<String> seen, String file, List<String> p) {
    if (!seen.add(id)) {
      p.add(file + ": " + id + " appears twice in the tree");
      return;
    }
    Map<String, Object> node = map(pos.get(id));
    if (node.isEmpty()) {
      p.add(file + ": " + id + " is a child but has no node");
      return;
    }
    if (!id.equals("ROOT_ID") && !list(node.get("parents")).equals(parents)) p.add(file + ": " + id + " parents " + node.get("parents") + ", expected " + parents);
    List<String> next = new ArrayList<>(parents);
    next.add(id);
    for (Object child : list(node.get("children"))) walk(pos, String.valueOf(child), next, seen, file, p);
  }

  private static Map<String, Map<String, Object>> chartNodes(Map<String, Object> pos) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    pos.forEach((k, v) -> { if (v instanceof Map<?, ?> m && "CHART".equals(m.get("type"))) out.put(k, cast(m)); });
    return out;
  }

  /**
   * Writes the zip: every file under {@value #ZIP_ROOT}/, the database's {@code sqlalchemy_uri} pointing at
   * {@code mart} (an absolute path: duckdb:////…). Refuses to write a bundle that breaks an import rule.
   */
  public void writeZip(Path zip, Path mart) throws IOException {
    List<String> problems = problems();
    if (!problems.isEmpty()) throw new vn.cds.pipeline.ConfigException("Gói Superset không hợp lệ (invalid bundle): " + String.join("; ", problems));
    String uri = "duckdb:///" + mart.toAbsolutePath().normalize().toString().replace('\\', '/');
    Files.createDirectories(zip.toAbsolutePath().getParent());
    Path tmp = zip.resolveSibling("." + zip.getFileName() + ".tmp");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      for (var e : texts.entrySet()) {
        String text = e.getValue();
        if (e.getKey().startsWith("databases/"))
          text = text.replaceFirst("(?m)^sqlalchemy_uri: .*$", Matcher.quoteReplacement("sqlalchemy_uri: '" + uri.replace("'", "''") + "'"));
        ZipEntry entry = new ZipEntry(ZIP_ROOT + "/" + e.getKey());
        entry.setTime(0); // the same bundle gives the same bytes
        out.putNextEntry(entry);
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? cast(m) : new HashMap<>();
  }

  static List<Object> list(Object o) {
    return o instanceof Collection<?> c ? new ArrayList<>(c) : new ArrayList<>();
  }

  static Object path(Map<String, Object> m, String... keys) {
    Object cur = m;
    for (String k : keys) cur = map(cur).get(k);
    return cur;
  }
}
