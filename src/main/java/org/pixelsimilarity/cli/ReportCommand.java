package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.pages.Pages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write the HTML pages of a report folder again, every run's and the index, from its tables alone.")
final class ReportCommand extends SparkCommand {
  @Option(names = "--report", required = true, paramLabel = "DIR", description = "Report folder (its parquet tables).")
  String report;

  @Override
  void run(SparkSession spark, PrintWriter out) {
    List<String> pages = Pages.rebuild(spark, report);
    out.println("pages  " + (pages.size() - 1) + " run page(s) and the index in " + report + "/" + Pages.DIR);
    out.println("       all runs: " + pages.get(pages.size() - 1));
  }
}
