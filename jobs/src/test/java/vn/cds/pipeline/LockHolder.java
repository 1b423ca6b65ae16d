package vn.cds.pipeline;

import java.nio.file.Path;

/** A process of its own that holds an output folder's lock: {@code LockHolder DIR SECONDS}; says "held" once it does. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (OutputLock lock = OutputLock.acquire(Path.of(args[0]), "lock-holder " + args[1] + " s", false, System.out::println)) {
      System.out.println("held");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]) * 1000);
    }
  }
}
