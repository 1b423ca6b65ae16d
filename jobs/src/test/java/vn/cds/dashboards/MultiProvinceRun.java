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
  /**
   * Figures other bodies published, beside the provinces' own: the country's, another province's by school level (its
   * TH row given twice: the later one counts), and one row for each reason a row is rejected.
   */
  static final String PUBLISHED = """
      school_year,province_code,province_name,school_level,assessed,level_1,level_2,level_3,source
      2024-2025,,Toàn quốc,,41000,9000,20000,12000,Bộ GDĐT - báo cáo tổng hợp (minh họa)
      2024-2025,X01,Tỉnh Khác,TH,200,50,100,50,Sở GDĐT Tỉnh Khác - công bố 06/2025 (minh họa)
      2024-2025,X01,Tỉnh Khác,THCS,150,30,80,40,Sở GDĐT Tỉnh Khác - công bố 06/2025 (minh họa)
      2024-2025,X01,Tỉnh Khác,TH,210,50,110,50,Sở GDĐT Tỉnh Khác - công bố 06/2025 (minh họa)
      2024-2026,X02,Tỉnh Lỗi,TH,10,5,3,2,Nguồn A
      2024-2025,X02,Tỉnh Lỗi,TH,100,10,20,30,Nguồn A
      2024-2025,X02,Tỉnh Lỗi,ĐH,10,5,3,2,Nguồn A
      2024-2025,X02,,TH,10,5,3,2,Nguồn A
      2024-2025,X02,Tỉnh Lỗi,TH,abc,5,3,2,Nguồn A
      2024-2025,X02,Tỉnh Lỗi,THCS,10,5,3,2,
      """;
  private static Path mart;
  private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();

  private MultiProvinceRun() {}

  /** What the run printed. */
  static synchronized String console() throws Exception {
    mart();
    return CONSOLE.toString(StandardCharsets.UTF_8);
  }

  static synchronized Path mart() throws Exception {
    if (mart == null) {
      Path work = Files.createTempDirectory("cds-multi-province");
      ReferenceWorkload.write(work.resolve("input"), Catalogs.load(TestSupport.catalogs()), UNITS, DISTRICTS, 26);
      Files.writeString(work.resolve("input").resolve(vn.cds.ingest.PublishedFigures.FILE), PUBLISHED, StandardCharsets.UTF_8);
      PrintStream quiet = new PrintStream(CONSOLE, true, StandardCharsets.UTF_8);
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
