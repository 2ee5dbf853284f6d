package org.pixelsimilarity.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a stage's CPU time went, by kind of thread (Linux {@code /proc/self/task}): Spark's task threads, the
 * JIT compilers, the garbage collector, parquet's read-ahead threads, and the rest (driver, scheduler).
 */
final class ThreadCpu {
  private static final long TICKS_PER_SECOND = 100;
  private Map<String, Long> last = snapshot();

  /** CPU seconds per kind since the previous call, as {@code kind=seconds ...}. */
  String sinceLast() {
    return format(sinceLastByKind());
  }

  /** {@code kind=seconds ...} of {@link #sinceLastByKind()}. */
  static String format(Map<String, Double> byKind) {
    StringBuilder sb = new StringBuilder();
    byKind.forEach((kind, seconds) -> sb.append(String.format(Locale.ROOT, "%s%s=%.1f",
        sb.length() == 0 ? "" : " ", kind, seconds)));
    return sb.toString();
  }

  /** CPU seconds per kind since the previous call: tasks, jit, gc, read_ahead, other, in that order. */
  Map<String, Double> sinceLastByKind() {
    Map<String, Long> now = snapshot();
    Map<String, Double> by = new LinkedHashMap<>();
    for (String kind : new String[] {"tasks", "jit", "gc", "read_ahead", "other"}) {
      long d = now.getOrDefault(kind, 0L) - last.getOrDefault(kind, 0L);
      by.put(kind, d / (double) TICKS_PER_SECOND);
    }
    last = now;
    return by;
  }

  private static Map<String, Long> snapshot() {
    Map<String, Long> by = new LinkedHashMap<>();
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) {
      return by;
    }
    for (File t : tasks) {
      try {
        String stat = Files.readString(t.toPath().resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        by.merge(kind(name), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
      } catch (IOException | RuntimeException e) {
        // the thread ended meanwhile
      }
    }
    return by;
  }

  private static String kind(String name) {
    if (name.startsWith("Executor task")) {
      return "tasks";
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "jit";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
      return "gc";
    }
    if (name.matches("Thread-\\d+")) {
      return "read_ahead";
    }
    return "other";
  }
}
