package org.pixelsimilarity;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.report.ReportWriter;

/**
 * One run of a step, made once when it starts: the session, the run's id and when it started ({@code run_at},
 * taken before any of its data is read).
 */
record RunContext(SparkSession spark, String runId, Instant runAt) {
  /** A run starting now: {@code runId}, or a new one when null; checked as a file name. */
  static RunContext start(SparkSession spark, String runId) {
    Instant at = Instant.now();
    String id = runId != null ? runId : newRunId(at);
    ReportWriter.checkRunId(id);
    return new RunContext(spark, id, at);
  }

  /** A new run id: UTC time and a random suffix, e.g. {@code 20261124T233000Z-1a2b3c4d}. */
  static String newRunId(Instant at) {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}
