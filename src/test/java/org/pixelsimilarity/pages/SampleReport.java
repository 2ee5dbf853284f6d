package org.pixelsimilarity.pages;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.cli.PixelSimilarityCli;

/**
 * One report folder with four runs of the command line over the bundled sample, made once per JVM for the page
 * tests: {@code r1} trained on train (gate --min-accuracy 0.5: passes); {@code r2} trained on the valid images
 * themselves, which scores lower on them, with --max-drop 0.0001 (fails against r1); {@code r3} as r1 without a
 * gate; {@code r4} as r1 with --min-accuracy 0.99 (fails).
 */
final class SampleReport {
  record Result(int code, String out, String err) {}

  private static Path report;
  static Result r1;
  static Result r2;
  static Result r3;
  static Result r4;

  private SampleReport() {}

  static synchronized Path get() throws IOException {
    if (report == null) {
      SparkTestSession.get();
      Path dir = Files.createTempDirectory("pages-report");
      String train = MnistSample.train();
      String valid = MnistSample.valid();
      r1 = cli("run", "--train", train, "--valid", valid, "--report", dir.toString(), "--run-id", "r1",
          "--min-accuracy", "0.5");
      r2 = cli("run", "--train", valid, "--valid", valid, "--report", dir.toString(), "--run-id", "r2",
          "--max-drop", "0.0001");
      r3 = cli("run", "--train", train, "--valid", valid, "--report", dir.toString(), "--run-id", "r3");
      r4 = cli("run", "--train", train, "--valid", valid, "--report", dir.toString(), "--run-id", "r4",
          "--min-accuracy", "0.99");
      report = dir;
    }
    return report;
  }

  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PixelSimilarityCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  static String page(String name) throws IOException {
    return Files.readString(get().resolve(Pages.DIR).resolve(name));
  }
}
