package org.pixelsimilarity.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the job as a fresh process ({@code jobs/run-local.sh ...}) and measures it from launch to exit: wall
 * time, and the peak resident set of its JVM, read from {@code /proc/<pid>/status} (VmHWM) while it runs.
 */
final class ChildRun {
  record Result(double seconds, long peakRssBytes, int exitCode, Path log) {}

  private ChildRun() {}

  static Result run(Path repo, List<String> command, Path log) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // The benchmark's own launch settings are not the job's.
    pb.environment().remove("PS_MAIN");
    pb.environment().remove("PS_CLASSPATH");
    pb.environment().remove("JAVA_OPTS");
    long start = System.nanoTime();
    Process p = pb.start();
    long peak = -1;
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    while (!p.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, peakRss(status));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(seconds, peak, p.exitValue(), log);
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
