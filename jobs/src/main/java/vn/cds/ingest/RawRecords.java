package vn.cds.ingest;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** What a reader makes of one input file: plain Java values, turned into Spark rows by {@link IngestSchemas}. */
public final class RawRecords {
  private RawRecords() {}

  public record Cell(String columnRef, String header, String criterionId, String rawValue) implements Serializable {}

  public record Declared(String columnRef, String header, String groupId, String kind, String rawValue) implements Serializable {}

  public record Issue(String columnRef, String header, String rawValue, String reasonCode, String message) implements Serializable {}

  /** One data row of an export, its row-level fields normalised (null where unrecognised, with an issue). */
  public record RawRow(String sourceFile, String fileFormat, String sheet, int rowNumber,
      String unitCode, String unitName, String schoolYear, String schoolYearRaw, String stage, String indicatorSetRaw,
      LocalDate submittedOn, String status, List<Cell> cells, List<Declared> declared, List<Issue> issues,
      Map<String, String> keyColumns) implements Serializable {
    /** This row with one more issue: a problem of the whole file that every row carries (a legacy encoding). */
    public RawRow withIssue(Issue issue) {
      List<Issue> all = new java.util.ArrayList<>(issues);
      all.add(issue);
      return new RawRow(sourceFile, fileFormat, sheet, rowNumber, unitCode, unitName, schoolYear, schoolYearRaw, stage, indicatorSetRaw,
          submittedOn, status, cells, declared, List.copyOf(all), keyColumns);
    }
  }

  /** One input file: what was read, and why not, if it was not. */
  public record FileSummary(String sourceFile, String fileFormat, String sha256, long bytes, String sheet, Integer headerRow,
      int rowsRead, String errorCode, String errorMessage, List<String> ignoredColumns, List<String> droppedColumns)
      implements Serializable {}

  public record ParsedFile(FileSummary summary, List<RawRow> rows) implements Serializable {}
}
