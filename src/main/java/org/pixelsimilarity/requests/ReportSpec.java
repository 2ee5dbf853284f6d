package org.pixelsimilarity.requests;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.pixelsimilarity.report.QualityGate;
import org.pixelsimilarity.scoring.Metric;

/**
 * Where a run's report goes and how it is judged.
 *
 * @param dir the report folder; the run is appended to its tables
 * @param runId the run's id, null for a new one (UTC time and a random suffix)
 * @param metrics the distances to evaluate, kept in {@link Metric} order
 * @param gate the quality gate, {@link QualityGate#NONE} when none is asked
 */
public record ReportSpec(String dir, String runId, Set<Metric> metrics, QualityGate gate) {
  public ReportSpec {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(gate, "gate: QualityGate.NONE when none is asked");
    metrics = Collections.unmodifiableSet(metrics.isEmpty() ? EnumSet.noneOf(Metric.class) : EnumSet.copyOf(metrics));
  }

  /** A report of {@code metrics} without a quality gate. */
  public static ReportSpec of(String dir, String runId, Set<Metric> metrics) {
    return new ReportSpec(dir, runId, metrics, QualityGate.NONE);
  }
}
