package vn.cds.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The yearly cycle's documents (schemas/milestones.json): who sends each, to whom, and by when by default. Validated
 * against milestones.schema.json beside it and against the integrity rules the schema cannot state; loading either
 * yields the rules or throws one {@link CatalogException} listing every problem as "milestones.json: path: message".
 */
public record Milestones(String status, String reformSchoolYear, List<Document> documents, String sourceFile) implements Serializable {
  public static final String FILE = "milestones.json";
  public static final String SCHEMA_FILE = "milestones.schema.json";
  /** The documents the letters chase; a rules file without one of them is incomplete. */
  public static final List<String> REQUIRED_CODES = List.of("ke_hoach", "bo_phan_cds", "qd_phe_duyet_tu_danh_gia", "de_nghi_danh_gia_ngoai",
      "qd_cong_nhan", "cong_bo", "bao_cao", "kiem_tra");
  public static final String ERA_ALL = "all", ERA_BEFORE = "before_reform", ERA_AFTER = "after_reform";
  /** No rules file: no document is required, and every submitted one is unknown. */
  public static final Milestones NONE = new Milestones("provisional", "2025-2026", List.of(), FILE);

  public record Document(String code, String name, String reference, String tracking, String status, List<Requirement> requirements)
      implements Serializable {}

  /** {@code secondYear}: the deadline falls in the school year's second calendar year (25/05/2025 for 2024-2025). */
  public record Requirement(String era, List<String> schoolLevels, String to, int day, int month, boolean secondYear, String source)
      implements Serializable {
    public boolean appliesTo(String schoolYear, String reformYear) {
      boolean after = schoolYear.compareTo(reformYear) >= 0;
      return ERA_ALL.equals(era) || (after ? ERA_AFTER.equals(era) : ERA_BEFORE.equals(era));
    }
  }

  public boolean provisional() {
    return !"verified".equals(status) || documents.stream().anyMatch(d -> !"verified".equals(d.status()));
  }

  public Optional<Document> document(String code) {
    return documents.stream().filter(d -> d.code().equals(code)).findFirst();
  }

  /** The rules beside a catalog folder: in it, else in its parent (schemas/); empty when there is none. */
  public static Optional<Path> find(Path catalogs) {
    Path parent = catalogs.toAbsolutePath().getParent();
    for (Path p : new Path[] {catalogs.resolve(FILE), parent == null ? null : parent.resolve(FILE)})
      if (p != null && Files.exists(p)) return Optional.of(p);
    return Optional.empty();
  }

  public static Milestones load(Path file) {
    ObjectMapper mapper = new ObjectMapper();
    String name = file.getFileName().toString();
    JsonNode doc, schemaNode;
    if (!Files.exists(file)) throw new CatalogException(List.of(file + ": not found"));
    try {
      doc = mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new CatalogException(List.of(name + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse("")));
    }
    try {
      Path schemaPath = file.resolveSibling(SCHEMA_FILE);
      if (!Files.exists(schemaPath)) throw new IOException("no " + SCHEMA_FILE + " beside " + name);
      schemaNode = mapper.readTree(schemaPath.toFile());
    } catch (IOException e) {
      throw new CatalogException(List.of(SCHEMA_FILE + ": " + e.getMessage().lines().findFirst().orElse("")));
    }
    List<String> problems = new MiniJsonSchema(schemaNode).validate(doc);
    if (!problems.isEmpty()) throw new CatalogException(problems.stream().map(p -> name + ": " + p).toList());
    Milestones m = parse(doc, name);
    problems = integrityProblems(m);
    if (!problems.isEmpty()) throw new CatalogException(problems.stream().map(p -> name + ": " + p).toList());
    return m;
  }

  private static Milestones parse(JsonNode d, String file) {
    List<Document> docs = new ArrayList<>();
    for (JsonNode n : d.get("documents")) {
      List<Requirement> reqs = new ArrayList<>();
      for (JsonNode r : n.get("requirements")) {
        List<String> levels = new ArrayList<>();
        r.get("school_levels").forEach(l -> levels.add(l.asText()));
        JsonNode dl = r.get("deadline");
        reqs.add(new Requirement(r.get("era").asText(), List.copyOf(levels), r.get("to").asText(), dl.get("day").asInt(), dl.get("month").asInt(),
            "second".equals(dl.get("calendar_year").asText()), r.get("source").asText()));
      }
      docs.add(new Document(n.get("code").asText(), n.get("name").asText(), n.get("reference").asText(), n.get("tracking").asText(),
          n.get("status").asText(), List.copyOf(reqs)));
    }
    return new Milestones(d.get("status").asText(), d.get("reform_school_year").asText(), List.copyOf(docs), file);
  }

  /** What the schema cannot say: see the schema's description. */
  static List<String> integrityProblems(Milestones m) {
    List<String> problems = new ArrayList<>();
    String[] years = m.reformSchoolYear().split("-");
    if (Integer.parseInt(years[1]) != Integer.parseInt(years[0]) + 1)
      problems.add("/reform_school_year: \"" + m.reformSchoolYear() + "\" is not a school year (the second year must follow the first)");
    Set<String> codes = new HashSet<>();
    for (int di = 0; di < m.documents().size(); di++) {
      Document d = m.documents().get(di);
      String dPath = "/documents/" + di;
      if (!codes.add(d.code())) problems.add(dPath + "/code: document \"" + d.code() + "\" appears twice");
      Set<String> covered = new HashSet<>();
      for (int ri = 0; ri < d.requirements().size(); ri++) {
        Requirement r = d.requirements().get(ri);
        String rPath = dPath + "/requirements/" + ri;
        try {
          LocalDate.of(2024, r.month(), r.day()); // a leap year: 29/02 is a day some years have
        } catch (DateTimeException e) {
          problems.add(rPath + "/deadline: " + r.day() + "/" + r.month() + " is not a day of the year");
        }
        if (ERA_AFTER.equals(r.era()) || ERA_ALL.equals(r.era()))
          if (r.schoolLevels().contains("PHONG"))
            problems.add(rPath + "/school_levels: PHONG cannot send anything from " + m.reformSchoolYear() + " (era " + r.era() + "): the Phòng GDĐT were abolished on 1/7/2025");
        if (r.schoolLevels().contains("SO") && "managing_body".equals(r.to()))
          problems.add(rPath + "/to: the Sở has no managing body in the province; send to \"bo\"");
        for (String level : r.schoolLevels())
          for (String era : ERA_ALL.equals(r.era()) ? List.of(ERA_BEFORE, ERA_AFTER) : List.of(r.era()))
            if (!covered.add(era + " " + level))
              problems.add(rPath + "/school_levels: " + level + " is required twice of " + d.code() + " " + era.replace('_', ' '));
      }
    }
    for (String required : REQUIRED_CODES)
      if (!codes.contains(required)) problems.add("/documents: the cycle's document \"" + required + "\" is missing");
    return problems;
  }
}
