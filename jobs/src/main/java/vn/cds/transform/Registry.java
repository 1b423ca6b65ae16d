package vn.cds.transform;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import vn.cds.ingest.Reasons;
import vn.cds.ingest.Values;

/** The unit registry in time, and checks of what units declared against what was recomputed. */
public final class Registry {
  private Registry() {}

  /** One row per unit × school year in which its registry row is valid (the latest row wins if several are). */
  public static Dataset<Row> unitYears(Dataset<Row> registry, List<String> schoolYears) {
    Dataset<Row> years = registry.sparkSession().createDataset(schoolYears, Encoders.STRING()).toDF("school_year");
    return registry.join(years, col("valid_from").leq(col("school_year"))
            .and(col("valid_to").isNull().or(col("school_year").leq(col("valid_to")))))
        .withColumn("rn", functions.row_number().over(org.apache.spark.sql.expressions.Window.partitionBy("unit_code", "school_year")
            .orderBy(col("valid_from").desc())))
        .filter(col("rn").equalTo(1)).drop("rn");
  }

  private static final UserDefinedFunction NUMBER = functions.udf((UDF1<String, Double>) Values::number, DataTypes.DoubleType);
  private static final UserDefinedFunction LEVEL = functions.udf((UDF1<String, Integer>) Values::level, DataTypes.IntegerType);

  /**
   * Declared group totals and levels ("Tổng điểm DH", "Mức DH") that disagree with the recomputed ones. The row stays
   * accepted; the issue is a flag for the Sở to follow up. {@code assessments}: one row per export row with its
   * {@code row_key} and what it {@code declared} (the validated rows, not the raw ones: they carry no cells to read past).
   */
  public static Dataset<Row> declaredMismatches(Dataset<Row> assessments, Dataset<Row> groupResults) {
    Dataset<Row> declared = assessments.select(col("row_key"), explode(col("declared")).as("d"))
        .select(col("row_key"), col("d.column_ref"), col("d.header"), col("d.group_id"), col("d.kind"), col("d.raw_value"));
    Dataset<Row> joined = declared.join(groupResults.select("row_key", "group_id", "points", "level", "source_file", "sheet", "row_number",
        "unit_code", "school_year", "stage"), new String[] {"row_key", "group_id"});
    Dataset<Row> points = joined.filter(col("kind").equalTo("points").and(NUMBER.apply(col("raw_value")).isNotNull())
            .and(abs(NUMBER.apply(col("raw_value")).minus(col("points"))).gt(0.01)))
        .withColumn("reason_code", lit(Reasons.DECLARED_TOTAL_MISMATCH.code()))
        .withColumn("message", concat_ws("", lit(Reasons.DECLARED_TOTAL_MISMATCH.vietnamese() + ": khai báo "), col("raw_value"),
            lit(", tính lại "), format_number(col("points"), 2), lit(" (" + Reasons.DECLARED_TOTAL_MISMATCH.english() + ")")));
    Dataset<Row> levels = joined.filter(col("kind").equalTo("level").and(col("level").isNotNull())
            .and(LEVEL.apply(col("raw_value")).isNotNull()).and(LEVEL.apply(col("raw_value")).notEqual(col("level"))))
        .withColumn("reason_code", lit(Reasons.DECLARED_LEVEL_MISMATCH.code()))
        .withColumn("message", concat_ws("", lit(Reasons.DECLARED_LEVEL_MISMATCH.vietnamese() + ": khai báo "), col("raw_value"),
            lit(", tính lại Mức "), col("level"), lit(" (" + Reasons.DECLARED_LEVEL_MISMATCH.english() + ")")));
    return points.unionByName(levels).select(col("row_key"), col("source_file"), col("sheet"), col("row_number"), col("unit_code"),
        col("school_year"), col("stage"), col("column_ref"), col("header"), col("raw_value"), col("reason_code"), col("message"),
        lit(Reasons.SEVERITY_FLAGGED).as("severity"));
  }
}
