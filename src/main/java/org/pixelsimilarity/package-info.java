/**
 * Internal: the job's steps in order ({@code Pipeline}) and what every package shares. Not an API; public only
 * because the other packages of this project call it, and free to change in any release. The one exception is
 * {@link org.pixelsimilarity.JobException}, the error the API ({@code ml}) and the command line report bad input
 * and failed runs with.
 *
 * <p>The API is the command line ({@link org.pixelsimilarity.cli.PixelSimilarityCli}, README) and the Spark ML
 * classes {@link org.pixelsimilarity.ml.NearestIdealClassifier}, {@link org.pixelsimilarity.ml.NearestIdealModel}
 * and {@link org.pixelsimilarity.ml.PixelImages} (docs/spark-ml.md); every other package is internal (its
 * {@code package-info} says so). See docs/development.md, "API and internals".
 */
package org.pixelsimilarity;
