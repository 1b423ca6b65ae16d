-- The DuckDB-only baseline of the benchmark: the same tables the Spark jobs compute after validation, in SQL over the
-- same Parquet lake. Input: the lake's validated criterion scores and assessments, the registry and the catalog tables.
-- Each "-- stage:" block is timed apart; ${lake} is the lake folder, ${out} the folder its Parquet goes to.

-- stage: scoring
-- Means exactly as Spark's decimal avg gives them (transform/Exact): the sum of decimal(28,10) values, divided to 14
-- decimals half up, then rounded half up to d. Done in integer arithmetic on units of 1e-10, because DuckDB's avg of a
-- decimal is a double: 0.84375 came out 0.8437 and swapped two weakness ranks (found by the equality check).
CREATE TEMP MACRO half_up_div(a, b) AS (2 * a + b) // (2 * b);
CREATE TEMP MACRO exact_avg(units, n, d) AS CASE WHEN n > 0
  THEN half_up_div(half_up_div(units * 10000, n::HUGEINT), (10 ** (14 - d))::HUGEINT)::DOUBLE / 10 ** d END;
CREATE TEMP MACRO exact_mean(x, d) AS exact_avg(sum((x::DECIMAL(28,10) * 10000000000)::HUGEINT), count(x), d);
CREATE TEMP TABLE criterion_score AS SELECT * FROM read_parquet('${lake}/criterion_score/school_year=*/*.parquet', hive_partitioning = true, hive_types = {'school_year': VARCHAR});
CREATE TEMP TABLE assessment AS SELECT row_key, is_official FROM read_parquet('${lake}/assessment/school_year=*/*.parquet', hive_partitioning = true, hive_types = {'school_year': VARCHAR}) WHERE disposition = 'accepted';
CREATE TEMP TABLE dim_unit AS SELECT * FROM read_parquet('${lake}/dim_unit/*.parquet');
CREATE TEMP TABLE dim_area AS SELECT * FROM read_parquet('${lake}/dim_area/*.parquet');
CREATE TEMP TABLE dim_indicator_set AS SELECT * FROM read_parquet('${lake}/dim_indicator_set/*.parquet');
CREATE TEMP TABLE dim_group AS SELECT * FROM read_parquet('${lake}/dim_group/*.parquet');
CREATE TEMP TABLE dim_level_band AS SELECT * FROM read_parquet('${lake}/dim_level_band/*.parquet') WHERE scope = 'level_rule';
CREATE TEMP TABLE b_group_result AS
WITH g AS (
  SELECT row_key, unit_code, school_year, stage, set_id, group_id,
    coalesce(round(sum(CASE WHEN NOT mandatory THEN points::DECIMAL(28,10) END), 4)::DOUBLE, 0.0) AS points,
    count(*) FILTER (reported)::INT AS criteria_reported,
    count(*) FILTER (NOT reported)::INT AS criteria_not_reported,
    count(*) FILTER (mandatory AND passed = false)::INT AS mandatory_failed,
    count(*) FILTER (mandatory AND NOT reported)::INT AS mandatory_not_reported
  FROM criterion_score GROUP BY ALL),
banded AS (
  SELECT g.*, s.basis, s.mandatory_failed AS policy, s.overall_rule, b.level AS points_level
  FROM g JOIN dim_indicator_set s USING (set_id)
  LEFT JOIN dim_level_band b ON b.set_id = g.set_id
    AND (CASE WHEN b.lower_inclusive THEN g.points >= b.lower ELSE g.points > b.lower END)
    AND (CASE WHEN b.upper_inclusive THEN g.points <= b.upper ELSE g.points < b.upper END)),
grouped AS (
  SELECT * EXCLUDE (points_level),
    CASE WHEN basis <> 'per_group' THEN NULL WHEN mandatory_failed > 0 AND policy = 'cap_group_at_level_1' THEN 1 ELSE points_level END AS level
  FROM banded),
overall AS (
  SELECT row_key, any_value(set_id) AS set_id, round(sum(points::DECIMAL(28,10)), 4)::DOUBLE AS total_points, min(level) AS min_group_level,
    sum(mandatory_failed) AS total_mandatory_failed, any_value(policy) AS policy, any_value(overall_rule) AS overall_rule
  FROM grouped GROUP BY row_key),
overall_level AS (
  SELECT o.row_key, o.total_points,
    CASE WHEN o.total_mandatory_failed > 0 AND o.policy = 'cap_overall_at_level_1' THEN 1
         WHEN o.overall_rule = 'min_of_groups' THEN o.min_group_level ELSE b.level END AS overall_level
  FROM overall o LEFT JOIN dim_level_band b ON b.set_id = o.set_id
    AND (CASE WHEN b.lower_inclusive THEN o.total_points >= b.lower ELSE o.total_points > b.lower END)
    AND (CASE WHEN b.upper_inclusive THEN o.total_points <= b.upper ELSE o.total_points < b.upper END))
SELECT grouped.* EXCLUDE (basis, policy, overall_rule), overall_level.total_points, overall_level.overall_level, a.is_official
FROM grouped JOIN overall_level USING (row_key) JOIN assessment a USING (row_key);

-- stage: analytics
CREATE TEMP TABLE b_unit_year_level AS
WITH years AS (SELECT DISTINCT school_year FROM b_group_result WHERE school_year IS NOT NULL),
unit_years AS (
  SELECT u.*, y.school_year FROM dim_unit u JOIN years y ON u.valid_from <= y.school_year AND (u.valid_to IS NULL OR y.school_year <= u.valid_to)
  QUALIFY row_number() OVER (PARTITION BY u.unit_code, y.school_year ORDER BY u.valid_from DESC) = 1),
applicable AS (
  SELECT uy.unit_code, uy.school_year, uy.school_level, uy.ownership, uy.province_code,
    CASE WHEN uy.district_code IS NOT NULL THEN 'district' WHEN uy.commune_code IS NOT NULL THEN 'commune' ELSE 'province' END AS area_type,
    coalesce(uy.district_code, uy.commune_code, uy.province_code) AS area_code, coalesce(uy.district_code, uy.commune_code) AS own_area,
    s.set_id AS indicator_set, s.basis
  FROM unit_years uy JOIN set_applies_to a USING (school_level) JOIN dim_indicator_set s ON s.set_id = a.set_id
  WHERE s.first_school_year <= uy.school_year AND (s.last_school_year IS NULL OR uy.school_year <= s.last_school_year)),
former AS (
  SELECT successor_code AS own_area, min(area_code) AS former_district_code FROM dim_area
  WHERE area_type = 'district' AND successor_code IS NOT NULL GROUP BY successor_code),
with_former AS (
  SELECT a.* EXCLUDE (own_area), CASE WHEN a.area_type = 'district' THEN a.area_code ELSE f.former_district_code END AS former_district_code
  FROM applicable a LEFT JOIN former f USING (own_area)),
official AS (SELECT unit_code, school_year, group_id, level, overall_level, points, stage FROM b_group_result WHERE is_official),
results AS (
  SELECT unit_code, school_year, 'overall' AS scope, min(overall_level) AS level, round(sum(points::DECIMAL(28,10)), 4)::DOUBLE AS points,
    min(stage) AS stage FROM official GROUP BY unit_code, school_year
  UNION ALL BY NAME
  SELECT unit_code, school_year, group_id AS scope, level, points, stage FROM official WHERE level IS NOT NULL),
scopes AS (
  SELECT *, 'overall' AS scope FROM with_former
  UNION ALL BY NAME
  SELECT w.*, g.group_id AS scope FROM with_former w JOIN dim_group g ON g.set_id = w.indicator_set WHERE w.basis = 'per_group')
SELECT s.* EXCLUDE (basis), r.level, r.points, r.stage FROM scopes s LEFT JOIN results r USING (unit_code, school_year, scope);

CREATE TEMP TABLE b_level_distribution AS
SELECT school_year, province_code, area_type, area_code, former_district_code, school_level, ownership, indicator_set, scope,
  count(*)::INT AS registered, count(level)::INT AS assessed, (count(*) - count(level))::INT AS not_assessed,
  count(*) FILTER (level = 1)::INT AS level_1, count(*) FILTER (level = 2)::INT AS level_2, count(*) FILTER (level = 3)::INT AS level_3,
  CASE WHEN count(level) > 0 THEN round(count(*) FILTER (level >= 2) / count(level), 4) END AS share_level_2_plus,
  CASE WHEN count(level) > 0 THEN round(count(*) FILTER (level = 3) / count(level), 4) END AS share_level_3
FROM b_unit_year_level GROUP BY ALL;

CREATE TEMP TABLE b_criterion_gap AS
WITH official_keys AS (SELECT DISTINCT row_key FROM b_group_result WHERE is_official),
units AS (
  SELECT unit_code, school_year, province_code, area_type, area_code, former_district_code, school_level, indicator_set
  FROM b_unit_year_level WHERE scope = 'overall' AND level IS NOT NULL),
scores AS (
  SELECT c.unit_code, c.school_year, c.set_id AS indicator_set, c.group_id, c.criterion_id, c.max_points, c.points, c.reported
  FROM criterion_score c SEMI JOIN official_keys k ON k.row_key = c.row_key WHERE NOT c.mandatory),
gap AS (
  SELECT school_year, province_code, area_type, area_code, former_district_code, school_level, indicator_set, group_id, criterion_id, max_points,
    count(*)::INT AS units, count(*) FILTER (reported)::INT AS units_reported,
    exact_mean(CASE WHEN reported THEN (points / max_points) END, 4) AS mean_attainment,
    exact_mean(CASE WHEN reported THEN points END, 4) AS mean_points,
    exact_mean(CASE WHEN reported AND points >= max_points THEN 1.0 ELSE 0.0 END, 4) AS share_full,
    exact_mean(CASE WHEN reported AND points = 0 THEN 1.0 ELSE 0.0 END, 4) AS share_zero,
    exact_mean(CASE WHEN reported THEN 0.0 ELSE 1.0 END, 4) AS share_not_reported
  FROM scores JOIN units USING (unit_code, school_year, indicator_set) GROUP BY ALL)
SELECT *, round(max_points - mean_points, 4) AS gap_to_max,
  row_number() OVER (PARTITION BY school_year, area_code, school_level, indicator_set ORDER BY mean_attainment ASC NULLS LAST, criterion_id) AS weakness_rank
FROM gap;

-- stage: trends
CREATE TEMP TABLE b_trend_rows AS
SELECT *, 'province' AS grouping, province_code AS group_code FROM b_unit_year_level
UNION ALL SELECT *, 'former_district' AS grouping, former_district_code AS group_code FROM b_unit_year_level;
CREATE TEMP TABLE b_previous_year AS
SELECT school_year, lag(school_year) OVER (ORDER BY school_year) AS previous_year FROM (SELECT DISTINCT school_year FROM b_trend_rows)
QUALIFY previous_year IS NOT NULL;
CREATE TEMP TABLE b_level_trend AS
WITH agg AS (
  SELECT grouping, group_code, school_level, indicator_set, scope, school_year, count(level)::INT AS assessed,
    exact_mean(CASE WHEN level IS NOT NULL THEN points END, 2) AS mean_points,
    exact_mean(CASE WHEN level IS NOT NULL THEN CASE WHEN level >= 2 THEN 1.0 ELSE 0.0 END END, 4) AS share_level_2_plus,
    exact_mean(CASE WHEN level IS NOT NULL THEN CASE WHEN level = 3 THEN 1.0 ELSE 0.0 END END, 4) AS share_level_3
  FROM b_trend_rows GROUP BY ALL),
with_previous AS (
  SELECT a.*, y.previous_year, p.assessed AS prev_assessed, p.mean_points AS prev_mean_points,
    p.share_level_2_plus AS prev_share_level_2_plus, p.share_level_3 AS prev_share_level_3
  FROM agg a LEFT JOIN b_previous_year y USING (school_year)
  LEFT JOIN agg p ON p.grouping = a.grouping AND p.group_code = a.group_code AND p.school_level = a.school_level
    AND p.indicator_set = a.indicator_set AND p.scope = a.scope AND p.school_year = y.previous_year),
paired AS (
  SELECT n.grouping, n.group_code, n.school_level, n.indicator_set, n.scope, n.school_year, n.level, n.points,
    b.level AS prev_level, b.points AS prev_points
  FROM b_trend_rows n JOIN b_previous_year y USING (school_year)
  JOIN b_trend_rows b ON b.unit_code = n.unit_code AND b.school_year = y.previous_year AND b.scope = n.scope AND b.grouping = n.grouping
  WHERE n.level IS NOT NULL AND b.level IS NOT NULL),
same AS (
  SELECT grouping, group_code, school_level, indicator_set, scope, school_year, count(*)::INT AS same_units,
    exact_mean(points, 2) AS same_mean_points,
    exact_mean(CASE WHEN level >= 2 THEN 1.0 ELSE 0.0 END, 4) AS same_share_level_2_plus,
    exact_mean(CASE WHEN level = 3 THEN 1.0 ELSE 0.0 END, 4) AS same_share_level_3,
    exact_mean(prev_points, 2) AS same_prev_mean_points,
    exact_mean(CASE WHEN prev_level >= 2 THEN 1.0 ELSE 0.0 END, 4) AS same_prev_share_level_2_plus,
    exact_mean(CASE WHEN prev_level = 3 THEN 1.0 ELSE 0.0 END, 4) AS same_prev_share_level_3
  FROM paired GROUP BY ALL)
SELECT w.*, s.* EXCLUDE (grouping, group_code, school_level, indicator_set, scope, school_year),
  round(w.mean_points - w.prev_mean_points, 2) AS change_mean_points,
  round(w.share_level_2_plus - w.prev_share_level_2_plus, 4) AS change_share_level_2_plus,
  round(w.share_level_3 - w.prev_share_level_3, 4) AS change_share_level_3,
  round(s.same_mean_points - s.same_prev_mean_points, 2) AS same_change_mean_points,
  round(s.same_share_level_2_plus - s.same_prev_share_level_2_plus, 4) AS same_change_share_level_2_plus,
  round(s.same_share_level_3 - s.same_prev_share_level_3, 4) AS same_change_share_level_3
FROM with_previous w LEFT JOIN same s ON s.grouping = w.grouping AND s.group_code = w.group_code AND s.school_level = w.school_level
  AND s.indicator_set = w.indicator_set AND s.scope = w.scope AND s.school_year = w.school_year;

-- stage: lake
COPY (SELECT * FROM b_group_result) TO '${out}/group_result' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (school_year), OVERWRITE_OR_IGNORE);
COPY (SELECT * FROM b_level_distribution) TO '${out}/agg_level_distribution' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (school_year), OVERWRITE_OR_IGNORE);
COPY (SELECT * FROM b_criterion_gap) TO '${out}/agg_criterion_gap' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (school_year), OVERWRITE_OR_IGNORE);
COPY (SELECT * FROM b_level_trend) TO '${out}/agg_level_trend.parquet' (FORMAT parquet, COMPRESSION zstd);
