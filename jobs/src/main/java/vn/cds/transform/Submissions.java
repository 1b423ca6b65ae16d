package vn.cds.transform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vn.cds.catalog.Milestones;
import vn.cds.ingest.Reasons;
import vn.cds.ingest.Values;

/**
 * The documents units sent (submissions.csv) checked against the registry and schemas/milestones.json, and every
 * required document of every unit and school year tracked against its deadline. Pure Dataset -> Dataset steps.
 */
public final class Submissions {
  private Submissions() {}

  /** A link a person could open: http(s), a host with a dot, then anything without spaces. Shape only, never fetched. */
  static final String URL_PATTERN = "^(?i)https?://[^\\s/?#.]+(\\.[^\\s/?#.]+)+([/?#]\\S*)?$";

  private static final UserDefinedFunction YEAR = functions.udf((UDF1<String, String>) Values::schoolYear, DataTypes.StringType);
  private static final UserDefinedFunction DATE = functions.udf((UDF1<String, java.sql.Date>) s -> {
    java.time.LocalDate d = Values.date(s);
    return d == null ? null : java.sql.Date.valueOf(d);
  }, DataTypes.DateType);

  public static final StructType DOCUMENT = StructType.fromDDL("document string, document_name string, document_order int, "
      + "reference_kind string, tracking string, status string, required_share double");
  public static final StructType REQUIREMENT = StructType.fromDDL("document string, era string, school_level string, recipient string, "
      + "deadline_day int, deadline_month int, deadline_calendar_year string, source string");

  /** One row per document kind; {@code inspectionShare} is the share a share_of_units document must reach (oversight.json). */
  public static Dataset<Row> documents(SparkSession spark, Milestones m, double inspectionShare) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < m.documents().size(); i++) {
      Milestones.Document d = m.documents().get(i);
      rows.add(RowFactory.create(d.code(), d.name(), i + 1, d.reference(), d.tracking(), d.status(),
          "share_of_units".equals(d.tracking()) ? inspectionShare : null));
    }
    return spark.createDataFrame(rows, DOCUMENT);
  }

  /** One row per document × era (before_reform, after_reform) × school level that must send it. */
  public static Dataset<Row> requirements(SparkSession spark, Milestones m) {
    List<Row> rows = new ArrayList<>();
    for (Milestones.Document d : m.documents())
      for (Milestones.Requirement r : d.requirements())
        for (String era : Milestones.ERA_ALL.equals(r.era()) ? List.of(Milestones.ERA_BEFORE, Milestones.ERA_AFTER) : List.of(r.era()))
          for (String level : r.schoolLevels())
            rows.add(RowFactory.create(d.code(), era, level, r.to(), r.day(), r.month(), r.secondYear() ? "second" : "first", r.source()));
    return spark.createDataFrame(rows, REQUIREMENT);
  }

  static Column era(Column schoolYear, String reformYear) {
    return when(schoolYear.geq(lit(reformYear)), lit(Milestones.ERA_AFTER)).otherwise(lit(Milestones.ERA_BEFORE));
  }

  /** Each unit's registry row as of a school year (the latest valid one), joined on equality of code and a range of years. */
  static Dataset<Row> unitAsOf(Dataset<Row> rows, Dataset<Row> units) {
    Dataset<Row> u = units.select(col("unit_code").as("u_code"), col("school_level"), col("province_code"), col("managing_unit_code"),
        col("valid_from"), col("valid_to"));
    return rows.join(u, col("u_code").equalTo(col("unit_code")).and(col("valid_from").leq(col("school_year")))
            .and(col("valid_to").isNull().or(col("school_year").leq(col("valid_to")))), "left")
        .withColumn("rn", row_number().over(Window.partitionBy("source_file", "row_number").orderBy(col("valid_from").desc_nulls_last())))
        .filter(col("rn").equalTo(1)).drop("rn", "u_code", "valid_from", "valid_to");
  }

  /**
   * The raw rows normalised (school year, document code, date) with what is wrong with each, as an array of
   * {@code (field, reason_code, raw_value, detail)}: empty for a good row. A file without a required column rejects
   * every row of it, as for the exports.
   */
  public static Dataset<Row> resolve(Dataset<Row> raw, Dataset<Row> units, Dataset<Row> documents, Dataset<Row> requirements, String reformYear) {
    Dataset<Row> known = units.select(col("unit_code").as("known_code")).distinct();
    Dataset<Row> normalised = raw.withColumn("raw_school_year", col("school_year"))
        .withColumn("school_year", YEAR.apply(col("school_year")))
        .withColumn("raw_document", col("document")).withColumn("document", lower(col("document")))
        .withColumn("raw_submitted_on", col("submitted_on")).withColumn("submitted_on", DATE.apply(col("submitted_on")))
        .join(broadcast(known), col("known_code").equalTo(col("unit_code")), "left");
    Dataset<Row> located = unitAsOf(normalised, units)
        .join(broadcast(documents.select(col("document").as("doc_code"), col("reference_kind"))), col("doc_code").equalTo(col("document")), "left")
        .withColumn("era", era(col("school_year"), reformYear));
    Dataset<Row> required = requirements.select(col("document").as("req_document"), col("era").as("req_era"), col("school_level").as("req_level"));
    Dataset<Row> withRule = located.join(broadcast(required), col("req_document").equalTo(col("document")).and(col("req_era").equalTo(col("era")))
        .and(col("req_level").equalTo(col("school_level"))), "left");
    Column checks = array(
        problem(col("unit_code").isNull(), "unit_code", Reasons.UNIT_CODE_MISSING, col("unit_code"), lit("")),
        problem(col("unit_code").isNotNull().and(col("known_code").isNull()), "unit_code", Reasons.UNIT_UNKNOWN, col("unit_code"), col("unit_code")),
        problem(col("school_year").isNull(), "school_year", Reasons.SCHOOL_YEAR_INVALID, col("raw_school_year"), coalesce(col("raw_school_year"), lit(""))),
        problem(col("known_code").isNotNull().and(col("school_year").isNotNull()).and(col("school_level").isNull()), "unit_code",
            Reasons.UNIT_NOT_VALID_IN_YEAR, col("unit_code"), concat(col("unit_code"), lit(", "), col("school_year"))),
        problem(col("doc_code").isNull(), "document", Reasons.DOCUMENT_UNKNOWN, col("raw_document"), coalesce(col("raw_document"), lit(""))),
        problem(col("doc_code").isNotNull().and(col("school_level").isNotNull()).and(col("req_level").isNull()), "document",
            Reasons.DOCUMENT_NOT_REQUIRED, col("raw_document"), concat(col("document"), lit(" — cấp "), col("school_level"), lit(", "), col("school_year"))),
        problem(col("submitted_on").isNull(), "submitted_on", Reasons.SUBMISSION_DATE_INVALID, col("raw_submitted_on"),
            coalesce(col("raw_submitted_on"), lit(""))),
        problem(col("reference_kind").equalTo("url").and(coalesce(col("reference"), lit("")).rlike(URL_PATTERN).unary_$bang()), "reference",
            Reasons.REFERENCE_NOT_URL, col("reference"), coalesce(col("reference"), lit(""))));
    Column missing = array(struct(lit(null).cast("string").as("field"), lit(Reasons.FILE_MISSING_COLUMN.code()).as("reason_code"),
        lit(null).cast("string").as("raw_value"), concat(lit(Reasons.FILE_MISSING_COLUMN.vietnamese() + ": "),
            functions.array_join(col("missing_columns"), ", "), lit(" (" + Reasons.FILE_MISSING_COLUMN.english() + ")")).as("message")));
    return withRule.withColumn("problems", when(size(col("missing_columns")).gt(0), missing)
            .otherwise(filter(checks, p -> p.isNotNull())))
        .select("source_file", "sheet", "row_number", "unit_code", "school_year", "document", "submitted_on", "reference", "note", "school_level",
            "managing_unit_code", "province_code", "column_letters", "problems");
  }

  /**
   * Each row's disposition: rejected when anything is wrong with it; of the good rows of one unit, school year and
   * document the earliest counts (accepted) and the later ones are superseded, since a deadline is met by the first
   * arrival. Adds {@code first_row}: the counted row, for the superseded ones' message.
   */
  public static Dataset<Row> dispositions(Dataset<Row> resolved) {
    Column good = size(col("problems")).equalTo(0);
    org.apache.spark.sql.expressions.WindowSpec sameDocument = Window.partitionBy(good, col("unit_code"), col("school_year"), col("document"))
        .orderBy(col("submitted_on"), col("source_file"), col("row_number"));
    return resolved.withColumn("rank", row_number().over(sameDocument))
        .withColumn("first_row", functions.first(struct(col("submitted_on"), col("source_file"), col("row_number"))).over(sameDocument))
        .withColumn("disposition", when(good.unary_$bang(), lit(Validation.REJECTED)).when(col("rank").equalTo(1), lit(Validation.ACCEPTED))
            .otherwise(lit(Validation.SUPERSEDED)))
        .drop("rank");
  }

  /** The issue rows of the rejected and superseded rows (the lake's issue columns), each naming its cell. */
  public static Dataset<Row> issues(Dataset<Row> disposed) {
    Dataset<Row> rejected = disposed.filter(col("disposition").equalTo(Validation.REJECTED))
        .select(col("*"), explode(col("problems")).as("p"))
        .select(col("source_file"), col("sheet"), col("row_number"), col("unit_code"), col("school_year"), col("column_letters"), col("p.field"),
            col("p.raw_value"), col("p.reason_code"), col("p.message"), lit(Reasons.SEVERITY_REJECTED).as("severity"));
    Reasons again = Reasons.SUBMISSION_REPEATED;
    Dataset<Row> superseded = disposed.filter(col("disposition").equalTo(Validation.SUPERSEDED))
        .select(col("source_file"), col("sheet"), col("row_number"), col("unit_code"), col("school_year"), col("column_letters"),
            lit("document").as("field"), col("document").as("raw_value"), lit(again.code()).as("reason_code"),
            concat(lit(again.vietnamese() + ": "), col("document"), lit(", gửi ngày "), date_format(col("first_row.submitted_on"), "dd/MM/yyyy"),
                lit(" ở dòng "), col("first_row.row_number"), lit(" của "), col("first_row.source_file"), lit(" (" + again.english() + ")")).as("message"),
            lit(Reasons.SEVERITY_SUPERSEDED).as("severity"));
    return rejected.unionByName(superseded).select(col("source_file"), col("sheet"), col("row_number"), col("unit_code"), col("school_year"),
        lit(null).cast("string").as("stage"), concat(col("column_letters").getItem(col("field")), col("row_number").cast("string")).as("column_ref"),
        col("field").as("header"), col("raw_value"), col("reason_code"), col("message"), col("severity"));
  }

  /** A file that gave no row (empty, unreadable, no header), as an issue row like the exports'. */
  public static Dataset<Row> fileIssues(Dataset<Row> fileProblems) {
    return fileProblems.select(col("source_file"), col("sheet"), lit(null).cast("int").as("row_number"), lit(null).cast("string").as("unit_code"),
        lit(null).cast("string").as("school_year"), lit(null).cast("string").as("stage"), lit(null).cast("string").as("column_ref"),
        lit(null).cast("string").as("header"), lit(null).cast("string").as("raw_value"), col("reason_code"), col("message"),
        lit(Reasons.SEVERITY_REJECTED).as("severity"));
  }

  /**
   * Every document every registered unit must send in each school year of {@code unitYears} (a unit × year of
   * {@link Registry#unitYears}), with its deadline (the Sở's from document_deadlines.csv, else the default of
   * milestones.json, which is provisional) and the submission that counts, if any: when, its reference, on time or
   * how many days late. Documents tracked as a share of units (kiem_tra) are kept too, for the inspection rule.
   */
  public static Dataset<Row> unitDocuments(Dataset<Row> unitYears, Dataset<Row> areas, Dataset<Row> documents, Dataset<Row> requirements,
      Dataset<Row> overrides, Dataset<Row> disposed, String reformYear) {
    Dataset<Row> units = Analytics.withAreas(unitYears.withColumn("era", era(col("school_year"), reformYear)), areas);
    Dataset<Row> required = units.join(broadcast(requirements.drop("source")), new String[] {"era", "school_level"})
        .join(broadcast(documents.select("document", "tracking", "status")), "document");
    Column year = when(col("deadline_calendar_year").equalTo("second"), expr("int(substr(school_year, 6, 4))"))
        .otherwise(expr("int(substr(school_year, 1, 4))"));
    // 29/02 falls on 28/02 in a year without it
    Column byDefault = expr("make_date(y, deadline_month, least(deadline_day, day(last_day(make_date(y, deadline_month, 1)))))");
    Dataset<Row> forLevel = overrides.filter(col("school_level").isNotNull()).select(col("school_year"), col("province_code"), col("document"),
        col("school_level"), col("deadline").as("level_deadline"));
    Dataset<Row> forAll = overrides.filter(col("school_level").isNull()).select(col("school_year"), col("province_code"), col("document"),
        col("deadline").as("all_deadline"));
    Dataset<Row> accepted = disposed.filter(col("disposition").equalTo(Validation.ACCEPTED)).select(col("unit_code"), col("school_year"),
        col("document"), col("submitted_on"), col("reference"), col("source_file").as("submission_file"), col("row_number").as("submission_row"));
    return required.withColumn("y", year).withColumn("default_deadline", byDefault)
        .join(broadcast(forLevel), new String[] {"school_year", "province_code", "document", "school_level"}, "left")
        .join(broadcast(forAll), new String[] {"school_year", "province_code", "document"}, "left")
        .withColumn("deadline", coalesce(col("level_deadline"), col("all_deadline"), col("default_deadline")))
        .withColumn("deadline_source", when(coalesce(col("level_deadline"), col("all_deadline")).isNotNull(), lit("override")).otherwise(lit("default")))
        .withColumn("deadline_provisional", col("deadline_source").equalTo("default").and(col("status").notEqual("verified")))
        .join(accepted, new String[] {"unit_code", "school_year", "document"}, "left")
        .withColumn("on_time", col("submitted_on").leq(col("deadline")))
        .withColumn("days_late", when(col("submitted_on").isNotNull(), functions.greatest(lit(0), functions.datediff(col("submitted_on"), col("deadline")))))
        .select("school_year", "unit_code", "school_level", "province_code", "area_type", "area_code", "former_district_code", "managing_unit_code",
            "document", "tracking", "recipient", "deadline", "deadline_source", "deadline_provisional", "submitted_on", "reference", "submission_file",
            "submission_row", "on_time", "days_late");
  }

  private static Column problem(Column when, String field, Reasons reason, Column raw, Column detail) {
    return functions.when(when, struct(lit(field).as("field"), lit(reason.code()).as("reason_code"), raw.as("raw_value"),
        concat(lit(reason.vietnamese() + ": "), detail, lit(" (" + reason.english() + ")")).as("message")));
  }
}
