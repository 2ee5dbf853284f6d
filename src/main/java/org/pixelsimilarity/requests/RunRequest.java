package org.pixelsimilarity.requests;

import org.pixelsimilarity.data.DatasetSpec;

/**
 * Train and evaluate in one go.
 *
 * @param modelDir where to save the model; null for {@code <report>/models/<model id>}, reused when it exists
 * @param overwrite replace a model already in {@code modelDir}
 */
public record RunRequest(DatasetSpec train, DatasetSpec valid, String modelDir, boolean overwrite,
    ReportSpec report) {}
