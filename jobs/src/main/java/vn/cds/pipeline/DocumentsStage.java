package vn.cds.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static vn.cds.pipeline.Steps.boundary;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import vn.cds.catalog.Milestones;
import vn.cds.transform.Registry;
import vn.cds.transform.Submissions;
import vn.cds.transform.Validation;

/**
 * The yearly cycle's documents: submissions checked (pure transforms), every required document of every unit tracked
 * in each school year the submissions record (one with no accepted row was not tracked by the Sở: showing every
 * unit as missing everything would be noise), and all of it written whole (submissions.csv describes the whole
 * cycle, not one year).
 */
final class DocumentsStage {
  private DocumentsStage() {}

  record Config(Lake lake, Milestones milestones, Oversight oversight, InputFolder.Submissions submissions, Dataset<Row> deadlines,
      Dataset<Row> units, Dataset<Row> areas) {}

  static Pipeline.Documents run(SparkSession spark, Config cfg) {
    Milestones milestones = cfg.milestones();
    InputFolder.Submissions submissions = cfg.submissions();
    Dataset<Row> documents = Submissions.documents(spark, milestones, cfg.oversight().inspection().share());
    Dataset<Row> requirements = Submissions.requirements(spark, milestones);
    // no submissions file: the three tables are written empty, with their columns, and no query is run for them (on a
    // small input each query costs its planning and generated code, whatever its rows: BENCHMARKS.md, "Where a small run's time goes")
    boolean none = submissions.files().isEmpty();
    Dataset<Row> checked = Submissions.dispositions(Submissions.resolve(submissions.rows(), cfg.units(), documents, requirements,
        milestones.reformSchoolYear()));
    Dataset<Row> disposed = none ? empty(spark, checked) : boundary(checked);
    Dataset<Row> issueRows = Submissions.issues(disposed).unionByName(Submissions.fileIssues(submissions.fileProblems()));
    Dataset<Row> issues = none ? empty(spark, issueRows) : boundary(issueRows);
    List<String> years = none ? List.of() : disposed.filter(col("disposition").equalTo(Validation.ACCEPTED)).select("school_year").distinct()
        .sort("school_year").as(Encoders.STRING()).collectAsList();
    Dataset<Row> tracked = Submissions.unitDocuments(Registry.unitYears(cfg.units(), years), cfg.areas(), documents, requirements,
        cfg.deadlines(), disposed, milestones.reformSchoolYear());
    Dataset<Row> unitDocuments = none ? empty(spark, tracked) : boundary(tracked);
    Lake lake = cfg.lake();
    lake.writeAll(List.of(
        () -> lake.writeWhole(disposed.drop("problems", "column_letters", "first_row", "province_code"), Lake.SUBMISSION),
        () -> lake.writeWhole(issues, Lake.SUBMISSION_ISSUE),
        () -> lake.writeWhole(unitDocuments, Lake.UNIT_DOCUMENT),
        () -> lake.writeWhole(documents, Lake.DIM_DOCUMENT),
        () -> lake.writeWhole(requirements, Lake.DIM_DOCUMENT_REQUIREMENT),
        () -> lake.writeWhole(cfg.deadlines(), Lake.DOCUMENT_DEADLINE)));
    if (none) return new Pipeline.Documents(submissions.files(), 0, 0, 0, 0, 0);
    // rows read counted from the reader's rows, not from the dispositions: a transform that lost or doubled a row shows
    long read = submissions.rows().count();
    Row c = disposed.agg(sum(when(col("disposition").equalTo(Validation.ACCEPTED), 1).otherwise(0)),
        sum(when(col("disposition").equalTo(Validation.REJECTED), 1).otherwise(0)),
        sum(when(col("disposition").equalTo(Validation.SUPERSEDED), 1).otherwise(0))).first();
    return new Pipeline.Documents(submissions.files(), read, c.isNullAt(0) ? 0 : c.getLong(0), c.isNullAt(1) ? 0 : c.getLong(1),
        c.isNullAt(2) ? 0 : c.getLong(2), submissions.fileProblems().count());
  }

  /** No rows, the columns of {@code step}: its plan is only analysed, never run. */
  private static Dataset<Row> empty(SparkSession spark, Dataset<Row> step) {
    return spark.createDataFrame(List.of(), step.schema());
  }
}
