package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/jvm-stderr.sh: on a terminal the JVM's incubator-module warning is dropped and every other line passes;
 * when stderr is not a terminal nothing is filtered. The terminal is util-linux's {@code script}. The shell below
 * closes its stderr and waits for the filter, so all its output is in before the check (no timing involved).
 */
class JvmStderrTest {
  private static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";
  private static final String SHELL = ". jobs/jvm-stderr.sh; quiet_incubator_warning; filter=$!; echo before >&2; "
      + "echo '" + WARNING + "' >&2; echo 'WARNING: something else' >&2; echo after >&2; exec 2>&-; "
      + "if [[ -n \"$filter\" ]]; then wait \"$filter\"; fi";

  private static List<String> run(List<String> command) throws Exception {
    Path out = Files.createTempFile("jvm-stderr", ".txt");
    try {
      Process p = new ProcessBuilder(command).directory(SparkTestSession.repo().toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      assertEquals(0, p.waitFor(), () -> command + ": " + readQuietly(out));
      return Files.readString(out).replace("\r", "").lines().filter(l -> !l.isEmpty()).toList();
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void onATerminalOnlyTheIncubatorWarningIsDropped(@TempDir Path tmp) throws Exception {
    Path shell = Files.writeString(tmp.resolve("shell.sh"), SHELL + "\n");
    List<String> lines = run(List.of("script", "-qec", "bash " + shell, "/dev/null"));
    assertEquals(List.of("before", "WARNING: something else", "after"), lines);
  }

  @Test
  void elsewhereNothingIsFiltered(@TempDir Path tmp) throws Exception {
    Path shell = Files.writeString(tmp.resolve("shell.sh"), SHELL + "\n");
    List<String> lines = run(List.of("bash", shell.toString()));
    assertTrue(lines.contains(WARNING), lines::toString);
    assertEquals(List.of("before", WARNING, "WARNING: something else", "after"), lines);
  }
}
