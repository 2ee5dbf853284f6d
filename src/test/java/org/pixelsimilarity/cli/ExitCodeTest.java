package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkTestSession;

/**
 * Exit codes: 2 with picocli's usage message for a command line that cannot run (before Spark starts), 1 with one
 * line for an expected failure (the trace only with --verbose), 1 with the trace for an unexpected one.
 */
class ExitCodeTest {
  @TempDir
  Path dir;

  /** Exit 2, the reason, and the subcommand's usage; nothing created. */
  void usage(String reason, String... args) {
    Result r = cli(args);
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().startsWith(reason), () -> "expected to start with '" + reason + "'\n" + r);
    assertTrue(r.err().contains("Usage: pixel-similarity"), r::toString);
    assertEquals("", r.out());
  }

  @Test
  void usageErrorsExitWith2() throws Exception {
    String m = dir.resolve("m").toString();
    usage("Unknown option: '--bogus'", "train", "--train", "x", "--model", m, "--bogus");
    usage("Missing required option: '--model=DIR'", "train", "--train", "x");
    usage("Missing required options: '--valid=PATH', '--report=DIR'", "evaluate", "--model", m);
    usage("Invalid value for option '--labels' (A,B,...): at least two labels are needed to compare, got '3'",
        "train", "--train", "x", "--model", m, "--labels", "3");
    usage("Invalid value for option '--labels' (A,B,...): labels must be a comma-separated list like 3,7, got '3,,7'",
        "train", "--train", "x", "--model", m, "--labels", "3,,7");
    usage("Invalid value for option '--metric' (l1|l2|both): metric must be l1, l2 or both, got 'l3'",
        "evaluate", "--model", m, "--valid", "v", "--report", "r", "--metric", "l3");
    usage("Invalid value for option '--mode': mode must be failfast or dropmalformed, got 'permissive'",
        "train", "--train", "x", "--model", m, "--mode", "permissive");
    usage("--max-rejected-fraction must be within 0..1, got 1.5",
        "train", "--train", "x", "--model", m, "--max-rejected-fraction", "1.5");
    usage("Invalid value for option '--max-rejected-fraction': 'lots' is not a double",
        "train", "--train", "x", "--model", m, "--max-rejected-fraction", "lots");
    usage("run id must be 1-128 characters", "evaluate", "--model", m, "--valid", "v", "--report", "r",
        "--run-id", "nightly run");
    usage("Invalid value for option '--shape': shape must look like 28x28", "train", "--train", "x", "--model", m,
        "--shape", "28");
    usage("Invalid value for option '--format': format must be auto, folder, idx or parquet, got 'png'",
        "train", "--train", "x", "--model", m, "--format", "png");
    usage("Unknown option: '--verbose'\nPossible solutions: --version\n", "--verbose");
    usage("Unknown option: '--verbos'\nPossible solutions: ", "train", "--train", "x", "--model", m, "--verbos");
    Result none = cli();
    assertEquals(2, none.exit(), none::toString);
    assertTrue(none.err().contains("a subcommand is needed"), none::toString);
    assertFalse(Files.exists(dir.resolve("m")));
  }

  @Test
  void expectedFailuresAreOneLineAndVerboseShowsTheTrace() {
    SparkTestSession.get();
    Path missing = dir.resolve("missing");
    String[] args = {"train", "--train", missing.toString(), "--model", dir.resolve("m").toString()};
    Result quiet = assertOneLineError(cli(args), "error: " + missing + ": path does not exist");
    assertFalse(quiet.err().contains("\tat "));
    for (String flag : new String[] {"--verbose", "-v"}) {
      String[] verbose = java.util.Arrays.copyOf(args, args.length + 1);
      verbose[args.length] = flag;
      Result r = cli(verbose);
      assertEquals(1, r.exit(), r::toString);
      assertTrue(r.err().startsWith("error: " + missing + ": path does not exist\n"), r::toString);
      assertTrue(r.err().contains("org.pixelsimilarity.JobException: " + missing)
          && r.err().contains("\tat org.pixelsimilarity."), r::toString);
    }
  }

  @Test
  void unexpectedFailuresShowTheirTrace() {
    SparkTestSession.get();
    Result r = cli("train", "--train", dir.toString(), "--model", dir.resolve("m").toString(), "--conf",
        "spark.sql.shuffle.partitions=many");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().startsWith("error: unexpected failure: "), r::toString);
    assertTrue(r.err().contains("\tat "), r::toString);
  }
}
