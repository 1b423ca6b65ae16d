package vn.cds.ingest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.cds.ingest.ExportColumns.Role;
import vn.cds.ingest.RawRecords.Cell;
import vn.cds.ingest.RawRecords.Declared;
import vn.cds.ingest.RawRecords.Issue;
import vn.cds.ingest.RawRecords.RawRow;
import vn.cds.util.Text;

/**
 * Builds one {@link RawRow} from the raw key fields of any format (wide CSV/XLSX, long CSV, JSON), normalising them
 * the same way and attaching an issue, with the cell it came from, to each field it cannot read.
 */
final class RowBuilder {
  /** The snake_case field names of the long CSV and JSON layouts, and what each one is. */
  static final Map<String, Role> FIELD_NAMES = Map.of("unit_code", Role.UNIT_CODE, "unit_name", Role.UNIT_NAME,
      "school_year", Role.SCHOOL_YEAR, "stage", Role.STAGE, "indicator_set", Role.INDICATOR_SET, "submitted_on", Role.SUBMITTED_ON,
      "status", Role.STATUS);

  /** A raw field value and where it sits: a column letter, a cell such as E12, or a JSON pointer. */
  record Field(String ref, String header, String raw) {}

  private final Map<Role, Field> fields = new EnumMap<>(Role.class);
  private final List<Cell> cells = new ArrayList<>();
  private final List<Declared> declared = new ArrayList<>();
  private final List<Issue> issues = new ArrayList<>();

  RowBuilder field(Role role, String ref, String header, String raw) {
    fields.put(role, new Field(ref, header, Text.trimToNull(raw)));
    return this;
  }

  RowBuilder cell(String ref, String header, String criterionId, String raw) {
    cells.add(new Cell(ref, header, criterionId, Text.trimToNull(raw)));
    return this;
  }

  RowBuilder declared(String ref, String header, String groupId, String kind, String raw) {
    String v = Text.trimToNull(raw);
    if (v != null) declared.add(new Declared(ref, header, groupId, kind, v));
    return this;
  }

  RowBuilder issue(String ref, String header, String raw, Reasons reason, String detail) {
    issues.add(new Issue(ref, header, raw, reason.code(), reason.message(detail)));
    return this;
  }

  private String raw(Role role) {
    Field f = fields.get(role);
    return f == null ? null : f.raw();
  }

  private void problem(Role role, Reasons reason) {
    Field f = fields.get(role);
    String raw = f == null ? null : f.raw();
    issue(f == null ? null : f.ref(), f == null ? null : f.header(), raw, reason, raw == null ? "(trống)" : "\"" + raw + "\"");
  }

  RawRow build(String file, String format, String sheet, int rowNumber) {
    String unitCode = raw(Role.UNIT_CODE);
    if (unitCode == null && fields.containsKey(Role.UNIT_CODE)) problem(Role.UNIT_CODE, Reasons.UNIT_CODE_MISSING);
    String year = Values.schoolYear(raw(Role.SCHOOL_YEAR));
    if (year == null && fields.containsKey(Role.SCHOOL_YEAR)) problem(Role.SCHOOL_YEAR, Reasons.SCHOOL_YEAR_INVALID);
    String stage = Values.stage(raw(Role.STAGE));
    if (stage == null && fields.containsKey(Role.STAGE)) problem(Role.STAGE, Reasons.STAGE_INVALID);
    String status = Values.status(raw(Role.STATUS));
    if (status == null) problem(Role.STATUS, Reasons.STATUS_INVALID);
    LocalDate submitted = Values.date(raw(Role.SUBMITTED_ON));
    if (submitted == null && raw(Role.SUBMITTED_ON) != null) problem(Role.SUBMITTED_ON, Reasons.DATE_INVALID);
    Map<String, String> keyColumns = new LinkedHashMap<>();
    fields.forEach((role, f) -> keyColumns.put(role.name(), (f.ref() == null ? "" : f.ref()) + "|" + (f.header() == null ? "" : f.header())));
    return new RawRow(file, format, sheet, rowNumber, unitCode, raw(Role.UNIT_NAME), year, raw(Role.SCHOOL_YEAR), stage,
        raw(Role.INDICATOR_SET), submitted, status, List.copyOf(cells), List.copyOf(declared), List.copyOf(issues), keyColumns);
  }
}
