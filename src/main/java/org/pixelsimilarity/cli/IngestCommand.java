package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.requests.IngestRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest",
    description = "Convert images (folder, IDX or parquet) into a parquet pixel table (label, pixels, origin, height,"
        + " width), the fastest input for train and evaluate.")
final class IngestCommand extends SparkCommand {
  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Images to convert.")
  String input;

  @Option(names = "--idx-labels", paramLabel = "FILE", description = "IDX labels file of --input.")
  String idxLabels;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Parquet table to write.")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing table in --output.")
  boolean overwrite;

  @Mixin
  ReadOptions read;

  @Override
  void check() {
    read.check();
  }

  @Override
  int run(SparkSession spark, PrintWriter out) {
    Pipeline.Ingested r = Pipeline.ingest(spark, new IngestRequest(read.spec(spark, "input", input, idxLabels), output,
        overwrite));
    out.print(ConsoleSummary.ingested(input, r));
    return ExitCode.OK;
  }
}
