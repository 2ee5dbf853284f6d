package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.data.Labelling;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.requests.PredictRequest;
import org.pixelsimilarity.scoring.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict",
    description = "Classify images that need no label: one parquet row per image with the nearest ideal image's label"
        + " and distance and the runner-up's, by each metric.")
final class PredictCommand extends SparkCommand {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model saved by train.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Images: a folder (any depth, see --label-folders), an IDX images file or a parquet table.")
  String input;

  @Option(names = "--idx-labels", paramLabel = "FILE",
      description = "IDX labels file of --input, carried along (default: used when found beside it).")
  String idxLabels;

  @Option(names = "--label-folders",
      description = "The sub-folders of a folder --input are label folders (<input>/<label>/<image>), carried along"
          + " in the label column. Default: they are not labels; every image at any depth is read, label null.")
  boolean labelFolders;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Parquet table to write.")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing table in --output.")
  boolean overwrite;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Id of this run, written in every row. Default: UTC time + random.")
  String runId;

  @Option(names = "--metric", paramLabel = "l1|l2|both", defaultValue = "both",
      converter = Converters.Metrics.class,
      description = "Distances to predict by: l1, l2 or both (default).")
  Set<Metric> metrics;

  @Mixin
  ReadOptions read;

  @Override
  void check() {
    read.check();
    if (!read.labels.isEmpty()) {
      throw new IllegalArgumentException("--labels does not apply to predict: every image is scored against all of"
          + " the model's labels");
    }
    if (runId != null) {
      ReportWriter.checkRunId(runId);
    }
  }

  @Override
  int run(SparkSession spark, PrintWriter out) {
    IdealImages m = ModelStore.load(spark, model);
    out.println(ConsoleSummary.model(model, m));
    Pipeline.Predicted p = Pipeline.predict(spark, new PredictRequest(m, read.spec(spark, "input", input, idxLabels)
        .withLabelling(labelFolders ? Labelling.OPTIONAL : Labelling.OPTIONAL_IMAGE_TREE), output, overwrite, runId,
        metrics));
    out.print(ConsoleSummary.predicted(input, p));
    return ExitCode.OK;
  }
}
