package vn.cds.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static vn.cds.pipeline.Steps.boundary;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import vn.cds.ingest.ExportReader;
import vn.cds.ingest.IngestSchemas;
import vn.cds.transform.CatalogFrames;
import vn.cds.transform.Scoring;
import vn.cds.transform.Validation;

/**
 * Read and validate: the export files parsed (the edge), each row resolved against the registry and its indicator set,
 * every problem found, and each row's disposition (accepted, rejected, superseded) and whether it is its unit-year's
 * official result.
 */
final class IngestStage {
  private IngestStage() {}

  /** {@code beside}: where work off the path to the scores runs (the issues' last step). */
  record Config(InputFolder.Exports exports, Dataset<Row> units, CatalogFrames catalog, Progress progress, ExecutorService beside) {}

  /**
   * @param summaries one row per file: rows read, its error, the columns dropped and ignored
   * @param resolved one row per export row with its cells, registry fields and set
   * @param assessments one row per export row with its disposition and {@code is_official}, without the cells
   * @param years the school years of the rows read
   * @param validationIssues every problem validation found, with its severity (made beside the next stages)
   */
  record Result(Dataset<Row> summaries, Dataset<Row> resolved, Dataset<Row> assessments, List<String> years,
      Future<Dataset<Row>> validationIssues) {}

  static Result run(SparkSession spark, Config cfg) {
    Dataset<Row> parsed = read(spark, cfg);
    Progress.Stage stage = cfg.progress().stage("validate");
    Dataset<Row> rawRows = parsed.select(explode(col("rows")).as("r")).select("r.*");
    Dataset<Row> resolved = boundary(Validation.resolve(rawRows, cfg.units(), cfg.catalog()));
    Dataset<Row> found = boundary(Validation.issues(resolved));
    Dataset<Row> assessments = boundary(Scoring.markOfficial(Validation.dispositions(resolved, found)));
    Future<Dataset<Row>> validationIssues = cfg.beside().submit(() -> boundary(Validation.withSupersededIssues(found, assessments)));
    // the rows and their school years in one job
    Row counted = assessments.agg(count(lit(1)), sort_array(collect_set(col("school_year")))).first();
    List<String> years = List.copyOf(counted.<String>getList(1));
    stage.done(Progress.count(counted.getLong(0)) + " rows, school years " + String.join(", ", years));
    return new Result(parsed.select("summary.*"), resolved, assessments, years, validationIssues);
  }

  /** The files parsed, one row each (its rows and its summary); a run with no readable row stops here. */
  private static Dataset<Row> read(SparkSession spark, Config cfg) {
    Progress.Stage stage = cfg.progress().stage("read");
    List<InputFolder.ExportFile> files = cfg.exports().files();
    Dataset<Row> parsed = withSmallGeneratedMethods(spark, () -> boundary(parseFiles(spark, files)));
    // what the console says of the files, from their summaries fetched at once (one row per file): one job, not one per figure
    List<Row> summaries = parsed.select("summary.rows_read", "summary.error_code", "summary.dropped_columns", "summary.ignored_columns")
        .collectAsList();
    long rowsRead = summaries.stream().mapToLong(r -> r.getInt(0)).sum();
    stage.done(files.size() + " files, " + Progress.count(rowsRead) + " rows");
    reportSkipped(cfg.progress(), cfg.exports().skipped());
    reportColumns(cfg.progress(), summaries);
    if (rowsRead == 0)
      throw new ConfigException("Không đọc được dòng dữ liệu nào từ " + files.size() + " tệp (nothing readable in any export file: "
          + summaries.stream().filter(r -> !r.isNullAt(1)).count() + " with errors)");
    return parsed;
  }

  private static Dataset<Row> parseFiles(SparkSession spark, List<InputFolder.ExportFile> files) {
    List<Row> paths = files.stream().map(f -> RowFactory.create(f.uri(), f.relativeName())).toList();
    int slices = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism() * 4));
    return spark.createDataFrame(paths, StructType.fromDDL("uri string, name string"))
        .repartition(slices)
        .map((MapFunction<Row, Row>) r -> IngestSchemas.toRow(ExportReader.read(r.getString(0), r.getString(1))),
            Encoders.row(IngestSchemas.PARSED_FILE));
  }

  private static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";

  /**
   * For the read only (unless the user set it): Spark falls back from whole-stage code generation where a generated
   * method would be over HotSpot's 8,000-byte JIT limit. The encoder of the parsed files' nested rows is such a method,
   * and it otherwise runs interpreted (a third of the read's CPU): the national read 26-37 s -> 21-25 s. For the whole
   * run the setting cost more in the analytics than it saved here, and the validation gained nothing measurable
   * (BENCHMARKS.md, "What was tried", sessions 9 and 10).
   */
  private static Dataset<Row> withSmallGeneratedMethods(SparkSession spark, Supplier<Dataset<Row>> step) {
    if (spark.conf().contains(HUGE_METHOD_LIMIT)) return step.get();
    spark.conf().set(HUGE_METHOD_LIMIT, "8000");
    try {
      return step.get(); // the step is a stage boundary: it has run when it returns
    } finally {
      spark.conf().unset(HUGE_METHOD_LIMIT);
    }
  }

  /** The OS's litter under exports/ is not read, and said so once, with its count, so that no file leaves unseen. */
  private static void reportSkipped(Progress progress, List<String> skipped) {
    if (skipped.isEmpty()) return;
    progress.line(String.format(Locale.ROOT, "  Bỏ qua %d tệp ẩn hoặc tệp rác của hệ điều hành/Office (skipped %d hidden, OS or Office lock files): %s%s",
        skipped.size(), skipped.size(), String.join(", ", skipped.subList(0, Math.min(5, skipped.size()))), skipped.size() > 5 ? ", …" : ""));
  }

  /**
   * Contact columns dropped and unknown columns ignored (fields 2 and 3 of the files' summaries, each column as
   * "letter header"), each header with the number of files it appeared in.
   */
  private static void reportColumns(Progress progress, List<Row> summaries) {
    String[] kinds = {"Cột thông tin liên hệ đã bỏ, không lưu (contact columns dropped)", "Cột không nhận ra, bỏ qua (unknown columns ignored)"};
    for (int k = 0; k < kinds.length; k++) {
      Map<String, Integer> files = new TreeMap<>();
      for (Row r : summaries)
        for (String column : r.<String>getList(2 + k)) files.merge(column.replaceFirst("^[A-Z]+ ", ""), 1, Integer::sum);
      if (files.isEmpty()) continue;
      StringJoiner line = new StringJoiner(", ", "  " + kinds[k] + ": ", "");
      files.forEach((header, n) -> line.add("\"" + header + "\" (" + n + " tệp)"));
      progress.line(line.toString());
    }
  }
}
