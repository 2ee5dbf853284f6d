package org.pixelsimilarity.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.report.QualityGate;
import org.pixelsimilarity.report.Summary;
import org.pixelsimilarity.scoring.Metric;

/**
 * Everything the subcommands print about what they did: plain text, aligned columns, no Spark noise. Each method is
 * one block of the output; the accuracy tables are {@link Summary#accuracy}.
 */
final class ConsoleSummary {
  private ConsoleSummary() {}

  /** The model a command loaded, one line. */
  static String model(String dir, IdealImages m) {
    return "model  " + m.id() + " in " + dir + " (" + m.shape() + ", labels " + String.join(", ", m.labels()) + ")";
  }

  /** What train (and run's training half) read and saved; no final line break. */
  static String trained(String path, Pipeline.Trained t) {
    StringBuilder sb = new StringBuilder();
    sb.append("train  ").append(path).append(" (").append(t.model().shape()).append("): ")
        .append(String.format("%,d", t.model().totalCount())).append(" images (")
        .append(Summary.counts(t.train().byLabel())).append("), ").append(t.train().rejected()).append(" rejected");
    if (t.train().rejected() > 0 && t.saved() != null && !t.saved().reused()) {
      sb.append(" (listed in ").append(t.saved().dir()).append("/rejected)");
    }
    sb.append('\n').append(skipped(t.train()));
    sb.append("model  ").append(t.model().id());
    if (t.saved() != null) {
      sb.append(" in ").append(t.saved().dir()).append(t.saved().reused() ? " (already there, same id)" : "")
          .append("\n       ideal images: ").append(String.join(", ", t.saved().pictures()));
    }
    return sb.toString();
  }

  /** What an evaluation scored, its accuracy tables, where its report and pages went, the gate's verdict. */
  static String evaluated(Pipeline.Evaluated e) {
    StringBuilder sb = new StringBuilder();
    var counts = e.run().counts();
    sb.append("valid  ").append(e.run().inputs().validPath()).append(": ")
        .append(String.format("%,d", counts.validImages())).append(" images, ")
        .append(String.format("%,d", counts.scoredImages())).append(" scored, ").append(counts.rejectedImages())
        .append(e.run().inputs().trainPath() == null ? " rejected\n" : " rejected (train and valid)\n");
    if (!e.unknownLabels().isEmpty()) {
      sb.append("       not scored, labels the model does not know: ").append(Summary.counts(e.unknownLabels()))
          .append('\n');
    }
    sb.append(skipped(e.valid()));
    sb.append(Summary.accuracy(e.evaluation()));
    sb.append("\nreport ").append(e.report().root()).append("  run_id ").append(e.run().runId()).append('\n');
    for (var f : e.report().files().entrySet()) {
      sb.append("       ").append(f.getKey()).append(": ").append(f.getValue()).append('\n');
    }
    e.verdict().ifPresent(v -> sb.append("gate   ").append(v.text()).append('\n'));
    sb.append("page   ").append(e.pages().runPage()).append('\n');
    sb.append("       all runs: ").append(e.pages().index()).append('\n');
    return sb.toString();
  }

  /** The line on stderr of a run that failed its quality gate. */
  static String gateFailed(String runId, QualityGate.Verdict v) {
    return "quality gate failed (exit " + QualityGate.EXIT_FAILED + "): run " + runId + ": "
        + v.text().substring("fail: ".length());
  }

  /** What predict read and wrote. */
  static String predicted(String input, Pipeline.Predicted p) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "input  %s: %,d images, %,d rejected", input, p.input().images(),
        p.input().rejected()));
    if (p.table().rejectedTable() != null) {
      sb.append(" (listed in ").append(p.table().rejectedTable()).append(')');
    }
    sb.append('\n');
    if (!p.input().byLabel().isEmpty()) {
      sb.append("       labels of their own: ").append(Summary.counts(p.input().byLabel()))
          .append(p.input().unlabelled() > 0 ? String.format(Locale.ROOT, ", none: %,d", p.input().unlabelled()) : "")
          .append('\n');
    }
    sb.append(skipped(p.input()));
    for (Map.Entry<Metric, Map<String, Long>> e : p.table().byPrediction().entrySet()) {
      sb.append("predicted by ").append(e.getKey().name()).append(": ").append(Summary.counts(e.getValue()))
          .append('\n');
    }
    sb.append(String.format(Locale.ROOT, "output %s  run_id %s  (%,d rows)%n", p.table().output(), p.runId(),
        p.table().rows()));
    return sb.toString();
  }

  /** What ingest read and wrote. */
  static String ingested(String input, Pipeline.Ingested r) {
    return String.format("ingest %s -> %s: %,d images of %s, %,d rejected%s%n", input, r.output(), r.input().images(),
        r.shape(), r.input().rejected(), r.rejectedTable() == null ? "" : " (listed in " + r.rejectedTable() + ")")
        + skipped(r.input());
  }

  /** Where report wrote the pages: {@code pages} are the run pages, then the index. */
  static String pages(String report, String dir, List<String> pages) {
    return "pages  " + (pages.size() - 1) + " run page(s) and the index in " + report + "/" + dir
        + System.lineSeparator() + "       all runs: " + pages.get(pages.size() - 1) + System.lineSeparator();
  }

  /**
   * Lines about what a folder read left out without rejecting it: label folders without images and hidden
   * entries (a count and the first few names); empty when there is nothing to say.
   */
  static String skipped(Pipeline.ReadSummary read) {
    StringBuilder sb = new StringBuilder();
    if (!read.emptyLabels().isEmpty()) {
      sb.append("       empty label folders: ").append(String.join(", ", read.emptyLabels())).append('\n');
    }
    List<String> hidden = read.hidden();
    if (!hidden.isEmpty()) {
      List<String> names = hidden.stream().limit(3).map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
      sb.append("       skipped ").append(hidden.size()).append(" hidden file(s)/folder(s): ")
          .append(String.join(", ", names)).append(hidden.size() > 3 ? ", ..." : "").append('\n');
    }
    return sb.toString();
  }
}
