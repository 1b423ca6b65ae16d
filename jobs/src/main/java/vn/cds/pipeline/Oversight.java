package vn.cds.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Sở's oversight settings, from schemas/oversight.json beside the catalog folder (a data file, not code). */
public record Oversight(double gapPoints) {
  public static final String FILE = "oversight.json";
  public static final Oversight DEFAULTS = new Oversight(10);

  /** Looks beside the catalog folder (schemas/), then in it; without a file the defaults apply. */
  public static Oversight load(Path catalogs) {
    Path parent = catalogs.toAbsolutePath().getParent();
    for (Path p : new Path[] {catalogs.resolve(FILE), parent == null ? null : parent.resolve(FILE)}) {
      if (p == null || !Files.exists(p)) continue;
      try {
        JsonNode n = new ObjectMapper().readTree(p.toFile()).get("self_external_gap_points");
        if (n == null || !n.isNumber() || n.asDouble() < 0)
          throw new ConfigException(p + ": self_external_gap_points phải là số không âm (must be a number ≥ 0)");
        return new Oversight(n.asDouble());
      } catch (IOException e) {
        throw new ConfigException(p + ": không đọc được (unreadable JSON): " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return DEFAULTS;
  }
}
