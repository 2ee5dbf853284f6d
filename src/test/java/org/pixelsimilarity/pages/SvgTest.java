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

/** The heatmap: cell by cell for a few columns, one image of a pixel per cell for many. */
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

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
