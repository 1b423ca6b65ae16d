package vn.cds.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints one line per stage: name, rows and elapsed time, so a long run shows where it is. It also keeps each stage's
 * wall time and the process's peak resident memory during it, for {@code cds run --timings} and the benchmark.
 */
public final class Progress {
  /** One finished stage: wall seconds and the highest resident set size sampled while it ran (0 where unknown). */
  public record Timing(String stage, double seconds, long peakRssBytes) {}

  private final PrintStream out;
  private final long runStart = System.nanoTime();
  private final List<Timing> timings = new ArrayList<>();
  private final MemorySampler memory = new MemorySampler();

  public Progress(PrintStream out) {
    this.out = out;
  }

  public final class Stage {
    private final String name;
    private final long start = System.nanoTime();

    private Stage(String name) {
      this.name = name;
      memory.resetPeak();
      out.printf(Locale.ROOT, "▸ %s …%n", name);
    }

    public void done(String detail) {
      timings.add(new Timing(name, secondsSince(start), memory.peakSinceReset()));
      out.printf(Locale.ROOT, "  ✓ %s: %s (%.1f s, total %.1f s)%n", name, detail, secondsSince(start), secondsSince(runStart));
      vn.cds.util.Profile.heldBlocks("after " + name);
    }
  }

  public Stage stage(String name) {
    return new Stage(name);
  }

  public void line(String text) {
    out.println(text);
  }

  public List<Timing> timings() {
    return List.copyOf(timings);
  }

  public double secondsSinceStart() {
    return secondsSince(runStart);
  }

  public static double secondsSince(long nanoStart) {
    return (System.nanoTime() - nanoStart) / 1e9;
  }

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * Resident memory of this process, sampled every 50 ms by a daemon thread from /proc/self/status (Linux). The
   * kernel's own high-water mark (VmHWM) covers the whole process; the sampler gives each stage its own peak.
   */
  static final class MemorySampler {
    private volatile long peak;

    MemorySampler() {
      if (rssBytes("VmRSS") <= 0) return; // not Linux: stages report 0
      Thread t = new Thread(() -> {
        while (true) {
          long now = rssBytes("VmRSS");
          if (now > peak) peak = now;
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "cds-memory-sampler");
      t.setDaemon(true);
      t.start();
    }

    void resetPeak() {
      peak = Math.max(0, rssBytes("VmRSS"));
    }

    long peakSinceReset() {
      return Math.max(peak, rssBytes("VmRSS"));
    }
  }

  /** A "kB" field of /proc/self/status in bytes (VmRSS now, VmHWM the process's peak), or -1 where there is none. */
  public static long rssBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status")))
        if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
