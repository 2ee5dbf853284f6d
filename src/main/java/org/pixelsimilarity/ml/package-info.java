/**
 * API: Spark ML. {@link org.pixelsimilarity.ml.NearestIdealClassifier} (the estimator),
 * {@link org.pixelsimilarity.ml.NearestIdealModel} (the fitted model, with {@code load}) and
 * {@link org.pixelsimilarity.ml.PixelImages} (reading images into a DataFrame) are documented in docs/spark-ml.md
 * and kept compatible; {@code NearestIdealParams} is their params, public because Spark needs it. The other
 * classes here are package-private helpers.
 */
package org.pixelsimilarity.ml;
