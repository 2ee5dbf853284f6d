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
      return "train  " + path + " (" + t.model().shape() + "): " + String.format("%,d", t.model().totalCount())
          + " images (" + Summary.counts(t.counts()) + "), " + t.rejected() + " rejected\n"
          + "model  " + t.model().id() + (t.saved() == null ? "" : " in " + t.saved().dir()
          + (t.saved().reused() ? " (already there, same id)" : "") + "\n"
          + "       ideal images: " + String.join(", ", t.saved().pictures()));
    }
  }
}
