package org.pixelsimilarity.cli;

import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.report.QualityGate;
import picocli.CommandLine.Option;

/** The quality gate's options (evaluate, run): each falls back on a Spark conf key, else is not asked. */
final class GateOptions {
  static final String MIN_ACCURACY_CONF = "spark.pixelsimilarity.gate.minAccuracy";
  static final String MAX_DROP_CONF = "spark.pixelsimilarity.gate.maxDrop";

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

  /** The flags' values in range (a usage error otherwise). */
  void check() {
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
}
