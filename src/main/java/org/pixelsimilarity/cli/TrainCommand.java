package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.requests.TrainRequest;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train",
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
  int run(SparkSession spark, PrintWriter out) {
    Pipeline.Trained t = Pipeline.train(spark, new TrainRequest(read.spec(spark, "train", train, trainIdxLabels),
        model, overwrite));
    out.println(ConsoleSummary.trained(train, t));
    return ExitCode.OK;
  }
}
