package vn.cds.transform;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import vn.cds.catalog.Catalogs;
import vn.cds.ingest.Reasons;
import vn.cds.ingest.Values;

/** Interprets one criterion cell by its scoring type: points, a yes/no worth the max, or a pass/fail condition. */
public final class CellValues {
  private CellValues() {}

  public static final StructType PARSED = StructType.fromDDL("points double, passed boolean, reason_code string, message string");

  /** Blank means "not reported": all fields null, no reason. No scoring: not a criterion of this set, reported elsewhere. */
  public static Row parse(String scoring, Double maxPoints, String raw) {
    if (raw == null || raw.isBlank() || scoring == null) return RowFactory.create(null, null, null, null);
    String quoted = "\"" + raw + "\"";
    if ("pass_fail".equals(scoring)) {
      Boolean pass = Values.passFail(raw);
      return pass == null
          ? RowFactory.create(null, null, Reasons.MANDATORY_VALUE_UNRECOGNISED.code(), Reasons.MANDATORY_VALUE_UNRECOGNISED.message(quoted))
          : RowFactory.create(null, pass, null, null);
    }
    if ("yes_no".equals(scoring)) {
      Boolean yes = Values.passFail(raw);
      if (yes != null && Values.number(raw) == null) return RowFactory.create(yes ? maxPoints : 0.0, null, null, null);
    }
    Double points = Values.number(raw);
    if (points == null)
      return RowFactory.create(null, null, Reasons.VALUE_NOT_NUMBER.code(), Reasons.VALUE_NOT_NUMBER.message(quoted));
    if (points < 0 || points > maxPoints + 1e-9)
      return RowFactory.create(null, null, Reasons.VALUE_OUT_OF_RANGE.code(),
          Reasons.VALUE_OUT_OF_RANGE.message(quoted + ", tối đa " + Catalogs.fmtPoints(maxPoints)));
    return RowFactory.create(points, null, null, null);
  }

  public static UserDefinedFunction udf() {
    return functions.udf((UDF3<String, Double, String, Row>) CellValues::parse, PARSED);
  }
}
