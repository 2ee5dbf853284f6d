package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.report.QualityGate;
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
        read.spec(spark, "valid", eval.valid, eval.validIdxLabels), eval.report, eval.runId, eval.metrics, null, 0,
        eval.gate(spark));
    out.print(EvalOptions.evaluated(e));
    exitCode = EvalOptions.exitCode(e, spec.commandLine().getErr());
  }

  /** Options shared by evaluate and run. */
  static final class EvalOptions {
    static final String MIN_ACCURACY_CONF = "spark.pixelsimilarity.gate.minAccuracy";
    static final String MAX_DROP_CONF = "spark.pixelsimilarity.gate.maxDrop";

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

    @Option(names = "--min-accuracy", paramLabel = "X",
        description = "Quality gate: each evaluated metric's overall accuracy must be at least X (0..1), else the"
            + " run is written and the job exits " + QualityGate.EXIT_FAILED + ". Default: conf "
            + MIN_ACCURACY_CONF + ", else no minimum.")
    Double minAccuracy;

    @Option(names = "--max-drop", paramLabel = "D",
        description = "Quality gate: no overall accuracy may fall more than D below the previous run of this report"
            + " on the same validation path, else exit " + QualityGate.EXIT_FAILED + ". Default: conf "
            + MAX_DROP_CONF + ", else no limit.")
    Double maxDrop;

    void check() {
      if (runId != null) {
        ReportWriter.checkRunId(runId);
      }
      new QualityGate(minAccuracy, maxDrop);
    }

    /** The gate from the flags, else from the Spark conf keys, else none. */
    QualityGate gate(SparkSession spark) {
      try {
        return new QualityGate(minAccuracy != null ? minAccuracy : conf(spark, MIN_ACCURACY_CONF),
            maxDrop != null ? maxDrop : conf(spark, MAX_DROP_CONF));
      } catch (IllegalArgumentException e) {
        throw new JobException("conf " + MIN_ACCURACY_CONF + " / " + MAX_DROP_CONF + ": " + e.getMessage(), e);
      }
    }

    private static Double conf(SparkSession spark, String key) {
      scala.Option<String> v = spark.conf().getOption(key);
      if (v.isEmpty()) {
        return null;
      }
      try {
        return Double.valueOf(v.get().trim());
      } catch (NumberFormatException e) {
        throw new JobException("conf " + key + ": not a number: '" + v.get() + "'", e);
      }
    }

    /** {@link QualityGate#EXIT_FAILED} with one line on {@code err} when the run failed its gate, else 0. */
    static int exitCode(Pipeline.Evaluated e, PrintWriter err) {
      if (e.verdict() == null || e.verdict().passed()) {
        return 0;
      }
      err.println("quality gate failed (exit " + QualityGate.EXIT_FAILED + "): run " + e.run().runId() + ": "
          + e.verdict().text().substring("fail: ".length()));
      err.flush();
      return QualityGate.EXIT_FAILED;
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
      if (e.verdict() != null) {
        sb.append("gate   ").append(e.verdict().text()).append('\n');
      }
      sb.append("page   ").append(e.pages().runPage()).append('\n');
      sb.append("       all runs: ").append(e.pages().index()).append('\n');
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
