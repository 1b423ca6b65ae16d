package vn.cds.transform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import vn.cds.ingest.Reasons;

/**
 * Raw export rows -> accepted, rejected and superseded assessments, their criterion values, and every issue found.
 * Pure: reads nothing, writes nothing. A row with any rejecting issue is rejected whole (a score built on a bad cell
 * would be wrong); duplicates among the remaining rows keep the latest submission.
 */
public final class Validation {
  private Validation() {}

  public static final String ACCEPTED = "accepted";
  public static final String REJECTED = "rejected";
  public static final String SUPERSEDED = "superseded";

  /**
   * @param assessments one row per raw row: keys, registry fields as of its school year, set_id and its disposition
   * @param criterionValues parsed values of accepted rows' criteria (not derived ones)
   * @param issues one row per problem (rejecting, superseding or flagging) with file, sheet, row, column and reason
   */
  public record Result(Dataset<Row> assessments, Dataset<Row> criterionValues, Dataset<Row> issues) {}

  public static Result validate(Dataset<Row> rawRows, Dataset<Row> unitRegistry, CatalogFrames catalog) {
    Dataset<Row> resolved = resolve(rawRows, unitRegistry, catalog);
    Dataset<Row> found = issues(resolved);
    Dataset<Row> assessments = dispositions(resolved, found);
    return new Result(assessments, criterionValues(resolved, assessments), withSupersededIssues(found, assessments));
  }

  /** Identifies one export row across every table of a run: file, sheet and row number as a person sees them. */
  public static Column rowKey() {
    return concat_ws("#", col("source_file"), col("sheet"), col("row_number"));
  }

  /**
   * Step 1: each raw row with its row key, registry row as of its school year, and indicator set; its cells read
   * against that set ({@link #readCells}) in place of the cells themselves.
   */
  public static Dataset<Row> resolve(Dataset<Row> rawRows, Dataset<Row> unitRegistry, CatalogFrames catalog) {
    Dataset<Row> rows = rawRows.withColumn("row_key", rowKey());
    // Registry and set are found on the key columns alone, and the rows with their cells join the result once, by
    // broadcast: resolving the whole rows shuffled every row's cells twice (national resolve step 12.1 s -> 7.7 s).
    Dataset<Row> resolution = resolveIndicatorSet(withRegistry(rows.select("row_key", "unit_code", "school_year", "indicator_set_raw"),
        unitRegistry), catalog).drop("unit_code", "school_year", "indicator_set_raw");
    List<Column> columns = new java.util.ArrayList<>(List.of(col("unit_code"), col("row_key")));
    for (String c : rawRows.columns()) if (!c.equals("unit_code")) columns.add(col(c));
    for (String c : resolution.columns()) if (!c.equals("row_key")) columns.add(col(c));
    return readCells(rows.join(broadcast(resolution), "row_key").select(columns.toArray(Column[]::new)), catalog);
  }

  /**
   * Rows with {@code set_id} and {@code cells} -> {@code cells_read} ({@link CellValues#READ}: the values of the set's
   * criteria and the cells with a problem) in place of {@code cells}: the cells are looked at once, for the issues and
   * the scores alike, and what the later steps keep of a row is a value per criterion, not four texts per cell.
   */
  public static Dataset<Row> readCells(Dataset<Row> rows, CatalogFrames catalog) {
    return rows.withColumn("cells_read", CellValues.read(catalog.catalogs).apply(col("set_id"), col("cells"))).drop("cells");
  }

  /** Step 2: every problem of a row or of one of its cells (before duplicates are looked at). */
  public static Dataset<Row> issues(Dataset<Row> resolved) {
    return rowIssues(resolved).unionByName(cellIssues(resolved));
  }

  /** Step 3: accepted, rejected (any rejecting issue) or superseded (an older duplicate of an accepted row). */
  public static Dataset<Row> dispositions(Dataset<Row> resolved, Dataset<Row> issues) {
    Dataset<Row> rejectedKeys = issues.filter(col("reason_code").isin(Reasons.flagOnlyCodes().toArray()).unary_$bang())
        .select("row_key").distinct().withColumn("has_error", lit(true));
    // the cells' values and problems are dropped before the duplicates' window, which would otherwise shuffle them
    return supersede(resolved.drop("cells_read", "issues", "key_columns").join(rejectedKeys, new String[] {"row_key"}, "left")).drop("has_error");
  }

  /**
   * Step 4: the values of the accepted rows, one row per criterion of the row's set, null when the cell is blank or
   * absent (derived criteria are computed, never read). Each row's cells are read against its set in one pass, so the
   * ~11 million national values need no join: the accepted rows are few enough to broadcast.
   */
  public static Dataset<Row> criterionValues(Dataset<Row> resolved, Dataset<Row> assessments) {
    return criterionValues(valueRows(resolved, assessments));
  }

  /** The long rows of {@link #valueRows}: one per accepted row × criterion of its set. */
  public static Dataset<Row> criterionValues(Dataset<Row> valueRows) {
    return valueRows.select(col("row_key"), col("unit_code"), col("school_year"), col("stage"), col("set_id"), explode(col("vals")).as("v"))
        .select(col("row_key"), col("unit_code"), col("school_year"), col("stage"), col("set_id"), col("v.criterion_id"), col("v.points"),
            col("v.passed"));
  }

  /** The accepted rows, one wide row each: keys, set and {@code vals}, the parsed values of its set's criteria in catalog order. */
  public static Dataset<Row> valueRows(Dataset<Row> resolved, Dataset<Row> assessments) {
    Dataset<Row> accepted = assessments.filter(col("disposition").equalTo(ACCEPTED)).select("row_key", "unit_code", "school_year", "stage", "set_id");
    return resolved.select(col("row_key"), col("cells_read.vals").as("vals")).join(broadcast(accepted), "row_key")
        .select("row_key", "unit_code", "school_year", "stage", "set_id", "vals");
  }

  /** Step 5: all issues with their severity, including one per superseded row naming the row that replaced it. */
  public static Dataset<Row> withSupersededIssues(Dataset<Row> issues, Dataset<Row> assessments) {
    Dataset<Row> superseded = assessments.filter(col("disposition").equalTo(SUPERSEDED))
        .select(col("row_key"), col("source_file"), col("sheet"), col("row_number"), col("unit_code"), col("school_year"), col("stage"),
            lit(null).cast("string").as("column_ref"), lit(null).cast("string").as("header"), lit(null).cast("string").as("raw_value"),
            lit(Reasons.DUPLICATE_SUPERSEDED.code()).as("reason_code"),
            concat_ws("", lit(Reasons.DUPLICATE_SUPERSEDED.message(null)), lit(" → "), col("superseded_by")).as("message"));
    return issues.unionByName(superseded)
        .withColumn("severity", when(col("reason_code").equalTo(Reasons.DUPLICATE_SUPERSEDED.code()), lit(Reasons.SEVERITY_SUPERSEDED))
            .when(col("reason_code").isin(Reasons.flagOnlyCodes().toArray()), lit(Reasons.SEVERITY_FLAGGED))
            .otherwise(lit(Reasons.SEVERITY_REJECTED)));
  }

  /** The registry row valid for each raw row's school year; unknown units and units not valid that year are marked. */
  static Dataset<Row> withRegistry(Dataset<Row> rows, Dataset<Row> registry) {
    Dataset<Row> reg = registry.select(col("unit_code").as("reg_unit_code"), col("unit_name").as("registry_unit_name"), col("school_level"),
        col("ownership"), col("province_code"), col("district_code"), col("commune_code"), col("managing_unit_code"),
        col("valid_from"), col("valid_to"));
    Column validThatYear = col("unit_code").equalTo(col("reg_unit_code"))
        .and(col("valid_from").leq(col("school_year")))
        .and(col("valid_to").isNull().or(col("school_year").leq(col("valid_to"))));
    Dataset<Row> matched = rows.select("row_key", "unit_code", "school_year").join(reg, validThatYear)
        .withColumn("rn", row_number().over(Window.partitionBy("row_key").orderBy(col("valid_from").desc())))
        .filter(col("rn").equalTo(1)).drop("rn", "unit_code", "school_year", "reg_unit_code", "valid_from", "valid_to");
    Dataset<Row> known = registry.select(col("unit_code")).distinct().withColumn("unit_known", lit(true));
    return rows.join(matched, "row_key", "left").join(known, new String[] {"unit_code"}, "left")
        .withColumn("unit_known", coalesce(col("unit_known"), lit(false)));
  }

  /** The export's "Bộ chỉ số" by decision number, or else the set that applies to the unit's level that year. */
  static Dataset<Row> resolveIndicatorSet(Dataset<Row> rows, CatalogFrames catalog) {
    Dataset<Row> byAlias = catalog.setAlias.select(col("alias"), col("set_id").as("set_by_alias"));
    Dataset<Row> byLevel = catalog.setAppliesTo.join(catalog.indicatorSet.select("set_id", "first_school_year", "last_school_year"), "set_id")
        .select(col("set_id").as("set_by_level"), col("school_level").as("lvl"), col("first_school_year").as("lvl_first"),
            col("last_school_year").as("lvl_last"));
    Dataset<Row> withAlias = rows.withColumn("alias", regexp_extract(col("indicator_set_raw"), "([0-9]{3,})", 1))
        .join(byAlias, new String[] {"alias"}, "left");
    Column levelMatch = col("school_level").equalTo(col("lvl")).and(col("lvl_first").leq(col("school_year")))
        .and(col("lvl_last").isNull().or(col("school_year").leq(col("lvl_last"))));
    Dataset<Row> withLevel = withAlias.join(byLevel, levelMatch, "left")
        .withColumn("rn", row_number().over(Window.partitionBy("row_key").orderBy(col("set_by_level"))))
        .filter(col("rn").equalTo(1)).drop("rn", "lvl", "lvl_first", "lvl_last");
    return withLevel
        .withColumn("set_id", when(col("indicator_set_raw").isNotNull(), col("set_by_alias")).otherwise(col("set_by_level")))
        .withColumn("set_applies", col("set_id").isNotNull().and(col("set_id").equalTo(col("set_by_level"))))
        .drop("alias");
  }

  private static final String[] ISSUE_COLUMNS = {"row_key", "source_file", "sheet", "row_number", "unit_code", "school_year", "stage",
      "column_ref", "header", "raw_value", "reason_code", "message"};

  /** Cells whose value does not parse, that repeat a criterion, or (against a set that applies) are not in the set. */
  static Dataset<Row> cellIssues(Dataset<Row> resolved) {
    Dataset<Row> problems = resolved.select(col("row_key"), col("source_file"), col("sheet"), col("row_number"), col("unit_code"),
            col("school_year"), col("stage"), col("set_id"), col("set_applies"),
            explode(col("cells_read.problems")).as("p"))
        .select(col("*"), col("p.*")).drop("p")
        // only against a set that applies: when the set itself is wrong, that one reason says it all
        .filter(col("reason_code").isNotNull().or(col("set_applies").and(col("in_set").unary_$bang())));
    Column notInSet = concat_ws("", lit(Reasons.CRITERION_NOT_IN_SET.message(null)), lit(": "), col("criterion_id"),
        when(col("known").unary_$bang(), lit(" (không có trong bộ chỉ số nào)")).otherwise(concat_ws("", lit(" (không thuộc "), col("set_id"), lit(")"))));
    return problems
        .withColumn("message", when(col("reason_code").isNull(), notInSet).otherwise(col("message")))
        .withColumn("reason_code", coalesce(col("reason_code"), lit(Reasons.CRITERION_NOT_IN_SET.code())))
        .selectExpr(ISSUE_COLUMNS);
  }

  /**
   * The reader's issues of each row and the row-level checks (unknown unit, unit not valid that year, unknown set, set
   * not applicable), in one pass over the rows: each check gives an issue or null, and a row's issues are exploded
   * together. (One pass per check re-read the resolved rows, cells and all, five times.)
   */
  static Dataset<Row> rowIssues(Dataset<Row> rows) {
    Column unitRef = split(element_at(col("key_columns"), "UNIT_CODE"), "\\|");
    Column setRef = split(element_at(col("key_columns"), "INDICATOR_SET"), "\\|");
    Column unitIssue = when(col("unit_code").isNotNull().and(col("unit_known").unary_$bang()),
        issue(unitRef, col("unit_code"), Reasons.UNIT_UNKNOWN, col("unit_code")))
        .when(col("unit_known").and(col("school_year").isNotNull()).and(col("school_level").isNull()),
            issue(unitRef, col("unit_code"), Reasons.UNIT_NOT_VALID_IN_YEAR, concat_ws(" ", col("unit_code"), lit("năm học"), col("school_year"))));
    Column setUnknown = when(col("indicator_set_raw").isNotNull().and(col("set_by_alias").isNull()),
        issue(setRef, col("indicator_set_raw"), Reasons.INDICATOR_SET_UNKNOWN, col("indicator_set_raw")));
    Column setNotApplicable = when(col("school_level").isNotNull().and(col("school_year").isNotNull()).and(col("set_applies").unary_$bang())
            .and(col("indicator_set_raw").isNull().or(col("set_by_alias").isNotNull())),
        issue(setRef, col("indicator_set_raw"), Reasons.INDICATOR_SET_NOT_APPLICABLE,
            concat_ws(" ", coalesce(col("set_id"), lit("(không có bộ chỉ số nào)")), lit("/ cấp học"), col("school_level"), lit("/"), col("school_year"))));
    Column found = concat(col("issues"), array_compact(array(unitIssue, setUnknown, setNotApplicable)));
    return rows.select(col("row_key"), col("source_file"), col("sheet"), col("row_number"), col("unit_code"), col("school_year"), col("stage"),
            explode(found).as("i"))
        .select(col("row_key"), col("source_file"), col("sheet"), col("row_number"), col("unit_code"), col("school_year"), col("stage"),
            col("i.column_ref"), col("i.header"), col("i.raw_value"), col("i.reason_code"), col("i.message"));
  }

  /**
   * A whole-row problem, shaped like the reader's issues; {@code ref} is the key column's "letter|header". The message
   * is built like {@link Reasons#message} with a per-row detail.
   */
  private static Column issue(Column ref, Column raw, Reasons reason, Column detail) {
    return struct(ref.getItem(0).as("column_ref"), ref.getItem(1).as("header"), raw.cast("string").as("raw_value"),
        lit(reason.code()).as("reason_code"),
        concat_ws("", lit(reason.vietnamese() + ": "), detail, lit(" (" + reason.english() + ")")).as("message"));
  }

  /** Among rows without errors, one per unit × school year × stage survives: the latest submission. */
  static Dataset<Row> supersede(Dataset<Row> rows) {
    Column ok = col("has_error").isNull();
    var window = Window.partitionBy(col("unit_code"), col("school_year"), col("stage"), ok)
        .orderBy(col("submitted_on").desc_nulls_last(), col("source_file").desc(), col("row_number").desc());
    return rows
        .withColumn("dup_rank", row_number().over(window))
        .withColumn("superseded_by", max(when(col("dup_rank").equalTo(1), concat_ws(" dòng ", col("source_file"), col("row_number")))).over(
            Window.partitionBy(col("unit_code"), col("school_year"), col("stage"), ok)))
        .withColumn("disposition", when(ok.unary_$bang(), lit(REJECTED)).when(col("dup_rank").equalTo(1), lit(ACCEPTED)).otherwise(lit(SUPERSEDED)))
        .drop("dup_rank");
  }
}
