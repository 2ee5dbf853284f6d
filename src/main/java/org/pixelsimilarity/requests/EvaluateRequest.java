package org.pixelsimilarity.requests;

import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.model.IdealImages;

/**
 * Score a validation set against a saved model and append the run to a report.
 *
 * @param modelPath where {@code model} was loaded from, recorded in the {@code runs} table
 */
public record EvaluateRequest(IdealImages model, String modelPath, DatasetSpec valid, ReportSpec report) {}
