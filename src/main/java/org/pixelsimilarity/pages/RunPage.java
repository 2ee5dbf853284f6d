package org.pixelsimilarity.pages;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.pixelsimilarity.data.Channels;
import org.pixelsimilarity.model.Pictures;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.report.QualityGate;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.scoring.Example;
import org.pixelsimilarity.scoring.Metric;

/**
 * One run's page ({@code run.html}), top to bottom: the header with the headline figures, their change since
 * the previous run and the gate's verdict; the ideal images and one of them as shaded pixel values; the
 * classification report per metric; the confusion heatmaps; the most confused pairs and the top losses
 * ({@link ExamplePanels}); the rejected images. Every figure comes from {@link ReportData}.
 */
final class RunPage {
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);
  /** The side of the square of pixel values shown from the centre of an ideal image, as the book shows one. */
  static final int GRID = 12;

  private RunPage() {}

  static String html(ReportData d) {
    RunRecord r = d.run();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("run_id", Html.esc(r.runId()));
    v.put("run_at", Html.esc(TIME.format(r.runAt())));
    v.put("model_id", Html.esc(r.inputs().modelId()));
    v.put("model_path", Html.esc(r.inputs().modelPath()));
    v.put("train_path", Html.esc(r.inputs().trainPath() == null ? "(evaluate of a saved model)"
        : r.inputs().trainPath()));
    v.put("valid_path", Html.esc(r.inputs().validPath()));
    v.put("train_images", Html.count(r.counts().trainImages()));
    v.put("valid_images", Html.count(r.counts().validImages()));
    v.put("scored_images", Html.count(r.counts().scoredImages()));
    v.put("unknown_images", Html.count(r.counts().unknownLabelImages()));
    v.put("rejected_images", Html.count(r.counts().rejectedImages()));
    v.put("master", Html.esc(r.versions().master()));
    v.put("versions", Html.esc(r.versions().app() + " on Spark " + r.versions().spark()));
    v.put("previous", d.previous() == null ? "There is no earlier run on this validation path to compare with."
        : "The small signed figures are the changes since run <a href=\"" + Html.esc(Pages.pageName(
            d.previous().runId())) + "\">" + Html.esc(d.previous().runId()) + "</a>, the previous one on this"
            + " validation path.");
    v.put("headline", headline(d));
    v.put("verdict", verdict(r));
    v.put("ideal_images", idealImages(d));
    v.put("class_report", classReport(d));
    v.put("confusion", confusion(d));
    v.put("most_confused", ExamplePanels.mostConfused(d));
    v.put("top_losses", ExamplePanels.topLosses(d));
    v.put("rejected", rejected(d));
    return Html.fill("run.html", v);
  }

  private static String headline(ReportData d) {
    RunRecord r = d.run();
    RunRecord p = d.previous();
    StringBuilder sb = new StringBuilder("<table class=\"figures\"><tr><th>metric</th><th>overall accuracy</th>"
        + "<th>macro accuracy</th></tr>");
    for (Metric m : r.metrics()) {
      Double overall = r.accuracy(m);
      Double macro = r.macroAccuracy(m);
      Double pOverall = p == null ? null : p.accuracy(m);
      Double pMacro = p == null ? null : p.macroAccuracy(m);
      sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td><b data-figure=\"accuracy_%s\">%s</b>%s</td>"
          + "<td><b data-figure=\"macro_accuracy_%s\">%s</b>%s</td></tr>", metricName(m), m.key(),
          Html.ratio(overall), Html.delta(overall, pOverall), m.key(), Html.ratio(macro), Html.delta(macro, pMacro)));
    }
    return sb.append("</table>").toString();
  }

  static String metricName(Metric m) {
    return m == Metric.L1 ? "L1 (mean absolute difference)" : "L2 (root mean squared difference)";
  }

  /** The gate's verdict as a badge: none asked, pass, or fail with each figure that fell. */
  static String verdict(RunRecord r) {
    if (r.gate().isEmpty()) {
      return "<span class=\"verdict none\" data-verdict=\"none\">no quality gate asked</span>";
    }
    RunRecord.Gate gate = r.gate().get();
    boolean pass = gate.verdict().passed();
    QualityGate t = gate.thresholds();
    String thresholds = (t.minAccuracy() == null ? "" : " min accuracy " + Html.ratio(t.minAccuracy()))
        + (t.maxDrop() == null ? "" : " max drop " + Html.ratio(t.maxDrop()));
    return "<span class=\"verdict " + (pass ? "pass" : "fail") + "\" data-verdict=\"" + (pass ? "pass" : "fail")
        + "\">quality gate: " + Html.esc(gate.verdict().text()) + "</span> <small>(" + Html.esc(thresholds.trim())
        + ")</small>";
  }

  private static String idealImages(ReportData d) {
    List<Row> ideals = d.examples().stream().filter(e -> Example.IDEAL.equals(e.getAs("kind"))).toList();
    if (ideals.isEmpty()) {
      return "<p>This run was written before the report kept its ideal images; see the model folder.</p>";
    }
    StringBuilder sb = new StringBuilder();
    List<String> labels = d.run().inputs().labels();
    if (ideals.size() < labels.size()) {
      sb.append("<p data-field=\"examples-capped\">The report keeps ").append(Html.count(d.examples().size()))
          .append(" images of this run (at most <code>").append(ReportWriter.MAX_EXAMPLES).append("</code> per run):")
          .append(" the ideal and nearest images of the model's first ").append(Html.count(ideals.size()))
          .append(" of ").append(Html.count(labels.size())).append(" labels. Every ideal image is in the model")
          .append(" folder.</p>");
    }
    sb.append("<div class=\"ideals\">");
    // The picture file of each label in the model folder (the rule of model.json's pictures_by_label, which
    // takes all the model's labels).
    List<String> files = Pictures.fileNames(labels);
    List<String> shown = Pictures.fileNames(ideals.stream().map(e -> (String) e.getAs("actual")).toList());
    for (int k = 0; k < ideals.size(); k++) {
      Row e = ideals.get(k);
      int at = labels.indexOf(e.<String>getAs("actual"));
      sb.append("<figure>").append(ExamplePanels.img(e, "ideal")).append("<figcaption>ideal ")
          .append(Html.esc(e.getAs("actual"))).append("<br><small>")
          .append(Html.esc(at >= 0 ? files.get(at) : shown.get(k))).append("</small></figcaption></figure>");
    }
    sb.append("</div>");
    sb.append(nearestToIdeal(d, ideals));
    Row first = ideals.get(0);
    byte[] px = first.getAs("pixels");
    if (px.length == first.<Integer>getAs("height") * first.<Integer>getAs("width")) {
      sb.append("<p>The centre of ideal ").append(Html.esc(first.getAs("actual"))).append(" as pixel values, 0 (no")
          .append(" ink) to 255 (ink in every training image), darker for more ink, as the book shows an image:</p>");
    } else {
      sb.append("<p>The centre of ideal ").append(Html.esc(first.getAs("actual"))).append(" as numbers: each")
          .append(" pixel's <span data-field=\"grid-values\">luma (ITU-R 601-2, as PIL's convert(\"L\"))</span>,")
          .append(" 0 (black) to 255 (white), on the pixel's own colour:</p>");
    }
    return sb.append(pixelGrid(first)).toString();
  }

  /**
   * Per metric, beside each ideal image the validation images of that label nearest to it (the correct examples:
   * the most typical images the scan saw). Nothing for runs written before the examples table.
   */
  private static String nearestToIdeal(ReportData d, List<Row> ideals) {
    StringBuilder sb = new StringBuilder();
    for (Metric m : d.metrics()) {
      List<Row> correct = d.examples().stream().filter(e -> Example.CORRECT.equals(e.getAs("kind"))
          && m.key().equals(e.getAs("metric"))).toList();
      if (correct.isEmpty()) {
        continue;
      }
      sb.append("<p>The validation images nearest to each ideal image by ").append(m.key().toUpperCase(Locale.ROOT))
          .append(" (classified right; nearest first, with their distance):</p><div class=\"nearest\" data-table=")
          .append("\"nearest-").append(m.key()).append("\">");
      for (Row ideal : ideals) {
        String label = ideal.getAs("actual");
        sb.append("<figure data-label=\"").append(Html.esc(label)).append("\">");
        correct.stream().filter(e -> label.equals(e.getAs("actual"))).forEach(e -> sb.append("<span>")
            .append(ExamplePanels.img(e, "thumb small")).append("<small data-field=\"distance\">")
            .append(String.format(Locale.ROOT, "%.4f", e.<Double>getAs("distance_true"))).append("</small></span>"));
        sb.append("<figcaption>").append(Html.esc(label)).append("</figcaption></figure>");
      }
      sb.append("</div>");
    }
    return sb.toString();
  }

  private static String pixelGrid(Row e) {
    byte[] px = e.getAs("pixels");
    int h = e.<Integer>getAs("height");
    int w = e.<Integer>getAs("width");
    int rows = Math.min(GRID, h);
    int cols = Math.min(GRID, w);
    int y0 = (h - rows) / 2;
    int x0 = (w - cols) / 2;
    boolean colour = px.length == 3 * h * w;
    StringBuilder sb = new StringBuilder("<table class=\"pixels\" data-chart=\"pixel-grid\">");
    for (int y = y0; y < y0 + rows; y++) {
      sb.append("<tr>");
      for (int x = x0; x < x0 + cols; x++) {
        sb.append(colour ? colourCell(px, 3 * (y * w + x)) : grayCell(px[y * w + x] & 0xff));
      }
      sb.append("</tr>");
    }
    return sb.append("</table>").toString();
  }

  /** A gray value: darker for more ink, as the book shows MNIST. */
  private static String grayCell(int v) {
    return String.format(Locale.ROOT, "<td style=\"background:rgb(%d,%d,%d);color:%s\">%d</td>", 255 - v, 255 - v,
        255 - v, v > 127 ? "#fff" : "#000", v);
  }

  /** A colour pixel: its luma ({@link Channels#luma}) on its own colour. */
  private static String colourCell(byte[] px, int i) {
    int r = px[i] & 0xff;
    int g = px[i + 1] & 0xff;
    int b = px[i + 2] & 0xff;
    int v = Channels.luma(r, g, b);
    return String.format(Locale.ROOT, "<td style=\"background:rgb(%d,%d,%d);color:%s\">%d</td>", r, g, b,
        v > 127 ? "#000" : "#fff", v);
  }

  private static String classReport(ReportData d) {
    StringBuilder sb = new StringBuilder();
    Evaluation eval = d.evaluation();
    for (Metric m : d.metrics()) {
      sb.append("<h3>").append(metricName(m)).append("</h3>").append(ClassReportTable.html(eval, m));
      List<String> labels = eval.labels();
      double[][] values = new double[3][labels.size()];
      List<Evaluation.ClassScores> scores = eval.classReport(m);
      for (int k = 0; k < labels.size(); k++) {
        values[0][k] = scores.get(k).recall();
        values[1][k] = scores.get(k).precision();
        values[2][k] = scores.get(k).f1();
      }
      sb.append(Svg.bars("class-bars-" + m.key(), labels, List.of("accuracy (recall)", "precision", "F1"),
          values));
    }
    return sb.toString();
  }

  private static String confusion(ReportData d) {
    StringBuilder sb = new StringBuilder();
    Evaluation eval = d.evaluation();
    List<String> labels = eval.labels();
    int n = labels.size();
    if (n > Svg.DENSE_COLUMNS) {
      sb.append("<p>With ").append(n).append(" labels each cell is a small square, without its figure; every few rows"
          + " and columns are named. The figures are in the tables above and below and in the <code>confusion</code>"
          + " table.</p>");
    }
    for (Metric m : d.metrics()) {
      long[][] c = eval.confusion(m);
      long max = 1;
      for (long[] row : c) {
        for (long x : row) {
          max = Math.max(max, x);
        }
      }
      double[][] countShade = new double[n][n];
      double[][] rowShade = new double[n][n];
      String[][] countText = new String[n][n];
      String[][] rowText = new String[n][n];
      for (int a = 0; a < n; a++) {
        long total = 0;
        for (long x : c[a]) {
          total += x;
        }
        for (int p = 0; p < n; p++) {
          countShade[a][p] = (double) c[a][p] / max;
          countText[a][p] = Long.toString(c[a][p]);
          rowShade[a][p] = total == 0 ? Double.NaN : (double) c[a][p] / total;
          rowText[a][p] = total == 0 ? "-" : String.format(Locale.ROOT, "%.2f", rowShade[a][p]);
        }
      }
      sb.append("<h3>").append(metricName(m)).append("</h3><div class=\"pair\"><figure>")
          .append(Svg.heatmap("confusion-" + m.key(), "actual", "predicted", labels, labels, countShade, countText))
          .append("<figcaption>image counts</figcaption></figure><figure>")
          .append(Svg.heatmap("confusion-normalised-" + m.key(), "actual", "predicted", labels, labels, rowShade,
              rowText))
          .append("<figcaption>share of each actual class (the diagonal is its recall)</figcaption></figure></div>");
    }
    return sb.toString();
  }

  private static String rejected(ReportData d) {
    if (d.rejectedCount() == 0) {
      return "<p>No image was rejected.</p>";
    }
    StringBuilder sb = new StringBuilder("<table class=\"rows\"><tr><th>dataset</th><th>origin</th><th>reason</th></tr>");
    for (Row r : d.rejected()) {
      sb.append("<tr><td>").append(Html.esc(r.getString(0))).append("</td><td class=\"origin\">")
          .append(Html.esc(r.getString(1))).append("</td><td>").append(Html.esc(r.getString(2))).append("</td></tr>");
    }
    sb.append("</table>");
    long rest = d.rejectedCount() - d.rejected().size();
    if (rest > 0) {
      sb.append("<p>… and ").append(Html.count(rest)).append(" more in the <code>rejected</code> table.</p>");
    }
    return sb.toString();
  }

  static List<String> sorted(List<String> values) {
    List<String> out = new ArrayList<>(values);
    out.sort(null);
    return out;
  }
}
