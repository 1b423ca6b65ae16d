package vn.cds.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.Milestones;
import vn.cds.ingest.ExportReader;

class SampleGeneratorTest {
  @TempDir Path tmp;

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  /** CSV files byte for byte, XLSX by content (the zip container stamps times). */
  private static String content(Path root, Path rel) throws Exception {
    byte[] bytes = Files.readAllBytes(root.resolve(rel));
    if (!rel.toString().endsWith(".xlsx")) return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    return ExportReader.parse(bytes, rel.toString()).rows().toString();
  }

  @Test
  void theSameSeedGivesTheSameDataAndTheCommittedSampleIsSeed2025() throws Exception {
    Catalogs catalogs = Catalogs.load(TestSupport.catalogs());
    Path a = tmp.resolve("a"), other = tmp.resolve("other");
    Milestones rules = Milestones.load(TestSupport.repoRoot().resolve("schemas/" + Milestones.FILE));
    SampleGenerator.Stats stats = new SampleGenerator(2025, 1, catalogs, rules).write(a);
    new SampleGenerator(7, 1, catalogs, rules).write(other);
    Path committed = TestSupport.repoRoot().resolve("sample-data");
    assertEquals(files(committed), files(a), "same files as the committed sample");
    for (Path rel : files(a)) assertEquals(content(committed, rel), content(a, rel), rel.toString());
    assertEquals(5279, stats.rows());
    assertTrue(stats.units() > 1000, "a province of 1,000+ units: " + stats);
    assertNotEquals(Files.readString(a.resolve("units.csv")), Files.readString(other.resolve("units.csv")), "another seed, another province");
  }

  /** The national profile: 63 provinces, 705 districts, and exactly the published mix of units, the same every time. */
  @Test
  void theNationalProfileHasThePublishedMix() {
    Geography national = Geography.national(2025);
    assertEquals(63, national.provinces.size());
    assertEquals(705, national.districts.size());
    assertEquals(List.of("2022-2023", "2023-2024", "2024-2025", "2025-2026", "2026-2027"), national.years);
    java.util.Map<String, Integer> totals = new java.util.LinkedHashMap<>();
    for (String level : List.of("MN", "TH", "THCS", "THPT", "GDTX"))
      totals.put(level, national.districts.stream().mapToInt(d -> national.units(d, level, 0, 1)).sum());
    assertEquals(java.util.Map.of("MN", 15_500, "TH", 12_700, "THCS", 10_800, "THPT", 2_900, "GDTX", 640), totals);
    assertTrue(national.provinces.stream().allMatch(p -> national.districts.stream().anyMatch(d -> d.provinceCode().equals(p.code()))),
        "every province has a district");
    assertEquals(2 * 15_500, national.districts.stream().mapToInt(d -> national.units(d, "MN", 0, 2)).sum(), "--scale multiplies");
    assertEquals(national.districts, Geography.national(2025).districts, "deterministic");
    assertEquals("SO01", national.provinces.get(0).soCode());
  }
}
