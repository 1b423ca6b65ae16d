package vn.cds.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import vn.cds.catalog.IndicatorSet.Band;
import vn.cds.catalog.IndicatorSet.Criterion;
import vn.cds.catalog.IndicatorSet.CriterionBand;
import vn.cds.catalog.IndicatorSet.Group;
import vn.cds.catalog.IndicatorSet.LevelRule;

/**
 * The indicator sets of one catalog folder, validated against the JSON Schema beside them and against the integrity
 * rules the schema cannot state. Loading either yields every set or throws one {@link CatalogException} listing
 * every problem as "file: field: message".
 */
public final class Catalogs implements Serializable {
  public static final String SCHEMA_FILE = "indicator-set.schema.json";
  private static final double EPS = 1e-9;

  private final Map<String, IndicatorSet> byId;

  private Catalogs(Map<String, IndicatorSet> byId) {
    this.byId = byId;
  }

  public List<IndicatorSet> sets() {
    return List.copyOf(byId.values());
  }

  public Optional<IndicatorSet> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Resolves what an export writes in "Bộ chỉ số" (4725, QĐ 3276/QĐ-BGDĐT, QD4725 ...) by its decision number. */
  public Optional<IndicatorSet> byAlias(String raw) {
    if (raw == null) return Optional.empty();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9]{3,}").matcher(raw);
    if (!m.find()) return Optional.empty();
    String number = m.group();
    return byId.values().stream().filter(s -> s.aliases().contains(number)).findFirst();
  }

  /** The set that applies to a school level in a school year (used when an export has no "Bộ chỉ số" column). */
  public Optional<IndicatorSet> forSchoolLevel(String schoolLevel, String schoolYear) {
    return byId.values().stream()
        .filter(s -> s.appliesTo().contains(schoolLevel) && s.appliesToYear(schoolYear))
        .findFirst();
  }

  public static Catalogs load(Path dir) {
    if (!Files.isDirectory(dir)) throw new CatalogException(List.of(dir + ": catalog folder not found"));
    ObjectMapper mapper = new ObjectMapper();
    List<String> problems = new ArrayList<>();
    Path schemaPath = dir.resolve(SCHEMA_FILE);
    JsonNode schemaNode;
    try {
      schemaNode = Files.exists(schemaPath) ? mapper.readTree(schemaPath.toFile()) : bundledSchema(mapper);
    } catch (IOException e) {
      throw new CatalogException(List.of(schemaPath.getFileName() + ": not valid JSON: " + e.getMessage()));
    }
    MiniJsonSchema schema = new MiniJsonSchema(schemaNode);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().endsWith(".schema.json"))
          .sorted().toList();
    } catch (IOException e) {
      throw new CatalogException(List.of(dir + ": cannot list catalog folder: " + e.getMessage()));
    }
    if (files.isEmpty()) throw new CatalogException(List.of(dir + ": no indicator-set catalog (*.json) found"));
    Map<String, IndicatorSet> sets = new LinkedHashMap<>();
    Map<String, String> aliasOwner = new HashMap<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      JsonNode doc;
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
        doc = mapper.readTree(bytes);
      } catch (IOException e) {
        problems.add(name + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        continue;
      }
      List<String> schemaProblems = schema.validate(doc);
      if (!schemaProblems.isEmpty()) {
        schemaProblems.forEach(p -> problems.add(name + ": " + p));
        continue;
      }
      IndicatorSet set = toSet(doc, name, sha256(bytes));
      List<String> integrity = integrityProblems(set);
      integrity.forEach(p -> problems.add(name + ": " + p));
      if (sets.containsKey(set.id())) problems.add(name + ": /id: \"" + set.id() + "\" is already defined by " + sets.get(set.id()).sourceFile());
      for (String alias : set.aliases()) {
        String owner = aliasOwner.putIfAbsent(alias, name);
        if (owner != null) problems.add(name + ": /aliases: \"" + alias + "\" is already an alias in " + owner);
      }
      if (integrity.isEmpty()) sets.put(set.id(), set);
    }
    if (!problems.isEmpty()) throw new CatalogException(problems);
    return new Catalogs(sets);
  }

  private static JsonNode bundledSchema(ObjectMapper mapper) throws IOException {
    try (InputStream in = Catalogs.class.getResourceAsStream("/" + SCHEMA_FILE)) {
      if (in == null) throw new IOException("no JSON Schema beside the catalogs and none bundled");
      return mapper.readTree(in);
    }
  }

  static List<String> integrityProblems(IndicatorSet set) {
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> groupIds = new HashSet<>();
    for (int gi = 0; gi < set.groups().size(); gi++) {
      Group g = set.groups().get(gi);
      String gPath = "/groups/" + gi;
      if (!groupIds.add(g.id())) problems.add(gPath + "/id: group \"" + g.id() + "\" appears twice");
      double sum = g.criteria().stream().mapToDouble(Criterion::maxPoints).sum();
      if (Math.abs(sum - g.maxPoints()) > EPS)
        problems.add(gPath + "/max_points: group " + g.id() + " has max_points " + fmt(g.maxPoints())
            + " but its criteria sum to " + fmt(sum));
      Set<String> parents = new HashSet<>();
      for (int ci = 0; ci < g.criteria().size(); ci++) {
        Criterion c = g.criteria().get(ci);
        String cPath = gPath + "/criteria/" + ci;
        if (!ids.add(c.id())) problems.add(cPath + "/id: criterion \"" + c.id() + "\" appears twice");
        if (!c.id().startsWith(g.id()))
          problems.add(cPath + "/id: criterion \"" + c.id() + "\" does not start with its group id " + g.id());
        if (c.mandatory() && c.maxPoints() != 0)
          problems.add(cPath + "/max_points: mandatory criterion " + c.id() + " must be worth 0 points");
        if (c.mandatory() != "pass_fail".equals(c.scoring()))
          problems.add(cPath + "/scoring: mandatory criteria and only they are scored pass_fail (" + c.id() + ")");
        if (c.derived() && c.derivedMetric() == null)
          problems.add(cPath + "/derived: derived criterion " + c.id() + " needs a \"derived\" metric");
        if (c.parent() != null) {
          parents.add(c.parent());
          if (!c.id().startsWith(c.parent() + "."))
            problems.add(cPath + "/parent: parent \"" + c.parent() + "\" of " + c.id() + " does not exist in group " + g.id());
        }
      }
      for (int bi = 0; bi < g.criterionBands().size(); bi++) {
        CriterionBand cb = g.criterionBands().get(bi);
        String bPath = gPath + "/criterion_bands/" + bi;
        if (!parents.contains(cb.criterion()) && g.criteria().stream().noneMatch(c -> c.id().equals(cb.criterion())))
          problems.add(bPath + "/criterion: \"" + cb.criterion() + "\" is neither a criterion nor a parent in group " + g.id());
        double childSum = g.criteria().stream().filter(c -> cb.criterion().equals(c.parent()) || cb.criterion().equals(c.id()))
            .mapToDouble(Criterion::maxPoints).sum();
        if (Math.abs(childSum - cb.maxPoints()) > EPS)
          problems.add(bPath + "/max_points: bands of " + cb.criterion() + " say max " + fmt(cb.maxPoints())
              + " but its criteria sum to " + fmt(childSum));
        problems.addAll(bandProblems(cb.bands(), cb.maxPoints(), bPath + "/bands"));
      }
    }
    LevelRule rule = set.levelRule();
    if (rule.perGroup()) {
      for (Group g : set.groups())
        problems.addAll(bandProblems(rule.levels(), g.maxPoints(), "/level_rule/levels (group " + g.id() + ")"));
      if (!"min_of_groups".equals(rule.overall()))
        problems.add("/level_rule/overall: basis per_group needs overall \"min_of_groups\"");
    } else {
      problems.addAll(bandProblems(rule.levels(), set.totalMaxPoints(), "/level_rule/levels"));
      if (!"from_total".equals(rule.overall()))
        problems.add("/level_rule/overall: basis total needs overall \"from_total\"");
      if ("cap_group_at_level_1".equals(rule.mandatoryFailed()))
        problems.add("/level_rule/mandatory_failed: basis total has no group level to cap; use cap_overall_at_level_1 or no_effect");
    }
    return problems;
  }

  /** Bands must be ordered, contiguous (one side of every boundary inclusive) and cover exactly 0..max. */
  static List<String> bandProblems(List<Band> bands, double max, String path) {
    List<String> problems = new ArrayList<>();
    if (bands.isEmpty()) return List.of(path + ": no bands");
    Band first = bands.get(0);
    Band last = bands.get(bands.size() - 1);
    if (Math.abs(first.lower()) > EPS || !first.lowerInclusive())
      problems.add(path + "/0/lower: the first band must start at 0 inclusive");
    if (Math.abs(last.upper() - max) > EPS || !last.upperInclusive())
      problems.add(path + "/" + (bands.size() - 1) + "/upper: the last band must end at the maximum " + fmt(max) + " inclusive, not " + fmt(last.upper()));
    for (int i = 0; i < bands.size(); i++) {
      Band b = bands.get(i);
      if (b.level() != i + 1) problems.add(path + "/" + i + "/level: expected level " + (i + 1) + ", found " + b.level());
      if (b.upper() < b.lower()) problems.add(path + "/" + i + ": upper " + fmt(b.upper()) + " is below lower " + fmt(b.lower()));
      if (i > 0) {
        Band prev = bands.get(i - 1);
        if (Math.abs(prev.upper() - b.lower()) > EPS)
          problems.add(path + "/" + i + "/lower: gap or overlap: band " + i + " ends at " + fmt(prev.upper()) + ", band " + (i + 1) + " starts at " + fmt(b.lower()));
        else if (prev.upperInclusive() == b.lowerInclusive())
          problems.add(path + "/" + i + "/lower_inclusive: the boundary " + fmt(b.lower())
              + (b.lowerInclusive() ? " belongs to two bands" : " belongs to no band"));
      }
    }
    return problems;
  }

  private static IndicatorSet toSet(JsonNode d, String file, String sha) {
    List<Group> groups = new ArrayList<>();
    for (JsonNode g : d.get("groups")) {
      List<Criterion> criteria = new ArrayList<>();
      for (JsonNode c : g.get("criteria")) {
        JsonNode derived = c.get("derived");
        criteria.add(new Criterion(c.get("id").asText(), c.get("name").asText(), c.get("max_points").asDouble(),
            c.get("mandatory").asBoolean(), c.get("scoring").asText(), c.get("status").asText(), text(c, "parent"),
            derived == null ? null : derived.get("metric").asText(),
            derived == null || !derived.has("level") ? null : derived.get("level").asInt()));
      }
      List<CriterionBand> cbs = new ArrayList<>();
      if (g.has("criterion_bands"))
        for (JsonNode cb : g.get("criterion_bands"))
          cbs.add(new CriterionBand(cb.get("criterion").asText(), cb.get("max_points").asDouble(), cb.get("status").asText(), bands(cb.get("bands"))));
      groups.add(new Group(g.get("id").asText(), g.get("name").asText(), g.get("max_points").asDouble(), g.get("status").asText(), criteria, cbs));
    }
    JsonNode r = d.get("level_rule");
    Map<String, String> status = new LinkedHashMap<>();
    r.get("status").fields().forEachRemaining(e -> status.put(e.getKey(), e.getValue().asText()));
    LevelRule rule = new LevelRule(r.get("basis").asText(), bands(r.get("levels")), r.get("mandatory_failed").asText(), r.get("overall").asText(), status);
    List<String> aliases = new ArrayList<>();
    d.get("aliases").forEach(a -> aliases.add(a.asText()));
    List<String> appliesTo = new ArrayList<>();
    d.get("applies_to").forEach(a -> appliesTo.add(a.asText()));
    return new IndicatorSet(d.get("id").asText(), d.get("version").asText(), aliases, d.get("decision").asText(), d.get("title").asText(),
        appliesTo, d.get("first_school_year").asText(), text(d, "last_school_year"), rule, groups, file, sha);
  }

  private static List<Band> bands(JsonNode arr) {
    List<Band> out = new ArrayList<>();
    for (JsonNode b : arr)
      out.add(new Band(b.get("level").asInt(), text(b, "name"), b.get("lower").asDouble(), b.get("lower_inclusive").asBoolean(),
          b.get("upper").asDouble(), b.get("upper_inclusive").asBoolean()));
    return out;
  }

  private static String text(JsonNode n, String field) {
    return n.has(field) && !n.get(field).isNull() ? n.get(field).asText() : null;
  }

  public static String fmtPoints(double v) {
    return fmt(v);
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
