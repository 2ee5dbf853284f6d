package org.pixelsimilarity.report;

import java.time.Instant;
import java.util.List;

/**
 * One row of the {@code runs} table: what was run, on what, and its headline figures.
 *
 * @param unknownLabelImages valid images whose label the model does not know: counted, never scored
 * @param gate the quality gate's verdict ({@link QualityGate.Verdict#text()}), null when no gate was asked
 * @param gateMinAccuracy the gate's {@code --min-accuracy}, null when not asked
 * @param gateMaxDrop the gate's {@code --max-drop}, null when not asked
 */
public record RunRecord(
    String runId,
    Instant runAt,
    String modelId,
    String modelPath,
    String trainPath,
    String validPath,
    long trainImages,
    long validImages,
    long scoredImages,
    long unknownLabelImages,
    long rejectedImages,
    List<String> labels,
    List<String> metrics,
    Double accuracyL1,
    Double macroAccuracyL1,
    Double accuracyL2,
    Double macroAccuracyL2,
    String appVersion,
    String sparkVersion,
    String master,
    String gate,
    Double gateMinAccuracy,
    Double gateMaxDrop) {

  /** A run without a quality gate. */
  public RunRecord(String runId, Instant runAt, String modelId, String modelPath, String trainPath, String validPath,
      long trainImages, long validImages, long scoredImages, long unknownLabelImages, long rejectedImages,
      List<String> labels, List<String> metrics, Double accuracyL1, Double macroAccuracyL1, Double accuracyL2,
      Double macroAccuracyL2, String appVersion, String sparkVersion, String master) {
    this(runId, runAt, modelId, modelPath, trainPath, validPath, trainImages, validImages, scoredImages,
        unknownLabelImages, rejectedImages, labels, metrics, accuracyL1, macroAccuracyL1, accuracyL2, macroAccuracyL2,
        appVersion, sparkVersion, master, null, null, null);
  }

  /** The same run with the gate's verdict and thresholds. */
  public RunRecord withGate(QualityGate gate, QualityGate.Verdict verdict) {
    return new RunRecord(runId, runAt, modelId, modelPath, trainPath, validPath, trainImages, validImages,
        scoredImages, unknownLabelImages, rejectedImages, labels, metrics, accuracyL1, macroAccuracyL1, accuracyL2,
        macroAccuracyL2, appVersion, sparkVersion, master, verdict.text(), gate.minAccuracy(), gate.maxDrop());
  }

  /** Overall accuracy by metric key ({@code l1}, {@code l2}); null when not evaluated. */
  public Double accuracy(String metric) {
    return "l1".equals(metric) ? accuracyL1 : "l2".equals(metric) ? accuracyL2 : null;
  }
}
