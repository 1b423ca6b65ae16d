package vn.cds.mart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;

/**
 * The mart of the committed sample against its golden fingerprints (rows and an order-free hash per table and view,
 * run-specific columns left out; see MartDump). A change to any output fails here until the golden is made again on
 * purpose, after checking the difference is intended:
 * {@code mvn -B -q test -Dtest=MartGoldenTest -Dcds.golden.update=true}, then commit the file with the change.
 */
class MartGoldenTest {
  static final Path GOLDEN = TestSupport.repoRoot().resolve("jobs/src/test/resources/golden/sample-mart.tsv");

  @Test
  void everyTableAndViewOfTheSampleMartIsAsGolden() throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    Map<String, MartDump.Fingerprint> actual;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + TestSupport.sampleRun().mart(), ro)) {
      actual = MartDump.fingerprints(c);
    }
    String text = MartDump.fingerprintText(actual);
    if (Boolean.getBoolean("cds.golden.update")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, text, StandardCharsets.UTF_8);
    }
    assertTrue(actual.size() >= 60, "every table and view is fingerprinted: " + actual.keySet());
    assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), text,
        "the sample's mart changed; if intended, regenerate with -Dcds.golden.update=true and say why in the commit");
  }
}
