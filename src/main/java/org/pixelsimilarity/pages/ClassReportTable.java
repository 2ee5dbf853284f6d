package org.pixelsimilarity.pages;

import java.util.List;
import java.util.Locale;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.scoring.Metric;

/**
 * scikit-learn's {@code classification_report} for one metric as an HTML table: per label the total, correct,
 * accuracy (= recall), precision, recall and F1, then the macro average (plain mean over the labels whose figure
 * is defined) and the weighted average (by each label's number of images).
 */
final class ClassReportTable {
  private ClassReportTable() {}

  static String html(Evaluation eval, Metric m) {
    List<Evaluation.ClassAccuracy> acc = eval.perClass(m);
    List<Evaluation.ClassScores> scores = eval.classReport(m);
    StringBuilder sb = new StringBuilder("<table class=\"rows numbers\" data-table=\"class-report-" + m.key()
        + "\"><tr><th>label</th><th>total</th><th>correct</th><th>accuracy</th><th>precision</th><th>recall</th>"
        + "<th>F1</th></tr>");
    double[] macro = new double[3];
    int[] defined = new int[3];
    double[] weighted = new double[3];
    long support = 0;
    for (int k = 0; k < acc.size(); k++) {
      Evaluation.ClassAccuracy a = acc.get(k);
      Evaluation.ClassScores s = scores.get(k);
      double[] f = {s.precision(), s.recall(), s.f1()};
      for (int i = 0; i < 3; i++) {
        if (!Double.isNaN(f[i])) {
          macro[i] += f[i];
          defined[i]++;
          weighted[i] += f[i] * s.support();
        }
      }
      support += s.support();
      sb.append(String.format(Locale.ROOT, "<tr data-label=\"%s\"><td>%s</td><td data-field=\"total\">%s</td>"
          + "<td data-field=\"correct\">%s</td><td data-field=\"accuracy\">%s</td><td data-field=\"precision\">%s</td>"
          + "<td data-field=\"recall\">%s</td><td data-field=\"f1\">%s</td></tr>", Html.esc(a.label()),
          Html.esc(a.label()), Html.count(a.total()), Html.count(a.correct()), Html.ratio(a.accuracy()),
          Html.ratio(s.precision()), Html.ratio(s.recall()), Html.ratio(s.f1())));
    }
    sb.append("<tr class=\"avg\"><td>macro average</td><td></td><td></td><td data-field=\"macro_accuracy\">")
        .append(Html.ratio(eval.macroAccuracy(m))).append("</td>");
    for (int i = 0; i < 3; i++) {
      sb.append("<td>").append(Html.ratio(defined[i] == 0 ? Double.NaN : macro[i] / defined[i])).append("</td>");
    }
    sb.append("</tr><tr class=\"avg\"><td>weighted average</td><td>").append(Html.count(support))
        .append("</td><td></td><td data-field=\"overall_accuracy\">").append(Html.ratio(eval.overallAccuracy(m)))
        .append("</td>");
    for (int i = 0; i < 3; i++) {
      sb.append("<td>").append(Html.ratio(support == 0 ? Double.NaN : weighted[i] / support)).append("</td>");
    }
    return sb.append("</tr></table>").toString();
  }
}
