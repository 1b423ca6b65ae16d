package vn.cds.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The input folder of exports.md section 5, read at the edge: registry, areas, deadlines and the export files. */
public final class InputFolder {
  public static final List<String> EXPORT_EXTENSIONS = List.of("csv", "xlsx", "json");
  public static final StructType UNITS = StructType.fromDDL("unit_code string, unit_name string, school_level string, ownership string, "
      + "province_code string, district_code string, commune_code string, managing_unit_code string, valid_from string, valid_to string");
  public static final StructType AREAS = StructType.fromDDL("area_code string, area_name string, area_type string, parent_code string, "
      + "valid_from string, valid_to string, successor_code string");
  public static final StructType DEADLINES = StructType.fromDDL("school_year string, province_code string, stage string, deadline string");

  /** One export file: its URI for executors and its name relative to the input folder, for people. */
  public record ExportFile(String uri, String relativeName) {}

  private final String root;

  public InputFolder(String root) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  public String root() {
    return root;
  }

  public void requireLayout() {
    for (String required : List.of("units.csv", "areas.csv")) {
      if (!exists(root + "/" + required))
        throw new ConfigException("Thư mục đầu vào thiếu tệp " + required + " (input folder " + root + " has no " + required + ")");
    }
  }

  public boolean exists(String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(new Configuration()).exists(p);
    } catch (IOException e) {
      return false;
    }
  }

  /** Every .csv/.xlsx/.json under exports/, sorted by name so runs are reproducible. */
  public List<ExportFile> exportFiles() {
    List<ExportFile> files = new ArrayList<>();
    Path exports = new Path(root + "/exports");
    try {
      FileSystem fs = exports.getFileSystem(new Configuration());
      if (!fs.exists(exports)) return files;
      String base = fs.makeQualified(exports).toString();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(exports, true);
      while (it.hasNext()) {
        Path found = it.next().getPath();
        String shown = found.toString(); // as a person reads it; the URI below escapes spaces, '%', '#', '?'
        String uri = found.toUri().toASCIIString();
        String name = shown.substring(shown.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.startsWith(".") || name.startsWith("~$")) continue; // editor lock files and hidden files are not exports
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        if (EXPORT_EXTENSIONS.contains(ext)) files.add(new ExportFile(uri, "exports" + shown.substring(base.length())));
      }
    } catch (IOException e) {
      throw new ConfigException("Không liệt kê được thư mục exports/ (cannot list " + exports + "): " + e.getMessage());
    }
    files.sort((a, b) -> a.relativeName().compareTo(b.relativeName()));
    return files;
  }

  public long totalBytes(List<ExportFile> files) {
    long total = 0;
    try {
      for (ExportFile f : files) {
        Path p = new Path(java.net.URI.create(f.uri()));
        total += p.getFileSystem(new Configuration()).getFileStatus(p).getLen();
      }
    } catch (IOException e) {
      throw new ConfigException("Không đọc được kích thước tệp (cannot stat export files): " + e.getMessage());
    }
    return total;
  }

  public Dataset<Row> units(SparkSession spark) {
    return csv(spark, "units.csv", UNITS);
  }

  public Dataset<Row> areas(SparkSession spark) {
    return csv(spark, "areas.csv", AREAS);
  }

  public Dataset<Row> deadlines(SparkSession spark) {
    if (!exists(root + "/deadlines.csv")) return spark.createDataFrame(List.of(), DEADLINES).selectExpr("school_year", "province_code", "stage",
        "cast(null as date) as deadline");
    return csv(spark, "deadlines.csv", DEADLINES).selectExpr("school_year", "province_code",
        "case lower(stage) when 'tu_danh_gia' then 'self' when 'danh_gia_ngoai' then 'external' else lower(stage) end as stage",
        "to_date(deadline, 'd/M/yyyy') as deadline");
  }

  /** RFC 4180 CSV (a quote inside a quoted field is doubled; Spark's default escape is a backslash). */
  Dataset<Row> csv(SparkSession spark, String name, StructType schema) {
    return spark.read().option("header", "true").option("encoding", "UTF-8").option("mode", "FAILFAST").option("escape", "\"")
        .schema(schema).csv(root + "/" + name);
  }
}
