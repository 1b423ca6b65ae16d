package vn.cds.transform;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * For each unit whose official result is below Mức 3: the smallest set of criterion improvements that lifts it to the
 * next level, and how far it is. Everything comes from the catalog: the next level's lower bound, the basis (each
 * group below the target must reach it, or the total must), and the mandatory-condition policy (a capped group must
 * also pass its failed conditions).
 *
 * <p>Within each group (or the whole set for a total basis) the plan raises the criteria with the most points missing
 * first: that reaches the bound with the fewest criteria, and adds exactly the points needed (the last criterion only
 * as far as needed). Derived criteria (QĐ 3806 KQ) are not the unit's own to improve and are left out; a unit that
 * cannot reach the bound without them is marked not reachable.
 */
public final class NextLevel {
  private NextLevel() {}

  /**
   * Points are recorded to two decimals (and the catalogs' fractional bands and derived criteria produce such values),
   * so "more than 75" (an exclusive lower bound) means 75.01: the plan adds that step beyond an exclusive bound.
   */
  static final double POINT_STEP = 0.01;

  public static final String RAISE_POINTS = "raise_points";
  public static final String PASS_CONDITION = "pass_condition";

  /**
   * One row per unit-year below Mức 3 × group that must rise ("pool"; the pseudo-group {@code TOTAL} for sets levelled
   * on the total): the points it has, the bound, and the points it must add.
   */
  static Dataset<Row> pools(Dataset<Row> factAssessment, CatalogFrames catalog) {
    Dataset<Row> official = factAssessment.filter(col("is_official").and(col("overall_level").isNotNull()))
        .join(broadcast(catalog.indicatorSet.select(col("set_id"), col("basis"), col("mandatory_failed").as("policy"))), "set_id")
        .join(broadcast(catalog.levelBand.filter(col("scope").equalTo(CatalogFrames.LEVEL_RULE_SCOPE)).groupBy("set_id")
            .agg(max("level").as("top_level"))), "set_id")
        .filter(col("overall_level").lt(col("top_level")))
        .withColumn("target_level", col("overall_level").plus(1));
    Dataset<Row> perGroup = official.filter(col("basis").equalTo("per_group").and(col("level").lt(col("target_level"))))
        .select(col("row_key"), col("unit_code"), col("school_year"), col("set_id"), col("overall_level"), col("target_level"), col("policy"),
            col("group_id").as("pool"), col("group_order").as("pool_order"), col("points").as("pool_points"), col("mandatory_failed"));
    Dataset<Row> total = official.filter(col("basis").notEqual("per_group"))
        .groupBy("row_key", "unit_code", "school_year", "set_id", "overall_level", "target_level", "policy")
        .agg(max("total_points").as("pool_points"), sum("mandatory_failed").cast("int").as("mandatory_failed"))
        .withColumn("pool", lit("TOTAL")).withColumn("pool_order", lit(0));
    Dataset<Row> bands = catalog.levelBand.filter(col("scope").equalTo(CatalogFrames.LEVEL_RULE_SCOPE))
        .select(col("set_id"), col("level").as("target_level"), col("lower"), col("lower_inclusive"));
    // A group capped by a failed condition must pass it; under cap_overall the total pool holds every condition.
    Column shortfall = col("lower").minus(col("pool_points")).plus(when(col("lower_inclusive"), lit(0.0)).otherwise(lit(POINT_STEP)));
    return perGroup.unionByName(total).join(broadcast(bands), new String[] {"set_id", "target_level"})
        .withColumn("points_needed", org.apache.spark.sql.functions.round(greatest(shortfall, lit(0.0)), 4))
        .withColumn("must_pass_conditions", col("mandatory_failed").gt(0)
            .and(col("policy").equalTo("cap_group_at_level_1").or(col("policy").equalTo("cap_overall_at_level_1"))));
  }

  /**
   * The plan, one row per step: raise a criterion by some points, or pass a failed mandatory condition. Steps are
   * ordered within their pool; {@code reachable} says whether the pool's own criteria can cover what it needs.
   */
  public static Dataset<Row> steps(Dataset<Row> factAssessment, Dataset<Row> criterionScores, CatalogFrames catalog) {
    Dataset<Row> pools = pools(factAssessment, catalog);
    Dataset<Row> own = criterionScores.filter(col("derived_metric").isNull())
        .select(col("row_key"), col("group_id"), col("criterion_id"), col("max_points"), col("mandatory"), col("points"), col("passed"),
            col("reported"));
    // Per group, a pool is its group; for a total basis, every criterion of the set is in the one pool.
    Column inPool = col("pool").equalTo("TOTAL").or(col("pool").equalTo(col("group_id")));
    // the pools (unit-years below the top level × groups) are broadcast: the criterion rows are not shuffled to meet them
    Dataset<Row> candidates = broadcast(pools).join(own.withColumnRenamed("row_key", "c_row_key"),
            col("row_key").equalTo(col("c_row_key")).and(inPool))
        .drop("c_row_key");

    Dataset<Row> raise = candidates.filter(col("mandatory").unary_$bang())
        .withColumn("headroom", col("max_points").minus(coalesce(col("points"), lit(0.0))))
        .filter(col("headroom").gt(0).and(col("points_needed").gt(0)));
    var mostMissingFirst = Window.partitionBy("row_key", "pool").orderBy(col("headroom").desc(), col("criterion_id"));
    Dataset<Row> ranked = raise
        .withColumn("step_order", row_number().over(mostMissingFirst))
        .withColumn("covered_before", coalesce(sum("headroom").over(mostMissingFirst.rowsBetween(Window.unboundedPreceding(), -1)), lit(0.0)))
        .withColumn("pool_headroom", sum("headroom").over(Window.partitionBy("row_key", "pool")))
        .filter(col("covered_before").lt(col("points_needed")))
        .withColumn("points_to_add", least(col("headroom"), col("points_needed").minus(col("covered_before"))))
        .withColumn("step_kind", lit(RAISE_POINTS));

    Dataset<Row> conditions = candidates.filter(col("mandatory").and(col("must_pass_conditions")).and(col("passed").equalTo(false)))
        .withColumn("headroom", lit(0.0)).withColumn("pool_headroom", lit(null).cast("double"))
        .withColumn("step_order", lit(0)).withColumn("points_to_add", lit(0.0)).withColumn("step_kind", lit(PASS_CONDITION));

    String[] columns = {"row_key", "unit_code", "school_year", "set_id", "overall_level", "target_level", "pool", "pool_order", "pool_points",
        "lower", "lower_inclusive", "points_needed", "pool_headroom", "step_kind", "step_order", "group_id", "criterion_id", "max_points",
        "points", "reported", "points_to_add"};
    return ranked.selectExpr(columns).unionByName(conditions.selectExpr(columns));
  }

  /**
   * One row per unit-year below Mức 3: current and target level, the groups that must rise, points needed in all,
   * the number of criteria to raise and of conditions to pass, whether its own criteria suffice, and the plan as text
   * ("DH5.1 +4; QT1 đạt"). Units whose groups need nothing but a condition have zero points needed.
   */
  public static Dataset<Row> summary(Dataset<Row> factAssessment, Dataset<Row> steps, Dataset<Row> unitYearLevels, CatalogFrames catalog) {
    Dataset<Row> pools = pools(factAssessment, catalog);
    Dataset<Row> poolHeadroom = steps.filter(col("step_kind").equalTo(RAISE_POINTS)).groupBy("row_key", "pool")
        .agg(max("pool_headroom").as("pool_headroom"));
    Dataset<Row> perPool = pools.join(poolHeadroom, new String[] {"row_key", "pool"}, "left")
        .withColumn("pool_reachable", col("points_needed").leq(coalesce(col("pool_headroom"), lit(0.0))));
    Dataset<Row> perUnit = perPool.groupBy("row_key", "unit_code", "school_year", "set_id", "overall_level", "target_level")
        .agg(expr("array_join(array_sort(collect_list(struct(pool_order, pool)))" + ".pool, ', ')").as("groups_to_raise"),
            expr("round(sum(points_needed), 4)").as("points_needed"),
            expr("bool_and(pool_reachable)").as("reachable"));
    Column label = when(col("step_kind").equalTo(PASS_CONDITION), expr("criterion_id || ' đạt'"))
        .otherwise(expr("criterion_id || ' +' || regexp_replace(cast(round(points_to_add, 2) as string), '\\\\.0+$', '')"));
    Dataset<Row> plans = steps.withColumn("label", label).groupBy("row_key")
        .agg(count(when(col("step_kind").equalTo(RAISE_POINTS), 1)).cast("int").as("criteria_to_raise"),
            count(when(col("step_kind").equalTo(PASS_CONDITION), 1)).cast("int").as("conditions_to_pass"),
            expr("array_join(transform(array_sort(collect_list(struct(pool_order, step_order, criterion_id, label))), x -> x.label), '; ')")
                .as("plan"));
    Dataset<Row> area = unitYearLevels.filter(col("scope").equalTo("overall")).select("unit_code", "school_year", "province_code", "area_type",
        "area_code", "former_district_code", "school_level");
    return perUnit.join(plans, new String[] {"row_key"}, "left")
        .withColumn("criteria_to_raise", coalesce(col("criteria_to_raise"), lit(0)))
        .withColumn("conditions_to_pass", coalesce(col("conditions_to_pass"), lit(0)))
        .join(area, new String[] {"unit_code", "school_year"})
        .select(col("school_year"), col("unit_code"), col("province_code"), col("area_type"), col("area_code"), col("former_district_code"),
            col("school_level"), col("set_id").as("indicator_set"), col("overall_level").as("current_level"), col("target_level"),
            col("groups_to_raise"), col("points_needed"), col("criteria_to_raise"), col("conditions_to_pass"), col("reachable"),
            col("plan"), col("row_key"));
  }
}
