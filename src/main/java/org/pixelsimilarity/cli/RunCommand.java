package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.requests.RunRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run",
    description = "Train and evaluate in one go: fit the ideal images, save the model, score, append the report.")
final class RunCommand extends SparkCommand {
  @Option(names = "--train", required = true, paramLabel = "PATH", description = "Training images.")
  String train;

  @Option(names = "--train-idx-labels", paramLabel = "FILE",
      description = "IDX labels file of --train (default: found beside it).")
  String trainIdxLabels;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Where to save the model. Default: <report>/models/<model id>, reused when it exists.")
  String model;

  @Option(names = "--overwrite", description = "Replace an existing model in --model.")
  boolean overwrite;

  @Mixin
  EvaluateOptions evaluate;

  @Mixin
  GateOptions gate;

  @Mixin
  ReadOptions read;

  @Override
  void check() {
    read.check();
    evaluate.check();
    gate.check();
  }

  @Override
  int run(SparkSession spark, PrintWriter out) {
    Pipeline.RunOutcome r = Pipeline.run(spark, new RunRequest(read.spec(spark, "train", train, trainIdxLabels),
        evaluate.valid(spark, read), model, overwrite, evaluate.report(gate.gate(spark))));
    out.println(ConsoleSummary.trained(train, r.trained()));
    out.print(ConsoleSummary.evaluated(r.evaluated()));
    return exitCode(r.evaluated());
  }
}
