package vn.cds.pipeline;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.cds.transform.Analytics;
import vn.cds.transform.CatalogFrames;
import vn.cds.transform.Inspection;
import vn.cds.transform.Registry;
import vn.cds.util.CsvOut;

/**
 * The inspection sample at the edges: drawn over the lake's history, stored in the lake by school year, listed as
 * CSV for the inspectors. A sample drawn by {@code cds inspect-sample} is a decision and stays; one drawn by
 * {@code cds run} (source "run") follows the data and is redrawn when its year is ingested again.
 */
public final class InspectionSample {
  public static final String SOURCE_RUN = "run";
  public static final String SOURCE_COMMAND = "command";

  /** Vietnamese headers of the CSV, one per column of {@link #CSV_QUERY}. */
  static final List<String> CSV_HEADERS = List.of("Năm học", "Thứ tự chọn", "Mã đơn vị quản lý", "Đơn vị quản lý", "Mã đơn vị", "Tên đơn vị",
      "Khu vực", "Cấp học", "Bộ chỉ số", "Điểm tự đánh giá", "Mức tự đánh giá", "Điểm rủi ro", "Mã lý do", "Lý do chọn",
      "Số đơn vị của đơn vị quản lý", "Số đơn vị phải kiểm tra", "Tỷ lệ", "Hạt giống (seed)");
  static final String CSV_QUERY = "SELECT school_year, pick_rank, managing_unit_code, managing_unit_name, unit_code, unit_name, area_name, "
      + "school_level, indicator_set, self_points, self_level, risk_score, reason_codes, reason, managing_units, managing_quota, share, seed "
      + "FROM v_inspection_sample WHERE school_year = ? ORDER BY managing_unit_code, pick_rank";

  private InspectionSample() {}

  /**
   * Draws {@code year}'s sample from the group results of every year up to it; the caller writes it. {@code population}
   * is the year's units with their managing body, area and school level ({@link #population}).
   */
  static Dataset<Row> draw(Dataset<Row> groupResults, Dataset<Row> population, Dataset<Row> pastSamples, List<String> lakeYears, String year,
      CatalogFrames catalog, Inspection.Rules rules, String source) {
    int i = lakeYears.indexOf(year);
    String previous = i > 0 ? lakeYears.get(i - 1) : null;
    return Inspection.draw(Inspection.riskFactors(groupResults.filter(col("school_year").leq(year)), population, pastSamples, year, previous,
        catalog, rules), rules, source);
  }

  /** The units registered in {@code year}, from the registry and that year's group results (a run has them already). */
  static Dataset<Row> population(Dataset<Row> groupResults, Dataset<Row> units, Dataset<Row> areas, String year, CatalogFrames catalog) {
    Dataset<Row> unitYears = Registry.unitYears(units, List.of(year));
    Dataset<Row> thisYear = groupResults.filter(col("school_year").equalTo(year));
    return Inspection.population(Analytics.unitYearLevels(unitYears, thisYear, areas, catalog), unitYears, year);
  }

  /** The samples already in the lake (unit_code, school_year, source); none before the first draw. */
  static Dataset<Row> stored(SparkSession spark, Lake lake) {
    if (lake.years(Lake.INSPECTION_SAMPLE).isEmpty())
      return spark.createDataFrame(List.of(), org.apache.spark.sql.types.StructType.fromDDL("unit_code string, school_year string, source string"));
    return spark.read().parquet(lake.path(Lake.INSPECTION_SAMPLE)).select("unit_code", "school_year", "source");
  }

  /** Writes the year's sample from the mart as CSV for the inspectors; returns the number of units listed. */
  static int writeCsv(Path mart, String year, Path csv) throws Exception {
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + mart.toAbsolutePath(), readOnly);
        PreparedStatement ps = c.prepareStatement(CSV_QUERY)) {
      ps.setString(1, year);
      try (ResultSet rs = ps.executeQuery()) {
        return CsvOut.write(csv, CSV_HEADERS, rs);
      }
    }
  }

  /** What {@code cds inspect-sample} reports. */
  public record Drawn(String year, long units, long managingBodies, Path csv, Path mart) {}

  /**
   * {@code cds inspect-sample}: draws {@code year}'s sample over the lake with the given share and seed, replaces that
   * year's sample in the lake and the mart, and writes the CSV.
   */
  public static Drawn command(SparkSession spark, String out, String lakeRoot, Path catalogsDir, String year, Double share, Long seed)
      throws Exception {
    Lake lake = Lake.of(lakeRoot, out, spark.sparkContext().hadoopConfiguration());
    lake.recover();
    List<String> years = lake.years(Lake.GROUP_RESULT);
    if (years.isEmpty()) throw new ConfigException("Chưa có dữ liệu trong " + lake.root() + " — chạy ./cds run trước (no lake yet: run cds run first)");
    if (!years.contains(year))
      throw new ConfigException("Năm học " + year + " không có trong kho dữ liệu (school year not in the lake); có: " + String.join(", ", years));
    Path martDir = Path.of(out, "mart"), martFile = martDir.resolve(vn.cds.mart.MartBuilder.MART_FILE);
    if (!java.nio.file.Files.exists(martFile)) throw new ConfigException("Không thấy kho DuckDB (mart not found): " + martFile);
    if (share != null && !(share > 0 && share <= 1)) throw new ConfigException("--share phải trong khoảng (0, 1] (must be in (0, 1]): " + share);
    Inspection.Rules d = Oversight.load(catalogsDir).inspection();
    Inspection.Rules rules = new Inspection.Rules(share != null ? share : d.share(), seed != null ? seed : d.seed(), d.gapPoints(), d.jumpPoints(),
        d.nearThresholdPoints(), d.weightPastGap(), d.weightLargeJump(), d.weightNearThreshold(), d.weightNeverInspected());
    CatalogFrames catalog = new CatalogFrames(spark, vn.cds.catalog.Catalogs.load(catalogsDir));
    Dataset<Row> groupResults = spark.read().parquet(lake.path(Lake.GROUP_RESULT)).filter(col("school_year").isNotNull());
    Dataset<Row> stored = stored(spark, lake).localCheckpoint(true);
    Dataset<Row> population = population(groupResults, spark.read().parquet(lake.path(Lake.DIM_UNIT)), spark.read().parquet(lake.path(Lake.DIM_AREA)),
        year, catalog);
    Dataset<Row> sample = draw(groupResults, population, stored, years, year, catalog, rules, SOURCE_COMMAND).localCheckpoint(true);
    lake.writePartitioned(sample, Lake.INSPECTION_SAMPLE, List.of(year));
    vn.cds.mart.MartBuilder mart = new vn.cds.mart.MartBuilder(lake.local(Path.of(out, Pipeline.LAKE_COPY)), martDir);
    mart.refreshInspectionSample("inspect-" + Long.toHexString(System.nanoTime())); // swaps in a new martFile
    Path csv = csvFile(out, year);
    writeCsv(martFile, year, csv);
    return new Drawn(year, sample.count(), sample.select("managing_unit_code").distinct().count(), csv, martFile);
  }

  public static Path csvFile(String out, String year) {
    return Path.of(out, "inspection", "mau-kiem-tra-" + year + ".csv");
  }
}
