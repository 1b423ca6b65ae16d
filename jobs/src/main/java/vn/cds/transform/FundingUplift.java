package vn.cds.transform;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * What each criterion of one official assessment would do if it alone were brought to full points: the rule of
 * {@link Analytics#fundingPriority} for one assessment, worked out in one call over its groups and its criteria in one
 * row. (As Spark SQL every criterion row was joined to its group, to the other groups' levels and to the level bands.)
 *
 * <p>Levels follow Spark's semantics of the plan it replaces: a points value no band holds has no level, a comparison
 * with a missing level is false, and the lower of two levels ignores a missing one ({@code least}).
 */
final class FundingUplift implements Serializable {
  /** Fields of an input group (of {@link Analytics#fundingPriority}): group_id, points, level, mandatory_failed. */
  private static final int GROUP_ID = 0, POINTS = 1, LEVEL = 2, MANDATORY_FAILED = 3;

  /** Output, one per scored criterion of the assessment's groups. */
  static final StructType UPLIFT = StructType.fromDDL("group_id string, criterion_id string, max_points double, uplift double, "
      + "rises_group boolean, rises_overall boolean");

  /** A criterion that can be funded: neither a mandatory condition nor derived from other units. */
  private record Spec(String groupId, double maxPoints) implements Serializable {}

  private record SetRule(HashMap<String, Spec> criteria, ArrayList<IndicatorSet.Band> bands, boolean capGroup) implements Serializable {}

  private final HashMap<String, SetRule> bySet = new HashMap<>(); // HashMaps: serialised to the executors

  private FundingUplift(Catalogs catalogs) {
    for (IndicatorSet s : catalogs.sets()) {
      HashMap<String, Spec> criteria = new HashMap<>();
      for (IndicatorSet.Group g : s.groups())
        for (IndicatorSet.Criterion c : g.criteria())
          if (!c.mandatory() && c.derivedMetric() == null) criteria.put(c.id(), new Spec(g.id(), c.maxPoints()));
      bySet.put(s.id(), new SetRule(criteria, new ArrayList<>(s.levelRule().levels()), "cap_group_at_level_1".equals(s.levelRule().mandatoryFailed())));
    }
  }

  /** {@code uplifts(set_id, vals, groups, overall_level)}: vals as {@link CellValues#VALUE}; an array of {@link #UPLIFT}. */
  static UserDefinedFunction udf(Catalogs catalogs) {
    FundingUplift rule = new FundingUplift(catalogs);
    return functions.udf((UDF4<String, scala.collection.Seq<Row>, scala.collection.Seq<Row>, Integer, scala.collection.immutable.Seq<Row>>)
        rule::uplifts, DataTypes.createArrayType(UPLIFT, false));
  }

  private scala.collection.immutable.Seq<Row> uplifts(String setId, scala.collection.Seq<Row> vals, scala.collection.Seq<Row> groupRows,
      Integer overallLevel) {
    SetRule rule = bySet.get(setId);
    List<Row> out = new ArrayList<>();
    if (rule == null || vals == null) return CollectionConverters.asScala(out).toSeq();
    HashMap<String, Row> groups = new HashMap<>();
    for (Row g : CollectionConverters.asJava(groupRows)) groups.put(g.getString(GROUP_ID), g);
    HashMap<String, Integer> othersLowest = new HashMap<>(); // per group, once: not again for each of its criteria
    for (String id : groups.keySet()) othersLowest.put(id, otherMinLevel(groups, id));
    for (Row v : CollectionConverters.asJava(vals)) {
      Spec spec = rule.criteria().get(v.getString(0));
      Row group = spec == null ? null : groups.get(spec.groupId());
      if (group == null) continue;
      double uplift = spec.maxPoints() - (v.isNullAt(1) ? 0.0 : v.getDouble(1));
      Integer newLevel = relevelled(rule, group, uplift);
      Integer newOverall = least(newLevel, othersLowest.get(spec.groupId()));
      out.add(RowFactory.create(spec.groupId(), v.getString(0), spec.maxPoints(), uplift, greater(newLevel, level(group)),
          greater(newOverall, overallLevel)));
    }
    return CollectionConverters.asScala(out).toSeq();
  }

  /** The group's level with the criterion at full points: capped at Mức 1 by a failed condition under that policy. */
  private static Integer relevelled(SetRule rule, Row group, double uplift) {
    if (rule.capGroup() && !group.isNullAt(MANDATORY_FAILED) && group.getInt(MANDATORY_FAILED) > 0) return 1;
    if (group.isNullAt(POINTS)) return null;
    double points = NextLevelPlan.round(group.getDouble(POINTS) + uplift, 4);
    for (IndicatorSet.Band b : rule.bands())
      if ((b.lowerInclusive() ? points >= b.lower() : points > b.lower()) && (b.upperInclusive() ? points <= b.upper() : points < b.upper()))
        return b.level();
    return null;
  }

  /** The lowest level among the assessment's other groups; none when they have none. */
  private static Integer otherMinLevel(HashMap<String, Row> groups, String groupId) {
    Integer min = null;
    for (Row g : groups.values())
      if (!g.getString(GROUP_ID).equals(groupId) && !g.isNullAt(LEVEL) && (min == null || g.getInt(LEVEL) < min)) min = g.getInt(LEVEL);
    return min;
  }

  private static Integer level(Row group) {
    return group.isNullAt(LEVEL) ? null : group.getInt(LEVEL);
  }

  private static Integer least(Integer a, Integer b) {
    if (a == null) return b;
    return b == null ? a : Math.min(a, b);
  }

  private static boolean greater(Integer a, Integer b) {
    return a != null && b != null && a > b;
  }
}
