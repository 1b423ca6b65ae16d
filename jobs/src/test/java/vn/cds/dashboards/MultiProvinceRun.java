package vn.cds.dashboards;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;
import vn.cds.TestSupport;
import vn.cds.catalog.Catalogs;
import vn.cds.generate.ReferenceWorkload;
import vn.cds.pipeline.Pipeline;
import vn.cds.pipeline.Progress;

/**
 * A small mart of several provinces, made once per test JVM by the real pipeline over a generated reference workload:
 * eleven provinces ("Tỉnh 0" … "Tỉnh 10", so that text order and natural order differ), ten with two districts and
 * "Tỉnh 10" with 45, so that one province has more areas than an axis may draw.
 */
final class MultiProvinceRun {
  static final int[] DISTRICTS = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 45};
  static final int UNITS = 800;
  static final String BIG = "P10";
  static final String YEAR = "2024-2025";
  private static Path mart;

  private MultiProvinceRun() {}

  static synchronized Path mart() throws Exception {
    if (mart == null) {
      Path work = Files.createTempDirectory("cds-multi-province");
      ReferenceWorkload.write(work.resolve("input"), Catalogs.load(TestSupport.catalogs()), UNITS, DISTRICTS, 26);
      PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      mart = new Pipeline(TestSupport.spark(), new Progress(quiet))
          .run(new Pipeline.Config(work.resolve("input").toString(), work.resolve("out").toString(), TestSupport.catalogs(), false)).mart();
    }
    return mart;
  }

  static Connection connect() throws Exception {
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + mart(), ro);
  }

  static List<String> rows(String sql) throws Exception {
    try (Connection c = connect()) {
      return TestSupport.rows(c, sql);
    }
  }
}
