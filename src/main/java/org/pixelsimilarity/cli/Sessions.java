package org.pixelsimilarity.cli;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the job's SparkSession: spark-submit's master wins, plain runs default to local[*]. When the JVM already
 * has a session (the CLI called from a notebook or a test), the command runs in a new session on the same Spark
 * context, with its own settings, and leaves that context running.
 */
public final class Sessions {
  private Sessions() {}

  /** The session a command runs in, and whether the command started Spark (and so must stop it). */
  public record Started(SparkSession spark, boolean owned) {}

  public static Started start(String master, String logLevel, Map<String, String> conf) {
    scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
    if (existing.isDefined() && !existing.get().sparkContext().isStopped()) {
      SparkSession session = existing.get().newSession();
      conf.forEach((k, v) -> session.conf().set(k, v));
      return new Started(session, false);
    }
    return new Started(build(master, logLevel, conf), true);
  }

  private static SparkSession build(String master, String logLevel, Map<String, String> conf) {
    Level level = Level.toLevel(logLevel, Level.WARN);
    Configurator.setRootLevel(level);
    if (level.isMoreSpecificThan(Level.WARN)) {
      // Harmless start-up warnings a user cannot act on.
      Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
      Configurator.setLevel("org.apache.spark.util.Utils", Level.ERROR);
      Configurator.setLevel("org.apache.spark.network.util.JavaUtils", Level.ERROR);
    }
    SparkConf sparkConf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("pixel-similarity");
    if (master != null) {
      b.master(master);
    } else if (!sparkConf.contains("spark.master")) {
      b.master("local[*]");
    }
    if (!sparkConf.contains("spark.ui.showConsoleProgress")) {
      b.config("spark.ui.showConsoleProgress", "false");
    }
    lean(b, sparkConf, master != null ? master : sparkConf.get("spark.master", "local[*]"));
    conf.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel(level.name());
    return spark;
  }

  /**
   * Defaults for a short batch job, each only where neither spark-submit nor --conf set it: the job's
   * aggregations have a few dozen groups, so a few shuffle partitions (not 200 files per map task); and parquet
   * column batches of 256 rows, not 4,096: at 784 bytes an image a batch's pixels (200 KB) stay in the core's
   * cache between the reader's copy into the column and the scoring's reads of it (a warm evaluate of 10M images on 2
   * cores: tasks' CPU 10.2 -> 9.4 CPU-s, wall 6.46 -> 5.95 s; docs/performance.md). In local
   * mode: no web UI (its Jetty server is start-up time nobody looks at), and parquet reads files with plain
   * reads: Hadoop's vectored reads of local files go through a thread pool and temporary direct buffers, 10-15%
   * more CPU per image scanned (measured A/B in one JVM, 1M images).
   */
  private static void lean(SparkSession.Builder b, SparkConf sparkConf, String master) {
    if (!sparkConf.contains("spark.sql.shuffle.partitions")) {
      b.config("spark.sql.shuffle.partitions", "4");
    }
    if (!sparkConf.contains(BATCH_ROWS)) {
      b.config(BATCH_ROWS, "256");
    }
    if (master.startsWith("local")) {
      if (!sparkConf.contains("spark.ui.enabled")) {
        b.config("spark.ui.enabled", "false");
      }
      if (!sparkConf.contains(VECTORED_IO)) {
        b.config(VECTORED_IO, "false");
      }
    }
  }

  private static final String BATCH_ROWS = "spark.sql.parquet.columnarReaderBatchSize";
  private static final String VECTORED_IO = "spark.hadoop.parquet.hadoop.vectored.io.enabled";
}
