package org.pixelsimilarity.cli;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Run in a child JVM by {@link SessionsTest}: builds the job's session the way a command does when no session
 * exists yet, prints the settings the lean defaults concern as {@code key=value} lines, and stops Spark.
 */
public final class SessionsProbe {
  static final String[] KEYS = {"spark.master", "spark.sql.shuffle.partitions", "spark.ui.enabled",
      "spark.hadoop.parquet.hadoop.vectored.io.enabled", "spark.ui.showConsoleProgress",
      "spark.sql.parquet.columnarReaderBatchSize"};

  private SessionsProbe() {}

  public static void main(String[] args) {
    Sessions.Started started = Sessions.start(null, "WARN", Map.of());
    SparkSession spark = started.spark();
    System.out.println("owned=" + started.owned());
    for (String key : KEYS) {
      System.out.println(key + "=" + spark.sparkContext().getConf().get(key, "<unset>"));
    }
    System.out.println("ui=" + spark.sparkContext().uiWebUrl().isDefined());
    spark.stop();
  }
}
