package vn.cds.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * The catalog's groups as column expressions over an assessment's wide row of values ({@code vals}, from
 * {@link CellValues#read}: one struct per criterion of the set, in catalog order). Each group's points are summed
 * in decimals and rounded as {@link Exact#sum} does, so the results equal those of the long criterion rows.
 */
final class WideScores {
  private WideScores() {}

  private static final String DECIMAL = "decimal(28,10)";

  /** Whether the set has a criterion computed from other units' results: those are scored from long rows. */
  static boolean hasDerived(IndicatorSet s) {
    return s.criteria().stream().anyMatch(c -> c.derivedMetric() != null);
  }

  /**
   * {@code CASE set_id WHEN … THEN array(struct per group) END}: per group of the row's set, its points (non-mandatory
   * criteria), criteria reported and not, mandatory conditions failed and not reported; null for other sets.
   */
  static Column groupTotals(Catalogs catalogs) {
    Column byset = null;
    for (IndicatorSet s : catalogs.sets()) {
      if (hasDerived(s)) continue;
      List<IndicatorSet.Criterion> all = s.criteria();
      List<Column> groups = new ArrayList<>();
      for (IndicatorSet.Group g : s.groups()) {
        if (g.criteria().isEmpty()) continue; // no criterion row, no group row: as the long rows' aggregation
        List<String> optional = new ArrayList<>(), mandatory = new ArrayList<>(), every = new ArrayList<>();
        for (IndicatorSet.Criterion c : g.criteria()) {
          String v = "vals[" + all.indexOf(c) + "]";
          every.add(v);
          (c.mandatory() ? mandatory : optional).add(v);
        }
        groups.add(functions.expr("named_struct('group_id', '" + g.id() + "', 'points', " + points(optional) + ", "
            + "'criteria_reported', " + count(every, REPORTED) + ", 'criteria_not_reported', " + count(every, "NOT (" + REPORTED + ")") + ", "
            + "'mandatory_failed', " + count(mandatory, "x.passed = false") + ", 'mandatory_not_reported', " + count(mandatory, "NOT (" + REPORTED + ")") + ")"));
      }
      Column these = functions.array(groups.toArray(Column[]::new));
      Column when = functions.col("set_id").equalTo(s.id());
      byset = byset == null ? functions.when(when, these) : byset.when(when, these);
    }
    return byset == null ? functions.array() : byset;
  }

  private static final String REPORTED = "x.points IS NOT NULL OR x.passed IS NOT NULL";

  private static String points(List<String> values) {
    if (values.isEmpty()) return "CAST(0 AS double)";
    return "CAST(round(aggregate(array(" + values.stream().map(v -> v + ".points").collect(Collectors.joining(", ")) + "), CAST(0 AS " + DECIMAL
        + "), (acc, p) -> CAST(acc + coalesce(CAST(p AS " + DECIMAL + "), 0) AS " + DECIMAL + ")), 4) AS double)";
  }

  private static String count(List<String> values, String predicate) {
    if (values.isEmpty()) return "0";
    return "size(filter(array(" + String.join(", ", values) + "), x -> " + predicate + "))";
  }
}
