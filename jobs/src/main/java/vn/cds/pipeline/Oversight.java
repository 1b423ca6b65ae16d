package vn.cds.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import vn.cds.transform.Inspection;

/**
 * The Sở's oversight settings, from schemas/oversight.json beside the catalog folder (a data file, not code): the
 * self-vs-external gap threshold and the rules of the inspection sample. Settings left out keep their defaults.
 */
public record Oversight(double gapPoints, Inspection.Rules inspection) {
  public static final String FILE = "oversight.json";
  public static final Oversight DEFAULTS = new Oversight(10, new Inspection.Rules(0.3, 2025, 10, 20, 3, 3, 2, 2, 1));

  /** Looks in the catalog folder, then beside it (schemas/); without a file the defaults apply. */
  public static Oversight load(Path catalogs) {
    Path parent = catalogs.toAbsolutePath().getParent();
    for (Path p : new Path[] {catalogs.resolve(FILE), parent == null ? null : parent.resolve(FILE)}) {
      if (p == null || !Files.exists(p)) continue;
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(p.toFile());
      } catch (IOException e) {
        throw new ConfigException(p + ": không đọc được (unreadable JSON): " + e.getMessage().lines().findFirst().orElse(""));
      }
      Inspection.Rules d = DEFAULTS.inspection();
      double gap = number(p, root, "self_external_gap_points", DEFAULTS.gapPoints(), Double.MAX_VALUE);
      JsonNode in = root.path("inspection");
      JsonNode w = in.path("weights");
      double share = number(p, in, "share", d.share(), 1);
      if (share <= 0) throw new ConfigException(p + ": inspection.share phải lớn hơn 0 (must be > 0)");
      return new Oversight(gap, new Inspection.Rules(share, (long) number(p, in, "seed", d.seed(), Long.MAX_VALUE), gap,
          number(p, in, "jump_points", d.jumpPoints(), Double.MAX_VALUE), number(p, in, "near_threshold_points", d.nearThresholdPoints(), Double.MAX_VALUE),
          (int) number(p, w, "past_gap", d.weightPastGap(), 1000), (int) number(p, w, "large_jump", d.weightLargeJump(), 1000),
          (int) number(p, w, "near_threshold", d.weightNearThreshold(), 1000), (int) number(p, w, "never_inspected", d.weightNeverInspected(), 1000)));
    }
    return DEFAULTS;
  }

  private static double number(Path file, JsonNode parent, String field, double fallback, double max) {
    JsonNode n = parent.get(field);
    if (n == null) return fallback;
    if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > max)
      throw new ConfigException(file + ": " + field + " phải là số từ 0 đến " + (max >= 1e9 ? "…" : String.valueOf(max)) + " (must be a number in range)");
    return n.asDouble();
  }
}
