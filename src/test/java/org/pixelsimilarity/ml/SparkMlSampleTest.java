package org.pixelsimilarity.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.scoring.Metric;

/**
 * The bundled sample through Spark ML: the reader, {@code Pipeline(StringIndexer, classifier)}, save/load,
 * CrossValidator, and models shared with the CLI. Expected counts: the job's report of its own run on the sample
 * and the independent ImageIO computation of {@link MnistSample}.
 */
class SparkMlSampleTest {
  static final SparkSession SPARK = SparkTestSession.get();
  static Dataset<Row> train;
  static Dataset<Row> valid;
  static Evaluation report;

  @BeforeAll
  static void read() {
    train = PixelImages.read(SPARK, MnistSample.train());
    valid = PixelImages.read(SPARK, MnistSample.valid());
    report = MnistSample.run().evaluated().evaluation();
  }

  /** Per class (by the string label): images whose prediction is right. */
  static Map<String, Integer> correct(Dataset<Row> scored, Column right) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Row r : scored.groupBy("label").agg(sum(when(right, 1).otherwise(0)).as("c")).orderBy("label")
        .collectAsList()) {
      out.put(r.getString(0), (int) r.getLong(1));
    }
    return out;
  }

  static Map<String, Integer> reported(Metric m) {
    Map<String, Integer> out = new LinkedHashMap<>();
    report.perClass(m).forEach(c -> out.put(c.label(), (int) c.correct()));
    return out;
  }

  static Map<String, Integer> reference(Metric m) {
    return m == Metric.L1 ? MnistSample.reference().correctL1() : MnistSample.reference().correctL2();
  }

  @Test
  void theReaderGivesTheJobsTableWithTheShape() {
    assertEquals(List.of("label", "pixels", "origin"), List.of(train.columns()));
    assertEquals(1681, train.count());
    assertEquals(new org.pixelsimilarity.data.Shape(28, 28), Features.shape(train.schema().apply("pixels")));
  }

  @Test
  void pipelineWithStringIndexerCountsWhatTheJobReports(@TempDir Path tmp) throws Exception {
    StringIndexer idx = new StringIndexer().setInputCol("label").setOutputCol("labelIndex");
    NearestIdealClassifier nic = new NearestIdealClassifier().setLabelCol("labelIndex");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {idx, nic}).fit(train);
    NearestIdealModel model = (NearestIdealModel) fitted.stages()[1];
    String[] indexed = ((StringIndexerModel) fitted.stages()[0]).labelsArray()[0];
    for (int k = 0; k < 2; k++) {
      // class k of the model is StringIndexer's index k: its ideal image is the job's mean of that label
      assertArrayEquals(MnistSample.reference().means().get(indexed[k]), model.idealImages().mean(String.valueOf(k)));
    }
    fitted.write().overwrite().save(tmp.resolve("digits").toString());
    PipelineModel loaded = PipelineModel.load(tmp.resolve("digits").toString());
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setLabelCol("labelIndex")
        .setMetricName("accuracy");
    for (Metric m : Metric.values()) {
      ParamMap metric = new ParamMap().put(model.metric(), m.key());
      Dataset<Row> scored = fitted.transform(valid, metric);
      assertEquals(reported(m), correct(scored, col("prediction").equalTo(col("labelIndex"))), m + " vs report");
      assertEquals(reference(m), correct(scored, col("prediction").equalTo(col("labelIndex"))), m + " vs ImageIO");
      Dataset<Row> again = loaded.transform(valid, new ParamMap().put(loaded.stages()[1].getParam("metric"),
          m.key()));
      assertEquals(scored.select("origin", "prediction", "rawPrediction").orderBy("origin").collectAsList(),
          again.select("origin", "prediction", "rawPrediction").orderBy("origin").collectAsList());
      assertEquals(report.overallAccuracy(m), accuracy.evaluate(again), 1e-12, m.toString());
    }
  }

  @Test
  void stringLabelsNameThePredictedLabel() {
    NearestIdealModel model = new NearestIdealClassifier().setMetric("l2").fit(train);
    assertEquals(List.of("3", "7"), List.of(model.classLabels()));
    assertEquals(MnistSample.run().trained().model(), model.idealImages(), "bit-identical to the job's fit");
    Dataset<Row> scored = model.transform(valid);
    assertEquals(reported(Metric.L2), correct(scored, col("predictedLabel").equalTo(col("label"))));
  }

  @Test
  void crossValidatorOverTheMetricSavesAndLoads(@TempDir Path tmp) throws Exception {
    Dataset<Row> indexed = new StringIndexer().setInputCol("label").setOutputCol("labelIndex").fit(train)
        .transform(train);
    NearestIdealClassifier nic = new NearestIdealClassifier().setLabelCol("labelIndex");
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setLabelCol("labelIndex")
        .setMetricName("accuracy");
    CrossValidator cv = new CrossValidator().setEstimator(nic).setEvaluator(accuracy).setNumFolds(2).setSeed(7)
        .setEstimatorParamMaps(new ParamGridBuilder().addGrid(nic.metric(),
            scala.jdk.javaapi.CollectionConverters.asScala(List.of("l1", "l2"))).build());
    CrossValidatorModel cvm = cv.fit(indexed);
    double[] avg = cvm.avgMetrics();
    assertEquals(2, avg.length);
    NearestIdealModel best = (NearestIdealModel) cvm.bestModel();
    assertEquals(avg[1] > avg[0] ? "l2" : "l1", best.getMetric());
    assertEquals(nic.uid(), best.uid());
    cvm.write().overwrite().save(tmp.resolve("cv").toString());
    CrossValidatorModel back = CrossValidatorModel.load(tmp.resolve("cv").toString());
    assertArrayEquals(avg, back.avgMetrics());
    NearestIdealModel loaded = (NearestIdealModel) back.bestModel();
    assertEquals(best.getMetric(), loaded.getMetric());
    assertEquals(best.idealImages(), loaded.idealImages());
    Dataset<Row> v = new StringIndexer().setInputCol("label").setOutputCol("labelIndex").fit(train).transform(valid);
    assertEquals(accuracy.evaluate(best.transform(v)), accuracy.evaluate(back.transform(v)));
  }

  @Test
  void aModelTrainedByTheCliLoadsAndPredictsWhatEvaluateReported() {
    String dir = MnistSample.run().trained().saved().dir();
    NearestIdealModel model = NearestIdealModel.load(dir);
    assertEquals(MnistSample.run().trained().model(), model.idealImages());
    for (Metric m : Metric.values()) {
      Dataset<Row> scored = model.copy(new ParamMap()).setMetric(m.key()).transform(valid);
      assertEquals(reported(m), correct(scored, col("predictedLabel").equalTo(col("label"))), m.toString());
      assertEquals(reported(m), correct(scored, col("prediction").equalTo(when(col("label").equalTo("3"), 0.0)
          .otherwise(1.0))), "prediction = class index, " + m);
    }
  }

  @Test
  void aModelSavedByTheApiLoadsInTheCliEvaluate(@TempDir Path tmp) throws Exception {
    NearestIdealModel model = new NearestIdealClassifier().fit(train);
    String dir = tmp.resolve("api-model").toString();
    model.write().save(dir);
    assertEquals(model.idealImages(), ModelStore.load(SPARK, dir));
    BadInputFixtures.Result r = BadInputFixtures.cli("evaluate", "--model", dir, "--valid", MnistSample.valid(),
        "--report", tmp.resolve("report").toString());
    assertEquals(0, r.exit(), r::toString);
    for (Evaluation.ClassAccuracy c : report.perClass(Metric.L1)) {
      assertTrue(r.out().matches("(?s).*\\n  " + c.label() + " +" + c.total() + " +" + c.correct() + " .*"), r::toString);
    }
  }

  @Test
  void theExampleProgramPrintsTheJobsAccuracy(@TempDir Path tmp) throws Exception {
    for (Metric m : Metric.values()) {
      double accuracy = org.pixelsimilarity.examples.DigitsPipeline.run(SPARK, MnistSample.train(),
          MnistSample.valid(), tmp.resolve("digits").toString(), m.key());
      assertEquals(report.overallAccuracy(m), accuracy, 1e-12, m.toString());
    }
  }
}
