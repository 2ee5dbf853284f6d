package org.pixelsimilarity.pages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.pixelsimilarity.data.Labels;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.scoring.Metric;

/**
 * The page of all runs of a report folder ({@code index.html}): overall and macro accuracy per metric over time
 * with the gate's threshold, a runs × classes heatmap of per-class accuracy, and the table of runs (newest first)
 * linking each run's page, with its gate verdict. From the {@code runs} and {@code class_accuracy} tables alone,
 * so runs written by any job, also before the pages existed, appear.
 */
final class IndexPage {
  /** The heatmap shows this many runs at most (the newest); the table lists them all. */
  static final int HEATMAP_RUNS = 40;

  private IndexPage() {}

  /**
   * {@code runs} oldest first; {@code classAccuracy} rows (run_id, metric, label, accuracy) of the runs the heatmap
   * shows ({@link #heatmapRuns}; more are ignored), whose labels are its columns.
   */
  static String html(String report, List<RunRecord> runs, List<Row> classAccuracy) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("report", Html.esc(report));
    v.put("run_count", Html.count(runs.size()));
    RunRecord latest = runs.isEmpty() ? null : runs.get(runs.size() - 1);
    v.put("latest", latest == null ? "none yet." : "<a href=\"" + Html.esc(Pages.pageName(latest.runId())) + "\">"
        + Html.esc(latest.runId()) + "</a> " + RunPage.verdict(latest));
    Double threshold = null;
    for (RunRecord r : runs) {
      Double min = r.gate().map(g -> g.thresholds().minAccuracy()).orElse(null);
      if (min != null) {
        threshold = min;
      }
    }
    v.put("threshold_note", threshold == null ? "No run asked for a minimum accuracy."
        : "Dashed: the quality gate's minimum accuracy of the latest run that asked for one.");
    v.put("trend", trend(runs, threshold));
    v.put("class_heatmap", classHeatmap(runs, classAccuracy));
    v.put("runs", runTable(runs));
    return Html.fill("index.html", v);
  }

  private static String trend(List<RunRecord> runs, Double threshold) {
    long[] x = new long[runs.size()];
    double[][] y = new double[4][runs.size()];
    double min = threshold == null ? 1 : threshold;
    for (int i = 0; i < runs.size(); i++) {
      RunRecord r = runs.get(i);
      x[i] = r.runAt().toEpochMilli();
      Double[] f = {r.accuracy(Metric.L1), r.macroAccuracy(Metric.L1), r.accuracy(Metric.L2),
          r.macroAccuracy(Metric.L2)};
      for (int s = 0; s < 4; s++) {
        y[s][i] = f[s] == null ? Double.NaN : f[s];
        if (f[s] != null) {
          min = Math.min(min, f[s]);
        }
      }
    }
    double yMin = Math.max(0, Math.floor((min - 0.02) * 20) / 20);
    return Svg.lines("accuracy-trend", x, List.of("L1 overall", "L1 macro", "L2 overall", "L2 macro"), y,
        Math.min(yMin, 0.95), threshold == null ? Double.NaN : threshold,
        threshold == null ? "" : "min accuracy " + Html.ratio(threshold));
  }

  /** The runs the per-class heatmap shows: the newest {@link #HEATMAP_RUNS}, newest first. */
  static List<RunRecord> heatmapRuns(List<RunRecord> runs) {
    List<RunRecord> newest = new ArrayList<>(runs.subList(Math.max(0, runs.size() - HEATMAP_RUNS), runs.size()));
    java.util.Collections.reverse(newest);
    return newest;
  }

  private static String classHeatmap(List<RunRecord> runs, List<Row> classAccuracy) {
    List<RunRecord> newest = heatmapRuns(runs);
    java.util.Set<String> shown = new java.util.HashSet<>();
    newest.forEach(r -> shown.add(r.runId()));
    Map<String, Double> cell = new HashMap<>();
    TreeSet<String> labels = new TreeSet<>(Labels.ORDER);
    for (Row r : classAccuracy) {
      if (!shown.contains(r.<String>getAs("run_id"))) {
        continue;
      }
      labels.add(r.getAs("label"));
      Double acc = r.getAs("accuracy");
      cell.put(r.getAs("run_id") + "\u0000" + r.getAs("metric") + "\u0000" + r.getAs("label"),
          acc == null ? Double.NaN : acc);
    }
    StringBuilder sb = new StringBuilder();
    List<String> columns = new ArrayList<>(labels);
    for (Metric m : Metric.values()) {
      List<RunRecord> withMetric = newest.stream().filter(r -> r.metrics().contains(m)).toList();
      if (withMetric.isEmpty()) {
        continue;
      }
      double[][] shade = new double[withMetric.size()][columns.size()];
      String[][] text = new String[withMetric.size()][columns.size()];
      for (int i = 0; i < withMetric.size(); i++) {
        for (int j = 0; j < columns.size(); j++) {
          Double a = cell.get(withMetric.get(i).runId() + "\u0000" + m.key() + "\u0000" + columns.get(j));
          shade[i][j] = a == null ? Double.NaN : a;
          text[i][j] = a == null || a.isNaN() ? "" : String.format(java.util.Locale.ROOT, "%.2f", a);
        }
      }
      sb.append("<h3>").append(RunPage.metricName(m)).append("</h3>").append(Svg.heatmap("class-accuracy-" + m.key(),
          "run", "label", withMetric.stream().map(RunRecord::runId).toList(), columns, shade, text));
    }
    return sb.length() == 0 ? "<p>No runs yet.</p>" : sb.toString();
  }

  private static String runTable(List<RunRecord> runs) {
    StringBuilder sb = new StringBuilder("<table class=\"rows numbers\" data-table=\"runs\"><tr><th>run</th><th>time</th>"
        + "<th>valid</th><th>images</th><th>L1 accuracy</th><th>L1 macro</th><th>L2 accuracy</th><th>L2 macro</th>"
        + "<th>quality gate</th></tr>");
    for (int i = runs.size() - 1; i >= 0; i--) {
      RunRecord r = runs.get(i);
      sb.append("<tr data-run=\"").append(Html.esc(r.runId())).append("\"><td><a href=\"")
          .append(Html.esc(Pages.pageName(r.runId()))).append("\">").append(Html.esc(r.runId())).append("</a></td><td>")
          .append(Html.esc(RunPage.TIME.format(r.runAt()))).append("</td><td class=\"origin\">")
          .append(Html.esc(r.inputs().validPath())).append("</td><td>").append(Html.count(r.counts().scoredImages()))
          .append("</td><td data-field=\"accuracy_l1\">").append(Html.ratio(r.accuracy(Metric.L1)))
          .append("</td><td>").append(Html.ratio(r.macroAccuracy(Metric.L1)))
          .append("</td><td data-field=\"accuracy_l2\">").append(Html.ratio(r.accuracy(Metric.L2)))
          .append("</td><td>").append(Html.ratio(r.macroAccuracy(Metric.L2))).append("</td><td>")
          .append(RunPage.verdict(r)).append("</td></tr>");
    }
    return sb.append("</table>").toString();
  }
}
