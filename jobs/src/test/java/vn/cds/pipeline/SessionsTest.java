package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertEquals(true, Sessions.smallInput(inputWith(600_000, 448_575), new Properties()), "1,048,575 bytes");
    assertEquals(false, Sessions.smallInput(inputWith(1), new Properties()), "1,048,576 bytes: the same folder and one byte more");
    assertEquals(false, Sessions.smallInput(dir.resolve("in").toUri().toString(), new Properties()), "the same folder as a file: URI");
    assertEquals(false, Sessions.smallInput("hdfs://namenode:8020/cds/in", new Properties()), "an input elsewhere keeps Spark's default");
  }

  @Test
  void codeGenerationGivenExplicitlyIsLeftAlone() throws Exception {
    String input = inputWith(10);
    assertEquals(true, Sessions.smallInput(input, new Properties()));
    assertEquals(true, Sessions.smallInput(dir.resolve("in").toUri().toString(), new Properties()), "a file: URI is read as its folder");
    Properties given = new Properties();
    given.setProperty("spark.sql.codegen.wholeStage", "true");
    assertEquals(false, Sessions.smallInput(input, given), "-Dspark.sql.codegen.wholeStage=true");
  }
}
