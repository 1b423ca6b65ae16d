package vn.cds.transform;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * The plan of one assessment, worked out in one call over its pools and its criteria in one row: the rule of
 * {@link NextLevel} in compiled code. (As Spark SQL it exploded every official criterion row, ranked them with two
 * windows and joined the plan back to its pools, ~19 s of a national run; its higher-order functions are interpreted.)
 *
 * <p>Sums run in the order Spark's windows ran them (headroom descending, then criterion), and numbers are rounded
 * and printed as Spark's {@code round} and {@code cast(... as string)} do, so the plans are the same to the last digit.
 */
final class NextLevelPlan implements Serializable {
  /**
   * Fields of an input pool (of {@link NextLevel#pools}): pool, pool_order, pool_points, lower, lower_inclusive,
   * points_needed, must_pass_conditions.
   */
  private static final int POOL = 0, POOL_ORDER = 1, POOL_POINTS = 2, LOWER = 3, LOWER_INCLUSIVE = 4, NEEDED = 5, MUST_PASS = 6;

  /** Output: one step of a pool, as the lake's {@code agg_unit_next_level_step} holds it after the assessment's keys. */
  static final StructType STEP = StructType.fromDDL("pool string, pool_order int, pool_points double, lower double, lower_inclusive boolean, "
      + "points_needed double, pool_headroom double, step_kind string, step_order int, group_id string, criterion_id string, "
      + "max_points double, points double, reported boolean, points_to_add double");

  /** Output: the assessment's plan, its summary and its steps. */
  static final StructType PLAN = new StructType()
      .add("groups_to_raise", "string").add("points_needed", "double").add("reachable", "boolean").add("criteria_to_raise", "int")
      .add("conditions_to_pass", "int").add("plan", "string").add("steps", org.apache.spark.sql.types.DataTypes.createArrayType(STEP, false));

  /** What a plan needs of a criterion of a set; derived criteria are not the unit's own to raise and are left out. */
  private record Spec(String groupId, double maxPoints, boolean mandatory) implements Serializable {}

  private final HashMap<String, HashMap<String, Spec>> bySet = new HashMap<>(); // HashMaps: serialised to the executors

  private NextLevelPlan(Catalogs catalogs) {
    for (IndicatorSet s : catalogs.sets())
      for (IndicatorSet.Group g : s.groups())
        for (IndicatorSet.Criterion c : g.criteria())
          if (c.derivedMetric() == null)
            bySet.computeIfAbsent(s.id(), k -> new HashMap<>()).put(c.id(), new Spec(g.id(), c.maxPoints(), c.mandatory()));
  }

  /**
   * {@code plan(set_id, vals, pools)}: vals as {@link CellValues#VALUE} (any order), pools as the struct
   * {@link NextLevel#plans} makes; a {@link #PLAN}.
   */
  static UserDefinedFunction udf(Catalogs catalogs) {
    NextLevelPlan planner = new NextLevelPlan(catalogs);
    return functions.udf((UDF3<String, scala.collection.Seq<Row>, scala.collection.Seq<Row>, Row>) planner::plan, PLAN);
  }

  private record Criterion(String id, Spec spec, Double points, Boolean passed) {
    double headroom() {
      return spec.maxPoints() - (points == null ? 0.0 : points);
    }

    boolean inPool(String pool) {
      return pool.equals("TOTAL") || pool.equals(spec.groupId());
    }
  }

  /** A step and what orders it in the plan's text: pool, step, criterion. */
  private record Step(int poolOrder, int stepOrder, String criterionId, String label, Row row) {}

  private Row plan(String setId, scala.collection.Seq<Row> vals, scala.collection.Seq<Row> poolRows) {
    List<Criterion> own = ownCriteria(setId, vals);
    List<Row> pools = new ArrayList<>(CollectionConverters.asJava(poolRows));
    List<Step> steps = new ArrayList<>();
    boolean reachable = true;
    double needed = 0.0;
    for (Row pool : pools) {
      double headroom = raise(pool, own, steps);
      conditions(pool, own, steps);
      reachable &= pool.getDouble(NEEDED) <= headroom;
      needed += pool.getDouble(NEEDED);
    }
    pools.sort(Comparator.<Row>comparingInt(p -> p.getInt(POOL_ORDER)).thenComparing(p -> p.getString(POOL)));
    StringJoiner groups = new StringJoiner(", ");
    pools.forEach(p -> groups.add(p.getString(POOL)));
    int raised = (int) steps.stream().filter(s -> s.stepOrder() > 0).count();
    steps.sort(Comparator.comparingInt(Step::poolOrder).thenComparingInt(Step::stepOrder).thenComparing(Step::criterionId)
        .thenComparing(Step::label));
    StringJoiner text = new StringJoiner("; ");
    steps.forEach(s -> text.add(s.label()));
    return RowFactory.create(groups.toString(), round(needed, 4), reachable, raised, steps.size() - raised,
        steps.isEmpty() ? null : text.toString(), CollectionConverters.asScala(steps.stream().map(Step::row).toList()).toSeq());
  }

  private List<Criterion> ownCriteria(String setId, scala.collection.Seq<Row> vals) {
    Map<String, Spec> specs = bySet.getOrDefault(setId, new HashMap<>());
    List<Criterion> own = new ArrayList<>();
    if (vals == null) return own;
    for (Row v : CollectionConverters.asJava(vals)) {
      Spec spec = specs.get(v.getString(0));
      if (spec != null) own.add(new Criterion(v.getString(0), spec, v.isNullAt(1) ? null : v.getDouble(1), v.isNullAt(2) ? null : v.getBoolean(2)));
    }
    return own;
  }

  /**
   * The pool's raise steps, most points missing first, until they cover what it needs (the last one only as far as
   * needed). Returns the pool's headroom: what all its criteria could add (0 when it needs nothing).
   */
  private static double raise(Row pool, List<Criterion> own, List<Step> steps) {
    double needed = pool.getDouble(NEEDED);
    if (!(needed > 0)) return 0.0;
    List<Criterion> candidates = new ArrayList<>();
    for (Criterion c : own) if (!c.spec().mandatory() && c.inPool(pool.getString(POOL)) && c.headroom() > 0) candidates.add(c);
    candidates.sort(Comparator.comparingDouble(Criterion::headroom).reversed().thenComparing(Criterion::id));
    double headroom = 0.0;
    for (Criterion c : candidates) headroom += c.headroom();
    double covered = 0.0;
    for (int i = 0; i < candidates.size() && covered < needed; i++) {
      Criterion c = candidates.get(i);
      double add = Math.min(c.headroom(), needed - covered);
      steps.add(step(pool, c, NextLevel.RAISE_POINTS, i + 1, headroom, add, c.id() + " +" + points(add)));
      covered += c.headroom();
    }
    return headroom;
  }

  /** A capped pool's failed conditions, each a step to pass. */
  private static void conditions(Row pool, List<Criterion> own, List<Step> steps) {
    if (!Boolean.TRUE.equals(pool.get(MUST_PASS))) return;
    for (Criterion c : own)
      if (c.spec().mandatory() && c.inPool(pool.getString(POOL)) && Boolean.FALSE.equals(c.passed()))
        steps.add(step(pool, c, NextLevel.PASS_CONDITION, 0, null, 0.0, c.id() + " đạt"));
  }

  private static Step step(Row pool, Criterion c, String kind, int order, Double poolHeadroom, double add, String label) {
    Row row = RowFactory.create(pool.getString(POOL), pool.getInt(POOL_ORDER), pool.get(POOL_POINTS), pool.get(LOWER), pool.get(LOWER_INCLUSIVE),
        pool.getDouble(NEEDED), poolHeadroom, kind, order, c.spec().groupId(), c.id(), c.spec().maxPoints(), c.points(),
        c.points() != null || c.passed() != null, add);
    return new Step(pool.getInt(POOL_ORDER), order, c.id(), label, row);
  }

  /** Spark's {@code round(x, scale)} on a double: half up, on the double's shortest decimal form. */
  static double round(double x, int scale) {
    return BigDecimal.valueOf(x).setScale(scale, RoundingMode.HALF_UP).doubleValue();
  }

  /** "4" for 4.0, "1.01" for 1.01: the points as the plan's text shows them (rounded to 2 decimals). */
  static String points(double x) {
    return Double.toString(round(x, 2)).replaceAll("\\.0+$", "");
  }
}
