package org.pixelsimilarity.ml;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.model.SparkMlMetadata;

/**
 * The nearest-ideal-image classifier of fast.ai's chapter 4 as a Spark ML {@code Estimator}: {@link #fit} makes
 * one ideal image per class (the exact per-pixel mean, the job's own fit: long sums per class, so the same data
 * gives the same model bit for bit whatever the partitioning), and the {@link NearestIdealModel} predicts the class
 * whose ideal image is nearest by the {@code metric} param (l1 or l2).
 *
 * <p>Params ({@link NearestIdealParams}): {@code featuresCol} ("pixels": binary height*width*channels bytes, an ML
 * Vector of whole numbers 0..255, or the image column of Spark's image source, gray or colour: see
 * {@link SparkImageSource}), {@code labelCol} ("label": numeric or string), {@code predictionCol},
 * {@code rawPredictionCol}, {@code predictedLabelCol}, {@code metric} ("l1"). A plain {@code Estimator} rather than
 * a {@code Classifier}: see {@link NearestIdealParams} for why.
 */
public final class NearestIdealClassifier extends Estimator<NearestIdealModel> implements NearestIdealParams, MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Declared params;

  public NearestIdealClassifier() {
    this(Identifiable$.MODULE$.randomUID("NearestIdealClassifier"));
  }

  /** With a given uid; Spark's {@code defaultCopy} and the reader use this constructor. */
  public NearestIdealClassifier(String uid) {
    this.uid = uid;
    this.params = new Declared(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Declared declaredParams() {
    return params;
  }

  public NearestIdealClassifier setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public NearestIdealClassifier setLabelCol(String value) {
    set(labelCol(), value);
    return this;
  }

  public NearestIdealClassifier setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public NearestIdealClassifier setRawPredictionCol(String value) {
    set(rawPredictionCol(), value);
    return this;
  }

  public NearestIdealClassifier setPredictedLabelCol(String value) {
    set(predictedLabelCol(), value);
    return this;
  }

  /** "l1" or "l2". */
  public NearestIdealClassifier setMetric(String value) {
    set(metric(), value);
    return this;
  }

  /**
   * The ideal images of {@code dataset}. Refused with an {@link IllegalArgumentException} naming the column: a
   * features column that is neither binary nor a Vector, values that are not whole numbers 0..255, images of
   * different lengths (or not of the shape in the column's metadata), null pixels or labels, a label column that
   * is neither numeric nor string, fewer than two classes.
   */
  @Override
  public NearestIdealModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    ClassSums.Fitted fitted = ClassSums.fit(dataset, getFeaturesCol(), getLabelCol());
    NearestIdealModel model = new NearestIdealModel(uid, fitted.ideal(), fitted.numeric());
    return copyValues(model, new ParamMap()).setParent(this);
  }

  /** The schema the fitted model's transform gives; checks the features and label columns. */
  @Override
  public StructType transformSchema(StructType schema) {
    boolean numeric = LabelValues.isNumeric(schema, getLabelCol());
    return NearestIdealModel.outputSchema(this, schema, null, numeric);
  }

  @Override
  public NearestIdealClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Writes {@code metadata/} as Spark's own estimators do (params only). */
  @Override
  public MLWriter write() {
    NearestIdealClassifier self = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        SparkMlMetadata.write(sparkSession(), path, ParamsIO.stage(sparkSession(), self, null));
      }
    };
  }

  public static MLReader<NearestIdealClassifier> read() {
    return new MLReader<>() {
      @Override
      public NearestIdealClassifier load(String path) {
        String line = SparkMlMetadata.read(sparkSession(), path, NearestIdealClassifier.class.getName());
        org.apache.spark.ml.util.DefaultParamsReader.Metadata meta = ParamsIO.parse(line,
            NearestIdealClassifier.class.getName());
        NearestIdealClassifier c = new NearestIdealClassifier(meta.uid());
        ParamsIO.decode(meta, c);
        return c;
      }
    };
  }

  public static NearestIdealClassifier load(String path) {
    return read().load(path);
  }
}
