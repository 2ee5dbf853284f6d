package org.pixelsimilarity.model;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link ModelStore#save} writes into a model folder: the ideal images, where they came from, the Spark ML
 * stage the folder loads as, and the training images set aside.
 *
 * @param source the training data's path as given (model.json {@code source})
 * @param stage what {@code metadata/} says (class, uid, params, label type)
 * @param rejected (origin, reason) of the training images set aside, saved as {@code rejected/} when
 *     {@code rejectedCount > 0}; null when the writer has no such list (then model.json has no count either)
 */
public record ModelFolder(IdealImages model, String source, SparkMlMetadata.Stage stage, Dataset<Row> rejected,
    long rejectedCount) {
  /** A model fit by {@code train}, with its rejected training images (null: none known). */
  public static ModelFolder trained(IdealImages model, String source, Dataset<Row> rejected, long rejectedCount) {
    return new ModelFolder(model, source, SparkMlMetadata.Stage.trained(model), rejected, rejectedCount);
  }
}
