package org.pixelsimilarity.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The heatmap: cell by cell for a few columns, one image of a pixel per cell for many; the bars. */
class SvgTest {
  private static List<String> labels(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("c" + i);
    }
    return out;
  }

  @Test
  void aFewColumnsAreDrawnCellByCellWithTheirFigures() {
    double[][] shade = {{0, 0.5}, {1, Double.NaN}};
    String[][] text = {{"0", "5"}, {"10", "-"}};
    String svg = Svg.heatmap("t", "actual", "predicted", labels(2), labels(2), shade, text);
    assertEquals(4, count(svg, "<rect "));
    assertTrue(svg.contains("<title>c0 → c1: 5</title>"), svg);
    assertTrue(svg.contains(">10</text>"), svg);
    assertFalse(svg.contains("<image"), svg);
  }

  /**
   * 31 rows × 40 columns: one image, each pixel the fill of its cell (row r, column c at pixel x = c, y = r), the
   * cell without a value grey; no shape per cell.
   */
  @Test
  void manyColumnsAreOneImageOfAPixelPerCell() throws Exception {
    int rows = 31;
    int columns = Svg.DENSE_COLUMNS + 10;
    double[][] shade = new double[rows][columns];
    String[][] text = new String[rows][columns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        shade[r][c] = (r * columns + c) % 7 / 6.0;
        text[r][c] = "x";
      }
    }
    shade[3][5] = Double.NaN;
    String svg = Svg.heatmap("t", "actual", "predicted", labels(rows), labels(columns), shade, text);
    assertEquals(0, count(svg, "<rect "));
    assertEquals(1, count(svg, "<image "));
    Matcher m = Pattern.compile("href=\"data:image/png;base64,([^\"]+)\"").matcher(svg);
    assertTrue(m.find(), svg);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
    assertEquals(columns, img.getWidth());
    assertEquals(rows, img.getHeight());
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        String expected = r == 3 && c == 5 ? "#e0e0e0" : Svg.shade(shade[r][c]);
        assertEquals(expected, String.format("#%06x", img.getRGB(c, r) & 0xffffff), "row " + r + ", column " + c);
      }
    }
  }

  /**
   * Bars for 3 labels and for 40: each bar as wide as its figure times the 320 px plot; with a few labels each bar
   * has its figure beside it, with many the bars are 4 px thick and the figure is in the tooltip only.
   */
  @Test
  void barsAreAsWideAsTheirFigureAndThinWithManyLabels() {
    List<String> series = List.of("recall", "precision", "F1");
    for (int n : new int[] {3, Svg.DENSE_COLUMNS + 10}) {
      double[][] values = new double[3][n];
      for (int s = 0; s < 3; s++) {
        for (int l = 0; l < n; l++) {
          values[s][l] = (s * n + l) % 9 / 8.0;
        }
      }
      String svg = Svg.bars("b", labels(n), series, values);
      boolean dense = n > Svg.DENSE_COLUMNS;
      // Legend 3, one label per group, five axis ticks, and, with a few labels, a figure per bar.
      assertEquals(3 + n + 5 + (dense ? 0 : 3 * n), count(svg, "<text "), "texts, " + n + " labels");
      assertEquals(3 + 3 * n, count(svg, "<rect "), "rects, " + n + " labels");
      // The height: legend 8 + 16 per series, then a group per label (bars and a gap), then the axis 24.
      int group = dense ? 3 * 4 + 4 : 3 * 12 + 8;
      int height = 8 + 16 * 3 + group * n + 24;
      assertTrue(svg.contains("height=\"" + height + "\" viewBox"), svg);
      int label = 7 % n;
      String rect = "width=\"" + String.format(java.util.Locale.ROOT, "%.1f", values[1][label] * 320)
          + "\" height=\"" + (dense ? 4 : 10) + "\"";
      String title = "<title>c" + label + " precision: " + Html.ratio(values[1][label]) + "</title>";
      Matcher m = Pattern.compile("<rect [^>]*>" + Pattern.quote(title)).matcher(svg);
      assertTrue(m.find(), svg);
      assertTrue(m.group().contains(rect), m.group() + " should have " + rect);
    }
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
