package org.pixelsimilarity.pages;

import java.util.List;
import java.util.Locale;

/**
 * The few charts the pages draw, as inline SVG: a heatmap (confusion matrices, runs × classes), grouped bars
 * (per-class figures) and a line chart (accuracy over runs). Shading runs from white to dark blue; cell text is
 * black on light cells and white on dark ones, so it reads on any shade.
 */
final class Svg {
  static final String[] SERIES_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};

  private Svg() {}

  /** Fill for a value in 0..1: white at 0, dark blue at 1. */
  static String shade(double v) {
    return hex(shadeRgb(v));
  }

  /** {@link #shade} as {@code 0xRRGGBB}. */
  static int shadeRgb(double v) {
    double t = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    int r = (int) Math.round(255 - t * (255 - 8));
    int g = (int) Math.round(255 - t * (255 - 48));
    int b = (int) Math.round(255 - t * (255 - 107));
    return r << 16 | g << 8 | b;
  }

  private static String hex(int rgb) {
    return String.format(Locale.ROOT, "#%06x", rgb);
  }

  static String textOn(double v) {
    return !Double.isNaN(v) && v > 0.5 ? "#ffffff" : "#000000";
  }

  /** Above this many columns a heatmap is drawn as one image ({@link #denseHeatmap}). */
  static final int DENSE_COLUMNS = 30;

  /** Fill of a cell without a value. */
  static final int NO_VALUE_RGB = 0xe0e0e0;

  /**
   * A heatmap: {@code shade[r][c]} in 0..1 (NaN: no value, drawn grey), {@code text[r][c]} written in the cell and
   * its tooltip; with more than {@link #DENSE_COLUMNS} columns, {@link #denseHeatmap}.
   *
   * @param chart the {@code data-chart} name tests and readers find it by
   */
  static String heatmap(String chart, String rowTitle, String columnTitle, List<String> rows, List<String> columns,
      double[][] shade, String[][] text) {
    if (columns.size() > DENSE_COLUMNS) {
      return denseHeatmap(chart, rowTitle, columnTitle, rows, columns, shade);
    }
    int cell = columns.size() > 12 ? 34 : 52;
    int left = 20 + 8 * Math.max(3, rows.stream().mapToInt(String::length).max().orElse(3));
    int top = 44;
    int width = left + cell * columns.size() + 10;
    int height = top + cell * rows.size() + 10;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" data-chart=\"%s\" xmlns=\"http://www.w3.org/2000/svg\""
        + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", Html.esc(chart), width, height, width,
        height));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"12\" class=\"axis\">%s →</text>", left,
        Html.esc(columnTitle)));
    sb.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\" class=\"axis\">%s ↓</text>", top - 4,
        Html.esc(rowTitle)));
    for (int c = 0; c < columns.size(); c++) {
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%s</text>",
          left + c * cell + cell / 2, top - 8, Html.esc(columns.get(c))));
    }
    for (int r = 0; r < rows.size(); r++) {
      int y = top + r * cell;
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"tick\">%s</text>",
          left - 6, y + cell / 2 + 4, Html.esc(rows.get(r))));
      for (int c = 0; c < columns.size(); c++) {
        double v = shade[r][c];
        int x = left + c * cell;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\""
            + " stroke=\"#ffffff\"><title>%s → %s: %s</title></rect>", x, y, cell, cell,
            Double.isNaN(v) ? hex(NO_VALUE_RGB) : shade(v), Html.esc(rows.get(r)), Html.esc(columns.get(c)),
            Html.esc(text[r][c])));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"cell\""
            + " fill=\"%s\">%s</text>", x + cell / 2, y + cell / 2 + 4, textOn(v), Html.esc(text[r][c])));
      }
    }
    return sb.append("</svg>").toString();
  }

  /**
   * A heatmap of many columns: the cells are one PNG image, a pixel per cell scaled up without smoothing, and every
   * few rows and columns are named. Written cell by cell (a shape, a tooltip and a figure each, ~200 bytes), 100
   * labels made each confusion matrix 2 MB of page; as an image it is a few kilobytes. The figures themselves are
   * in the page's tables and in the report tables.
   */
  static String denseHeatmap(String chart, String rowTitle, String columnTitle, List<String> rows,
      List<String> columns, double[][] shade) {
    int cell = Math.max(4, Math.min(12, 1200 / columns.size()));
    int every = (int) Math.ceil(12.0 / cell);
    int labelChars = Math.max(3, java.util.stream.Stream.concat(rows.stream(), columns.stream())
        .mapToInt(String::length).max().orElse(3));
    int left = 20 + 7 * labelChars;
    int top = 24 + 7 * labelChars;
    int width = left + cell * columns.size() + 10;
    int height = top + cell * rows.size() + 10;
    int[] rgb = new int[rows.size() * columns.size()];
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        double v = shade[r][c];
        rgb[r * columns.size() + c] = Double.isNaN(v) ? NO_VALUE_RGB : shadeRgb(v);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" data-chart=\"%s\" data-cells=\"image\""
        + " xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
        Html.esc(chart), width, height, width, height));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"12\" class=\"axis\">%s →</text>", left,
        Html.esc(columnTitle)));
    sb.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\" class=\"axis\">%s ↓</text>", top - 4,
        Html.esc(rowTitle)));
    for (int c = 0; c < columns.size(); c += every) {
      int x = left + c * cell + cell / 2 + 4;
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\""
          + " class=\"tick\">%s</text>", x, top - 4, x, top - 4, Html.esc(columns.get(c))));
    }
    for (int r = 0; r < rows.size(); r += every) {
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"tick\">%s</text>",
          left - 6, top + r * cell + cell / 2 + 4, Html.esc(rows.get(r))));
    }
    sb.append(String.format(Locale.ROOT, "<image x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
        + " preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"%s\"/>", left, top,
        cell * columns.size(), cell * rows.size(), Png.rgbDataUri(rgb, rows.size(), columns.size())));
    return sb.append("</svg>").toString();
  }

  /**
   * Grouped horizontal bars in 0..1: one group per label, one bar per series, each with its figure. Above
   * {@link #DENSE_COLUMNS} labels the bars are 4 px thick and carry their figure in the tooltip only (the table
   * beside the chart has them all): 100 labels take 1,680 px, not 4,480.
   */
  static String bars(String chart, List<String> labels, List<String> series, double[][] values) {
    boolean dense = labels.size() > DENSE_COLUMNS;
    int bar = dense ? 4 : 12;
    int group = bar * series.size() + (dense ? 4 : 8);
    int left = 20 + 8 * Math.max(3, labels.stream().mapToInt(String::length).max().orElse(3));
    int plot = 320;
    int top = 8 + 16 * series.size();
    int height = top + group * labels.size() + 24;
    int width = left + plot + 60;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" data-chart=\"%s\" xmlns=\"http://www.w3.org/2000/svg\""
        + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", Html.esc(chart), width, height, width,
        height));
    for (int s = 0; s < series.size(); s++) {
      sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", left, 2 + 16 * s, SERIES_COLOURS[s % 4], left + 14,
          11 + 16 * s, Html.esc(series.get(s))));
    }
    for (int l = 0; l < labels.size(); l++) {
      int y0 = top + l * group;
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"tick\">%s</text>",
          left - 6, y0 + group / 2 + 2, Html.esc(labels.get(l))));
      for (int s = 0; s < series.size(); s++) {
        double v = values[s][l];
        double w = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v)) * plot;
        int y = y0 + s * bar;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
            + "<title>%s %s: %s</title></rect>", left, y, w, dense ? bar : bar - 2, SERIES_COLOURS[s % 4],
            Html.esc(labels.get(l)), Html.esc(series.get(s)), Html.ratio(v)));
        if (!dense) {
          sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%s</text>", left + w + 4,
              y + bar - 3, Html.ratio(v)));
        }
      }
    }
    int axisY = top + group * labels.size() + 4;
    for (int t = 0; t <= 4; t++) {
      double x = left + plot * t / 4.0;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%.2f</text>", x, top - 2, x, axisY, x,
          axisY + 14, t / 4.0));
    }
    return sb.append("</svg>").toString();
  }

  /**
   * A line chart of figures over time: {@code x} in epoch milliseconds, one array of y per series (NaN: no
   * point), y from {@code yMin} to 1; {@code threshold} (or NaN) drawn as a dashed line.
   */
  static String lines(String chart, long[] x, List<String> series, double[][] y, double yMin, double threshold,
      String thresholdLabel) {
    int left = 56;
    int top = 10 + 16 * series.size();
    int plotW = 640;
    int plotH = 240;
    int width = left + plotW + 20;
    int height = top + plotH + 40;
    long x0 = x.length == 0 ? 0 : x[0];
    long x1 = x.length == 0 ? 1 : x[x.length - 1];
    double span = Math.max(1, x1 - x0);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" data-chart=\"%s\" xmlns=\"http://www.w3.org/2000/svg\""
        + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", Html.esc(chart), width, height, width,
        height));
    for (int t = 0; t <= 4; t++) {
      double v = yMin + (1 - yMin) * t / 4.0;
      double py = top + plotH - plotH * t / 4.0;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%.3f</text>", left, py, left + plotW, py,
          left - 6, py + 4, v));
    }
    if (!Double.isNaN(threshold) && threshold >= yMin) {
      double py = top + plotH - plotH * (threshold - yMin) / (1 - yMin);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"threshold\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s</text>", left, py, left + plotW, py,
          left + plotW, py - 4, Html.esc(thresholdLabel)));
    }
    for (int s = 0; s < series.size(); s++) {
      String colour = SERIES_COLOURS[s % 4];
      sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", left, 2 + 16 * s, colour, left + 14, 11 + 16 * s,
          Html.esc(series.get(s))));
      StringBuilder path = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (int i = 0; i < x.length; i++) {
        double v = y[s][i];
        if (Double.isNaN(v)) {
          continue;
        }
        double px = x.length == 1 ? left + plotW / 2.0 : left + plotW * (x[i] - x0) / span;
        double py = top + plotH - plotH * (Math.max(yMin, v) - yMin) / (1 - yMin);
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
        dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s:"
            + " %s</title></circle>", px, py, colour, Html.esc(series.get(s)), Html.ratio(v)));
      }
      sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>", path,
          colour)).append(dots);
    }
    return sb.append("</svg>").toString();
  }
}
