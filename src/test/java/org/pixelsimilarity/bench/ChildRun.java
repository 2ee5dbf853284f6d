package org.pixelsimilarity.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the job as a fresh process ({@code jobs/run-local.sh ...}) and measures it from launch to exit: wall
 * time, the peak resident set of its JVM, read from {@code /proc/<pid>/status} (VmHWM) while it runs, and its CPU
 * time, the last value of {@code /proc/<pid>/stat} read before it exits (so up to one 20 ms poll short).
 */
final class ChildRun {
  record Result(double seconds, long peakRssBytes, int exitCode, Path log, double cpuSeconds) {}

  /** Linux's clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on every common platform). */
  private static final double TICKS_PER_SECOND = 100;

  private ChildRun() {}

  static Result run(Path repo, List<String> command, Path log) throws IOException, InterruptedException {
    return run(repo, command, log, java.util.Map.of());
  }

  /** As above, with these environment variables set for the child. */
  static Result run(Path repo, List<String> command, Path log, java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // The benchmark's own launch settings are not the job's.
    pb.environment().remove("PS_MAIN");
    pb.environment().remove("PS_CLASSPATH");
    pb.environment().putAll(env);
    pb.environment().remove("JAVA_OPTS");
    long start = System.nanoTime();
    Process p = pb.start();
    long peak = -1;
    double cpu = -1;
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    while (!p.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, peakRss(status));
      cpu = Math.max(cpu, cpuSeconds(stat));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(seconds, peak, p.exitValue(), log, cpu);
  }

  /** User + system CPU seconds of a process (fields 14 and 15 of its stat line), -1 when unreadable. */
  static double cpuSeconds(Path stat) {
    try {
      String line = Files.readString(stat);
      String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** VmHWM of a process in bytes, -1 when it cannot be read (not Linux, or the process is gone). */
  static long peakRss(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
