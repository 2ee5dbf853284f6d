package org.pixelsimilarity.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.Shape;

/**
 * Bad input through the API: each an {@link IllegalArgumentException} naming the column (or param) and what was
 * expected, thrown by fit or transformSchema where the schema or the fit's aggregation tells, or as the cause of the
 * failed query when only a row at transform time can tell.
 */
class BadMlInputTest {
  static final SparkSession SPARK = SparkTestSession.get();

  static NearestIdealModel model() {
    return new NearestIdealClassifier().fit(NearestIdealClassifierTest.numericTrain());
  }

  static void refused(Executable action, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "expected '" + p + "' in: " + e.getMessage());
    }
  }

  /** A failed query whose cause chain holds an IllegalArgumentException with every part. */
  static void failsInTheQuery(Dataset<Row> query, String... parts) {
    Exception e = assertThrows(Exception.class, query::collectAsList);
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IllegalArgumentException iae) {
        for (String p : parts) {
          assertTrue(iae.getMessage().contains(p), () -> "expected '" + p + "' in: " + iae.getMessage());
        }
        return;
      }
    }
    throw new AssertionError("no IllegalArgumentException in the causes of " + e, e);
  }

  static Dataset<Row> rows(StructType schema, Row... rows) {
    return SPARK.createDataFrame(List.of(rows), schema);
  }

  static final StructType BINARY = new StructType().add("label", DataTypes.DoubleType)
      .add("pixels", DataTypes.BinaryType);

  @Test
  void featuresOfAnotherTypeOrMissing() {
    Dataset<Row> strings = SPARK.sql("SELECT 1.0D AS label, 'abcd' AS pixels");
    refused(() -> new NearestIdealClassifier().fit(strings), "featuresCol 'pixels' is string", "binary",
        "Vector");
    refused(() -> model().transform(strings), "featuresCol 'pixels' is string");
    refused(() -> new NearestIdealClassifier().setFeaturesCol("image").fit(strings),
        "featuresCol 'image' is not a column");
  }

  @Test
  void labelsOfAnotherTypeNullOrOneClass() {
    Dataset<Row> booleans = SPARK.sql("SELECT true AS label, X'00000000' AS pixels");
    refused(() -> new NearestIdealClassifier().fit(booleans), "labelCol 'label' is boolean", "numeric", "string");
    refused(() -> new NearestIdealClassifier().fit(rows(BINARY, RowFactory.create(1.0, new byte[4]),
        RowFactory.create(null, new byte[4]))), "labelCol 'label'", "null label");
    refused(() -> new NearestIdealClassifier().fit(rows(BINARY, RowFactory.create(1.0, new byte[4]),
        RowFactory.create(1.0, new byte[4]))), "labelCol 'label' has 1 class", "at least two");
    refused(() -> new NearestIdealClassifier().fit(rows(BINARY)), "labelCol 'label' has 0 classes");
    refused(() -> new NearestIdealClassifier().fit(rows(BINARY, RowFactory.create(Double.NaN, new byte[4]),
        RowFactory.create(1.0, new byte[4]))), "labelCol 'label'", "NaN");
  }

  @Test
  void nullPixelsOrImagesOfDifferentLengthsAtFit() {
    refused(() -> new NearestIdealClassifier().fit(rows(BINARY, RowFactory.create(1.0, new byte[4]),
        RowFactory.create(2.0, new byte[4]), RowFactory.create(2.0, null))), "featuresCol 'pixels'",
        "1 rows of label 2.0 have null pixels");
    refused(() -> new NearestIdealClassifier().fit(rows(BINARY, RowFactory.create(1.0, new byte[4]),
        RowFactory.create(2.0, new byte[9]))), "featuresCol 'pixels'", "images of 4 and 9 values");
    Dataset<Row> declared = rows(BINARY, RowFactory.create(1.0, new byte[4]), RowFactory.create(2.0, new byte[4]))
        .withMetadata("pixels", Features.metadata(org.apache.spark.sql.types.Metadata.empty(), new Shape(3, 3)));
    refused(() -> new NearestIdealClassifier().fit(declared), "featuresCol 'pixels'", "metadata says 3x3");
  }

  @Test
  void vectorsOfValuesThatAreNotGrayLevels() {
    StructType vectors = new StructType().add("label", DataTypes.DoubleType)
        .add("features", new org.apache.spark.ml.linalg.VectorUDT());
    NearestIdealClassifier c = new NearestIdealClassifier().setFeaturesCol("features");
    refused(() -> c.fit(rows(vectors, RowFactory.create(1.0, Vectors.dense(0, 0, 0, 0)),
        RowFactory.create(2.0, Vectors.dense(0, 0.5, 0, 0)))), "featuresCol 'features'", "value 0.5 at index 1",
        "whole number 0..255");
    refused(() -> c.fit(rows(vectors, RowFactory.create(1.0, Vectors.dense(0, 0, 0, 0)),
        RowFactory.create(2.0, Vectors.sparse(4, new int[] {3}, new double[] {256})))), "value 256.0 at index 3");
    NearestIdealModel m = model().setFeaturesCol("features");
    failsInTheQuery(m.transform(rows(vectors, RowFactory.create(1.0, Vectors.dense(-1, 0, 0, 0)))),
        "featuresCol 'features'", "value -1.0 at index 0");
  }

  @Test
  void imagesOfAnotherLengthThanTheModelsAtTransform() {
    failsInTheQuery(model().transform(rows(BINARY, RowFactory.create(1.0, new byte[5]))).select("prediction"),
        "featuresCol 'pixels': an image of 5 values, the model's images have 4");
    Dataset<Row> declared = rows(BINARY, RowFactory.create(1.0, new byte[4]))
        .withMetadata("pixels", Features.metadata(org.apache.spark.sql.types.Metadata.empty(), new Shape(1, 4)));
    refused(() -> model().transform(declared), "featuresCol 'pixels' holds 1x4 images", "the model's are 2x2");
  }

  @Test
  void metricOutsideL1L2AndExistingOutputColumns() {
    refused(() -> new NearestIdealClassifier().setMetric("l3"), "metric", "l3");
    refused(() -> model().setMetric("L1"), "metric");
    Dataset<Row> taken = NearestIdealClassifierTest.test().withColumnRenamed("id", "prediction");
    refused(() -> model().transform(taken), "output column prediction already exists");
  }

  @Test
  void anUnknownClassIsNotReadByTransform() {
    // transform never reads the label column: an image of a class the model lacks gets the nearest known class
    // (the evaluator then counts it wrong), and an unlabelled table scores as well.
    NearestIdealModel m = model();
    List<Row> rows = m.transform(NearestIdealClassifierTest.test().drop("label")).orderBy("id").collectAsList();
    assertEquals(List.of(7.0, 3.0, 7.0), NearestIdealClassifierTest.predictions(rows, "prediction"));
  }

  @Test
  void modelsWithoutIdealImagesOrFoldersThatAreNotModels(@TempDir Path tmp) throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new NearestIdealModel().transform(NearestIdealClassifierTest.test()));
    assertTrue(e.getMessage().contains("has no ideal images"), e.getMessage());
    String estimator = tmp.resolve("estimator").toString();
    new NearestIdealClassifier().write().save(estimator);
    refused(() -> NearestIdealModel.load(estimator), estimator + "/metadata", "NearestIdealClassifier",
        "expected org.pixelsimilarity.ml.NearestIdealModel");
    refused(() -> NearestIdealModel.load(tmp.resolve("none").toString()), "not a Spark ML stage folder");
  }
}
