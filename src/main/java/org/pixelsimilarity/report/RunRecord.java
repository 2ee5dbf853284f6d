package org.pixelsimilarity.report;

import java.time.Instant;
import java.util.List;

/**
 * One row of the {@code runs} table: what was run, on what, and its headline figures.
 *
 * @param unknownLabelImages valid images whose label the model does not know: counted, never scored
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
    String master) {}
