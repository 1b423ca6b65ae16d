package vn.cds.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent Spark actions from two driver threads at once. On a small input a step is mostly the driver's own
 * work (planning, code generation, scheduling) on one core; two steps at a time keep both cores busy, and Spark
 * runs concurrent jobs of one session safely.
 */
public final class Concurrently {
  private Concurrently() {}

  /** Two; {@code -Dcds.threads=1} runs the steps one by one, so that a profile shows what each costs alone. */
  public static final int THREADS = Integer.getInteger("cds.threads", 2);

  /** Each step's result, in the order given; the first failure is rethrown as it was thrown. */
  public static <T> List<T> all(List<Callable<T>> steps) {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<T>> running = new ArrayList<>();
      for (Callable<T> s : steps) running.add(pool.submit(s));
      List<T> results = new ArrayList<>();
      for (Future<T> f : running) results.add(result(f));
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A step's result once it is done; its failure rethrown as it was thrown (a checked one wrapped). */
  public static <T> T result(Future<T> step) {
    try {
      return step.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Steps that return nothing. */
  public static void run(List<Runnable> steps) {
    all(steps.stream().<Callable<Object>>map(r -> () -> {
      r.run();
      return null;
    }).toList());
  }
}
