package vn.cds.util;

import java.util.Locale;

/** {@code -Dcds.profile=true}: each step prints its wall time ("[profile] what 1.23 s"), for finding where a run goes. */
public final class Profile {
  private Profile() {}

  public static final boolean ENABLED = Boolean.getBoolean("cds.profile");

  /** Prints {@code what} with the time since {@code startNanos} (from System.nanoTime), when profiling. */
  public static void done(String what, long startNanos) {
    if (ENABLED) System.out.printf(Locale.ROOT, "    [profile] %s %.2f s%n", what, (System.nanoTime() - startNanos) / 1e9);
  }
}
