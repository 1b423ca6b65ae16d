package vn.cds.pipeline;

import java.io.PrintStream;
import java.util.Locale;

/** Prints one line per stage: name, rows and elapsed time, so a long run shows where it is. */
public final class Progress {
  private final PrintStream out;
  private final long runStart = System.nanoTime();

  public Progress(PrintStream out) {
    this.out = out;
  }

  public final class Stage {
    private final String name;
    private final long start = System.nanoTime();

    private Stage(String name) {
      this.name = name;
      out.printf(Locale.ROOT, "▸ %s …%n", name);
    }

    public void done(String detail) {
      out.printf(Locale.ROOT, "  ✓ %s: %s (%.1f s, total %.1f s)%n", name, detail, secondsSince(start), secondsSince(runStart));
    }
  }

  public Stage stage(String name) {
    return new Stage(name);
  }

  public void line(String text) {
    out.println(text);
  }

  public static double secondsSince(long nanoStart) {
    return (System.nanoTime() - nanoStart) / 1e9;
  }

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
