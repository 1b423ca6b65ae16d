package vn.cds.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

/** schemas/milestones.json: the project's rules load, and a rules file broken against each integrity rule says where. */
class MilestonesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static Path projectFile() {
    return TestSupport.repoRoot().resolve("schemas/" + Milestones.FILE);
  }

  @Test
  void projectRulesLoadWithTheCyclesDocuments() {
    Milestones m = Milestones.load(projectFile());
    assertEquals(Milestones.REQUIRED_CODES, m.documents().stream().map(Milestones.Document::code).toList());
    assertEquals("2025-2026", m.reformSchoolYear());
    assertTrue(m.provisional(), "the deadlines are the letters' defaults");
    Milestones.Requirement plan = m.document("ke_hoach").orElseThrow().requirements().get(0);
    assertEquals(List.of(30, 11, 0), List.of(plan.day(), plan.month(), plan.secondYear() ? 1 : 0));
    assertTrue(plan.source().contains("03/14 phòng GDĐT gửi Kế hoạch"), plan.source());
    assertTrue(plan.appliesTo("2024-2025", "2025-2026") && !plan.appliesTo("2025-2026", "2025-2026"), "the Phòng's rule ends with the reform");
    assertEquals("url", m.document("cong_bo").orElseThrow().reference());
    assertEquals("share_of_units", m.document("kiem_tra").orElseThrow().tracking());
    assertEquals(Path.of(projectFile().toString()), Milestones.find(TestSupport.catalogs()).orElseThrow(), "found beside the catalog folder");
  }

  /** Copies the project's rules and schema, breaks the rules with {@code breaker}, and returns the error lines. */
  private List<String> problemsAfter(Consumer<ObjectNode> breaker) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "rules");
    Files.copy(projectFile().resolveSibling(Milestones.SCHEMA_FILE), dir.resolve(Milestones.SCHEMA_FILE));
    ObjectNode doc = (ObjectNode) JSON.readTree(projectFile().toFile());
    breaker.accept(doc);
    JSON.writeValue(dir.resolve(Milestones.FILE).toFile(), doc);
    return assertThrows(CatalogException.class, () -> Milestones.load(dir.resolve(Milestones.FILE))).problems();
  }

  private static ObjectNode document(ObjectNode doc, int d) {
    return (ObjectNode) doc.get("documents").get(d);
  }

  private static ObjectNode requirement(ObjectNode doc, int d, int r) {
    return (ObjectNode) document(doc, d).get("requirements").get(r);
  }

  @Test
  void codesMustBeUnique() throws IOException {
    assertEquals(List.of("milestones.json: /documents/1/code: document \"ke_hoach\" appears twice",
        "milestones.json: /documents: the cycle's document \"bo_phan_cds\" is missing"),
        problemsAfter(doc -> document(doc, 1).put("code", "ke_hoach")));
  }

  @Test
  void everyDocumentOfTheCycleMustBeThere() throws IOException {
    assertEquals(List.of("milestones.json: /documents: the cycle's document \"kiem_tra\" is missing"),
        problemsAfter(doc -> ((ArrayNode) doc.get("documents")).remove(7)));
  }

  @Test
  void schoolLevelsMustBeKnown() throws IOException {
    assertEquals(List.of("milestones.json: /documents/2/requirements/0/school_levels/1: value \"TIEU_HOC\" is not one of "
        + "[\"MN\",\"TH\",\"THCS\",\"THPT\",\"GDTX\",\"TH-THCS\",\"THCS-THPT\",\"TH-THCS-THPT\",\"PHONG\",\"SO\"]"),
        problemsAfter(doc -> ((ArrayNode) requirement(doc, 2, 0).get("school_levels")).set(1, "TIEU_HOC")));
  }

  @Test
  void recipientsMustBeKnown() throws IOException {
    assertEquals(List.of("milestones.json: /documents/6/requirements/0/to: value \"phong\" is not one of [\"managing_body\",\"so\",\"bo\"]"),
        problemsAfter(doc -> requirement(doc, 6, 0).put("to", "phong")));
  }

  @Test
  void theDeadlineMustBeADayOfTheYear() throws IOException {
    assertEquals(List.of("milestones.json: /documents/3/requirements/0/deadline: 30/2 is not a day of the year"),
        problemsAfter(doc -> ((ObjectNode) requirement(doc, 3, 0).get("deadline")).put("day", 30)));
    assertEquals(List.of("milestones.json: /documents/3/requirements/0/deadline/month: 13 is above the maximum 12"),
        problemsAfter(doc -> ((ObjectNode) requirement(doc, 3, 0).get("deadline")).put("month", 13)));
  }

  @Test
  void noPhongAfterTheReform() throws IOException {
    assertEquals(List.of("milestones.json: /documents/0/requirements/1/school_levels: PHONG cannot send anything from 2025-2026 (era after_reform): "
        + "the Phòng GDĐT were abolished on 1/7/2025"),
        problemsAfter(doc -> ((ArrayNode) requirement(doc, 0, 1).get("school_levels")).add("PHONG")));
  }

  @Test
  void aSchoolLevelIsRequiredOnceOfADocumentInAnEra() throws IOException {
    assertEquals(List.of("milestones.json: /documents/6/requirements/1/school_levels: PHONG is required twice of bao_cao before reform"),
        problemsAfter(doc -> {
          ObjectNode r = requirement(doc, 6, 1);
          r.put("era", "before_reform");
          ((ArrayNode) r.get("school_levels")).set(0, "PHONG");
        }));
  }

  @Test
  void theSoSendsToTheMinistry() throws IOException {
    assertEquals(List.of("milestones.json: /documents/0/requirements/2/to: the Sở has no managing body in the province; send to \"bo\""),
        problemsAfter(doc -> requirement(doc, 0, 2).put("to", "managing_body")));
  }

  @Test
  void theReformYearMustBeASchoolYear() throws IOException {
    assertEquals(List.of("milestones.json: /reform_school_year: \"2025-2027\" is not a school year (the second year must follow the first)"),
        problemsAfter(doc -> doc.put("reform_school_year", "2025-2027")));
  }

  @Test
  void theSchemaRejectsUnknownFieldsAndMissingSources() throws IOException {
    assertEquals(List.of("milestones.json: /documents/4: unknown field \"deadline\""), problemsAfter(doc -> document(doc, 4).put("deadline", "31/05")));
    assertEquals(List.of("milestones.json: /documents/5/requirements/0: missing required field \"source\""),
        problemsAfter(doc -> requirement(doc, 5, 0).remove("source")));
  }
}
