package vn.cds.transform;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * The criterion gap's figures for one area × school level × indicator set, summed over the wide rows of its official
 * assessments ({@code set_id, vals}: one {@link CellValues#VALUE} per criterion) instead of over one row per assessment
 * × criterion: the ~5 million national criterion rows need not be made and grouped on ten text keys.
 *
 * <p>The figures are those of {@link Exact}: means in decimal(28,10), a value cast as Spark casts a double (its shortest
 * decimal form, rounded half up to 10 places), the mean as Spark's ({@link #mean}); a criterion's figures are those of
 * every row that holds it, mandatory conditions left out.
 */
final class CriterionGapTotals extends Aggregator<Row, CriterionGapTotals.Sums, Row> {
  /** Input: the assessment's set and its values. */
  static final StructType INPUT = new StructType().add("set_id", DataTypes.StringType)
      .add("vals", DataTypes.createArrayType(CellValues.VALUE));

  /** Output: one per criterion held by a row of the group. */
  static final StructType CRITERION = StructType.fromDDL("group_id string, criterion_id string, max_points double, units int, units_reported int, "
      + "mean_attainment double, mean_points double, share_full double, share_zero double, share_not_reported double");
  static final StructType OUTPUT = new StructType().add("criteria", DataTypes.createArrayType(CRITERION, false), false);

  private record Spec(String groupId, String criterionId, double maxPoints, boolean mandatory) implements Serializable {}

  private final HashMap<String, ArrayList<Spec>> specs = new HashMap<>(); // by set, in catalog order
  private final HashMap<String, HashMap<String, Integer>> indexes = new HashMap<>(); // by set: criterion id -> its index

  private CriterionGapTotals(Catalogs catalogs) {
    for (IndicatorSet s : catalogs.sets()) {
      ArrayList<Spec> all = new ArrayList<>();
      HashMap<String, Integer> index = new HashMap<>();
      for (IndicatorSet.Group g : s.groups())
        for (IndicatorSet.Criterion c : g.criteria()) {
          index.put(c.id(), all.size());
          all.add(new Spec(g.id(), c.id(), c.maxPoints(), c.mandatory()));
        }
      specs.put(s.id(), all);
      indexes.put(s.id(), index);
    }
  }

  /** {@code criterionGapTotals(set_id, vals)}, an aggregate: a struct whose {@code criteria} are {@link #CRITERION}. */
  static UserDefinedFunction udaf(Catalogs catalogs) {
    return functions.udaf(new CriterionGapTotals(catalogs), Encoders.row(INPUT));
  }

  /** One group's running sums, per criterion index of its set (all the rows of a group have one set: it is a grouping key). */
  public static final class Sums implements Serializable {
    String setId;
    int[] units, reported, withPoints, withAttainment, full, zero;
    BigDecimal[] attainment, points;

    void start(String set, int criteria) {
      setId = set;
      units = new int[criteria];
      reported = new int[criteria];
      withPoints = new int[criteria];
      withAttainment = new int[criteria];
      full = new int[criteria];
      zero = new int[criteria];
      attainment = new BigDecimal[criteria];
      points = new BigDecimal[criteria];
      java.util.Arrays.fill(attainment, BigDecimal.ZERO);
      java.util.Arrays.fill(points, BigDecimal.ZERO);
    }
  }

  @Override
  public Sums zero() {
    return new Sums();
  }

  private static final int CRITERION_ID = 0, POINTS = 1, PASSED = 2; // fields of CellValues.VALUE

  @Override
  public Sums reduce(Sums sums, Row in) {
    String setId = in.getString(0);
    List<Spec> set = specs.get(setId);
    if (set == null || in.isNullAt(1)) return sums;
    if (sums.setId == null) sums.start(setId, set.size());
    List<Row> vals = in.getList(1);
    for (int i = 0; i < vals.size(); i++) {
      Row v = vals.get(i);
      int at = indexOf(setId, set, v.getString(CRITERION_ID), i);
      if (at < 0 || set.get(at).mandatory()) continue;
      add(sums, at, set.get(at).maxPoints(), v.isNullAt(POINTS) ? null : v.getDouble(POINTS), !v.isNullAt(POINTS) || !v.isNullAt(PASSED));
    }
    return sums;
  }

  /** The criterion's index in its set: its position in the row when the row is in catalog order, as scoring's rows are. */
  private int indexOf(String setId, List<Spec> set, String criterionId, int position) {
    if (position < set.size() && set.get(position).criterionId().equals(criterionId)) return position;
    Integer at = indexes.get(setId).get(criterionId);
    return at == null ? -1 : at;
  }

  private static void add(Sums sums, int at, double maxPoints, Double points, boolean reported) {
    sums.units[at]++;
    if (!reported) return;
    sums.reported[at]++;
    if (points == null) return;
    sums.withPoints[at]++;
    sums.points[at] = sums.points[at].add(decimal(points));
    if (maxPoints != 0) { // Spark SQL's points / 0 is no value (or, under ANSI, an error): no attainment
      sums.withAttainment[at]++;
      sums.attainment[at] = sums.attainment[at].add(decimal(points / maxPoints));
    }
    if (points >= maxPoints) sums.full[at]++;
    if (points == 0) sums.zero[at]++;
  }

  @Override
  public Sums merge(Sums a, Sums b) {
    if (b.setId == null) return a;
    if (a.setId == null) return b;
    for (int i = 0; i < a.units.length; i++) {
      a.units[i] += b.units[i];
      a.reported[i] += b.reported[i];
      a.withPoints[i] += b.withPoints[i];
      a.withAttainment[i] += b.withAttainment[i];
      a.full[i] += b.full[i];
      a.zero[i] += b.zero[i];
      a.attainment[i] = a.attainment[i].add(b.attainment[i]);
      a.points[i] = a.points[i].add(b.points[i]);
    }
    return a;
  }

  @Override
  public Row finish(Sums sums) {
    List<Row> out = new ArrayList<>();
    List<Spec> set = sums.setId == null ? List.of() : specs.get(sums.setId);
    for (int i = 0; i < set.size(); i++) {
      int n = sums.units[i];
      if (n == 0) continue; // no row held it: no figures, as no criterion row would have been grouped
      Spec c = set.get(i);
      out.add(RowFactory.create(c.groupId(), c.criterionId(), c.maxPoints(), n, sums.reported[i], mean(sums.attainment[i], sums.withAttainment[i]),
          mean(sums.points[i], sums.withPoints[i]), mean(BigDecimal.valueOf(sums.full[i]), n), mean(BigDecimal.valueOf(sums.zero[i]), n),
          mean(BigDecimal.valueOf(n - sums.reported[i]), n)));
    }
    return RowFactory.create(CollectionConverters.asScala(out).toSeq());
  }

  /**
   * Exact.avg's figure, null over no value: Spark's mean of a decimal(28,10) is a decimal(32,14), the quotient rounded
   * half up to 14 places, then rounded to 4 (0.46874999999375 is 0.4687, not 0.4688 as from 10 places).
   */
  private static Double mean(BigDecimal sum, int count) {
    if (count == 0) return null;
    return sum.divide(BigDecimal.valueOf(count), SCALE + 4, RoundingMode.HALF_UP).setScale(4, RoundingMode.HALF_UP).doubleValue();
  }

  private static final int SCALE = 10; // Exact's decimal(28,10)

  /** The few distinct points and attainments of a run, each cast once (a cast is ~100 times an addition). */
  private static final ConcurrentHashMap<Double, BigDecimal> CAST = new ConcurrentHashMap<>();

  /** A double as Spark casts it to decimal(28,10): its shortest decimal form, rounded half up to 10 places. */
  private static BigDecimal decimal(double x) {
    BigDecimal d = CAST.get(x);
    if (d != null) return d;
    d = BigDecimal.valueOf(x).setScale(SCALE, RoundingMode.HALF_UP);
    if (CAST.size() < 100_000) CAST.put(x, d);
    return d;
  }

  @Override
  public Encoder<Sums> bufferEncoder() {
    return Encoders.javaSerialization(Sums.class);
  }

  @Override
  public Encoder<Row> outputEncoder() {
    return Encoders.row(OUTPUT);
  }
}
