package org.pixelsimilarity.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.AccumulatorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.scoring.EvaluationScan;

/**
 * 2x2 images worked out by hand. Training (pixels 0..255, scaled /255): class 3 = {0,0,0,0} and {255,255,255,255},
 * ideal 3 = (.5, .5, .5, .5); class 7 = {255,0,0,0} and {255,255,0,0}, ideal 7 = (1, .5, 0, 0). Test images:
 * <pre>
 *   x = (1,1,0,0)  L1: 3 -> (.5+.5+.5+.5)/4 = .5,   7 -> (0+.5+0+0)/4 = .125     => 7
 *                  L2: 3 -> sqrt(1/4) = .5,          7 -> sqrt(.25/4) = .25       => 7
 *   y = (0,0,1,1)  L1: 3 -> .5,                      7 -> (1+.5+1+1)/4 = .875     => 3
 *                  L2: 3 -> .5,                      7 -> sqrt(3.25/4)            => 3
 *   z = (1,1,1,0)  L1: 3 -> .5,                      7 -> (0+.5+1+0)/4 = .375     => 7
 *                  L2: 3 -> .5,                      7 -> sqrt(1.25/4) = .559...  => 3
 * </pre>
 */
class NearestIdealClassifierTest {
  static final SparkSession SPARK = SparkTestSession.get();
  static final int[][] TRAIN = {{0, 0, 0, 0}, {255, 255, 255, 255}, {255, 0, 0, 0}, {255, 255, 0, 0}};
  static final int[][] TEST = {{255, 255, 0, 0}, {0, 0, 255, 255}, {255, 255, 255, 0}};
  static final double[] L1_TO_3 = {.5, .5, .5};
  static final double[] L1_TO_7 = {.125, .875, .375};
  static final double[] L2_TO_3 = {.5, .5, .5};
  static final double[] L2_TO_7 = {.25, Math.sqrt(3.25 / 4), Math.sqrt(1.25 / 4)};

  static byte[] bytes(int[] px) {
    byte[] b = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      b[i] = (byte) px[i];
    }
    return b;
  }

  /** Rows of (label, pixels binary, features dense Vector, sparse Vector, id). */
  static Dataset<Row> table(int[][] images, Object[] labels, org.apache.spark.sql.types.DataType labelType) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < images.length; i++) {
      double[] d = new double[images[i].length];
      for (int j = 0; j < d.length; j++) {
        d[j] = images[i][j];
      }
      rows.add(RowFactory.create(labels[i], bytes(images[i]), Vectors.dense(d), Vectors.dense(d).toSparse(), i));
    }
    StructType schema = new StructType().add("label", labelType).add("pixels", DataTypes.BinaryType)
        .add("dense", new VectorUDT()).add("sparse", new VectorUDT()).add("id", DataTypes.IntegerType);
    return SPARK.createDataFrame(rows, schema);
  }

  static Dataset<Row> numericTrain() {
    return table(TRAIN, new Object[] {3.0, 3.0, 7.0, 7.0}, DataTypes.DoubleType);
  }

  static Dataset<Row> test() {
    return table(TEST, new Object[] {3.0, 3.0, 3.0}, DataTypes.DoubleType);
  }

  /** The transform's rows by id. */
  static List<Row> scored(NearestIdealModel m, Dataset<Row> data) {
    return m.transform(data).orderBy("id").collectAsList();
  }

  @Test
  void idealImagesAreTheHandMeans() {
    NearestIdealModel m = new NearestIdealClassifier().fit(numericTrain());
    assertEquals(List.of("3", "7"), List.of(m.classLabels()));
    assertArrayEquals(new double[] {.5, .5, .5, .5}, m.idealImages().mean("3"));
    assertArrayEquals(new double[] {1, .5, 0, 0}, m.idealImages().mean("7"));
    assertArrayEquals(new long[] {2, 2}, m.idealImages().counts());
    assertEquals("2x2", m.idealImages().shape().toString(), "a square length without metadata");
    assertArrayEquals(new double[] {3.0, 7.0}, m.labelValues());
  }

  @Test
  void predictionsAndRawPredictionsOfBothMetrics() {
    NearestIdealModel m = new NearestIdealClassifier().fit(numericTrain());
    List<Row> l1 = scored(m, test());
    assertEquals(List.of(7.0, 3.0, 7.0), predictions(l1, "prediction"));
    List<Row> l2 = scored(m.copy(new org.apache.spark.ml.param.ParamMap()).setMetric("l2"), test());
    assertEquals(List.of(7.0, 3.0, 3.0), predictions(l2, "prediction"));
    for (int i = 0; i < TEST.length; i++) {
      Vector r1 = l1.get(i).getAs("rawPrediction");
      Vector r2 = l2.get(i).getAs("rawPrediction");
      assertArrayEquals(new double[] {-L1_TO_3[i], -L1_TO_7[i]}, r1.toArray(), 1e-15, "l1 image " + i);
      assertArrayEquals(new double[] {-L2_TO_3[i], -L2_TO_7[i]}, r2.toArray(), 1e-15, "l2 image " + i);
    }
    assertEquals("l1", m.getMetric(), "copy leaves the original alone");
  }

  /**
   * A transform scores with the broadcast ideal images alone: it registers no accumulator (the evaluation scan's
   * example accumulators are not its business). Accumulator ids are handed out in order, one per registration, so
   * the ids taken around a call count what it registered; the evaluation scan, which does register its two, shows
   * that the count sees them.
   */
  @Test
  void transformRegistersNoAccumulator() {
    NearestIdealModel m = new NearestIdealClassifier().fit(numericTrain());
    Dataset<Row> data = test();
    long before = AccumulatorContext.newId();
    Dataset<Row> transformed = m.transform(data);
    assertEquals(before + 1, AccumulatorContext.newId(), "accumulators registered by transform");
    assertEquals(List.of(7.0, 3.0, 7.0), predictions(transformed.orderBy("id").collectAsList(), "prediction"));

    long scanBefore = AccumulatorContext.newId();
    try (EvaluationScan scan = new EvaluationScan(SPARK, m.idealImages())) {
      assertEquals(scanBefore + 3, AccumulatorContext.newId(), "the evaluation scan registers its two");
    }
  }

  static List<Object> predictions(List<Row> rows, String column) {
    return rows.stream().map(r -> r.getAs(column)).toList();
  }

  @Test
  void numericLabelsPredictTheirOwnValues() {
    Object[] labels = {-2.5, -2.5, 10.0, 10.0};
    NearestIdealModel m = new NearestIdealClassifier().setMetric("l2")
        .fit(table(TRAIN, labels, DataTypes.DoubleType));
    assertEquals(List.of(10.0, -2.5, -2.5), predictions(scored(m, test()), "prediction"));
    NearestIdealModel ints = new NearestIdealClassifier().fit(table(TRAIN, new Object[] {3, 3, 7, 7},
        DataTypes.IntegerType));
    assertEquals(List.of(7.0, 3.0, 7.0), predictions(scored(ints, test()), "prediction"));
    assertTrue(ints.hasNumericLabels());
  }

  @Test
  void stringLabelsPredictTheClassIndexAndNameTheLabel() {
    Object[] labels = {"three", "three", "seven", "seven"};
    NearestIdealModel m = new NearestIdealClassifier().fit(table(TRAIN, labels, DataTypes.StringType));
    assertEquals(List.of("seven", "three"), List.of(m.classLabels()), "the job's label order: text sorts as text");
    List<Row> rows = scored(m, table(TEST, new Object[] {"x", "y", "z"}, DataTypes.StringType));
    assertEquals(List.of(0.0, 1.0, 0.0), predictions(rows, "prediction"));
    assertEquals(List.of("seven", "three", "seven"), predictions(rows, "predictedLabel"));
    Vector z = rows.get(2).getAs("rawPrediction");
    assertArrayEquals(new double[] {-L1_TO_7[2], -L1_TO_3[2]}, z.toArray(), 1e-15, "in class order");
  }

  @Test
  void vectorFeaturesPredictExactlyAsBinaryPixels() {
    NearestIdealModel binary = new NearestIdealClassifier().fit(numericTrain());
    for (String col : List.of("dense", "sparse")) {
      NearestIdealModel vec = new NearestIdealClassifier().setFeaturesCol(col).fit(numericTrain());
      assertEquals(binary.idealImages(), vec.idealImages(), col);
      for (String metric : List.of("l1", "l2")) {
        binary.setMetric(metric);
        vec.setMetric(metric);
        List<Row> a = scored(binary, test());
        List<Row> b = scored(vec, test());
        assertEquals(predictions(a, "prediction"), predictions(b, "prediction"), col + " " + metric);
        assertEquals(predictions(a, "rawPrediction"), predictions(b, "rawPrediction"), col + " " + metric);
      }
    }
  }

  @Test
  void nullPixelsGiveANullPrediction() {
    NearestIdealModel m = new NearestIdealClassifier().fit(numericTrain());
    Dataset<Row> withNull = test().union(SPARK.sql("SELECT 3.0D AS label, CAST(NULL AS BINARY) AS pixels")
        .crossJoin(test().select("dense", "sparse").limit(1)).selectExpr("label", "pixels", "dense", "sparse",
            "9 AS id"));
    Row last = scored(m, withNull).get(3);
    assertNull(last.getAs("prediction"));
    assertNull(last.getAs("rawPrediction"));
  }

  @Test
  void paramsHaveSparksNamesDefaultsAndTheEstimatorsUid() {
    NearestIdealClassifier c = new NearestIdealClassifier();
    List<String> names = new ArrayList<>();
    for (Param<?> p : c.params()) {
      names.add(p.name() + "=" + c.getOrDefault(p));
      assertEquals(c.uid(), p.parent(), p.name());
    }
    assertEquals(List.of("featuresCol=pixels", "labelCol=label", "metric=l1", "predictedLabelCol=predictedLabel",
        "predictionCol=prediction", "rawPredictionCol=rawPrediction"), names);
    NearestIdealModel m = c.setMetric("l2").setPredictionCol("p").fit(numericTrain());
    assertEquals(c.uid(), m.uid());
    assertEquals("l2", m.getMetric());
    assertEquals("p", m.getPredictionCol());
    assertEquals(c, m.parent());
    NearestIdealClassifier copy = c.copy(new org.apache.spark.ml.param.ParamMap().put(c.metric(), "l1"));
    assertEquals(c.uid(), copy.uid());
    assertEquals("l1", copy.getMetric());
    assertEquals("l2", c.getMetric());
  }

  @Test
  void saveThenLoadInAFreshSessionTransformsIdentically(@TempDir Path tmp) throws Exception {
    NearestIdealModel m = new NearestIdealClassifier().setMetric("l2").setRawPredictionCol("raw")
        .fit(table(TRAIN, new Object[] {"three", "three", "seven", "seven"}, DataTypes.StringType));
    String dir = tmp.resolve("m").toString();
    m.write().save(dir);
    SparkSession fresh = SPARK.newSession();
    NearestIdealModel loaded = NearestIdealModel.read().session(fresh).load(dir);
    assertEquals(m.uid(), loaded.uid());
    assertEquals("l2", loaded.getMetric());
    assertEquals("raw", loaded.getRawPredictionCol());
    assertEquals(m.idealImages(), loaded.idealImages());
    Dataset<Row> data = fresh.createDataFrame(test().collectAsList(), test().schema());
    assertEquals(scored(m, test()), scored(loaded, data));
    m.write().overwrite().save(dir);
    NearestIdealClassifier c = new NearestIdealClassifier().setMetric("l2").setFeaturesCol("dense");
    c.write().save(tmp.resolve("c").toString());
    NearestIdealClassifier back = NearestIdealClassifier.load(tmp.resolve("c").toString());
    assertEquals(c.uid(), back.uid());
    assertEquals("dense", back.getFeaturesCol());
    assertEquals("l2", back.getMetric());
    assertTrue(back.isSet(back.metric()) && !back.isSet(back.labelCol()));
  }
}
