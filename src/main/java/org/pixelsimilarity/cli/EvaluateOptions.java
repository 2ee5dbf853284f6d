package org.pixelsimilarity.cli;

import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.report.QualityGate;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.requests.ReportSpec;
import org.pixelsimilarity.scoring.Metric;
import picocli.CommandLine.Option;

/** Options of the subcommands that evaluate (evaluate, run): the validation set, the report, the metrics. */
final class EvaluateOptions {
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

  @Option(names = "--metric", paramLabel = "l1|l2|both", defaultValue = "both", converter = Converters.Metrics.class,
      description = "Distances to evaluate: l1, l2 or both (default).")
  Set<Metric> metrics;

  void check() {
    if (runId != null) {
      ReportWriter.checkRunId(runId);
    }
  }

  DatasetSpec valid(SparkSession spark, ReadOptions read) {
    return read.spec(spark, "valid", valid, validIdxLabels);
  }

  ReportSpec report(QualityGate gate) {
    return new ReportSpec(report, runId, metrics, gate);
  }
}
