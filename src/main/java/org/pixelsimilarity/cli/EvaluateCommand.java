package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.report.Summary;
import org.pixelsimilarity.scoring.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Score a validation set against a saved model and append the run to the report tables.")
final class EvaluateCommand extends SparkCommand {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model saved by train.")
  String model;

  @Mixin
  EvalOptions eval;

  @Mixin
  ReadOptions read;

  @Override
  void check() {
    read.check();
    eval.check();
  }

  @Override
  void run(SparkSession spark, PrintWriter out) {
    ReportWriter.checkWritable(spark, eval.report); // before loading the model, the first Spark job
    IdealImages m = ModelStore.load(spark, model);
    out.println("model  " + m.id() + " in " + model + " (" + m.shape() + ", labels "
        + String.join(", ", m.labels()) + ")");
    Pipeline.Evaluated e = Pipeline.evaluate(spark, m, model, null,
        read.spec(spark, "valid", eval.valid, eval.validIdxLabels), eval.report, eval.runId, eval.metrics, null, 0);
    out.print(EvalOptions.evaluated(e));
  }

  /** Options shared by evaluate and run. */
  static final class EvalOptions {
    @Option(names = "--valid", required = true, paramLabel = "PATH", description = "Validation images.")
    String valid;

    @Option(names = "--valid-idx-labels", paramLabel = "FILE",
        description = "IDX labels file of --valid (default: found beside it).")
    String validIdxLabels;

    @Option(names = "--report", required = true, paramLabel = "DIR",
        description = "Report folder; the run is appended to its parquet tables.")
    String report;

    @Option(names = "--run-id", paramLabel = "ID",
        description = "Id of this run, " + ReportWriter.RUN_ID_RULE + ". The same id again replaces that run's rows."
            + " Default: UTC time + random.")
    String runId;

    @Option(names = "--metric", paramLabel = "l1|l2|both", defaultValue = "both", converter = MetricConverter.class,
        description = "Distances to evaluate: l1, l2 or both (default).")
    Set<Metric> metrics;

    void check() {
      if (runId != null) {
        ReportWriter.checkRunId(runId);
      }
    }

    static String evaluated(Pipeline.Evaluated e) {
      StringBuilder sb = new StringBuilder();
      sb.append("valid  ").append(e.run().validPath()).append(": ").append(String.format("%,d", e.run().validImages()))
          .append(" images, ").append(String.format("%,d", e.run().scoredImages())).append(" scored, ")
          .append(e.run().rejectedImages()).append(e.run().trainPath() == null ? " rejected\n"
              : " rejected (train and valid)\n");
      if (!e.unknownLabels().isEmpty()) {
        sb.append("       not scored, labels the model does not know: ").append(Summary.counts(e.unknownLabels()))
            .append('\n');
      }
      sb.append(Summary.skipped(e.emptyLabels(), e.hidden()));
      sb.append(Summary.accuracy(e.evaluation()));
      sb.append("\nreport ").append(e.report().root()).append("  run_id ").append(e.run().runId()).append('\n');
      for (var f : e.report().files().entrySet()) {
        sb.append("       ").append(f.getKey()).append(": ").append(f.getValue()).append('\n');
      }
      return sb.toString();
    }
  }

  static final class MetricConverter implements picocli.CommandLine.ITypeConverter<Set<Metric>> {
    @Override
    public Set<Metric> convert(String value) {
      try {
        return Metric.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
