package vn.cds.transform;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
   * One row per official assessment below the top level: its keys and its plan ({@link NextLevelPlan#PLAN}: the summary
   * and the steps), worked out from its pools and its criteria in one row ({@code valueRows}: {@code row_key} and
   * {@code vals}, its criteria's values as {@link CellValues#VALUE}, any order). Every accepted assessment has such a
   * row; the pools are few enough to broadcast, so the criteria are neither exploded nor shuffled to meet them.
   */
  public static Dataset<Row> plans(Dataset<Row> factAssessment, Dataset<Row> valueRows, CatalogFrames catalog) {
    Dataset<Row> pools = pools(factAssessment, catalog)
        .groupBy("row_key", "unit_code", "school_year", "set_id", "overall_level", "target_level")
        .agg(collect_list(struct(col("pool"), col("pool_order"), col("pool_points"), col("lower"), col("lower_inclusive"), col("points_needed"),
            col("must_pass_conditions"))).as("pools"));
    return valueRows.select("row_key", "vals").join(broadcast(pools), "row_key")
        .select(col("row_key"), col("unit_code"), col("school_year"), col("set_id"), col("overall_level"), col("target_level"),
            NextLevelPlan.udf(catalog.catalogs).apply(col("set_id"), col("vals"), col("pools")).as("plan"));
  }

  /**
   * The plan, one row per step: raise a criterion by some points, or pass a failed mandatory condition. Steps are
   * ordered within their pool; {@code pool_headroom} says what the pool's own criteria could add in all.
   */
  public static Dataset<Row> steps(Dataset<Row> plans) {
    return plans.select(col("row_key"), col("unit_code"), col("school_year"), col("set_id"), col("overall_level"), col("target_level"),
            explode(col("plan.steps")).as("s"))
        .select(col("row_key"), col("unit_code"), col("school_year"), col("set_id"), col("overall_level"), col("target_level"), col("s.*"));
  }

  /**
   * One row per unit-year below Mức 3: current and target level, the groups that must rise, points needed in all,
   * the number of criteria to raise and of conditions to pass, whether its own criteria suffice, and the plan as text
   * ("DH5.1 +4; QT1 đạt"). Units whose groups need nothing but a condition have zero points needed.
   */
  public static Dataset<Row> summary(Dataset<Row> plans, Dataset<Row> unitYearLevels) {
    Dataset<Row> area = unitYearLevels.filter(col("scope").equalTo("overall")).select("unit_code", "school_year", "province_code", "area_type",
        "area_code", "former_district_code", "school_level");
    return plans.join(area, new String[] {"unit_code", "school_year"})
        .select(col("school_year"), col("unit_code"), col("province_code"), col("area_type"), col("area_code"), col("former_district_code"),
            col("school_level"), col("set_id").as("indicator_set"), col("overall_level").as("current_level"), col("target_level"),
            col("plan.groups_to_raise"), col("plan.points_needed"), col("plan.criteria_to_raise"), col("plan.conditions_to_pass"),
            col("plan.reachable"), col("plan.plan"), col("row_key"));
  }
}
