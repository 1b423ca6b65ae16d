package vn.cds.mart;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The views of the yearly cycle's documents (schemas/milestones.json, submissions.csv). What is overdue depends on the
 * day it is asked, so those columns are computed when a view is read ({@code current_date}), never stored.
 */
final class DocumentViews {
  private DocumentViews() {}

  /** A managing body is a Phòng or the Sở (a unit) or, after the 2025 reform, a commune (an area); the Sở answers to the Ministry. */
  private static String managingName(String areaNames) {
    return "LEFT JOIN dim_unit_year m ON m.unit_code = d.managing_unit_code AND m.school_year = d.school_year\n"
        + "LEFT JOIN " + areaNames + " ma ON ma.area_code = d.managing_unit_code\n";
  }

  private static final String MANAGING_NAME = "coalesce(m.unit_name, ma.area_name, CASE WHEN d.managing_unit_code IS NULL THEN 'Bộ GDĐT' END)";

  static void create(Statement st, String areaNames) throws SQLException {
    unitDocument(st, areaNames);
    compliance(st, areaNames);
    headline(st);
    overdue(st);
    inspectionRule(st, areaNames);
  }

  private static void unitDocument(Statement st, String areaNames) throws SQLException {
    MartBuilder.execute(st, "CREATE VIEW v_unit_document AS\n"
        + "SELECT d.school_year, d.unit_code, u.unit_name, d.school_level, d.province_code, d.area_type, d.area_code, a.area_name,\n"
        + "  d.former_district_code, d.managing_unit_code, " + MANAGING_NAME + " AS managing_unit_name,\n"
        + "  d.document, k.document_name, k.document_order, d.recipient, d.deadline, d.deadline_source, d.deadline_provisional,\n"
        + "  d.submitted_on, d.reference, d.on_time, d.days_late,\n"
        + "  CASE WHEN d.submitted_on IS NULL THEN 'not_submitted' WHEN d.on_time THEN 'on_time' ELSE 'late' END AS status,\n"
        + "  d.submitted_on IS NULL AND d.deadline < current_date AS overdue,\n"
        + "  CASE WHEN d.submitted_on IS NULL AND d.deadline < current_date THEN date_diff('day', d.deadline, current_date)::INTEGER END AS days_overdue\n"
        + "FROM agg_unit_document d\n"
        + "JOIN dim_document k ON k.document = d.document\n"
        + "LEFT JOIN dim_unit_year u ON u.unit_code = d.unit_code AND u.school_year = d.school_year\n"
        + managingName(areaNames)
        + "LEFT JOIN " + areaNames + " a ON a.area_code = d.area_code\n"
        + "WHERE d.tracking = 'each_unit'");
  }

  private static void compliance(Statement st, String areaNames) throws SQLException {
    MartBuilder.execute(st, "CREATE VIEW v_document_compliance AS\n"
        + "SELECT d.school_year, d.province_code, d.area_type, d.area_code, d.area_name, d.former_district_code, f.area_name AS former_district_name,\n"
        + "  d.school_level, d.document, d.document_name, min(d.deadline) AS deadline, bool_or(d.deadline_provisional) AS deadline_provisional,\n"
        + "  count(*)::INTEGER AS required, count(d.submitted_on)::INTEGER AS submitted, count(*) FILTER (WHERE d.on_time)::INTEGER AS on_time,\n"
        + "  count(*) FILTER (WHERE NOT d.on_time)::INTEGER AS late, count(*) FILTER (WHERE d.submitted_on IS NULL)::INTEGER AS not_submitted,\n"
        + "  count(*) FILTER (WHERE d.overdue)::INTEGER AS overdue,\n"
        + "  round(count(d.submitted_on) / count(*), 4) AS share_submitted, round(count(*) FILTER (WHERE d.on_time) / count(*), 4) AS share_on_time\n"
        + "FROM v_unit_document d\n"
        + "LEFT JOIN " + areaNames + " f ON f.area_code = d.former_district_code\n"
        + "GROUP BY ALL");
  }

  /** "3/14 Phòng GDĐT gửi Kế hoạch … đúng hạn": what a Sở's letter says, per document and school level. */
  private static void headline(Statement st) throws SQLException {
    MartBuilder.execute(st, "CREATE VIEW v_document_headline AS\n"
        + "SELECT d.school_year, d.document, d.document_name, d.document_order, d.school_level, l.school_level_name, l.sort_order AS school_level_order,\n"
        + "  min(d.deadline) AS deadline, bool_or(d.deadline_provisional) AS deadline_provisional, count(*)::INTEGER AS required,\n"
        + "  count(d.submitted_on)::INTEGER AS submitted, count(*) FILTER (WHERE d.on_time)::INTEGER AS on_time,\n"
        + "  count(*) FILTER (WHERE d.submitted_on IS NULL)::INTEGER AS not_submitted,\n"
        + "  count(*) FILTER (WHERE d.on_time) || '/' || count(*) || ' ' || l.school_level_name || ' gửi ' || d.document_name || ' đúng hạn ('\n"
        + "    || strftime(min(d.deadline), '%d/%m/%Y') || '); ' || count(d.submitted_on) || '/' || count(*) || ' đã gửi' AS headline\n"
        + "FROM v_unit_document d LEFT JOIN dim_school_level l ON l.school_level = d.school_level\n"
        + "GROUP BY d.school_year, d.document, d.document_name, d.document_order, d.school_level, l.school_level_name, l.sort_order");
  }

  private static void overdue(Statement st) throws SQLException {
    MartBuilder.execute(st, "CREATE VIEW v_document_overdue AS\n"
        + "SELECT d.school_year, d.managing_unit_code, d.managing_unit_name, d.document, d.document_name, min(d.deadline) AS deadline,\n"
        + "  count(*)::INTEGER AS units_required, count(d.submitted_on)::INTEGER AS units_submitted,\n"
        + "  count(*) FILTER (WHERE d.on_time)::INTEGER AS units_on_time, count(*) FILTER (WHERE d.submitted_on IS NULL)::INTEGER AS units_not_submitted,\n"
        + "  count(*) FILTER (WHERE d.overdue)::INTEGER AS units_overdue, max(d.days_overdue) AS max_days_overdue\n"
        + "FROM v_unit_document d GROUP BY ALL");
  }

  /** Units inspected under each managing body against the share of oversight.json, next to that year's drawn sample. */
  private static void inspectionRule(Statement st, String areaNames) throws SQLException {
    MartBuilder.execute(st, "CREATE VIEW v_inspection_rule AS\n"
        + "WITH r AS (SELECT school_year, managing_unit_code, count(*)::INTEGER AS units, count(submitted_on)::INTEGER AS units_inspected\n"
        + "  FROM agg_unit_document WHERE tracking = 'share_of_units' AND managing_unit_code IS NOT NULL GROUP BY ALL),\n"
        + "s AS (SELECT n.school_year, n.managing_unit_code, count(*)::INTEGER AS sample_units, count(d.submitted_on)::INTEGER AS sample_units_inspected\n"
        + "  FROM stored_inspection_sample n LEFT JOIN agg_unit_document d\n"
        + "    ON d.unit_code = n.unit_code AND d.school_year = n.school_year AND d.tracking = 'share_of_units' GROUP BY ALL),\n"
        + "k AS (SELECT document, required_share FROM dim_document WHERE tracking = 'share_of_units')\n"
        + "SELECT d.school_year, d.managing_unit_code, " + MANAGING_NAME + " AS managing_unit_name, k.document, d.units, d.units_inspected,\n"
        + "  round(d.units_inspected / d.units, 4) AS share_inspected, k.required_share,\n"
        // rounded first: 0.3 × 10 is 3.0000000000000004 in binary, and its ceiling 4
        + "  ceil(round(k.required_share * d.units, 9))::INTEGER AS units_required,\n"
        + "  d.units_inspected >= ceil(round(k.required_share * d.units, 9)) AS meets_rule,\n"
        + "  coalesce(s.sample_units, 0)::INTEGER AS sample_units, coalesce(s.sample_units_inspected, 0)::INTEGER AS sample_units_inspected\n"
        + "FROM r d CROSS JOIN k\n"
        + "LEFT JOIN s ON s.school_year = d.school_year AND s.managing_unit_code = d.managing_unit_code\n"
        + managingName(areaNames));
  }
}
