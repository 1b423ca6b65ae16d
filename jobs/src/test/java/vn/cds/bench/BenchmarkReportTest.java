package vn.cds.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.cds.generate.SampleGenerator;

/** The benchmark's tables from a hand-made result: rows per second, ratios and latencies as computed by hand. */
class BenchmarkReportTest {
  private static Map<String, Object> stage(String name, double seconds, long rss) {
    return Map.of("stage", name, "seconds", seconds, "peak_rss_bytes", rss);
  }

  @Test
  void theTablesSayWhatWasMeasured() {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Map.of("cores", 2, "cpu", "Test CPU", "memory_bytes", 2L << 30, "os", "Linux", "java", "17", "java_options", "-Xmx4g",
        "measured_at", "2026-11-23T00:00:00Z"));
    Map<String, Object> spark = new LinkedHashMap<>();
    spark.put("total_seconds", 50.0);
    spark.put("rows_read", 10_000L);
    spark.put("peak_rss_bytes", 3_000_000_000L);
    spark.put("shuffle_partitions", "2");
    spark.put("java_options", "-Xmx4g -XX:TieredStopAtLevel=1");
    spark.put("stages", List.of(stage("read", 5.0, 1_000_000_000L), stage("scoring", 10.0, 2_000_000_000L), stage("analytics", 8.0, 2_500_000_000L),
        stage("trends", 2.0, 2_500_000_000L), stage("lake", 4.0, 2_600_000_000L)));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("export_bytes", 1_500_000L);
    d.put("spark", spark);
    d.put("duckdb_seconds", Map.of("scoring", 0.5, "analytics", 0.4, "trends", 0.1, "lake", 0.2));
    d.put("duckdb_equals_spark", Map.of("group_result", Map.of("duckdb_rows", 20L, "spark_rows", 20L, "rows_differing", 0L)));
    d.put("view_latency_ms", Map.of("v_unit_result", Map.of("latest_year_rows", Map.of("rows", 1000L, "median_ms", 3.5, "max_ms", 4.0),
        "count_per_year", Map.of("rows", 4L, "median_ms", 1.2, "max_ms", 1.5))));
    d.put("offline_pages", Map.of("pages", 63, "first_page_bytes", 4_476_178L, "largest_province_page_bytes", 1_478_317L, "all_pages_bytes", 95_000_000L));
    d.put("incremental", Map.of("year_added", "2025-2026", "lake_before_seconds", 40.0, "full_run_seconds", 50.0,
        "add_one_year", Map.of("total_seconds", 30.0, "stages", List.of(stage("read", 2.0, 1L)))));
    results.put("province", d);

    String md = BenchmarkReport.markdown(results);
    assertTrue(md.startsWith("Machine: 2 cores (Test CPU), 2.0 GiB, Linux, 17; JVM options `-Xmx4g`"), md);
    assertTrue(md.contains("| province | 10,000 | 1.5 | 50.0 | 200 | 3.00 | 2 | `-Xmx4g -XX:TieredStopAtLevel=1` |"), md);
    assertTrue(md.contains("| scoring | 10.0 / 1,000 / 2.00 |"), md);
    assertTrue(md.contains("| scoring | 10.0 | 0.50 | 20× |"), md);
    assertTrue(md.contains("| **together** | **24.0** | **1.20** | **20×** |"), md);
    assertTrue(md.contains("- province: group_result 20 / 20, 0 differ"), md);
    assertTrue(md.contains("| v_unit_result | 3.5 / 4.0 (1,000 rows); 1.2 / 1.5 |"), md);
    assertTrue(md.contains("| national (or only) page, MB | 4.48 |") && md.contains("| largest province page, MB | 1.48 |"), md);
    assertTrue(md.contains("Adding 2025-2026 to a lake of the years before it (province): 30.0 s, against 50.0 s for the whole history in one run."), md);
  }

  @Test
  void datasetNamesAreCheckedBeforeAnyWork() {
    assertEquals(new Benchmark.Dataset("province-4x", SampleGenerator.Profile.PROVINCE, 4), Benchmark.dataset("province-4x"));
    assertEquals(new Benchmark.Dataset("national", SampleGenerator.Profile.NATIONAL, 1), Benchmark.dataset("national"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Benchmark.dataset("planet"));
    assertEquals("unknown dataset planet (province, province-Nx, national, reference)", e.getMessage());
  }
}
