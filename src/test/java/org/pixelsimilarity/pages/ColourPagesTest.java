package org.pixelsimilarity.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.colourPng;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;

/**
 * A run over colour PNGs: every thumbnail of the page (ideal images, nearest images, top losses, most confused)
 * decodes to the RGB of its image, and the pixel grid shows the luma, saying so.
 */
class ColourPagesTest {
  private static final int SIDE = 8;
  private static final Pattern IMG = Pattern.compile(
      "<img class=\"([^\"]*)\" alt=\"([^\"]*)\" src=\"data:image/png;base64,([^\"]*)\">");

  @TempDir
  static Path dir;
  static String page;

  private static int[] uniform(int r, int g, int b) {
    int[] argb = new int[SIDE * SIDE];
    java.util.Arrays.fill(argb, 0xFF000000 | r << 16 | g << 8 | b);
    return argb;
  }

  /** Pixels near (base) that differ from pixel to pixel, so a thumbnail in the wrong order cannot pass. */
  private static int[] varied(int r, int g, int b, int seed) {
    int[] argb = new int[SIDE * SIDE];
    for (int p = 0; p < argb.length; p++) {
      argb[p] = 0xFF000000 | (r + (p * 3 + seed) % 17) << 16 | (g + (p * 5 + seed) % 13) << 8 | (b + p % 11);
    }
    return argb;
  }

  @BeforeAll
  static void run() throws IOException {
    SparkTestSession.get();
    Path train = dir.resolve("train");
    colourPng(train.resolve("red/a.png"), uniform(200, 30, 30), SIDE, false);
    colourPng(train.resolve("red/b.png"), uniform(202, 32, 30), SIDE, false);
    colourPng(train.resolve("cyan/a.png"), uniform(30, 200, 200), SIDE, false);
    colourPng(train.resolve("cyan/b.png"), uniform(32, 202, 200), SIDE, false);
    Path valid = dir.resolve("valid");
    colourPng(valid.resolve("red/v1.png"), varied(190, 20, 25, 1), SIDE, false);
    colourPng(valid.resolve("red/v2.png"), varied(195, 25, 20, 2), SIDE, false);
    colourPng(valid.resolve("red/odd.png"), varied(40, 190, 180, 3), SIDE, false); // cyan-like: misclassified
    colourPng(valid.resolve("cyan/v3.png"), varied(25, 190, 195, 4), SIDE, false);
    SampleReport.Result r = SampleReport.cli("run", "--train", train.toString(), "--valid", valid.toString(),
        "--report", dir.resolve("report").toString(), "--run-id", "colour");
    assertEquals(0, r.code(), r.err());
    page = Files.readString(dir.resolve("report").resolve(Pages.DIR).resolve("colour.html"));
  }

  private static BufferedImage decode(String base64) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
  }

  private static void assertSameRgb(int[] expected, BufferedImage img, String what) {
    assertEquals(SIDE, img.getWidth(), what);
    assertEquals(SIDE, img.getHeight(), what);
    for (int p = 0; p < expected.length; p++) {
      assertEquals(expected[p] & 0xffffff, img.getRGB(p % SIDE, p / SIDE) & 0xffffff, what + " pixel " + p);
    }
  }

  @Test
  void everyThumbnailIsItsImageInColour() throws IOException {
    Matcher m = IMG.matcher(page);
    List<String> seen = new ArrayList<>();
    while (m.find()) {
      String alt = m.group(2);
      BufferedImage img = decode(m.group(3));
      int[] expected;
      if (alt.equals("ideal red")) {
        expected = uniform(201, 31, 30); // (200 + 202) / 2, (30 + 32) / 2, 30
      } else if (alt.equals("ideal cyan")) {
        expected = uniform(31, 201, 200);
      } else {
        String name = alt.substring(alt.lastIndexOf('/') + 1);
        Path file = dir.resolve("valid").resolve(alt.contains("/cyan/") ? "cyan" : "red").resolve(name);
        BufferedImage source = ImageIO.read(file.toFile());
        expected = source.getRGB(0, 0, SIDE, SIDE, null, 0, SIDE);
      }
      assertSameRgb(expected, img, alt);
      seen.add(m.group(1) + " " + alt.substring(alt.lastIndexOf('/') + 1));
    }
    assertTrue(seen.contains("ideal ideal red") && seen.contains("ideal ideal cyan"), seen.toString());
    assertTrue(seen.contains("thumb odd.png"), "top losses: " + seen);
    assertTrue(seen.contains("thumb small odd.png"), "most confused: " + seen);
    assertTrue(seen.contains("thumb small v1.png") && seen.contains("thumb small v3.png"), "nearest: " + seen);
  }

  @Test
  void thePixelGridShowsTheLumaAndSaysSo() {
    assertTrue(page.contains("luma (ITU-R 601-2, as PIL's convert(\"L\"))")
        || page.contains("luma (ITU-R 601-2, as PIL&#39;s convert(&quot;L&quot;))"), "the grid says what it shows");
    int start = page.indexOf("data-chart=\"pixel-grid\"");
    String grid = page.substring(start, page.indexOf("</table>", start));
    Matcher cell = Pattern.compile(">(\\d+)</td>").matcher(grid);
    int cells = 0;
    while (cell.find()) {
      // Ideal cyan (the first label) is (31, 201, 200) everywhere: .299*31 + .587*201 + .114*200 = 150.056 -> 150.
      assertEquals("150", cell.group(1));
      cells++;
    }
    assertEquals(SIDE * SIDE, cells);
  }

  @Test
  void reportRebuildsTheColourPageFromTheTablesAlone() throws Exception {
    Path report = dir.resolve("report");
    Path copy = dir.resolve("rebuilt");
    for (String table : List.of("runs", "class_accuracy", "confusion", "rejected", "examples")) {
      if (Files.exists(report.resolve(table))) {
        org.apache.commons.io.FileUtils.copyDirectory(report.resolve(table).toFile(), copy.resolve(table).toFile());
      }
    }
    SampleReport.Result r = SampleReport.cli("report", "--report", copy.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(page, Files.readString(copy.resolve(Pages.DIR).resolve("colour.html")));
  }
}
