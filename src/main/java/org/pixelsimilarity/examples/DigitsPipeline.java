package org.pixelsimilarity.examples;

import java.io.IOException;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.ml.NearestIdealClassifier;
import org.pixelsimilarity.ml.PixelImages;

/**
 * The README's "Use it from Spark ML" example as a program: read train and valid images, fit
 * {@code Pipeline(StringIndexer, NearestIdealClassifier)}, save the fitted pipeline, load it back and print the
 * evaluator's accuracy. Run it with {@code jobs/ml-example.sh} (spark-submit).
 *
 * <p>Arguments: {@code [train [valid [model dir [metric]]]]}, defaults: the bundled sample, {@code out/models/digits},
 * {@code l2}.
 */
public final class DigitsPipeline {
  private DigitsPipeline() {}

  public static void main(String[] args) throws IOException {
    String train = args.length > 0 ? args[0] : "data/mnist_sample/train";
    String valid = args.length > 1 ? args[1] : "data/mnist_sample/valid";
    String models = args.length > 2 ? args[2] : "out/models/digits";
    String metric = args.length > 3 ? args[3] : "l2";
    SparkSession spark = SparkSession.builder().appName("pixel-similarity Spark ML example").getOrCreate();
    try {
      double accuracy = run(spark, train, valid, models, metric);
      System.out.printf(Locale.ROOT, "accuracy (%s) %.4f on %s; pipeline saved in %s%n", metric, accuracy, valid,
          models);
    } finally {
      spark.stop();
    }
  }

  /** The example's steps; returns the accuracy on {@code validPath} of the pipeline loaded from {@code models}. */
  public static double run(SparkSession spark, String trainPath, String validPath, String models, String metric)
      throws IOException {
    Dataset<Row> train = PixelImages.read(spark, trainPath); // folder, IDX or parquet
    Dataset<Row> valid = PixelImages.read(spark, validPath);
    StringIndexer idx = new StringIndexer().setInputCol("label").setOutputCol("labelIndex");
    NearestIdealClassifier nic = new NearestIdealClassifier().setLabelCol("labelIndex").setMetric(metric);
    PipelineModel m = new Pipeline().setStages(new PipelineStage[] {idx, nic}).fit(train);
    m.write().overwrite().save(models);
    return new MulticlassClassificationEvaluator().setLabelCol("labelIndex").setMetricName("accuracy")
        .evaluate(PipelineModel.load(models).transform(valid));
  }
}
