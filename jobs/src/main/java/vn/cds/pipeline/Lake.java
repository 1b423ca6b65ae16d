package vn.cds.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The Parquet lake: {@code <out>/lake/} by default, or any Hadoop URI given by {@code --lake} (on a cluster of several
 * hosts it must be storage every executor reaches, e.g. {@code hdfs:}). Facts are partitioned by school year and
 * overwritten per partition, so re-ingesting a school year replaces that whole year (both stages) and nothing else; so
 * are the input files ({@code ingest_file}), each under the school year most of its rows carry. Dimensions are
 * replaced whole. Layout: see README, "What lands in out/".
 */
public final class Lake {
  public static final String ASSESSMENT = "assessment";
  public static final String CRITERION_SCORE = "criterion_score";
  public static final String GROUP_RESULT = "group_result";
  public static final String ISSUE = "issue";
  public static final String INGEST_FILE = "ingest_file";
  public static final String LEVEL_DISTRIBUTION = "agg_level_distribution";
  public static final String CRITERION_GAP = "agg_criterion_gap";
  public static final String LEVEL_TREND = "agg_level_trend";
  public static final String SELF_VS_EXTERNAL = "agg_self_vs_external";
  public static final String UNIT_COVERAGE = "agg_unit_coverage";
  public static final String COVERAGE = "agg_coverage";
  public static final String FUNDING_PRIORITY = "agg_funding_priority";
  public static final String LEVEL_TRANSITION = "agg_level_transition";
  public static final String UNIT_NEXT_LEVEL = "agg_unit_next_level";
  public static final String UNIT_NEXT_LEVEL_STEP = "agg_unit_next_level_step";
  public static final String DIM_CRITERION_COST = "dim_criterion_cost";
  public static final String INSPECTION_SAMPLE = "inspection_sample";
  public static final String DIM_UNIT = "dim_unit";
  public static final String DIM_AREA = "dim_area";
  public static final String DIM_INDICATOR_SET = "dim_indicator_set";
  public static final String DIM_GROUP = "dim_group";
  public static final String DIM_CRITERION = "dim_criterion";
  public static final String DIM_LEVEL_BAND = "dim_level_band";
  public static final String DEADLINE = "deadline";
  public static final String SUBMISSION = "submission";
  public static final String SUBMISSION_ISSUE = "submission_issue";
  public static final String UNIT_DOCUMENT = "agg_unit_document";
  public static final String DIM_DOCUMENT = "dim_document";
  public static final String DIM_DOCUMENT_REQUIREMENT = "dim_document_requirement";
  public static final String DOCUMENT_DEADLINE = "document_deadline";

  private final String root;
  private final org.apache.hadoop.conf.Configuration conf;

  /**
   * The output folder (mart, reports, dashboards) as a local path: a plain path, or a {@code file:} URI, since DuckDB
   * and Superset read the mart from a local file. An {@code hdfs:} or {@code s3a:} output is refused before any work;
   * the lake itself may be anywhere ({@code --lake}), and so may the inputs.
   */
  public static String localFolder(String out) {
    if (out.startsWith("file:")) {
      try {
        return java.nio.file.Path.of(java.net.URI.create(out)).toString();
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--out: URI file: phải là đường dẫn tuyệt đối (a file: URI must be absolute, file:///...): " + out);
      }
    }
    if (out.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) // a scheme of two or more letters: "C:\\" is a path
      throw new ConfigException("--out phải là thư mục cục bộ hoặc URI file:; kho Parquet trên hdfs:/s3a: thì dùng --lake (the output must be a "
          + "local folder or a file: URI, as the mart is a local file; put the lake on hdfs:/s3a: with --lake): " + out);
    return out;
  }

  private Lake(String root, org.apache.hadoop.conf.Configuration conf) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.conf = conf;
  }

  /** The default lake, {@code <out>/lake}. */
  public static Lake under(String outDir, org.apache.hadoop.conf.Configuration conf) {
    return new Lake(outDir + "/lake", conf);
  }

  /** The lake given by {@code --lake} (a local path or any Hadoop URI: file:, hdfs:, s3a:), else {@code <out>/lake}. */
  public static Lake of(String lakeRoot, String outDir, org.apache.hadoop.conf.Configuration conf) {
    return lakeRoot == null || lakeRoot.isBlank() ? under(outDir, conf) : new Lake(lakeRoot, conf);
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  /** Where Spark puts rows whose school year is null (unreadable): replaced by every run. */
  public static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  /**
   * Replaces the school years of this run and keeps the others, one partition at a time, atomically. The data is
   * written whole to a staging folder first; then each year's folder is swapped in by renames (the old one moved
   * aside, the new one moved in, the old one deleted). A year of this run with no rows left in this table (no rejects
   * any more, say) is removed, and so is the no-year partition. A table left with no file at all gets a zero-row file,
   * so readers see its columns. A crash between the two renames of a swap is undone by {@link #recover} at the next
   * start: every partition is then either the old one or the new one, never a mix and never missing.
   */
  public void writePartitioned(Dataset<Row> data, String table, java.util.List<String> runYears) {
    long start = System.nanoTime();
    String staging = root + "/" + STAGING + "/" + table;
    data.write().mode(SaveMode.Overwrite).partitionBy("school_year").parquet(staging);
    java.util.List<String> replaced = new java.util.ArrayList<>(runYears);
    replaced.add(NULL_PARTITION);
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path(table));
      org.apache.hadoop.fs.Path staged = new org.apache.hadoop.fs.Path(staging);
      org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
      fs.mkdirs(dir);
      // a table an earlier version wrote whole (ingest_file was) has its files at the top: they describe one run only
      for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) if (st.isFile()) fs.delete(st.getPath(), false);
      java.util.Set<String> written = new java.util.HashSet<>();
      if (fs.exists(staged)) for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(staged))
        if (st.isDirectory() && st.getPath().getName().startsWith(PARTITION)) written.add(st.getPath().getName().substring(PARTITION.length()));
      for (String year : written) swap(fs, new org.apache.hadoop.fs.Path(staged, PARTITION + year), new org.apache.hadoop.fs.Path(dir, PARTITION + year));
      for (String year : replaced) if (!written.contains(year)) fs.delete(new org.apache.hadoop.fs.Path(dir, PARTITION + year), true);
      fs.delete(staged, true);
      boolean empty = java.util.Arrays.stream(fs.listStatus(dir)).noneMatch(st -> st.getPath().getName().startsWith(PARTITION));
      if (empty) data.drop("school_year").limit(0).coalesce(1).write().mode(SaveMode.Overwrite).parquet(path(table) + "/" + PARTITION + NULL_PARTITION);
      profile(table, start);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot commit partitions of " + path(table), e);
    }
  }

  private static final String PARTITION = "school_year=";
  /** Where whole writes are staged before their partitions are swapped in; hidden from Spark and from the mart. */
  static final String STAGING = "_staging";
  private static final String ASIDE = ".replaced-";

  /** Moves {@code from} to {@code to}: the old {@code to} is renamed aside first, then deleted once the new one is in place. */
  private static void swap(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path from, org.apache.hadoop.fs.Path to) throws java.io.IOException {
    org.apache.hadoop.fs.Path aside = new org.apache.hadoop.fs.Path(to.getParent(), ASIDE + to.getName());
    fs.delete(aside, true);
    if (fs.exists(to) && !fs.rename(to, aside)) throw new java.io.IOException("cannot move aside " + to);
    if (!fs.rename(from, to)) throw new java.io.IOException("cannot move " + from + " to " + to);
    fs.delete(aside, true);
  }

  /**
   * After a crash: a partition moved aside whose replacement never arrived is put back; one whose replacement did
   * arrive is deleted; staging left by the dead run is removed. Run at the start of every run, before any read.
   */
  public void recover() {
    try {
      org.apache.hadoop.fs.Path lake = new org.apache.hadoop.fs.Path(root);
      org.apache.hadoop.fs.FileSystem fs = lake.getFileSystem(conf);
      if (!fs.exists(lake)) return;
      fs.delete(new org.apache.hadoop.fs.Path(lake, STAGING), true);
      for (org.apache.hadoop.fs.FileStatus table : fs.listStatus(lake)) {
        if (!table.isDirectory()) continue;
        String tableName = table.getPath().getName();
        if (tableName.startsWith(ASIDE)) { // a whole table moved aside
          org.apache.hadoop.fs.Path original = new org.apache.hadoop.fs.Path(lake, tableName.substring(ASIDE.length()));
          if (fs.exists(original)) fs.delete(table.getPath(), true);
          else fs.rename(table.getPath(), original);
          continue;
        }
        for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(table.getPath())) {
          String name = st.getPath().getName();
          if (!name.startsWith(ASIDE)) continue;
          org.apache.hadoop.fs.Path original = new org.apache.hadoop.fs.Path(table.getPath(), name.substring(ASIDE.length()));
          if (fs.exists(original)) fs.delete(st.getPath(), true);
          else fs.rename(st.getPath(), original);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot recover the lake at " + root, e);
    }
  }

  /** The school years present in a partitioned table, sorted (the no-year partition left out). */
  public java.util.List<String> years(String table) {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path(table));
    java.util.List<String> years = new java.util.ArrayList<>();
    try {
      org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) return years;
      for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
        String name = st.getPath().getName();
        if (st.isDirectory() && name.startsWith("school_year=") && !name.endsWith(NULL_PARTITION)) years.add(name.substring("school_year=".length()));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + dir, e);
    }
    java.util.Collections.sort(years);
    return years;
  }

  /**
   * The lake as a local folder, for DuckDB, which reads Parquet from local paths only: the lake itself when it is on
   * the local file system; otherwise a fresh copy of its tables in {@code copyDir} (a national lake is ~60 MB), made
   * after the lake's writes, so the mart is built from exactly what the lake holds. With a local lake, a copy that an
   * earlier run made of a remote lake is deleted: it no longer matches the mart, and a person would take it for the lake.
   */
  public java.nio.file.Path local(java.nio.file.Path copyDir) {
    long start = System.nanoTime();
    try {
      org.apache.hadoop.fs.Path lake = new org.apache.hadoop.fs.Path(root);
      org.apache.hadoop.fs.FileSystem fs = lake.getFileSystem(conf);
      if (fs instanceof org.apache.hadoop.fs.LocalFileSystem || fs instanceof org.apache.hadoop.fs.RawLocalFileSystem) {
        java.nio.file.Path here = java.nio.file.Path.of(fs.makeQualified(lake).toUri()).normalize();
        java.nio.file.Path copy = copyDir.toAbsolutePath().normalize();
        if (!here.startsWith(copy) && !copy.startsWith(here)) deleteLocal(copy); // never the lake itself, nor a part of it
        return here;
      }
      deleteLocal(copyDir);
      java.nio.file.Files.createDirectories(copyDir);
      for (org.apache.hadoop.fs.FileStatus table : fs.listStatus(lake)) {
        String name = table.getPath().getName();
        if (!table.isDirectory() || name.equals(STAGING) || name.startsWith(ASIDE)) continue;
        // raw local: no .crc files beside the copies
        fs.copyToLocalFile(false, table.getPath(), new org.apache.hadoop.fs.Path(copyDir.resolve(name).toUri()), true);
      }
      profile("local copy of " + root, start);
      return copyDir.toAbsolutePath();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot copy the lake " + root + " to " + copyDir, e);
    }
  }

  private static void deleteLocal(java.nio.file.Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) return;
    try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(p);
    }
  }

  /** Replaces a whole table: written to staging, then swapped in by renames like a partition. */
  public void writeWhole(Dataset<Row> data, String table) {
    long start = System.nanoTime();
    String staging = root + "/" + STAGING + "/" + table;
    data.coalesce(1).write().mode(SaveMode.Overwrite).parquet(staging);
    try {
      org.apache.hadoop.fs.FileSystem fs = new org.apache.hadoop.fs.Path(root).getFileSystem(conf);
      swap(fs, new org.apache.hadoop.fs.Path(staging), new org.apache.hadoop.fs.Path(path(table)));
      profile(table, start);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot commit " + path(table), e);
    }
  }

  /** -Dcds.profile=true prints each table's write time (writes run two at a time, so the times overlap). */
  private static void profile(String table, long start) {
    vn.cds.util.Profile.done("write " + table, start);
  }

  /** Runs independent writes concurrently (two at a time) and rethrows the first failure. */
  public void writeAll(java.util.List<Runnable> writes) {
    vn.cds.util.Concurrently.run(writes);
  }

}
