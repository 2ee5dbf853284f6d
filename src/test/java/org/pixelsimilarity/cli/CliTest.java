package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.SparkTestSession;

/** Exit codes and messages of the command line: 0 ok, 1 a job error (one line), 2 a usage error. */
class CliTest {
  /** Exit code, standard output, standard error. */
  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PixelSimilarityCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "evaluate", "run", "ingest"})
  void helpOnEachSubcommand(String command) {
    Result r = cli(command, "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Usage: pixel-similarity " + command), r.out());
    assertTrue(r.out().contains("--labels"), r.out());
    if (command.equals("train") || command.equals("ingest")) {
      assertFalse(java.util.regex.Pattern.compile("\\bvalid\\b").matcher(r.out()).find(),
          command + " reads no validation set, its help must not speak of one:\n" + r.out());
    }
  }

  @Test
  void helpAndVersionAtTheTop() {
    Result help = cli("--help");
    assertEquals(0, help.code());
    for (String command : new String[] {"train", "evaluate", "run", "ingest"}) {
      assertTrue(help.out().contains(command), help.out());
    }
    Result version = cli("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().startsWith("pixel-similarity "), version.out());
  }

  /** Every subcommand's help lists -V and --version; both print what the top-level --version prints. */
  @Test
  void versionOnEverySubcommand() {
    String expected = "pixel-similarity " + org.pixelsimilarity.model.AppInfo.version() + System.lineSeparator();
    assertEquals(expected, cli("--version").out());
    java.util.Set<String> commands = new picocli.CommandLine(new PixelSimilarityCli()).getSubcommands().keySet();
    assertTrue(commands.containsAll(java.util.List.of("train", "evaluate", "run", "ingest")), commands::toString);
    for (String command : commands) {
      assertTrue(cli(command, "--help").out().contains("-V, --version"), command);
      for (String flag : new String[] {"-V", "--version"}) {
        Result r = cli(command, flag);
        assertEquals(0, r.code(), command + " " + flag + ": " + r.err());
        assertEquals(expected, r.out(), command + " " + flag);
        assertEquals("", r.err(), command + " " + flag);
      }
    }
  }

  @Test
  void noSubcommandIsAUsageError() {
    Result r = cli();
    assertEquals(2, r.code());
    assertTrue(r.err().contains("a subcommand is needed"), r.err());
  }

  @Test
  void missingRequiredFlag() {
    Result r = cli("train", "--model", "/tmp/nowhere");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--train"), r.err());
    Result run = cli("run", "--train", "a", "--valid", "b");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("--report"), run.err());
  }

  @Test
  void unknownMetric() {
    Result r = cli("run", "--train", "a", "--valid", "b", "--report", "c", "--metric", "l3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("metric must be l1, l2 or both, got 'l3'"), r.err());
  }

  @Test
  void oneLabelIsNotEnough() {
    Result r = cli("run", "--train", "a", "--valid", "b", "--report", "c", "--labels", "3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("at least two labels"), r.err());
  }

  @Test
  void badRunIdAndBadFractionAreUsageErrors() {
    Result id = cli("evaluate", "--model", "m", "--valid", "v", "--report", "r", "--run-id", "../etc");
    assertEquals(2, id.code());
    assertTrue(id.err().contains("run id must be"), id.err());
    Result f = cli("train", "--train", "t", "--model", "m", "--max-rejected-fraction", "1.5");
    assertEquals(2, f.code());
    assertTrue(f.err().contains("--max-rejected-fraction must be within 0..1"), f.err());
  }

  /** The whole run id rule is in the help and in the error; ids refused and accepted at its edges. */
  @Test
  void runIdRuleIsSaidWhole() {
    String rule = "1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit";
    for (String command : new String[] {"evaluate", "run"}) {
      String help = cli(command, "--help").out().replaceAll("\\s+", " ");
      assertTrue(help.contains(rule), help);
    }
    for (String bad : new String[] {"_x", ".x", "-x", "x y", "a".repeat(129), ""}) {
      Result r = cli("evaluate", "--model", "m", "--valid", "v", "--report", "r", "--run-id", bad);
      assertEquals(2, r.code(), bad);
      assertTrue(r.err().startsWith("run id must be " + rule), r.err());
    }
    for (String good : new String[] {"x_", "9.a-b_c", "a".repeat(128)}) {
      org.pixelsimilarity.report.ReportWriter.checkRunId(good);
    }
  }

  @Test
  void aJobErrorIsOneLineAndExitOne(@org.junit.jupiter.api.io.TempDir Path tmp) {
    SparkSession spark = SparkTestSession.get();
    String missing = tmp.resolve("no-such-folder").toString();
    Result r = cli("train", "--train", missing, "--model", tmp.resolve("m").toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals("error: " + missing + ": path does not exist", r.err().strip());
    assertFalse(spark.sparkContext().isStopped(), "the command must not stop a session it did not start");
  }

  @Test
  void trainSavesAModel(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
    // Two labels of 1x2 images: "a" = 0,255 and 100,100; "b" = 255,0.
    int[][] images = {{0, 255}, {100, 100}, {255, 0}};
    String[] files = {"a/1.png", "a/2.png", "b/1.png"};
    for (int i = 0; i < images.length; i++) {
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(2, 1,
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setPixels(0, 0, 2, 1, images[i]);
      Path f = tmp.resolve("train").resolve(files[i]);
      java.nio.file.Files.createDirectories(f.getParent());
      javax.imageio.ImageIO.write(img, "png", f.toFile());
    }
    String model = tmp.resolve("model").toString();
    Result train = cli("train", "--train", tmp.resolve("train").toString(), "--model", model);
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("(1x2): 3 images (a: 2, b: 1), 0 rejected"), train.out());
    assertTrue(java.nio.file.Files.isRegularFile(tmp.resolve("model/model.json")));
    assertTrue(java.nio.file.Files.isRegularFile(tmp.resolve("model/ideal-a.png")));
    Result again = cli("train", "--train", tmp.resolve("train").toString(), "--model", model);
    assertEquals(1, again.code(), "an existing model is not replaced without --overwrite");
    assertTrue(again.err().contains("--overwrite"), again.err());
  }

  @Test
  void evaluateASavedModelWithOneMetric(@org.junit.jupiter.api.io.TempDir Path tmp) {
    String model = MnistSample.run().trained().saved().dir();
    Result eval = cli("evaluate", "--model", model, "--valid", MnistSample.valid(), "--report",
        tmp.resolve("report").toString(), "--metric", "l2", "--run-id", "eval-only");
    assertEquals(0, eval.code(), eval.err());
    MnistSample.Reference ref = MnistSample.reference();
    assertTrue(eval.out().contains("L2 (root mean squared difference)"), eval.out());
    assertFalse(eval.out().contains("L1 (mean absolute difference)"), eval.out());
    assertTrue(eval.out().contains(": 421 images, 421 scored, 0 rejected\n"), eval.out());
    assertFalse(eval.out().contains("(train and valid)"), "evaluate reads no training set:\n" + eval.out());
    assertTrue(eval.out().matches("(?s).*\\n  3 +207 +" + ref.correctL2().get("3") + " .*"), eval.out());
    assertTrue(eval.out().matches("(?s).*\\n  7 +214 +" + ref.correctL2().get("7") + " .*"), eval.out());
  }
}
