package org.pixelsimilarity.requests;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.scoring.Metric;

/**
 * Rank every image of {@code input} against {@code model} and write the predictions table {@code output}.
 *
 * @param overwrite replace a table already in {@code output}
 * @param runId written in every row; null for a new one
 * @param metrics the distances to predict by, kept in {@link Metric} order
 */
public record PredictRequest(IdealImages model, DatasetSpec input, String output, boolean overwrite, String runId,
    Set<Metric> metrics) {
  public PredictRequest {
    metrics = Collections.unmodifiableSet(metrics.isEmpty() ? EnumSet.noneOf(Metric.class) : EnumSet.copyOf(metrics));
  }
}
