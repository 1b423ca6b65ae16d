package vn.cds.ingest;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import vn.cds.ingest.RawRecords.FileSummary;
import vn.cds.ingest.RawRecords.ParsedFile;
import vn.cds.ingest.RawRecords.RawRow;

/** Spark schemas of what the readers produce, and the conversion of reader records into rows. */
public final class IngestSchemas {
  private IngestSchemas() {}

  public static final StructType CELL = createStructType(new StructField[] {
      createStructField("column_ref", StringType, true), createStructField("header", StringType, true),
      createStructField("criterion_id", StringType, true), createStructField("raw_value", StringType, true)});

  public static final StructType DECLARED = createStructType(new StructField[] {
      createStructField("column_ref", StringType, true), createStructField("header", StringType, true),
      createStructField("group_id", StringType, true), createStructField("kind", StringType, true),
      createStructField("raw_value", StringType, true)});

  public static final StructType ISSUE = createStructType(new StructField[] {
      createStructField("column_ref", StringType, true), createStructField("header", StringType, true),
      createStructField("raw_value", StringType, true), createStructField("reason_code", StringType, false),
      createStructField("message", StringType, true)});

  public static final StructType RAW_ROW = createStructType(new StructField[] {
      createStructField("source_file", StringType, false), createStructField("file_format", StringType, false),
      createStructField("sheet", StringType, true), createStructField("row_number", IntegerType, false),
      createStructField("unit_code", StringType, true), createStructField("unit_name", StringType, true),
      createStructField("school_year", StringType, true), createStructField("school_year_raw", StringType, true),
      createStructField("stage", StringType, true), createStructField("indicator_set_raw", StringType, true),
      createStructField("submitted_on", DateType, true), createStructField("status", StringType, true),
      createStructField("cells", createArrayType(CELL, false), false),
      createStructField("declared", createArrayType(DECLARED, false), false),
      createStructField("issues", createArrayType(ISSUE, false), false),
      createStructField("key_columns", createMapType(StringType, StringType), false)});

  public static final StructType FILE_SUMMARY = createStructType(new StructField[] {
      createStructField("source_file", StringType, false), createStructField("file_format", StringType, false),
      createStructField("sha256", StringType, true), createStructField("bytes", LongType, false),
      createStructField("sheet", StringType, true), createStructField("header_row", IntegerType, true),
      createStructField("rows_read", IntegerType, false), createStructField("error_code", StringType, true),
      createStructField("error_message", StringType, true),
      createStructField("ignored_columns", createArrayType(StringType, false), false),
      createStructField("dropped_columns", createArrayType(StringType, false), false)});

  /** One row per file: its summary and all its rows, so a file is parsed exactly once. */
  public static final StructType PARSED_FILE = createStructType(new StructField[] {
      createStructField("summary", FILE_SUMMARY, false),
      createStructField("rows", createArrayType(RAW_ROW, false), false)});

  public static Row toRow(ParsedFile f) {
    FileSummary s = f.summary();
    Row summary = RowFactory.create(s.sourceFile(), s.fileFormat(), s.sha256(), s.bytes(), s.sheet(), s.headerRow(), s.rowsRead(),
        s.errorCode(), s.errorMessage(), seq(s.ignoredColumns()), seq(s.droppedColumns()));
    return RowFactory.create(summary, seq(f.rows().stream().map(IngestSchemas::toRow).toList()));
  }

  static Row toRow(RawRow r) {
    return RowFactory.create(r.sourceFile(), r.fileFormat(), r.sheet(), r.rowNumber(), r.unitCode(), r.unitName(), r.schoolYear(),
        r.schoolYearRaw(), r.stage(), r.indicatorSetRaw(), r.submittedOn() == null ? null : Date.valueOf(r.submittedOn()), r.status(),
        seq(r.cells().stream().map(c -> RowFactory.create(c.columnRef(), c.header(), c.criterionId(), c.rawValue())).toList()),
        seq(r.declared().stream().map(d -> RowFactory.create(d.columnRef(), d.header(), d.groupId(), d.kind(), d.rawValue())).toList()),
        seq(r.issues().stream().map(i -> RowFactory.create(i.columnRef(), i.header(), i.rawValue(), i.reasonCode(), i.message())).toList()),
        CollectionConverters.asScala(r.keyColumns()));
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return CollectionConverters.asScala(list).toSeq();
  }
}
