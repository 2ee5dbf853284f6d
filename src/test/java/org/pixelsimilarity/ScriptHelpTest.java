package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The --help of the job scripts that answer it themselves (without starting Java): exit 0, and every line printed
 * is a line of the script's leading comment, the comment marker taken off, never a line of the script's code.
 */
class ScriptHelpTest {
  record Ran(int exit, String out, String err) {}

  static Ran bash(Path script, String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("script-out", ".txt");
    Path err = Files.createTempFile("script-err", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      int exit = p.waitFor();
      return new Ran(exit, Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The script's first comment block (after the #! line), each line without "# " or "#". */
  static List<String> leadingComment(Path script) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (!line.startsWith("#")) {
        break;
      }
      out.add(line.replaceFirst("^# ?", ""));
    }
    return out;
  }

  @Test
  void scheduledEvaluateHelpIsItsWholeLeadingComment() throws Exception {
    Path script = SparkTestSession.repo().resolve("jobs/scheduled-evaluate.sh");
    for (String flag : new String[] {"--help", "-h"}) {
      Ran r = bash(script, flag);
      assertEquals(0, r.exit(), r::toString);
      assertEquals("", r.err());
      List<String> printed = r.out().lines().toList();
      assertEquals(leadingComment(script), printed);
      assertTrue(printed.get(printed.size() - 1).startsWith("Exit code:"), r::out);
      assertFalse(r.out().contains("set -euo pipefail"), r::out);
    }
  }

  @Test
  void submitHelpPrintsCommentLinesAndAPointer() throws Exception {
    Path script = SparkTestSession.repo().resolve("jobs/submit.sh");
    Ran r = bash(script, "--help");
    assertEquals(0, r.exit(), r::toString);
    List<String> printed = r.out().lines().toList();
    List<String> comment = leadingComment(script);
    assertTrue(printed.size() > 1, r::out);
    for (String line : printed.subList(0, printed.size() - 1)) {
      assertTrue(comment.contains(line), () -> "not a comment line of the script: '" + line + "'");
    }
    assertTrue(printed.get(printed.size() - 1).contains("--help"), r::out);
  }
}
