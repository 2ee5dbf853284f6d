package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.report.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Fit the ideal images (per-label pixel means) and save the model.")
final class TrainCommand extends SparkCommand {
  @Option(names = "--train", required = true, paramLabel = "PATH",
      description = "Training images: a folder of label folders, an IDX images file or a parquet pixel table.")
  String train;

  @Option(names = "--train-idx-labels", paramLabel = "FILE",
      description = "IDX labels file of --train (default: found beside it).")
  String trainIdxLabels;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Where to save the model.")
  String model;

  @Option(names = "--overwrite", description = "Replace an existing model in --model.")
  boolean overwrite;

  @Mixin
  ReadOptions read;

  @Override
  void check() {
    read.check();
  }

  @Override
  void run(SparkSession spark, PrintWriter out) {
    Pipeline.Trained t = Pipeline.train(spark, read.spec(spark, "train", train, trainIdxLabels), model, overwrite,
        false);
    out.println(Report.trained(train, t));
  }

  /** Text shared by train and run. */
  static final class Report {
    private Report() {}

    static String trained(String path, Pipeline.Trained t) {
      StringBuilder sb = new StringBuilder();
      sb.append("train  ").append(path).append(" (").append(t.model().shape()).append("): ")
          .append(String.format("%,d", t.model().totalCount())).append(" images (").append(Summary.counts(t.counts()))
          .append("), ").append(t.rejected()).append(" rejected");
      if (t.rejected() > 0 && t.saved() != null && !t.saved().reused()) {
        sb.append(" (listed in ").append(t.saved().dir()).append("/rejected)");
      }
      sb.append('\n').append(Summary.skipped(t.emptyLabels(), t.hidden()));
      sb.append("model  ").append(t.model().id());
      if (t.saved() != null) {
        sb.append(" in ").append(t.saved().dir()).append(t.saved().reused() ? " (already there, same id)" : "")
            .append("\n       ideal images: ").append(String.join(", ", t.saved().pictures()));
      }
      return sb.toString();
    }
  }
}
