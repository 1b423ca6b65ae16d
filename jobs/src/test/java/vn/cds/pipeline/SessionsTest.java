package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** Which runs interpret Spark's expressions: those whose exports, all files under exports/ together, are under 1 MiB. */
class SessionsTest {
  @TempDir Path dir;
  private int written;

  private String inputWith(long... fileBytes) throws Exception {
    Path exports = Files.createDirectories(dir.resolve("in/exports/phong-a"));
    for (long bytes : fileBytes) Files.write(exports.resolve("f" + (++written) + ".csv"), new byte[(int) bytes]);
    return dir.resolve("in").toString();
  }

  @Test
  void smallExportsAreInterpretedAndLargeOnesCompiled() throws Exception {
    assertEquals(true, Sessions.smallInput(inputWith(600_000, 448_575)), "1,048,575 bytes");
    assertEquals(false, Sessions.smallInput(inputWith(1)), "1,048,576 bytes: the same folder and one byte more");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  void codeGenerationGivenExplicitlyIsLeftAlone() throws Exception {
    String input = inputWith(10);
    assertEquals(true, Sessions.smallInput(input));
    System.setProperty("spark.sql.codegen.wholeStage", "true");
    try {
      assertEquals(false, Sessions.smallInput(input));
    } finally {
      System.clearProperty("spark.sql.codegen.wholeStage");
    }
  }
}
