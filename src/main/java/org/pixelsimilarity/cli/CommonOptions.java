package org.pixelsimilarity.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every subcommand has: where Spark runs, how much it says. */
public final class CommonOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master. Default: the one spark-submit gives, else local[*].")
  String master;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "WARN",
      description = "Spark's log level: ERROR, WARN (default), INFO, DEBUG.")
  String logLevel;

  @Option(names = {"-v", "--verbose"}, description = "Show the stack trace of every failure.")
  boolean verbose;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "A Spark configuration setting, e.g. --conf spark.sql.shuffle.partitions=8. Repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();
}
