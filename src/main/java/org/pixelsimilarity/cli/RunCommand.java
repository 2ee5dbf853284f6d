package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
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
  EvaluateCommand.EvalOptions eval;

  @Mixin
  ReadOptions read;

  @Override
  void check() {
    read.check();
    eval.check();
  }

  @Override
  void run(SparkSession spark, PrintWriter out) {
    Pipeline.RunOutcome r = Pipeline.run(spark, read.spec(spark, "train", train, trainIdxLabels),
        read.spec(spark, "valid", eval.valid, eval.validIdxLabels), model, overwrite, eval.report, eval.runId,
        eval.metrics, eval.gate(spark));
    out.println(TrainCommand.Report.trained(train, r.trained()));
    out.print(EvaluateCommand.EvalOptions.evaluated(r.evaluated()));
    exitCode = EvaluateCommand.EvalOptions.exitCode(r.evaluated(), spec.commandLine().getErr());
  }
}
