/**
 * What {@link org.pixelsimilarity.Pipeline}'s steps are asked to do, as values: what to read (the
 * {@link org.pixelsimilarity.data.DatasetSpec}s, the model), where to write, which metrics, the quality gate. The
 * CLI builds them from its options; tests and the benchmarks build them by hand.
 */
package org.pixelsimilarity.requests;
