package org.pixelsimilarity.requests;

import org.pixelsimilarity.data.DatasetSpec;

/**
 * Read the training images, fit the ideal images, save the model.
 *
 * @param modelDir where to save the model; null to save nothing
 * @param overwrite replace a model already in {@code modelDir}
 */
public record TrainRequest(DatasetSpec train, String modelDir, boolean overwrite) {}
