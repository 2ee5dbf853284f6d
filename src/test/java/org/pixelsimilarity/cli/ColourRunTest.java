package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;
import static org.pixelsimilarity.BadInputFixtures.colourPng;
import static org.pixelsimilarity.BadInputFixtures.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;

/**
 * A colour PNG folder through the CLI as a user runs it: train and evaluate in colour, {@code --channels 1} for a
 * gray model, and the one-line refusals when the channels and the model disagree.
 */
class ColourRunTest {
  private static final int SIDE = 8;

  @TempDir
  static Path dir;
  static Path train;
  static Path valid;

  /**
   * 8x8 RGB images: "red" pixels near (200, 30, 30), "cyan" ones near (30, 200, 200), each value moved by the same
   * d in -10..9 (by image and pixel). A gray image of 150 is nearer cyan (|150-30| + 2 |150-200| = 220) than red
   * (|150-200| + 2 |150-30| = 290), by L2 too.
   */
  private static int[] image(String label, int i) {
    int[] argb = new int[SIDE * SIDE];
    for (int p = 0; p < argb.length; p++) {
      int d = (i * 7 + p * 3) % 20 - 10;
      int hi = 200 + d;
      int lo = 30 + d;
      argb[p] = 0xFF000000 | (label.equals("red") ? hi << 16 | lo << 8 | lo : lo << 16 | hi << 8 | hi);
    }
    return argb;
  }

  private static Path dataset(Path root, int perLabel) throws IOException {
    for (String label : List.of("red", "cyan")) {
      for (int i = 0; i < perLabel; i++) {
        colourPng(root.resolve(label).resolve(String.format("%03d.png", i)), image(label, perLabel * 10 + i), SIDE,
            false);
      }
    }
    return root;
  }

  @BeforeAll
  static void writeImages() throws IOException {
    SparkTestSession.get();
    train = dataset(dir.resolve("train"), 6);
    valid = dataset(dir.resolve("valid"), 3);
    int[] gray = new int[SIDE * SIDE];
    java.util.Arrays.fill(gray, 0xFF969696); // 150, 150, 150: a gray image among colour ones
    colourPng(valid.resolve("cyan/gray.png"), gray, SIDE, false);
  }

  @Test
  void aColourFolderTrainsAndEvaluatesInColour() throws Exception {
    Path model = dir.resolve("model");
    Result t = cli("train", "--train", train.toString(), "--model", model.toString());
    assertEquals(0, t.exit(), t::toString);
    assertTrue(Files.readString(model.resolve("model.json")).contains("\"channels\" : 3"));
    IdealImages m = ModelStore.load(SparkTestSession.get(), model.toString());
    assertEquals(new Shape(SIDE, SIDE, 3), m.shape());
    assertEquals(List.of(6L, 6L), java.util.Arrays.stream(m.counts()).boxed().toList());

    Path report = dir.resolve("report");
    Result e = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString(), "--run-id", "colour");
    assertEquals(0, e.exit(), e::toString);
    assertEquals(List.of("7|7|0"), duckdb(report, "SELECT valid_images, scored_images, rejected_images FROM"
        + " read_parquet('REPORT/runs/*/*.parquet')"));
    // Every image right, the gray one (as R = G = B) included.
    assertEquals(List.of("l1|cyan|4|4", "l1|red|3|3", "l2|cyan|4|4", "l2|red|3|3"), duckdb(report, "SELECT metric,"
        + " label, total, correct FROM read_parquet('REPORT/class_accuracy/*/*.parquet') ORDER BY metric, label"));

    Result gray = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        dir.resolve("report-refused").toString(), "--channels", "1");
    assertOneLineError(gray, "--channels 1 reads gray images, the model's are 8x8x3 (colour)");
    assertFalse(Files.exists(dir.resolve("report-refused")));
  }

  @Test
  void channelsOneTrainsAGrayModelThatRefusesColourUnlessAskedToConvert() throws Exception {
    Path model = dir.resolve("model-gray");
    Result t = cli("train", "--train", train.toString(), "--model", model.toString(), "--channels", "1");
    assertEquals(0, t.exit(), t::toString);
    assertFalse(Files.readString(model.resolve("model.json")).contains("channels"));
    assertEquals(new Shape(SIDE, SIDE), ModelStore.load(SparkTestSession.get(), model.toString()).shape());

    Result refused = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        dir.resolve("report-gray-refused").toString());
    assertOneLineError(refused, "image is 8x8x3 (colour), the model's shape is 8x8 (gray); --channels 1 converts");

    Path report = dir.resolve("report-gray");
    Result e = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString(), "--channels", "1", "--run-id", "gray");
    assertEquals(0, e.exit(), e::toString);
    assertEquals(List.of("7|7"), duckdb(report, "SELECT valid_images, scored_images FROM"
        + " read_parquet('REPORT/runs/*/*.parquet')"));
  }

  @Test
  void theChannelsFlagIsCheckedBeforeSparkStarts() {
    Result r = cli("train", "--train", train.toString(), "--model", dir.resolve("m4").toString(), "--channels", "4");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("channels must be auto, 1 (gray) or 3 (RGB), got '4'"), r::toString);
  }
}
