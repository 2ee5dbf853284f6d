package org.pixelsimilarity.requests;

import org.pixelsimilarity.data.DatasetSpec;

/**
 * Convert images of any input format into a parquet pixel table.
 *
 * @param overwrite replace a table already in {@code output}
 */
public record IngestRequest(DatasetSpec input, String output, boolean overwrite) {}
