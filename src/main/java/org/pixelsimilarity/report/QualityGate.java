package org.pixelsimilarity.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pixelsimilarity.scoring.Metric;

/**
 * The quality gate of scheduled runs: each evaluated metric's overall accuracy must be at least
 * {@code minAccuracy}, and must not have fallen more than {@code maxDrop} since the previous run of the same
 * report and validation path. Either may be null (not asked). A run that fails is still written whole; the job
 * then exits with {@link #EXIT_FAILED}.
 */
public record QualityGate(Double minAccuracy, Double maxDrop) {
  /** The exit code of a run that was written but failed the gate (0 ok, 1 error, 2 usage are taken). */
  public static final int EXIT_FAILED = 3;
  public static final QualityGate NONE = new QualityGate(null, null);

  public QualityGate {
    if (minAccuracy != null && !(minAccuracy >= 0 && minAccuracy <= 1)) {
      throw new IllegalArgumentException("--min-accuracy must be between 0 and 1, got " + minAccuracy);
    }
    if (maxDrop != null && !(maxDrop >= 0 && maxDrop <= 1)) {
      throw new IllegalArgumentException("--max-drop must be between 0 and 1, got " + maxDrop);
    }
  }

  public boolean asked() {
    return minAccuracy != null || maxDrop != null;
  }

  /**
   * The gate's verdict on a run.
   *
   * @param text {@code pass}, or {@code fail: } and each figure that fell, how far, separated by {@code ; }
   */
  public record Verdict(boolean passed, String text) {
    /** The verdict whose {@link #text()} is {@code text}, as the {@code runs} table keeps it. */
    public static Verdict of(String text) {
      return new Verdict(PASS.equals(text), text);
    }
  }

  private static final String PASS = "pass";

  /** Judges {@code run} against the thresholds and {@code previous} (null: no earlier run to compare with). */
  public Verdict check(RunRecord run, RunRecord previous) {
    List<String> failures = new ArrayList<>();
    for (Metric m : run.metrics()) {
      Double acc = run.accuracy(m);
      if (acc == null) {
        failures.add(m + " accuracy undefined (no image scored)");
        continue;
      }
      if (minAccuracy != null && acc < minAccuracy) {
        failures.add(String.format(Locale.ROOT, "%s accuracy %.4f is %.4f below --min-accuracy %.4f", m, acc,
            minAccuracy - acc, minAccuracy));
      }
      Double before = previous == null ? null : previous.accuracy(m);
      if (maxDrop != null && before != null && before - acc > maxDrop) {
        failures.add(String.format(Locale.ROOT, "%s accuracy %.4f fell %.4f since run %s (%.4f), more than"
            + " --max-drop %.4f", m, acc, before - acc, previous.runId(), before, maxDrop));
      }
    }
    return failures.isEmpty() ? new Verdict(true, PASS) : new Verdict(false, "fail: " + String.join("; ", failures));
  }
}
