package vn.cds.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

/** The bundle keeps the importer's rules; and each rule, broken on purpose, is caught with its own message. */
class SupersetBundleTest {
  @TempDir Path tmp;

  static Path bundleDir() {
    return TestSupport.repoRoot().resolve("dashboards/superset");
  }

  @Test
  void theShippedBundleImportsAndPointsAtTheGivenMart() throws Exception {
    SupersetBundle bundle = SupersetBundle.load(bundleDir());
    assertEquals(List.of(), bundle.problems());
    assertEquals(5, bundle.files("dashboards").size());
    List<String> titles = bundle.files("dashboards").values().stream().map(d -> (String) d.get("dashboard_title")).sorted().toList();
    assertEquals(List.of("Báo cáo Bộ GDĐT", "Chất lượng dữ liệu và tiến độ", "Tiêu chí yếu và ưu tiên đầu tư", "Tiến độ triển khai",
        "Toàn cảnh mức độ chuyển đổi số"), titles);

    Path zip = tmp.resolve("cds-superset.zip");
    bundle.writeZip(zip, Path.of("/srv/cds/mart/cds.duckdb"));
    assertEquals(List.of(), SupersetBundle.zipLayoutProblems(zip));
    SupersetBundle unzipped = SupersetBundle.fromZip(zip);
    assertEquals(List.of(), unzipped.problems());
    Map<String, Object> db = unzipped.files("databases").values().iterator().next();
    assertEquals("duckdb:////srv/cds/mart/cds.duckdb", db.get("sqlalchemy_uri"));
    assertEquals(Boolean.TRUE, ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) db.get("extra")).get("engine_params")).get("connect_args")).get("read_only"));
    byte[] first = Files.readAllBytes(zip);
    bundle.writeZip(zip, Path.of("/srv/cds/mart/cds.duckdb"));
    assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(zip)), "the same bundle gives the same bytes");

    // every chart of every dashboard uses the same colours for the three levels
    for (Map<String, Object> d : bundle.files("dashboards").values()) {
      Map<?, ?> colors = (Map<?, ?>) ((Map<?, ?>) d.get("metadata")).get("label_colors");
      assertEquals(List.of("#d9534f", "#f0ad4e", "#3c9a5f"), List.of(colors.get("Mức 1"), colors.get("Mức 2"), colors.get("Mức 3")));
    }
  }

  /** A copy of the bundle with one file's text changed. */
  private Path broken(String file, String from, String to) throws Exception {
    Path copy = tmp.resolve("copy-" + Math.abs((file + from).hashCode()));
    try (var files = Files.walk(bundleDir())) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Path target = copy.resolve(bundleDir().relativize(p).toString());
        Files.createDirectories(target.getParent());
        Files.copy(p, target);
      }
    }
    Path f = copy.resolve(file);
    String text = Files.readString(f);
    assertTrue(text.contains(from), file + " contains " + from);
    Files.writeString(f, text.replace(from, to));
    return copy;
  }

  private static List<String> problems(Path dir) throws Exception {
    return SupersetBundle.load(dir).problems();
  }

  @Test
  void eachBrokenRuleIsNamed() throws Exception {
    assertEquals(List.of("chart Phân bố mức theo khu vực (huyện cũ): column area_group_nam is not in dataset v_level_distribution"),
        problems(broken("charts/ov_by_area.yaml", "x_axis: area_group_name", "x_axis: area_group_nam")));
    // after the 2025 reform a province has ~130 communes: no bar or line chart puts every one on its axis
    assertEquals(List.of("chart Phân bố mức theo khu vực (huyện cũ): axis area_name puts every commune on the axis (~130 after the 2025 "
        + "reform); group by area_group_name (former districts) and list communes in a table"),
        problems(broken("charts/ov_by_area.yaml", "x_axis: area_group_name\n", "x_axis: area_name\n")));
    assertEquals(List.of("chart Phân bố mức theo khu vực (huyện cũ): metric level_4 is not in dataset v_level_distribution"),
        problems(broken("charts/ov_by_area.yaml", "- level_3", "- level_4")));
    assertEquals(List.of("dashboards/toan_canh.yaml: row ROW-toan_canh-1 is 13 columns wide (at most 12)"),
        problems(broken("dashboards/toan_canh.yaml", "width: 8", "width: 9")));
    assertEquals(List.of("metadata.yaml: version must be 1.0.0, not 1.0.1"), problems(broken("metadata.yaml", "version: 1.0.0", "version: 1.0.1")));
    assertEquals(List.of("dashboards/toan_canh.yaml: timed_refresh_immune_slices names chart id 99 that is not in the position"),
        problems(broken("dashboards/toan_canh.yaml", "timed_refresh_immune_slices: []", "timed_refresh_immune_slices: [99]")));
    assertEquals(List.of("database cds_mart: extra.engine_params.connect_args.read_only must be true (DuckDB allows one writer or many readers; "
        + "Superset's workers are many)"), problems(broken("databases/cds_mart.yaml", "read_only: true", "read_only: false")));
    assertTrue(problems(broken("dashboards/toan_canh.yaml", "chartId: 1\n", "chartId: 2\n")).contains("dashboards/toan_canh.yaml: chartId 2 used twice"));
    assertEquals(List.of("chart Đơn vị gần mức tiếp theo nhất: a table needs query_mode"),
        problems(broken("charts/pl_closest.yaml", "query_mode: raw", "querymode: raw")));
    // Superset 6.1's importer refused the whole bundle for a uuid on a dataset's column or metric ("Unknown field")
    assertEquals(List.of("datasets/cds_mart/v_coverage.yaml metrics share_submitted: field uuid is unknown to Superset's importer, which refuses the whole bundle"),
        problems(broken("datasets/cds_mart/v_coverage.yaml", "  warning_text: null\n- metric_name: share_on_time", "  warning_text: null\n  uuid: 5eee2a55-0514-50b5-8750-b2c0855ceb14\n- metric_name: share_on_time")));
    assertEquals(List.of("charts/ov_rank.yaml: field slice_title is unknown to Superset's importer, which refuses the whole bundle"),
        problems(broken("charts/ov_rank.yaml", "cache_timeout: null", "cache_timeout: null\nslice_title: x")));
    assertEquals(List.of("dashboards/toan_canh.yaml: filter Năm học selects its first value by default but lacks requiredFirst: true, so the charts "
        + "load before the value is applied"), problems(broken("dashboards/toan_canh.yaml", "    requiredFirst: true\n", "")));
    assertEquals(List.of("chart Tiêu chí yếu nhất (mức đạt bình quân thấp nhất): row_limit 15 keeps arbitrary rows; order the query "
        + "(a table with timeseries_limit_metric, or order_by_cols)"),
        problems(broken("charts/pl_weakest.yaml", "  timeseries_limit_metric: attainment\n", "")));
    // a national mart has 62 provinces and 620 former districts: an axis over them draws the first 40 of an ordered query
    String tooMany = "chart Xếp hạng khu vực (huyện cũ) theo tỷ lệ Mức 2 trở lên: axis area_group_name draws every group of a national mart "
        + "(62 provinces, 620 former districts); set row_limit to at most 40 and timeseries_limit_metric to the measure that picks them, "
        + "and list every group in a table";
    assertEquals(List.of(tooMany), problems(broken("charts/ov_rank.yaml", "row_limit: 40", "row_limit: 10000")));
    assertEquals(List.of("chart Xếp hạng khu vực (huyện cũ) theo tỷ lệ Mức 2 trở lên: row_limit 40 keeps arbitrary rows; order the query "
        + "(a table with timeseries_limit_metric, or order_by_cols)", tooMany),
        problems(broken("charts/ov_rank.yaml", "  timeseries_limit_metric: share_2_plus\n", "")));
    // a heat-map's row limit counts cells, so only a required one-province filter keeps its rows few
    assertEquals(List.of("dashboards/tieu_chi_yeu.yaml: heat-map Mức đạt theo khu vực (huyện cũ) × tiêu chí draws every group of its axis (620 former "
        + "districts nationally); put it in the scope of a province filter that is required, single-valued and picks the first by default"),
        problems(broken("dashboards/tieu_chi_yeu.yaml", "      excluded:\n      - 3\n      - 4\n", "      excluded:\n      - 1\n      - 3\n      - 4\n")));
    // place names in a filter come in code order ("Tỉnh 2" before "Tỉnh 10"), by a metric the dataset has
    assertEquals(List.of("dashboards/toan_canh.yaml: filter Tỉnh/thành phố lists province_name in text order; give it a sortMetric that orders by code"),
        problems(broken("dashboards/toan_canh.yaml", "    sortMetric: province_order\n", "")));
    assertEquals(List.of("dashboards/chat_luong.yaml: filter Khu vực sorts by metric area_rank, which v_coverage does not have"),
        problems(broken("dashboards/chat_luong.yaml", "sortMetric: area_order", "sortMetric: area_rank")));
    Path noChart = broken("metadata.yaml", "version", "version");
    Files.delete(noChart.resolve("charts/ov_rank.yaml"));
    assertTrue(problems(noChart).stream().anyMatch(p -> p.contains("CHART-toan_canh-ov_rank names chart uuid") && p.endsWith("with no charts/ file")),
        problems(noChart).toString());
  }

  @Test
  void aZipWithoutASingleRootFolderIsCaught() throws Exception {
    Path zip = tmp.resolve("flat.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("metadata.yaml"));
      out.write("version: 1.0.0\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("a/charts/x.txt"));
      out.write("x".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("b/metadata.yaml"));
      out.write("version: 1.0.0\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(List.of("metadata.yaml: at the zip root (the importer strips the first folder, so it would be lost)",
        "a/charts/x.txt: ignored by the importer (not a .yaml file, or a hidden name)", "entries must share one root folder, found [a, b]"),
        SupersetBundle.zipLayoutProblems(zip));
  }
}
