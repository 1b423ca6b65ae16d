package vn.cds.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's results as Markdown tables, for BENCHMARKS.md. */
final class BenchmarkReport {
  private BenchmarkReport() {}

  /** The stages the baseline does too, under the same names (it starts from the validated lake). */
  private static final List<String> COMPARABLE = List.of("scoring", "analytics", "trends", "lake");

  static String markdown(Map<String, Object> results) {
    JsonNode all = new ObjectMapper().valueToTree(results);
    List<String> names = new ArrayList<>();
    all.fieldNames().forEachRemaining(n -> { if (!n.equals("machine")) names.add(n); });
    StringBuilder sb = new StringBuilder();
    JsonNode m = all.get("machine");
    sb.append(String.format(Locale.ROOT, "Machine: %s cores (%s), %.1f GiB, %s, %s; JVM options `%s`; measured %s.%n%n", m.path("cores").asText(),
        m.path("cpu").asText("?"), m.path("memory_bytes").asDouble() / (1L << 30), m.path("os").asText(), m.path("java").asText(),
        m.path("java_options").asText(), m.path("measured_at").asText()));

    sb.append("| dataset | export rows | export MB | Spark end to end (s) | rows/s | peak RSS (GB) | shuffle partitions | JVM options |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (String n : names) {
      JsonNode s = all.get(n).get("spark");
      sb.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %,.0f | %.2f | %s | `%s` |%n", n, s.get("rows_read").asLong(),
          all.get(n).get("export_bytes").asDouble() / 1e6, s.get("total_seconds").asDouble(), s.get("rows_read").asDouble() / s.get("total_seconds").asDouble(),
          s.get("peak_rss_bytes").asDouble() / 1e9, s.path("shuffle_partitions").asText(), s.path("java_options").asText("?")));
    }

    sb.append("\nPer stage, Spark: wall seconds / export rows per second / peak RSS (GB) during the stage.\n\n");
    header(sb, "stage", names);
    List<String> stages = new ArrayList<>();
    for (String n : names) all.get(n).get("spark").get("stages").forEach(st -> { if (!stages.contains(st.get("stage").asText())) stages.add(st.get("stage").asText()); });
    for (String stage : stages) {
      sb.append("| ").append(stage).append(" |");
      for (String n : names) {
        JsonNode s = all.get(n).get("spark"), st = stage(s, stage);
        sb.append(st == null ? " – |" : String.format(Locale.ROOT, " %.1f / %,.0f / %.2f |", st.get("seconds").asDouble(),
            s.get("rows_read").asDouble() / Math.max(0.001, st.get("seconds").asDouble()), st.get("peak_rss_bytes").asDouble() / 1e9));
      }
      sb.append('\n');
    }

    sb.append("\nSpark and the DuckDB-only baseline on the same work (from the validated lake to the analytic tables), seconds and Spark / DuckDB.\n\n| stage |");
    names.forEach(n -> sb.append(' ').append(n).append(" Spark | DuckDB | ratio |"));
    sb.append("\n|---|");
    names.forEach(n -> sb.append("---:|---:|---:|"));
    sb.append('\n');
    double[][] totals = new double[names.size()][2];
    for (String stageName : COMPARABLE) {
      sb.append("| ").append(stageName).append(" |");
      for (int i = 0; i < names.size(); i++) {
        JsonNode st = stage(all.get(names.get(i)).get("spark"), stageName);
        double spark = st == null ? 0 : st.get("seconds").asDouble(), duck = all.get(names.get(i)).get("duckdb_seconds").path(stageName).asDouble();
        totals[i][0] += spark;
        totals[i][1] += duck;
        sb.append(String.format(Locale.ROOT, " %.1f | %.2f | %.0f× |", spark, duck, spark / Math.max(duck, 0.001)));
      }
      sb.append('\n');
    }
    sb.append("| **together** |");
    for (double[] t : totals) sb.append(String.format(Locale.ROOT, " **%.1f** | **%.2f** | **%.0f×** |", t[0], t[1], t[0] / Math.max(t[1], 0.001)));
    sb.append("\n\nThe baseline's tables against Spark's (rows on each side, rows that differ):\n\n");
    for (String n : names) {
      sb.append("- ").append(n).append(": ");
      List<String> parts = new ArrayList<>();
      all.get(n).get("duckdb_equals_spark").fields().forEachRemaining(e -> parts.add(String.format(Locale.ROOT, "%s %,d / %,d, %d differ", e.getKey(),
          e.getValue().get("duckdb_rows").asLong(), e.getValue().get("spark_rows").asLong(), e.getValue().get("rows_differing").asLong())));
      sb.append(String.join("; ", parts)).append('\n');
    }

    sb.append("\nDashboard views on each mart, median / max of 5 after a warm-up (ms): the latest year's first 1,000 rows sorted (a table chart's page), and a count per year.\n\n");
    header(sb, "view", names);
    List<String> views = new ArrayList<>();
    all.get(names.get(0)).get("view_latency_ms").fieldNames().forEachRemaining(views::add);
    for (String v : views) {
      sb.append("| ").append(v).append(" |");
      for (String n : names) {
        JsonNode l = all.get(n).get("view_latency_ms").path(v);
        JsonNode a = l.path("latest_year_rows"), b = l.path("count_per_year");
        sb.append(String.format(Locale.ROOT, " %.1f / %.1f (%,d rows)%s |", a.path("median_ms").asDouble(), a.path("max_ms").asDouble(), a.path("rows").asLong(),
            b.isMissingNode() ? "" : String.format(Locale.ROOT, "; %.1f / %.1f", b.path("median_ms").asDouble(), b.path("max_ms").asDouble())));
      }
      sb.append('\n');
    }

    sb.append("\nOffline dashboard pages each run wrote (a mart of several provinces: a national page and one page per province).\n\n");
    header(sb, "pages", names);
    for (String[] row : new String[][] {{"pages", "pages"}, {"first_page_bytes", "national (or only) page, MB"},
        {"largest_province_page_bytes", "largest province page, MB"}, {"all_pages_bytes", "all pages, MB"}}) {
      sb.append("| ").append(row[1]).append(" |");
      for (String n : names) {
        JsonNode v = all.get(n).path("offline_pages").path(row[0]);
        sb.append(' ').append(v.isMissingNode() ? "–" : row[0].equals("pages") ? v.asText() : String.format(Locale.ROOT, "%.2f", v.asLong() / 1e6)).append(" |");
      }
      sb.append('\n');
    }

    for (String n : names) {
      JsonNode inc = all.get(n).get("incremental");
      if (inc == null) continue;
      sb.append(String.format(Locale.ROOT, "%nAdding %s to a lake of the years before it (%s): %.1f s, against %.1f s for the whole history in one run.%n",
          inc.get("year_added").asText(), n, inc.get("add_one_year").get("total_seconds").asDouble(), inc.get("full_run_seconds").asDouble()));
      sb.append("Stages of that run: ");
      List<String> parts = new ArrayList<>();
      inc.get("add_one_year").get("stages").forEach(st -> parts.add(String.format(Locale.ROOT, "%s %.1f s", st.get("stage").asText(), st.get("seconds").asDouble())));
      sb.append(String.join(", ", parts)).append(".\n");
    }
    return sb.toString();
  }

  /** A table header: the first column, then one right-aligned column per dataset. */
  private static void header(StringBuilder sb, String first, List<String> names) {
    sb.append("| ").append(first).append(" |");
    names.forEach(n -> sb.append(' ').append(n).append(" |"));
    sb.append("\n|---|");
    names.forEach(n -> sb.append("---:|"));
    sb.append('\n');
  }

  private static JsonNode stage(JsonNode spark, String name) {
    for (JsonNode st : spark.get("stages")) if (st.get("stage").asText().equals(name)) return st;
    return null;
  }
}
