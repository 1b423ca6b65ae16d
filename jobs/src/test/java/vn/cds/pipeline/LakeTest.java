package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

/** Partitions are swapped in whole, and what a crash leaves between the two renames of a swap is undone. */
class LakeTest {
  @TempDir Path dir;
  static final StructType SCHEMA = StructType.fromDDL("unit_code string, points int, school_year string");

  private Dataset<Row> rows(Object[]... rows) {
    return TestSupport.spark().createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
  }

  private List<String> read(Lake lake) {
    SparkSession spark = TestSupport.spark();
    return spark.read().parquet(lake.path("t")).selectExpr("concat_ws(' ', school_year, unit_code, points)").as(Encoders.STRING())
        .collectAsList().stream().sorted().toList();
  }

  @Test
  void aYearIsReplacedWholeAndTheOthersKept() throws Exception {
    Lake lake = Lake.under(dir.toString(), TestSupport.spark().sparkContext().hadoopConfiguration());
    lake.writePartitioned(rows(new Object[] {"A", 1, "2023-2024"}, new Object[] {"A", 2, "2024-2025"}, new Object[] {"B", 3, "2024-2025"}), "t",
        List.of("2023-2024", "2024-2025"));
    lake.writePartitioned(rows(new Object[] {"A", 9, "2024-2025"}), "t", List.of("2024-2025"));
    assertEquals(List.of("2023-2024 A 1", "2024-2025 A 9"), read(lake));
    assertEquals(List.of("2023-2024", "2024-2025"), lake.years("t"));
    assertFalse(Files.exists(dir.resolve("lake/_staging/t")), "no staging left");
  }

  @Test
  void aSwapInterruptedBetweenItsRenamesIsUndone() throws Exception {
    Lake lake = Lake.under(dir.toString(), TestSupport.spark().sparkContext().hadoopConfiguration());
    lake.writePartitioned(rows(new Object[] {"A", 1, "2023-2024"}, new Object[] {"A", 2, "2024-2025"}), "t", List.of("2023-2024", "2024-2025"));
    Path table = dir.resolve("lake/t");
    // the crash: 2024-2025 was moved aside and its replacement never moved in; a staging folder is left behind
    Files.move(table.resolve("school_year=2024-2025"), table.resolve(".replaced-school_year=2024-2025"));
    Files.createDirectories(dir.resolve("lake/_staging/t/school_year=2024-2025"));
    // and for 2023-2024 the new folder had arrived but the old one was not yet deleted
    Files.createDirectories(table.resolve(".replaced-school_year=2023-2024"));
    assertEquals(List.of("2023-2024"), lake.years("t"), "after the crash a year is missing");

    lake.recover();
    assertEquals(List.of("2023-2024 A 1", "2024-2025 A 2"), read(lake), "the old 2024-2025 is back, whole");
    try (var files = Files.list(table)) {
      assertEquals(List.of("school_year=2023-2024", "school_year=2024-2025"), files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("._"))
          .sorted().toList());
    }
    assertFalse(Files.exists(dir.resolve("lake/_staging")), "the dead run's staging is gone");
  }

  @Test
  void aWholeTableIsSwappedInAndAnInterruptedSwapUndone() throws Exception {
    Lake lake = Lake.under(dir.toString(), TestSupport.spark().sparkContext().hadoopConfiguration());
    lake.writeWhole(rows(new Object[] {"A", 1, "x"}), "t");
    lake.writeWhole(rows(new Object[] {"B", 2, "y"}), "t");
    assertEquals(List.of("y B 2"), read(lake));
    Files.move(dir.resolve("lake/t"), dir.resolve("lake/.replaced-t")); // killed after moving the old table aside
    lake.recover();
    assertEquals(List.of("y B 2"), read(lake), "the table is back");
    assertFalse(Files.exists(dir.resolve("lake/.replaced-t")));
  }

  @Test
  void aLocalLakeIsUsedWhereItIsAndAStaleCopyOfARemoteOneIsDeleted() throws Exception {
    var conf = TestSupport.spark().sparkContext().hadoopConfiguration();
    Path copy = dir.resolve("lake-copy");
    Files.createDirectories(copy.resolve("t"));
    Files.writeString(copy.resolve("t/part-0.parquet"), "an earlier run's copy of an HDFS lake");
    Lake lake = Lake.under(dir.toString(), conf);
    lake.writeWhole(rows(new Object[] {"A", 1, "x"}), "t");
    assertEquals(dir.resolve("lake").toAbsolutePath().normalize(), lake.local(copy));
    assertFalse(Files.exists(copy), "the stale copy is gone");

    // --lake pointing into the copy folder itself: the lake is never deleted as a stale copy
    Lake inside = Lake.of(copy.resolve("lake").toUri().toString(), dir.toString(), conf);
    inside.writeWhole(rows(new Object[] {"B", 2, "y"}), "t");
    assertEquals(copy.resolve("lake").toAbsolutePath().normalize(), inside.local(copy));
    assertEquals(List.of("y B 2"), read(inside));
  }
}
