package vn.cds.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The input folder of exports.md section 5, read at the edge: registry, areas, deadlines and the export files. */
public final class InputFolder {
  public static final StructType UNITS = StructType.fromDDL("unit_code string, unit_name string, school_level string, ownership string, "
      + "province_code string, district_code string, commune_code string, managing_unit_code string, valid_from string, valid_to string");
  public static final StructType AREAS = StructType.fromDDL("area_code string, area_name string, area_type string, parent_code string, "
      + "valid_from string, valid_to string, successor_code string");
  public static final StructType DEADLINES = StructType.fromDDL("school_year string, province_code string, stage string, deadline string");

  /** One export file: its URI for the readers, its name under the input folder, and its size from the listing. */
  public record ExportFile(String uri, String relativeName, long bytes) {}

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

  /**
   * What exports/ holds: every file to read (whatever its type: a type that is not read is refused by the reader, with
   * a reason, never dropped), sorted by name so runs are reproducible; and the names of the OS's litter left out.
   */
  public record Exports(List<ExportFile> files, List<String> skipped) {
    public int found() {
      return files.size() + skipped.size();
    }
  }

  /** Every file under exports/ but the litter: see {@link #exports()}. */
  public List<ExportFile> exportFiles() {
    return exports().files();
  }

  public Exports exports() {
    List<ExportFile> files = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Path exports = new Path(root + "/exports");
    try {
      FileSystem fs = exports.getFileSystem(new Configuration());
      if (!fs.exists(exports)) return new Exports(files, skipped);
      String base = fs.makeQualified(exports).toString();
      for (FileStatus status : listRecursively(fs, exports)) {
        Path found = status.getPath();
        String shown = found.toString(); // as a person reads it; the URI below escapes spaces, '%', '#', '?'
        String relative = "exports" + shown.substring(base.length());
        if (isLitter(relative)) skipped.add(relative);
        else files.add(new ExportFile(found.toUri().toASCIIString(), relative, status.getLen()));
      }
    } catch (IOException e) {
      throw new ConfigException("Không liệt kê được thư mục exports/ (cannot list " + exports + "): " + e.getMessage());
    }
    files.sort((a, b) -> a.relativeName().compareTo(b.relativeName()));
    skipped.sort(null);
    return new Exports(files, skipped);
  }

  /** Files the OS and Office leave beside the exports: Thumbs.db, desktop.ini, Office's ~$ lock files, hidden files and folders. */
  static boolean isLitter(String relativeName) {
    String[] parts = relativeName.split("/");
    String name = parts[parts.length - 1].toLowerCase(Locale.ROOT);
    for (String part : parts) if (part.startsWith(".") || part.equals("__MACOSX")) return true; // .DS_Store, ._x.csv, .git/
    return name.startsWith("~$") || name.equals("thumbs.db") || name.equals("desktop.ini");
  }

  /**
   * Every file under {@code dir}. Not {@code FileSystem.listFiles}: its located statuses copy each file's permissions,
   * which the local file system reads by running {@code ls} once per file (6.5 s for the 1,255 national files).
   */
  private static List<FileStatus> listRecursively(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus status : fs.listStatus(dir)) {
      if (status.isDirectory()) files.addAll(listRecursively(fs, status.getPath()));
      else files.add(status);
    }
    return files;
  }

  /** From the listing's sizes: a Hadoop Configuration per file would cost ~15 ms each, 20 s for a national run. */
  public static long totalBytes(List<ExportFile> files) {
    return files.stream().mapToLong(ExportFile::bytes).sum();
  }

  private static final java.util.regex.Pattern SCHOOL_YEAR = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{4}");

  public Dataset<Row> units(SparkSession spark) {
    return reference(spark, "units.csv", UNITS, List.of("unit_code", "school_level", "valid_from"), (row, where) -> {
      schoolYear(row[8], "valid_from", where);
      if (row[9] != null) schoolYear(row[9], "valid_to", where);
    });
  }

  public Dataset<Row> areas(SparkSession spark) {
    return reference(spark, "areas.csv", AREAS, List.of("area_code", "area_type"), (row, where) -> {
      if (!List.of("province", "district", "commune").contains(row[2]))
        throw new ConfigException(where + "area_type phải là province, district hoặc commune (must be province, district or commune): '" + row[2] + "'");
      if (row[4] != null) schoolYear(row[4], "valid_from", where);
      if (row[5] != null) schoolYear(row[5], "valid_to", where);
    });
  }

  public Dataset<Row> deadlines(SparkSession spark) {
    if (!exists(root + "/deadlines.csv")) return spark.createDataFrame(List.of(), DEADLINES).selectExpr("school_year", "province_code", "stage",
        "cast(null as date) as deadline");
    return reference(spark, "deadlines.csv", DEADLINES, List.of("school_year", "province_code", "stage", "deadline"), (row, where) -> {
      schoolYear(row[0], "school_year", where);
      if (!List.of("self", "external", "tu_danh_gia", "danh_gia_ngoai").contains(row[2].toLowerCase(Locale.ROOT)))
        throw new ConfigException(where + "stage phải là self hoặc external (must be self or external): '" + row[2] + "'");
      date(row[3], "deadline", where);
    }).selectExpr("school_year", "province_code",
        "case lower(stage) when 'tu_danh_gia' then 'self' when 'danh_gia_ngoai' then 'external' else lower(stage) end as stage",
        "to_date(deadline, 'd/M/yyyy') as deadline");
  }

  public static final StructType DOCUMENT_DEADLINES = StructType.fromDDL("school_year string, province_code string, document string, "
      + "school_level string, deadline string");

  /**
   * The optional document_deadlines.csv: the Sở's own deadline for a document in a school year and province (for all
   * the school levels that send it, or for the one named), replacing the default of schemas/milestones.json.
   */
  public Dataset<Row> documentDeadlines(SparkSession spark, vn.cds.catalog.Milestones milestones) {
    String name = "document_deadlines.csv";
    if (!exists(root + "/" + name)) return spark.createDataFrame(List.of(), DOCUMENT_DEADLINES).selectExpr("school_year", "province_code",
        "document", "school_level", "cast(null as date) as deadline");
    List<String> levels = List.of("MN", "TH", "THCS", "THPT", "GDTX", "TH-THCS", "THCS-THPT", "TH-THCS-THPT", "PHONG", "SO");
    return reference(spark, name, DOCUMENT_DEADLINES, List.of("school_year", "province_code", "document", "deadline"), (row, where) -> {
      schoolYear(row[0], "school_year", where);
      if (milestones.document(row[2]).isEmpty())
        throw new ConfigException(where + "document không có trong " + vn.cds.catalog.Milestones.FILE + " (unknown document code): '" + row[2] + "'");
      if (row[3] != null && !levels.contains(row[3]))
        throw new ConfigException(where + "school_level không hợp lệ (unknown school level): '" + row[3] + "'");
      date(row[4], "deadline", where);
    }).selectExpr("school_year", "province_code", "document", "school_level", "to_date(deadline, 'd/M/yyyy') as deadline");
  }

  /** Raw rows of submissions.csv / submissions.xlsx (none when neither exists), and the files that gave no row. */
  public record Submissions(Dataset<Row> rows, Dataset<Row> fileProblems, List<String> files) {}

  public Submissions submissions(SparkSession spark) {
    List<Row> rows = new ArrayList<>(), problems = new ArrayList<>();
    List<String> found = new ArrayList<>();
    for (String name : vn.cds.ingest.SubmissionReader.FILES) {
      if (!exists(root + "/" + name)) continue;
      found.add(name);
      vn.cds.ingest.SubmissionReader.Read read = vn.cds.ingest.SubmissionReader.read(bytes(name), name);
      rows.addAll(read.rows());
      problems.addAll(read.fileProblems());
    }
    // in slices: one local relation of ~10,000 rows made one task of 2.5 MB, over Spark's recommended 1 MB
    int slices = Math.max(1, rows.size() / 2000);
    return new Submissions(spark.createDataFrame(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(rows, slices), vn.cds.ingest.SubmissionReader.RAW),
        spark.createDataFrame(problems, vn.cds.ingest.SubmissionReader.FILE_PROBLEM), found);
  }

  private static void date(String value, String column, String where) {
    try {
      java.time.LocalDate.parse(value, java.time.format.DateTimeFormatter.ofPattern("d/M/uuuu").withResolverStyle(java.time.format.ResolverStyle.STRICT));
    } catch (java.time.format.DateTimeParseException e) {
      throw new ConfigException(where + column + " phải là ngày dạng dd/mm/yyyy (must be a date dd/mm/yyyy): '" + value + "'");
    }
  }

  /** A file of the folder, whole (the reference files and submissions are small). */
  private byte[] bytes(String name) {
    Path p = new Path(root + "/" + name);
    try (java.io.InputStream in = p.getFileSystem(new Configuration()).open(p)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ConfigException("Không đọc được " + p + " (cannot read): " + e.getMessage());
    }
  }

  private static void schoolYear(String value, String column, String where) {
    if (!SCHOOL_YEAR.matcher(value).matches())
      throw new ConfigException(where + column + " phải là năm học dạng 2024-2025 (must be a school year like 2024-2025): '" + value + "'");
  }

  interface RowCheck {
    void check(String[] row, String where);
  }

  /**
   * A reference file (registry, areas, deadlines), small enough to read on the driver: parsed with the exports' CSV
   * reader (RFC 4180, BOM, ',' or ';'), matched to the schema's columns by header name, and checked row by row, so a
   * bad row stops the run with one line that names the file, the row and the column, before any work is done.
   */
  Dataset<Row> reference(SparkSession spark, String name, StructType schema, List<String> required, RowCheck check) {
    vn.cds.ingest.Tables.Table table;
    try {
      table = vn.cds.ingest.Tables.csv(bytes(name));
    } catch (vn.cds.ingest.Tables.UnreadableException e) {
      throw new ConfigException(name + ": " + e.reason.message(e.getMessage()));
    }
    List<vn.cds.ingest.Tables.TableRow> rows = table.rows();
    if (rows.isEmpty()) throw new ConfigException(name + ": tệp rỗng, thiếu dòng tiêu đề (empty, no header row)");
    List<String> header = rows.get(0).cells().stream().map(h -> h == null ? "" : h.strip().toLowerCase(Locale.ROOT)).toList();
    String[] names = schema.fieldNames();
    int[] at = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      at[i] = header.indexOf(names[i]);
      if (at[i] < 0 && required.contains(names[i]))
        throw new ConfigException(name + ": thiếu cột " + names[i] + " (column missing; header is " + String.join(",", header) + ")");
    }
    List<Row> out = new ArrayList<>();
    for (vn.cds.ingest.Tables.TableRow r : rows.subList(1, rows.size())) {
      if (r.cells().stream().allMatch(c -> c == null || c.isBlank())) continue;
      String where = name + " dòng (row) " + r.rowNumber() + ": ";
      if (r.cells().size() > header.size() && r.cells().subList(header.size(), r.cells().size()).stream().anyMatch(c -> c != null && !c.isBlank()))
        throw new ConfigException(where + r.cells().size() + " ô nhưng tiêu đề chỉ có " + header.size() + " cột (more cells than header columns)");
      String[] values = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        String v = at[i] >= 0 && at[i] < r.cells().size() ? r.cells().get(at[i]) : null;
        values[i] = v == null || v.isBlank() ? null : java.text.Normalizer.normalize(v.strip(), java.text.Normalizer.Form.NFC);
        if (values[i] == null && required.contains(names[i])) throw new ConfigException(where + "thiếu " + names[i] + " (" + names[i] + " is empty)");
      }
      check.check(values, where);
      out.add(org.apache.spark.sql.RowFactory.create((Object[]) values));
    }
    return spark.createDataFrame(out, schema);
  }
}
