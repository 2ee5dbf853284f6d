package org.pixelsimilarity.pages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.pixelsimilarity.scoring.Example;
import org.pixelsimilarity.scoring.Metric;

/**
 * The panels of a run page that show images from the {@code examples} table: fastai's {@code most_confused}
 * (off-diagonal pairs by count, each with a few of its images) and {@code plot_top_losses} (the misclassified
 * images with the largest margin, at most {@link #PER_PAIR} per pair so one pair cannot fill the grid).
 */
final class ExamplePanels {
  static final int TOP_LOSSES = 24;
  static final int PER_PAIR = 4;
  static final int PAIRS = 10;
  static final int THUMBS = 4;

  private ExamplePanels() {}

  /** A thumbnail: the image at its own size as a PNG data URI, scaled up by CSS without smoothing. */
  static String img(Row e, String cls) {
    return "<img class=\"" + cls + "\" alt=\"" + Html.esc(e.getAs("origin") == null ? "ideal " + e.getAs("actual")
        : e.getAs("origin")) + "\" src=\"" + Png.dataUri(e.getAs("pixels"), e.<Integer>getAs("height"),
        e.<Integer>getAs("width")) + "\">";
  }

  private static List<Row> losses(ReportData d, String metric) {
    List<Row> out = new ArrayList<>(d.examples().stream().filter(e -> Example.TOP_LOSS.equals(e.getAs("kind"))
        && metric.equals(e.getAs("metric"))).toList());
    out.sort(Comparator.comparingDouble((Row e) -> -e.<Double>getAs("margin"))
        .thenComparing(e -> e.<String>getAs("origin")));
    return out;
  }

  static String mostConfused(ReportData d) {
    StringBuilder sb = new StringBuilder();
    List<String> labels = d.evaluation().labels();
    for (Metric m : d.metrics()) {
      long[][] c = d.evaluation().confusion(m);
      List<int[]> pairs = new ArrayList<>();
      for (int a = 0; a < labels.size(); a++) {
        for (int p = 0; p < labels.size(); p++) {
          if (a != p && c[a][p] > 0) {
            pairs.add(new int[] {a, p});
          }
        }
      }
      pairs.sort(Comparator.comparingLong((int[] x) -> -c[x[0]][x[1]]).thenComparingInt(x -> x[0])
          .thenComparingInt(x -> x[1]));
      sb.append("<h3>").append(RunPage.metricName(m)).append("</h3>");
      if (pairs.isEmpty()) {
        sb.append("<p>No image was misclassified.</p>");
        continue;
      }
      List<Row> losses = losses(d, m.key());
      sb.append("<table class=\"rows\" data-table=\"most-confused-").append(m.key())
          .append("\"><tr><th>actual</th><th>predicted</th><th>images</th><th>largest margins</th></tr>");
      for (int[] x : pairs.subList(0, Math.min(PAIRS, pairs.size()))) {
        String actual = labels.get(x[0]);
        String predicted = labels.get(x[1]);
        sb.append("<tr><td>").append(Html.esc(actual)).append("</td><td>").append(Html.esc(predicted))
            .append("</td><td data-field=\"count\">").append(Html.count(c[x[0]][x[1]])).append("</td><td>");
        losses.stream().filter(e -> actual.equals(e.getAs("actual")) && predicted.equals(e.getAs("predicted")))
            .limit(THUMBS).forEach(e -> sb.append(img(e, "thumb small")));
        sb.append("</td></tr>");
      }
      sb.append("</table>");
    }
    return sb.toString();
  }

  static String topLosses(ReportData d) {
    StringBuilder sb = new StringBuilder();
    for (Metric m : d.metrics()) {
      sb.append("<h3>").append(RunPage.metricName(m)).append("</h3>");
      Map<String, Integer> perPair = new HashMap<>();
      List<Row> shown = new ArrayList<>();
      for (Row e : losses(d, m.key())) {
        String pair = e.getAs("actual") + "\u0000" + e.getAs("predicted");
        if (shown.size() < TOP_LOSSES && perPair.merge(pair, 1, Integer::sum) <= PER_PAIR) {
          shown.add(e);
        }
      }
      if (shown.isEmpty()) {
        sb.append("<p>No misclassified image.</p>");
        continue;
      }
      sb.append("<div class=\"grid\" data-table=\"top-losses-").append(m.key()).append("\">");
      for (Row e : shown) {
        sb.append(String.format(Locale.ROOT, "<figure class=\"loss\">%s<figcaption><b>%s → %s</b><br>"
            + "margin <span data-field=\"margin\">%.4f</span><br>to %s: %.4f<br>to %s: %.4f<br>"
            + "<span class=\"origin\">%s</span></figcaption></figure>", img(e, "thumb"), Html.esc(e.getAs("actual")),
            Html.esc(e.getAs("predicted")), e.<Double>getAs("margin"), Html.esc(e.getAs("actual")),
            e.<Double>getAs("distance_true"), Html.esc(e.getAs("predicted")), e.<Double>getAs("distance_predicted"),
            Html.esc(e.getAs("origin"))));
      }
      sb.append("</div>");
    }
    return sb.toString();
  }
}
