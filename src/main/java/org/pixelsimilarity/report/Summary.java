package org.pixelsimilarity.report;

import java.util.Locale;
import java.util.Map;
import org.pixelsimilarity.scoring.Metric;

/** The readable summary the subcommands print: plain text, aligned columns, no Spark noise. */
public final class Summary {
  private Summary() {}

  public static String counts(Map<String, Long> counts) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append(": ").append(String.format(Locale.ROOT, "%,d", e.getValue()));
    }
    return sb.toString();
  }

  /** Per metric: a table of label, total, correct, accuracy; then macro average and overall accuracy. */
  public static String accuracy(Evaluation eval) {
    StringBuilder sb = new StringBuilder();
    int width = Math.max(5, eval.labels().stream().mapToInt(String::length).max().orElse(5));
    for (Metric m : eval.metrics()) {
      sb.append(String.format(Locale.ROOT, "%n%s%n", m == Metric.L1 ? "L1 (mean absolute difference)"
          : "L2 (root mean squared difference)"));
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s %10s %10s %10s%n", "label", "total", "correct",
          "accuracy"));
      for (Evaluation.ClassAccuracy c : eval.perClass(m)) {
        sb.append(String.format(Locale.ROOT, "  %-" + width + "s %,10d %,10d %10s%n", c.label(), c.total(),
            c.correct(), fmt(c.accuracy())));
      }
      sb.append(String.format(Locale.ROOT, "  macro average accuracy %s   overall accuracy %s%n",
          fmt(eval.macroAccuracy(m)), fmt(eval.overallAccuracy(m))));
    }
    return sb.toString();
  }

  public static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
