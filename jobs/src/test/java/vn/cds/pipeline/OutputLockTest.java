package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.Cli;
import vn.cds.TestSupport;

/**
 * One writer per output folder, with real processes: a lock held by another process refuses at once (naming it) or is
 * waited for; a killed holder's lock is taken over, said so; two `cds run` at once give one whole mart, equal to a
 * lone run's; a reader (`cds sql`) never waits for the lock and reads the previous mart while a run holds it. It holds
 * System.err alone while it reads a refusal from it.
 */
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ_WRITE)
class OutputLockTest {
  @TempDir Path dir;

  /** {@link LockHolder} in a JVM of its own, once it holds the lock of {@code folder} (for {@code seconds}). */
  private static Process holder(Path folder, int seconds) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), folder.toString(), String.valueOf(seconds))
        .redirectErrorStream(true).start();
    String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertEquals("held", first);
    return p;
  }

  private static String holderLine(long pid, String command) {
    return "pid " + pid + " trên máy [^,]+, từ 20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, lệnh: " + command;
  }

  @Test
  void aSecondWriterRefusesAtOnceNamingTheHolderOrWaitsForIt() throws Exception {
    Path out = dir.resolve("out");
    Process h = holder(out, 8); // long enough for the refusal to come first on a busy machine
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    long start = System.nanoTime();
    try {
      exit = Cli.execute("report", "--year", "2024-2025", "--out", out.toString());
    } finally {
      System.setErr(oldErr);
    }
    assertEquals(2, exit);
    String line = err.toString(StandardCharsets.UTF_8);
    assertTrue(line.matches("Đang bận \\(busy\\): Thư mục đầu ra \\S+/out đang được một lần chạy khác dùng: " + holderLine(h.pid(), "lock-holder 8 s")
        + " \\(the output folder is in use by another run; wait for it to end, or add --wait\\)\n"), line);
    assertTrue(System.nanoTime() - start < 3_000_000_000L, "at once");
    assertFalse(Files.exists(out.resolve("reports")), "nothing touched");

    List<String> said = new ArrayList<>();
    try (OutputLock lock = OutputLock.acquire(out, "test --wait", true, said::add)) {
      assertTrue(h.waitFor(30, TimeUnit.SECONDS), "the holder ended");
      assertEquals(0, h.exitValue());
      assertEquals(1, said.size(), said.toString());
      assertTrue(said.get(0).matches("Đang chờ lần chạy khác xong \\(waiting for the run that holds \\S+/out\\): " + holderLine(h.pid(), "lock-holder 8 s")),
          said.get(0));
      assertTrue(Files.readString(out.resolve(OutputLock.FILE)).startsWith("pid=" + ProcessHandle.current().pid() + "\n"));
    }
    assertEquals("", Files.readString(out.resolve(OutputLock.FILE)), "released: the file is emptied, not deleted");
    assertTrue(new picocli.CommandLine(new Cli()).getSubcommands().values().stream()
        .filter(c -> List.of("run", "report", "inspect-sample", "dashboards").contains(c.getCommandName()))
        .allMatch(c -> c.getCommandSpec().findOption("--wait") != null), "every writing command can wait");
  }

  @Test
  void aKilledHoldersLockIsTakenOverSayingSo() throws Exception {
    Path out = dir.resolve("out");
    Process h = holder(out, 600);
    h.destroyForcibly(); // SIGKILL: no finally, no shutdown hook
    assertTrue(h.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, h.exitValue());
    assertTrue(Files.readString(out.resolve(OutputLock.FILE)).startsWith("pid=" + h.pid() + "\n"), "the dead holder's line is still there");
    List<String> said = new ArrayList<>();
    try (OutputLock lock = OutputLock.acquire(out, "test", false, said::add)) {
      assertEquals(1, said.size(), said.toString());
      assertTrue(said.get(0).matches("Lần chạy trước đã dừng giữa chừng và để lại khóa: " + holderLine(h.pid(), "lock-holder 600 s")
          + "; lấy lại khóa, dọn phần còn sót \\(a killed run's lock, taken over; its leftovers are tidied under this lock\\)"), said.get(0));
      try (OutputLock again = OutputLock.acquire(out, "the pipeline, inside the CLI", false, said::add)) {
        assertSame(lock, again, "re-entrant within a process");
      }
      assertTrue(Files.readString(out.resolve(OutputLock.FILE)).contains("command=test\n"), "still held after the inner release");
    }
    assertEquals("", Files.readString(out.resolve(OutputLock.FILE)));
  }

  /** `cds run` in a JVM of its own, its output lines collected as they come. */
  private static final class Run {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final CountDownLatch started = new CountDownLatch(1);
    final Thread reader;

    Run(Path in, Path out) throws Exception {
      process = TestSupport.startCds("1g", "run", "--input", in.toString(), "--out", out.toString(), "--master", "local[2]");
      reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
            if (line.startsWith("▸ catalogs")) started.countDown();
          }
        } catch (java.io.IOException e) {
          // the process was killed: its output ends here
        }
      });
      reader.start();
    }

    int exit() throws Exception {
      assertTrue(process.waitFor(180, TimeUnit.SECONDS), "cds run ended");
      reader.join();
      return process.exitValue();
    }

    String output() {
      return String.join("\n", lines);
    }
  }

  /**
   * Two runs started together: one refuses at once naming the other, whose mart equals a lone run's. Then a run
   * killed (SIGKILL) once it has started, and a new run that takes its lock over; while that one holds the lock, a
   * reader process reads the previous mart at once and a third run refuses naming it. It succeeds, with the same mart.
   */
  @Test
  void twoRunsAtOnceGiveOneWholeMartAndAKilledRunsLockIsTakenOverWhileReadersRead() throws Exception {
    Path in = CrashSafetyTest.input(dir, 4), lone = dir.resolve("lone"), out = dir.resolve("out"), mart = out.resolve("mart/cds.duckdb");
    new Pipeline(TestSupport.spark(), new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
        .run(new Pipeline.Config(in.toString(), lone.toString(), TestSupport.catalogs(), false));
    Map<String, String> loneMart = ReingestTest.dump(lone.resolve("mart/cds.duckdb"));

    Run a = new Run(in, out), b = new Run(in, out);
    int exitA = a.exit(), exitB = b.exit();
    assertEquals(List.of(0, 2), exitA == 0 ? List.of(exitA, exitB) : List.of(exitB, exitA), a.output() + "\n---\n" + b.output());
    Run winner = exitA == 0 ? a : b, loser = exitA == 0 ? b : a;
    assertEquals(1, loser.lines.size(), loser.output());
    assertTrue(loser.lines.get(0).startsWith("Đang bận (busy): Thư mục đầu ra " + out + " đang được một lần chạy khác dùng: pid " + winner.process.pid()
        + " trên máy "), loser.output());
    assertTrue(loser.lines.get(0).contains(", lệnh: cds run --input " + in + " --out " + out + " --master local[2] (the output"), loser.output());
    assertTrue(winner.output().contains("Đối chiếu (reconciliation): 8 dòng đọc = 8 nhận + 0 loại + 0 thay thế ✓; 0 dòng có cờ; "
        + "2 tệp tìm thấy = 2 đọc + 0 từ chối + 0 bỏ qua ✓."), winner.output());
    assertEquals(loneMart, ReingestTest.dump(mart), "the winner's mart is whole and equals a lone run's");
    String before = TestSupport.sqlInAnotherProcess(mart, "SELECT run_id FROM _mart_metadata");

    Run killed = new Run(in, out);
    assertTrue(killed.started.await(120, TimeUnit.SECONDS), killed.output());
    killed.process.destroyForcibly();
    assertEquals(137, killed.exit());

    Run next = new Run(in, out);
    assertTrue(next.started.await(120, TimeUnit.SECONDS), next.output());
    assertTrue(next.lines.stream().anyMatch(l -> l.startsWith("Lần chạy trước đã dừng giữa chừng và để lại khóa: pid " + killed.process.pid() + " trên máy ")),
        next.output());
    assertEquals(before, TestSupport.sqlInAnotherProcess(mart, "SELECT run_id FROM _mart_metadata"), "a reader never waits, and reads the previous mart");
    Run third = new Run(in, out);
    assertEquals(2, third.exit(), third.output());
    assertTrue(third.output().contains("dùng: pid " + next.process.pid() + " trên máy "), third.output());
    assertTrue(next.process.isAlive(), "the reader and the third run came while the run held the lock");

    assertEquals(0, next.exit(), next.output());
    assertFalse(before.equals(TestSupport.sqlInAnotherProcess(mart, "SELECT run_id FROM _mart_metadata")), "the new mart is in place");
    assertEquals(loneMart, ReingestTest.dump(mart), "the run after the killed one gives the lone run's mart");
    assertEquals("", Files.readString(out.resolve(OutputLock.FILE)));
    try (var files = Files.list(out.resolve("mart"))) {
      assertEquals(List.of("cds.duckdb"), files.map(f -> f.getFileName().toString()).toList(), "no temporary mart left");
    }
  }
}
