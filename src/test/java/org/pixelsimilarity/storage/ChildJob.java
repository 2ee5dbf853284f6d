package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pixelsimilarity.SparkTestSession;

/**
 * The CLI in a JVM of its own (a driver, as spark-submit in client mode starts it), on {@code local[1]}, with
 * {@link ScanMarker} and, when asked, paused at one step of its report commit; killed with SIGKILL by its process.
 */
final class ChildJob {
  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private ChildJob(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // killed
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code args} (a subcommand and its flags; {@code --master local[1]} and {@code conf} are added).
   *
   * @param pauseAt a commit step to pause at ({@code pixelsimilarity.test.pauseCommitAt}), or null
   */
  static ChildJob start(List<String> args, List<String> conf, String pauseAt) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1"); // a short-lived JVM: quick compiles start Spark sooner
    cmd.add("-XX:+UseSerialGC");
    for (String line : Files.readAllLines(SparkTestSession.repo().resolve("conf/java-module-options"))) {
      if (!line.isBlank() && !line.trim().startsWith("#")) {
        cmd.add(line.trim());
      }
    }
    cmd.add("-Djava.awt.headless=true");
    if (pauseAt != null) {
      cmd.add("-Dpixelsimilarity.test.pauseCommitAt=" + pauseAt);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.pixelsimilarity.cli.PixelSimilarityCli");
    cmd.addAll(args);
    cmd.addAll(List.of("--master", "local[1]", "--conf", "spark.ui.enabled=false", "--conf",
        "spark.extraListeners=" + ScanMarker.class.getName()));
    for (String c : conf) {
      cmd.addAll(List.of("--conf", c));
    }
    return new ChildJob(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /** Waits until a line containing {@code text} is printed; false when the process ended first or time ran out. */
  boolean await(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (lines) {
      while (true) {
        if (lines.stream().anyMatch(l -> l.contains(text))) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && finishedReading())) {
          return false;
        }
        lines.wait(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
      }
    }
  }

  private boolean finishedReading() {
    try {
      process.getInputStream().available();
      return !process.isAlive();
    } catch (IOException e) {
      return true;
    }
  }

  boolean printed(String text) {
    synchronized (lines) {
      return lines.stream().anyMatch(l -> l.contains(text));
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL (no shutdown hook, no finally block runs), waited for. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
  }

  /** Waits for the end; returns the exit code. */
  int exit(long seconds) throws InterruptedException {
    assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), this::output);
    return process.exitValue();
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Asserts the job ended with exit 0. */
  void assertSucceeded(long seconds) throws InterruptedException {
    assertEquals(0, exit(seconds), this::output);
  }
}
