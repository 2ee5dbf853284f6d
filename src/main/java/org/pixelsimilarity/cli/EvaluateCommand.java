package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.requests.EvaluateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate",
    description = "Score a validation set against a saved model and append the run to the report tables.")
final class EvaluateCommand extends SparkCommand {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model saved by train.")
  String model;

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
    ReportWriter.checkWritable(spark, evaluate.report); // before loading the model, the first Spark job
    IdealImages m = ModelStore.load(spark, model);
    out.println(ConsoleSummary.model(model, m));
    Pipeline.Evaluated e = Pipeline.evaluate(spark, new EvaluateRequest(m, model, evaluate.valid(spark, read),
        evaluate.report(gate.gate(spark))));
    out.print(ConsoleSummary.evaluated(e));
    return exitCode(e);
  }
}
