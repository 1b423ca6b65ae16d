package vn.cds.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import vn.cds.pipeline.Progress;

/** {@code cds run --timings FILE}: what one run measured about itself, as JSON the benchmark reads back. */
public final class RunTimings {
  private RunTimings() {}

  public static void write(Path file, List<Progress.Timing> stages, double totalSeconds, long rowsRead, SparkSession spark) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("total_seconds", round(totalSeconds));
    doc.put("rows_read", rowsRead);
    doc.put("peak_rss_bytes", Progress.rssBytes("VmHWM"));
    doc.put("spark_version", spark.version());
    doc.put("spark_master", spark.sparkContext().master());
    doc.put("shuffle_partitions", spark.conf().get("spark.sql.shuffle.partitions"));
    doc.put("code_generation", "NO_CODEGEN".equals(spark.conf().get("spark.sql.codegen.factoryMode", "FALLBACK")) ? "interpreted" : "compiled");
    doc.put("java_version", System.getProperty("java.version"));
    doc.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    // the launcher names the class archive by its absolute path: relative to the project, the results name no machine's path
    String home = System.getProperty("cds.home");
    doc.put("java_options", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-X")).map(a -> home == null ? a : a.replace(home + "/", "")).toList()));
    List<Map<String, Object>> list = new ArrayList<>();
    for (Progress.Timing t : stages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", t.stage());
      m.put("seconds", round(t.seconds()));
      m.put("peak_rss_bytes", t.peakRssBytes());
      list.add(m);
    }
    doc.put("stages", list);
    if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
