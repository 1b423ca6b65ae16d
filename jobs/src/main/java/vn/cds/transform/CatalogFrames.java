package vn.cds.transform;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;
import vn.cds.catalog.IndicatorSet.Band;
import vn.cds.catalog.IndicatorSet.Criterion;
import vn.cds.catalog.IndicatorSet.CriterionBand;
import vn.cds.catalog.IndicatorSet.Group;

/** The catalogs as small dimension tables, so scoring rules are joined as data rather than written as code. */
public final class CatalogFrames {
  public static final String LEVEL_RULE_SCOPE = "level_rule";

  public final Dataset<Row> indicatorSet;
  public final Dataset<Row> setAlias;
  public final Dataset<Row> setAppliesTo;
  public final Dataset<Row> group;
  public final Dataset<Row> criterion;
  public final Dataset<Row> levelBand;
  /** The catalogs these tables were made from, for the row-by-row reading of criterion cells ({@link CellValues}). */
  public final Catalogs catalogs;

  public CatalogFrames(SparkSession spark, Catalogs catalogs) {
    this.catalogs = catalogs;
    List<Row> sets = new ArrayList<>(), aliases = new ArrayList<>(), applies = new ArrayList<>(), groups = new ArrayList<>(),
        criteria = new ArrayList<>(), bands = new ArrayList<>();
    for (IndicatorSet s : catalogs.sets()) {
      sets.add(RowFactory.create(s.id(), s.version(), s.decision(), s.title(), s.levelRule().basis(), s.levelRule().mandatoryFailed(),
          s.levelRule().overall(), s.firstSchoolYear(), s.lastSchoolYear(), s.totalMaxPoints(), s.provisional(),
          String.join(", ", s.unverifiedParts()), s.sourceFile(), s.sha256()));
      s.aliases().forEach(a -> aliases.add(RowFactory.create(s.id(), a)));
      s.appliesTo().forEach(l -> applies.add(RowFactory.create(s.id(), l)));
      addBands(bands, s.id(), LEVEL_RULE_SCOPE, s.levelRule().levels());
      int gOrder = 0, cOrder = 0;
      for (Group g : s.groups()) {
        groups.add(RowFactory.create(s.id(), g.id(), g.name(), g.maxPoints(), g.status(), gOrder++));
        for (Criterion c : g.criteria())
          criteria.add(RowFactory.create(s.id(), g.id(), c.id(), c.name(), c.maxPoints(), c.mandatory(), c.scoring(), c.status(),
              c.parent(), c.derivedMetric(), c.derivedLevel(), cOrder++));
        for (CriterionBand cb : g.criterionBands()) addBands(bands, s.id(), cb.criterion(), cb.bands());
      }
    }
    indicatorSet = spark.createDataFrame(sets, schema("set_id string, version string, decision string, title string, basis string, "
        + "mandatory_failed string, overall_rule string, first_school_year string, last_school_year string, total_max_points double, "
        + "provisional boolean, unverified_parts string, source_file string, sha256 string"));
    setAlias = spark.createDataFrame(aliases, schema("set_id string, alias string"));
    setAppliesTo = spark.createDataFrame(applies, schema("set_id string, school_level string"));
    group = spark.createDataFrame(groups, schema("set_id string, group_id string, group_name string, max_points double, status string, group_order int"));
    criterion = spark.createDataFrame(criteria, schema("set_id string, group_id string, criterion_id string, criterion_name string, "
        + "max_points double, mandatory boolean, scoring string, status string, parent string, derived_metric string, derived_level int, criterion_order int"));
    levelBand = spark.createDataFrame(bands, schema("set_id string, scope string, level int, level_name string, lower double, "
        + "lower_inclusive boolean, upper double, upper_inclusive boolean"));
  }

  private static void addBands(List<Row> out, String setId, String scope, List<Band> bands) {
    for (Band b : bands)
      out.add(RowFactory.create(setId, scope, b.level(), b.name(), b.lower(), b.lowerInclusive(), b.upper(), b.upperInclusive()));
  }

  static StructType schema(String ddl) {
    return StructType.fromDDL(ddl);
  }
}
