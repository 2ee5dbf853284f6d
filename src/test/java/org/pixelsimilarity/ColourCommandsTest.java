package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;
import static org.pixelsimilarity.BadInputFixtures.colourPng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;

/**
 * {@code predict} and {@code ingest} on colour PNGs. 2x2 images, one training image per label: ideal "red" is
 * (255, 0, 0) everywhere, ideal "blue" (0, 0, 255). The image p = (255, 0, 51) everywhere, by hand (values /255):
 * <pre>
 *   L1: red (0 + 0 + .2) / 3 = 1/15        blue (1 + 0 + .8) / 3 = .6
 *   L2: red sqrt(.04 / 3)                  blue sqrt((1 + .64) / 3)
 * </pre>
 */
class ColourCommandsTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final int SIDE = 2;

  @TempDir
  static Path dir;

  private static int[] uniform(int r, int g, int b) {
    int[] argb = new int[SIDE * SIDE];
    java.util.Arrays.fill(argb, 0xFF000000 | r << 16 | g << 8 | b);
    return argb;
  }

  @BeforeAll
  static void images() throws IOException {
    colourPng(dir.resolve("train/red/1.png"), uniform(255, 0, 0), SIDE, false);
    colourPng(dir.resolve("train/blue/1.png"), uniform(0, 0, 255), SIDE, false);
    colourPng(dir.resolve("in/p.png"), uniform(255, 0, 51), SIDE, false);
  }

  @Test
  void predictRanksColourImagesAgainstAColourModel() {
    Path model = dir.resolve("model");
    Result t = cli("train", "--train", dir.resolve("train").toString(), "--model", model.toString());
    assertEquals(0, t.exit(), t::toString);
    Path out = dir.resolve("predictions");
    Result p = cli("predict", "--model", model.toString(), "--input", dir.resolve("in").toString(), "--output",
        out.toString());
    assertEquals(0, p.exit(), p::toString);
    List<Row> rows = SPARK.read().parquet(out.toString()).collectAsList();
    assertEquals(1, rows.size());
    Row r = rows.get(0);
    assertEquals("red", r.getAs("l1_prediction"));
    assertEquals(1.0 / 15, (double) r.getAs("l1_distance"), 1e-12);
    assertEquals("blue", r.getAs("l1_runner_up"));
    assertEquals(0.6, (double) r.getAs("l1_runner_up_distance"), 1e-12);
    assertEquals("red", r.getAs("l2_prediction"));
    assertEquals(Math.sqrt(0.04 / 3), (double) r.getAs("l2_distance"), 1e-12);
    assertEquals(Math.sqrt(1.64 / 3), (double) r.getAs("l2_runner_up_distance"), 1e-12);
  }

  @Test
  void predictRefusesColourImagesAgainstAGrayModelInOneLine() {
    Path model = dir.resolve("model-gray");
    Result t = cli("train", "--train", dir.resolve("train").toString(), "--model", model.toString(), "--channels",
        "1");
    assertEquals(0, t.exit(), t::toString);
    Result p = cli("predict", "--model", model.toString(), "--input", dir.resolve("in").toString(), "--output",
        dir.resolve("refused").toString());
    assertOneLineError(p, "image is 2x2x3 (colour), the model's shape is 2x2 (gray); --channels 1 converts");
  }

  @Test
  void ingestWritesColourPixelsWithTheirChannels() {
    Path table = dir.resolve("table");
    Result r = cli("ingest", "--input", dir.resolve("train").toString(), "--output", table.toString());
    assertEquals(0, r.exit(), r::toString);
    List<Row> rows = SPARK.read().parquet(table.toString()).orderBy("label").collectAsList();
    assertEquals(2, rows.size());
    assertEquals("blue", rows.get(0).getAs("label"));
    assertEquals(3, (int) rows.get(0).getAs("channels"));
    byte[] blue = {0, 0, (byte) 255, 0, 0, (byte) 255, 0, 0, (byte) 255, 0, 0, (byte) 255};
    assertArrayEquals(blue, rows.get(0).getAs("pixels"));
    byte[] red = {(byte) 255, 0, 0, (byte) 255, 0, 0, (byte) 255, 0, 0, (byte) 255, 0, 0};
    assertArrayEquals(red, rows.get(1).getAs("pixels"));
  }
}
