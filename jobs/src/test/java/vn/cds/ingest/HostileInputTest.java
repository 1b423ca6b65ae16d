package vn.cds.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.ingest.RawRecords.ParsedFile;
import vn.cds.pipeline.InputFolder;

/** Files that try to hurt: each is refused with its own reason and message, and the files beside it still read. */
class HostileInputTest {
  @TempDir Path dir;

  static final String GOOD = "Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,DH4\nA,Trường A,2024-2025,Tự đánh giá,5\n";

  private ParsedFile read(String name, byte[] bytes) throws Exception {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.write(f, bytes);
    return ExportReader.read(f.toUri().toASCIIString(), name);
  }

  private static String outcome(ParsedFile p) {
    return p.summary().errorCode() + " " + p.summary().rowsRead();
  }

  @Test
  void oddFileNamesAreReadLikeAnyOther() throws Exception {
    Path in = dir.resolve("in");
    List<String> names = List.of("tự đánh giá (bản 2).csv", "50% xong.csv", "a:b.csv", "x#y.csv", "q?u.csv", "semi;colon.csv", "sub/..%2e%2fup.csv",
        "<script>alert(1)</script>.csv");
    for (String n : names) {
      Path f = in.resolve("exports").resolve(n);
      Files.createDirectories(f.getParent());
      Files.writeString(f, GOOD);
    }
    Map<String, String> read = new TreeMap<>();
    for (InputFolder.ExportFile f : new InputFolder(in.toString()).exportFiles())
      read.put(f.relativeName(), outcome(ExportReader.read(f.uri(), f.relativeName())));
    // every name is read as a name, never as a path: "..%2e%2fup.csv" stays in sub/ (and, starting with a dot, is a
    // hidden file like an editor's lock file, which the input folder leaves out)
    Map<String, String> expected = new TreeMap<>();
    for (String n : names) if (!n.startsWith("sub/.")) expected.put("exports/" + n, "null 1");
    assertEquals(expected, read);
  }

  @Test
  void anXlsxZipBombIsRefusedUnopened() throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("[Content_Types].xml"));
      out.write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
      byte[] spaces = new byte[1 << 20];
      java.util.Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 200; i++) out.write(spaces); // 200 MB of nothing, about 200 KB compressed
    }
    ParsedFile p = read("bom.xlsx", zip.toByteArray());
    assertEquals("FILE_UNREADABLE 0", outcome(p));
    assertTrue(p.summary().errorMessage().contains("Zip bomb"), p.summary().errorMessage());
  }

  @Test
  void anAbsurdlyWideCsvIsRefused() throws Exception {
    StringBuilder sb = new StringBuilder("Mã đơn vị");
    for (int i = 0; i < 100_000; i++) sb.append(",c").append(i);
    ParsedFile p = read("wide.csv", (sb + "\nA\n").getBytes(StandardCharsets.UTF_8));
    assertEquals("FILE_TOO_WIDE 0", outcome(p));
    assertEquals("Tệp có quá nhiều cột (giới hạn 2.000 cột): ít nhất 2001 cột (at least 2001 columns) (more than 2,000 columns)", p.summary().errorMessage());
  }

  @Test
  void aFileOverTheSizeLimitIsNotRead() throws Exception {
    Path f = dir.resolve("huge.csv");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(ExportReader.MAX_FILE_BYTES + 1); // sparse: no disk used
    }
    ParsedFile p = ExportReader.read(f.toUri().toASCIIString(), "huge.csv");
    assertEquals("FILE_TOO_LARGE 0", outcome(p));
    assertEquals("Tệp quá lớn, không đọc (giới hạn 64 MB mỗi tệp): 67,108,865 bytes > 67,108,864 (file larger than the 64 MB limit)",
        p.summary().errorMessage());
  }

  @Test
  void deeplyNestedJsonIsRefusedWithoutAStackOverflow() throws Exception {
    String nested = "[".repeat(100_000) + "]".repeat(100_000);
    ParsedFile p = read("nested.json", nested.getBytes(StandardCharsets.UTF_8));
    assertEquals("FILE_UNREADABLE 0", outcome(p));
    assertTrue(p.summary().errorMessage().contains("JSON không hợp lệ (Document nesting depth (1001) exceeds the maximum allowed (1000"),
        p.summary().errorMessage());
    ParsedFile huge = read("huge-string.json", ("{\"unit_code\": \"" + "x".repeat(20_000_001) + "\"}").getBytes(StandardCharsets.UTF_8));
    assertEquals("FILE_UNREADABLE 0", outcome(huge));
    assertTrue(huge.summary().errorMessage().contains("String value length"), huge.summary().errorMessage());
  }

  @Test
  void legacyVietnameseEncodingsAreReadAndFlaggedOrNamed() throws Exception {
    ParsedFile w = read("cp1258.csv", TestExports.cp1258(GOOD));
    assertEquals("null 1", outcome(w), "Windows-1258 is read");
    assertEquals("Trường A", w.rows().get(0).unitName(), "and normalised to NFC");
    assertEquals(List.of("FILE_ENCODING_WINDOWS_1258"), w.rows().get(0).issues().stream().map(RawRecords.Issue::reasonCode).toList());
    // "Tr­êng" is how TCVN3 stores "Trường": ư = 0xAD, ờ = 0xEA
    byte[] tcvn3 = ("M\u00b7 \u00ae\u00acn v\u00de,T\u00aan \u00ae\u00acn v\u00de\nA,Tr\u00ad\u00eang A\n").getBytes(StandardCharsets.ISO_8859_1);
    ParsedFile t = read("tcvn3.csv", tcvn3);
    assertEquals("FILE_NOT_UTF8 0", outcome(t));
    assertTrue(t.summary().errorMessage().contains("có vẻ là TCVN3 (ABC)"), t.summary().errorMessage());
  }

  /** Every file under exports/ is read or refused by the reader; only the OS's and Office's litter is left out, and counted. */
  @Test
  void everyFileUnderExportsIsListedButTheLitter() throws Exception {
    Path in = dir.resolve("in");
    List<String> exports = List.of("a.csv", "b.xls", "c.txt", "d.pdf", "ket-qua", "sub/e.XLSX");
    List<String> litter = List.of(".DS_Store", "Thumbs.db", "~$b.xlsx", "desktop.ini", ".an/x.csv", "__MACOSX/._a.csv", "sub/._e.XLSX");
    for (String n : concat(exports, litter)) {
      Path f = in.resolve("exports").resolve(n);
      Files.createDirectories(f.getParent());
      Files.writeString(f, GOOD);
    }
    InputFolder.Exports listed = new InputFolder(in.toString()).exports();
    assertEquals(exports.stream().map(n -> "exports/" + n).sorted().toList(), listed.files().stream().map(InputFolder.ExportFile::relativeName).toList());
    assertEquals(litter.stream().map(n -> "exports/" + n).sorted().toList(), listed.skipped());
    assertEquals(13, listed.found());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
