package vn.cds.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

class CatalogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void projectCatalogsLoadWithTheSharedCriterionIds() throws IOException {
    Catalogs catalogs = Catalogs.load(TestSupport.catalogs());
    assertEquals(List.of("QD3267", "QD3806", "QD4725"), catalogs.sets().stream().map(IndicatorSet::id).sorted().toList());
    // every criterion id of the shared reference catalog, and no other, in the same set and group (a copy of the domain
    // notes' indicator-sets.json, kept in the test resources so the tests read nothing outside the repository)
    JsonNode reference;
    try (var in = CatalogsTest.class.getResourceAsStream("/reference/indicator-sets.json")) {
      reference = JSON.readTree(in);
    }
    for (JsonNode set : reference.get("sets")) {
      IndicatorSet ours = catalogs.byId(set.get("id").asText()).orElseThrow();
      for (JsonNode group : set.get("groups")) {
        Set<String> expected = new java.util.TreeSet<>();
        group.get("criteria").forEach(c -> expected.add(c.get("id").asText()));
        Set<String> actual = ours.groups().stream().filter(g -> g.id().equals(group.get("id").asText())).findFirst().orElseThrow()
            .criteria().stream().map(IndicatorSet.Criterion::id).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertEquals(expected, actual, set.get("id").asText() + " group " + group.get("id").asText());
      }
    }
    IndicatorSet qd4725 = catalogs.byId("QD4725").orElseThrow();
    assertEquals(100.0, qd4725.groups().get(0).maxPoints());
    assertTrue(qd4725.provisional(), "QĐ 4725 has provisional criteria and inferred policies");
    assertTrue(qd4725.unverifiedParts().contains("QT5=inferred"));
    assertEquals("QD3267", catalogs.byAlias("3276").orElseThrow().id(), "the common misspelling 3276 selects the preschool set");
    assertEquals("QD4725", catalogs.byAlias("QĐ 4725/QĐ-BGDĐT").orElseThrow().id());
    assertEquals("QD3267", catalogs.forSchoolLevel("MN", "2024-2025").orElseThrow().id());
    assertFalse(catalogs.forSchoolLevel("MN", "2023-2024").isPresent(), "preschools have no set before 2024-2025");
  }

  /** Copies the project catalogs, breaks QD4725 with {@code breaker}, and returns the error lines. */
  private List<String> problemsAfter(Consumer<ObjectNode> breaker) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "catalogs");
    for (String f : List.of("qd4725.v1.json", "qd3267.v1.json", "qd3806.v1.json", "indicator-set.schema.json"))
      Files.copy(TestSupport.catalogs().resolve(f), dir.resolve(f));
    ObjectNode doc = (ObjectNode) JSON.readTree(dir.resolve("qd4725.v1.json").toFile());
    breaker.accept(doc);
    JSON.writeValue(dir.resolve("qd4725.v1.json").toFile(), doc);
    CatalogException e = assertThrows(CatalogException.class, () -> Catalogs.load(dir));
    return e.problems();
  }

  private static ObjectNode group(ObjectNode doc, int g) {
    return (ObjectNode) doc.get("groups").get(g);
  }

  private static ObjectNode criterion(ObjectNode doc, int g, int c) {
    return (ObjectNode) group(doc, g).get("criteria").get(c);
  }

  private static ObjectNode band(ObjectNode doc, int b) {
    return (ObjectNode) doc.get("level_rule").get("levels").get(b);
  }

  @Test
  void groupMaxMustEqualTheSumOfItsCriteria() throws IOException {
    assertEquals(List.of("qd4725.v1.json: /groups/0/max_points: group DH has max_points 100 but its criteria sum to 104"),
        problemsAfter(doc -> criterion(doc, 0, 7).put("max_points", 14)));
  }

  @Test
  void criterionIdsMustBeUnique() throws IOException {
    List<String> problems = problemsAfter(doc -> criterion(doc, 0, 3).put("id", "DH3.1"));
    assertTrue(problems.contains("qd4725.v1.json: /groups/0/criteria/3/id: criterion \"DH3.1\" appears twice"), problems.toString());
  }

  @Test
  void parentMustExist() throws IOException {
    assertEquals(List.of("qd4725.v1.json: /groups/0/criteria/7/parent: parent \"DH9\" of DH4 does not exist in group DH"),
        problemsAfter(doc -> criterion(doc, 0, 7).put("parent", "DH9")));
  }

  @Test
  void levelBandsMustNotLeaveAGap() throws IOException {
    List<String> problems = problemsAfter(doc -> band(doc, 1).put("lower", 55));
    assertEquals("qd4725.v1.json: /level_rule/levels (group DH)/1/lower: gap or overlap: band 1 ends at 50, band 2 starts at 55", problems.get(0));
  }

  @Test
  void aBoundaryMustBelongToExactlyOneBand() throws IOException {
    List<String> problems = problemsAfter(doc -> band(doc, 2).put("lower_inclusive", true));
    assertEquals("qd4725.v1.json: /level_rule/levels (group DH)/2/lower_inclusive: the boundary 75 belongs to two bands", problems.get(0));
  }

  @Test
  void levelBandsMustCoverUpToTheGroupMaximum() throws IOException {
    List<String> problems = problemsAfter(doc -> band(doc, 2).put("upper", 90));
    assertEquals("qd4725.v1.json: /level_rule/levels (group DH)/2/upper: the last band must end at the maximum 100 inclusive, not 90", problems.get(0));
  }

  @Test
  void criterionBandsMustMatchTheirCriteria() throws IOException {
    List<String> problems = problemsAfter(doc -> ((ObjectNode) group(doc, 0).get("criterion_bands").get(0)).put("max_points", 25));
    assertTrue(problems.contains("qd4725.v1.json: /groups/0/criterion_bands/0/max_points: bands of DH3 say max 25 but its criteria sum to 30"),
        problems.toString());
  }

  @Test
  void mandatoryCriteriaAreWorthNoPoints() throws IOException {
    List<String> problems = problemsAfter(doc -> criterion(doc, 0, 0).put("max_points", 5));
    assertTrue(problems.contains("qd4725.v1.json: /groups/0/criteria/0/max_points: mandatory criterion DH1 must be worth 0 points"), problems.toString());
  }

  @Test
  void schemaRequiresFields() throws IOException {
    assertEquals(List.of("qd4725.v1.json: /groups/1/criteria/4: missing required field \"status\""),
        problemsAfter(doc -> criterion(doc, 1, 4).remove("status")));
  }

  @Test
  void schemaChecksTypesAndEnums() throws IOException {
    assertEquals(List.of("qd4725.v1.json: /groups/0/max_points: expected number but found the string \"một trăm\""),
        problemsAfter(doc -> group(doc, 0).put("max_points", "một trăm")));
    assertEquals(List.of("qd4725.v1.json: /groups/0/criteria/5/status: value \"draft\" is not one of [\"verified\",\"provisional\",\"inferred\"]"),
        problemsAfter(doc -> criterion(doc, 0, 5).put("status", "draft")));
  }

  @Test
  void schemaRejectsUnknownFields() throws IOException {
    assertEquals(List.of("qd4725.v1.json: /level_rule: unknown field \"overal\""),
        problemsAfter(doc -> ((ObjectNode) doc.get("level_rule")).put("overal", "min_of_groups")));
  }

  @Test
  void aliasesMustNotCollideAcrossSets() throws IOException {
    assertEquals(List.of("qd4725.v1.json: /aliases: \"3806\" is already an alias in qd3806.v1.json"),
        problemsAfter(doc -> ((ArrayNode) doc.get("aliases")).add("3806")));
  }

  @Test
  void invalidJsonNamesTheFile() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(dir.resolve("broken.json"), "{\"id\": \"X\",");
    CatalogException e = assertThrows(CatalogException.class, () -> Catalogs.load(dir));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).startsWith("broken.json: not valid JSON"), e.problems().get(0));
  }

  @Test
  void missingFolderIsOneClearError() {
    CatalogException e = assertThrows(CatalogException.class, () -> Catalogs.load(tmp.resolve("nowhere")));
    assertEquals(List.of(tmp.resolve("nowhere") + ": catalog folder not found"), e.problems());
  }

  @Test
  void bandsDecideFractionalBoundaries() {
    List<IndicatorSet.Band> bands = Catalogs.load(TestSupport.catalogs()).byId("QD4725").orElseThrow().levelRule().levels();
    Map<Double, Integer> expected = Map.of(0.0, 1, 49.99, 1, 50.0, 2, 75.0, 2, 75.01, 3, 75.5, 3, 100.0, 3);
    expected.forEach((points, level) ->
        assertEquals(level, bands.stream().filter(b -> b.contains(points)).findFirst().orElseThrow().level(), "points " + points));
  }
}
