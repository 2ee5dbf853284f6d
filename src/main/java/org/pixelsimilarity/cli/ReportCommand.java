package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.pages.Pages;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;

@Command(name = "report",
    description = "Write the HTML pages of a report folder again, every run's and the index, from its tables alone.")
final class ReportCommand extends SparkCommand {
  @Option(names = "--report", required = true, paramLabel = "DIR", description = "Report folder (its parquet tables).")
  String report;

  @Override
  int run(SparkSession spark, PrintWriter out) {
    out.print(ConsoleSummary.pages(report, Pages.DIR, Pages.rebuild(spark, report)));
    return ExitCode.OK;
  }
}
