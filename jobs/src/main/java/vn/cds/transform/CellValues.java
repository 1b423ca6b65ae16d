package vn.cds.transform;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;
import vn.cds.ingest.Reasons;
import vn.cds.ingest.Values;

/**
 * Interprets criterion cells by the scoring type of their criterion in the row's indicator set: points, a yes/no worth
 * the max, or a pass/fail condition. A row's cells are read together, in one pass over the row, against its set's
 * criteria from the catalog: at national scale that is ~11 million cells, and reading them row by row needs no join.
 */
public final class CellValues {
  private CellValues() {}

  /**
   * (points, passed, reason_code, message). Blank means "not reported": all fields null, no reason. No scoring: not a
   * criterion of this set, reported elsewhere.
   */
  static Row parse(String scoring, Double maxPoints, String raw) {
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

  /** What reading a cell needs of one criterion of a set (derived criteria are computed, never read). */
  record Spec(String criterionId, String scoring, double maxPoints, boolean derived) implements Serializable {}

  /** One per criterion of the row's set, in catalog order: its parsed value, all null when blank or absent. */
  public static final StructType VALUE = StructType.fromDDL("criterion_id string, points double, passed boolean");

  /** A cell with a problem: a value that does not parse, a criterion given twice, or a criterion not in the set. */
  public static final StructType PROBLEM = StructType.fromDDL("column_ref string, header string, criterion_id string, raw_value string, "
      + "in_set boolean, known boolean, reason_code string, message string");

  private static final int REF = 0, HEADER = 1, ID = 2, RAW = 3; // fields of IngestSchemas.CELL

  /** What {@link #read} makes of a row's cells: the values of its set's criteria, and the cells with a problem. */
  public static final StructType READ = new StructType().add("vals", DataTypes.createArrayType(VALUE, false))
      .add("problems", DataTypes.createArrayType(PROBLEM, false));

  /**
   * {@code read(set_id, cells)}: a {@link #READ}, both halves from one look at the cells. {@code vals}: one
   * {@link #VALUE} per criterion of the set, in catalog order (empty for an unknown set). {@code problems}: one
   * {@link #PROBLEM} per cell whose value does not parse, that repeats a criterion, or that is not in the set (whether
   * that counts is the caller's call).
   */
  public static UserDefinedFunction read(Catalogs catalogs) {
    Map<String, List<Spec>> ordered = specsBySet(catalogs);
    HashMap<String, Map<String, Spec>> bySet = new HashMap<>(); // HashMaps all through: the UDF is serialised to executors
    Set<String> known = new HashSet<>();
    ordered.forEach((set, specs) -> specs.forEach(c -> {
      bySet.computeIfAbsent(set, k -> new HashMap<>()).put(c.criterionId(), c);
      known.add(c.criterionId());
    }));
    return functions.udf((UDF2<String, scala.collection.Seq<Row>, Row>) (setId, cells) -> {
      Map<String, Row> first = firstFilledCells(cells);
      return RowFactory.create(values(setId == null ? null : ordered.get(setId), first),
          problems(bySet.getOrDefault(setId, Map.of()), known, cells, first));
    }, READ);
  }

  private static scala.collection.immutable.Seq<Row> values(List<Spec> specs, Map<String, Row> first) {
    if (specs == null) return seq(List.of());
    List<Row> out = new ArrayList<>(specs.size());
    for (Spec c : specs) {
      Row cell = first.get(c.criterionId());
      Row parsed = parse(c.scoring(), c.maxPoints(), c.derived() || cell == null ? null : cell.getString(RAW));
      out.add(RowFactory.create(c.criterionId(), parsed.get(0), parsed.get(1)));
    }
    return seq(out);
  }

  private static scala.collection.immutable.Seq<Row> problems(Map<String, Spec> specs, Set<String> known, scala.collection.Seq<Row> cells,
      Map<String, Row> first) {
    List<Row> out = new ArrayList<>();
    for (Row cell : CollectionConverters.asJava(cells)) {
      String id = cell.getString(ID), raw = cell.getString(RAW);
      if (raw == null || raw.isBlank()) continue; // blank: not reported, never a problem
      Spec spec = id == null ? null : specs.get(id);
      Row earlier = id == null ? null : first.get(id);
      if (earlier != null && earlier != cell) { // the same Row objects as firstFilledCells saw: another cell came first
        out.add(problem(cell, spec != null, true, Reasons.CRITERION_REPEATED.code(), Reasons.CRITERION_REPEATED.message(
            id + " = \"" + raw + "\" (cột " + cell.getString(REF) + "), đã có \"" + earlier.getString(RAW) + "\" (cột " + earlier.getString(REF) + ")")));
      } else if (spec == null) {
        out.add(problem(cell, false, id != null && known.contains(id), null, null));
      } else if (!spec.derived()) {
        Row parsed = parse(spec.scoring(), spec.maxPoints(), raw);
        if (parsed.get(2) != null) out.add(problem(cell, true, true, parsed.getString(2), parsed.getString(3)));
      }
    }
    return seq(out);
  }

  /** The first non-blank cell of each criterion: a second one is a problem ({@link Reasons#CRITERION_REPEATED}). */
  private static Map<String, Row> firstFilledCells(scala.collection.Seq<Row> cells) {
    Map<String, Row> first = new HashMap<>();
    for (Row cell : CollectionConverters.asJava(cells)) {
      String id = cell.getString(ID), raw = cell.getString(RAW);
      if (id != null && raw != null && !raw.isBlank()) first.putIfAbsent(id, cell);
    }
    return first;
  }

  private static Row problem(Row cell, boolean inSet, boolean known, String reasonCode, String message) {
    return RowFactory.create(cell.getString(REF), cell.getString(HEADER), cell.getString(ID), cell.getString(RAW), inSet, known, reasonCode, message);
  }

  private static Map<String, List<Spec>> specsBySet(Catalogs catalogs) {
    Map<String, List<Spec>> bySet = new HashMap<>();
    for (IndicatorSet s : catalogs.sets()) {
      List<Spec> specs = new ArrayList<>();
      for (IndicatorSet.Criterion c : s.criteria()) specs.add(new Spec(c.id(), c.scoring(), c.maxPoints(), c.derivedMetric() != null));
      bySet.put(s.id(), List.copyOf(specs));
    }
    return bySet;
  }

  private static scala.collection.immutable.Seq<Row> seq(List<Row> rows) {
    return CollectionConverters.asScala(rows).toSeq();
  }
}
