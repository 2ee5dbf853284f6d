package org.pixelsimilarity;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for the whole test JVM (surefire runs all classes in one fork), UI off, two cores.
 * Starting Spark costs seconds; every test class shares it instead of starting its own.
 */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      System.setProperty("java.awt.headless", "true");
      spark = SparkSession.builder()
          .appName("pixel-similarity-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }

  /** The repository root (surefire sets project.basedir). */
  public static Path repo() {
    return Paths.get(System.getProperty("project.basedir", ".")).toAbsolutePath();
  }
}
