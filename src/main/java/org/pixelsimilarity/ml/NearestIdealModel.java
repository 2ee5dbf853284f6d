package org.pixelsimilarity.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelFolder;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.model.SparkMlMetadata;
import org.pixelsimilarity.scoring.BroadcastIdeals;
import org.pixelsimilarity.scoring.Metric;

/**
 * A fitted {@link NearestIdealClassifier}: the ideal images, and {@link #transform} adding
 * <ul>
 *   <li>{@code prediction} (double): the nearest class's label value when the model was fit on a numeric label
 *       column (labels 3.0 and 7.0 predict 3.0 or 7.0; StringIndexer's indexes predict indexes), its index in
 *       {@link #classLabels()} when fit on a string column. The job's own broadcast scoring
 *       ({@link BroadcastIdeals}, the exact integer search with its fallback), so exactly what the CLI's evaluate
 *       counts.
 *   <li>{@code rawPrediction} (Vector): {@code -distance} of the chosen metric to each class's ideal image, in
 *       {@link #classLabels()} order, so larger is nearer; computed only when a query reads it.
 *   <li>{@code predictedLabel} (string, string labels only): the predicted class label.
 * </ul>
 * Null pixels give null predictions; an image of another length than the model's (or an image row that
 * {@link SparkImageSource} refuses) fails the query with an {@link IllegalArgumentException} naming the column
 * (inside Spark's task failure); gray image rows expand to R = G = B for a colour model. The label column is not read:
 * an image of a class the model does not know still gets the nearest known class (an evaluator counts it wrong).
 *
 * <p>Saved in the job's model folder format ({@link ModelStore}): Spark ML's {@code metadata/} and {@code data/}
 * with the CLI's model.json and pictures beside them, so {@code train}'s models load here and these in the CLI.
 */
public final class NearestIdealModel extends Model<NearestIdealModel> implements NearestIdealParams, MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Declared params;
  private final IdealImages ideal;
  private final boolean numericLabels;

  /** A model without ideal images (Spark's reflection needs this constructor); only a fitted or loaded one scores. */
  public NearestIdealModel() {
    this(Identifiable$.MODULE$.randomUID("NearestIdealClassifier"));
  }

  /** A model without ideal images, with a given uid. */
  public NearestIdealModel(String uid) {
    this(uid, null, false);
  }

  /**
   * The model of given ideal images (e.g. {@code ModelStore.load} of a CLI model).
   *
   * @param numericLabels true when the labels are the text of numeric label values (see {@link #labelValues()})
   */
  public NearestIdealModel(String uid, IdealImages ideal, boolean numericLabels) {
    this.uid = uid;
    this.params = new Declared(this);
    this.ideal = ideal;
    this.numericLabels = numericLabels;
    if (ideal != null) {
      LabelValues.predictions(ideal.labels(), numericLabels);
    }
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Declared declaredParams() {
    return params;
  }

  public NearestIdealModel setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public NearestIdealModel setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public NearestIdealModel setRawPredictionCol(String value) {
    set(rawPredictionCol(), value);
    return this;
  }

  public NearestIdealModel setPredictedLabelCol(String value) {
    set(predictedLabelCol(), value);
    return this;
  }

  /** "l1" or "l2". */
  public NearestIdealModel setMetric(String value) {
    set(metric(), value);
    return this;
  }

  /** The ideal images: shape, class labels, training counts, means on the 0..1 scale. */
  public IdealImages idealImages() {
    return fitted();
  }

  /** The classes in model order (the order of rawPrediction; the prediction of string labels indexes it). */
  public String[] classLabels() {
    return fitted().labelArray();
  }

  public int numClasses() {
    return fitted().labels().size();
  }

  /** True when fit on a numeric label column: each class predicts its label value, else its index. */
  public boolean hasNumericLabels() {
    return numericLabels;
  }

  /** The prediction of each class, in {@link #classLabels()} order. */
  public double[] labelValues() {
    return LabelValues.predictions(fitted().labels(), numericLabels);
  }

  private IdealImages fitted() {
    if (ideal == null) {
      throw new IllegalStateException("NearestIdealModel " + uid + " has no ideal images: get one from"
          + " NearestIdealClassifier.fit or NearestIdealModel.load");
    }
    return ideal;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(this, schema, fitted().shape(), numericLabels);
  }

  /**
   * The input schema plus the output columns of {@code p}; checks the features column (and its shape metadata
   * against {@code shape}, when given) and that no output column exists yet.
   */
  static StructType outputSchema(NearestIdealParams p, StructType schema, Shape shape, boolean numeric) {
    Features.kind(schema, p.getFeaturesCol());
    Shape declared = Features.shape(schema.apply(p.getFeaturesCol()));
    if (shape != null && declared != null && !declared.equals(shape)) {
      throw new IllegalArgumentException("featuresCol '" + p.getFeaturesCol() + "' holds " + declared
          + " images (its metadata), the model's are " + shape);
    }
    StructType out = append(schema, p.getPredictionCol(), DataTypes.DoubleType);
    if (!p.getRawPredictionCol().isEmpty()) {
      out = append(out, p.getRawPredictionCol(), SQLDataTypes.VectorType());
    }
    if (!numeric && !p.getPredictedLabelCol().isEmpty()) {
      out = append(out, p.getPredictedLabelCol(), DataTypes.StringType);
    }
    return out;
  }

  private static StructType append(StructType schema, String name, org.apache.spark.sql.types.DataType type) {
    if (Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("output column " + name + " already exists in " + schema.simpleString());
    }
    return schema.add(name, type, true);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    IdealImages m = fitted();
    int classes = m.labels().size();
    Metric metric = Metric.valueOf(getMetric().toUpperCase(Locale.ROOT));
    // One broadcast of the ideal images per transform, as Spark's own models do; Spark's ContextCleaner removes it
    // from the executors once the plans using it are gone.
    BroadcastIdeals ideals = new BroadcastIdeals(dataset.sparkSession(), m);
    String pixels = "__pixels_" + uid;
    String nearest = "__nearest_" + uid;
    Dataset<Row> df = dataset.toDF()
        .withColumn(pixels, Features.bytes(dataset.schema(), getFeaturesCol(), m.shape()));
    df = df.withColumn(nearest, ideals.nearestIdealIndex().apply(col(pixels)));
    // nearest_ideal_index packs both metrics' answers as l1 * classes + l2.
    Column index = metric == Metric.L1 ? floor(col(nearest).divide(classes)).cast(DataTypes.IntegerType)
        : pmod(col(nearest), lit(classes));
    List<Column> out = new ArrayList<>();
    for (String c : dataset.columns()) {
      out.add(col("`" + c.replace("`", "``") + "`"));
    }
    out.add(prediction(index, m).as(getPredictionCol()));
    if (!getRawPredictionCol().isEmpty()) {
      Column distances = ideals.distances(metric).apply(col(pixels));
      out.add(functions.when(col(pixels).isNotNull(),
          org.apache.spark.ml.functions.array_to_vector(functions.transform(distances, functions::negate)))
          .as(getRawPredictionCol()));
    }
    if (!numericLabels && !getPredictedLabelCol().isEmpty()) {
      out.add(at(Arrays.stream(m.labelArray()).map(functions::lit).toArray(Column[]::new), index)
          .as(getPredictedLabelCol()));
    }
    return df.select(out.toArray(Column[]::new));
  }

  private Column prediction(Column index, IdealImages m) {
    if (!numericLabels) {
      return index.cast(DataTypes.DoubleType);
    }
    return at(Arrays.stream(labelValues()).mapToObj(functions::lit).toArray(Column[]::new), index);
  }

  /**
   * {@code values[index]}, null for a null index. The explicit null case is needed: under ANSI mode (Spark 4's
   * default) {@code element_at} of an array without nulls declares itself non-nullable even when the index is
   * null, and the projection then writes a stale value instead of null (seen: 7.0 for an image with null pixels).
   */
  private static Column at(Column[] values, Column index) {
    return functions.when(index.isNotNull(), element_at(functions.array(values), index.plus(1)));
  }

  @Override
  public NearestIdealModel copy(ParamMap extra) {
    return copyValues(new NearestIdealModel(uid, ideal, numericLabels), extra).setParent(parent());
  }

  /**
   * Writes the model folder ({@link ModelStore}): Spark ML's {@code metadata/} (this class, uid, params, the label
   * type) and {@code data/}, with model.json and the ideal images as PNGs.
   */
  @Override
  public MLWriter write() {
    NearestIdealModel self = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        SparkMlMetadata.Stage stage = ParamsIO.stage(sparkSession(), self,
            self.numericLabels ? LabelValues.NUMERIC : LabelValues.STRING);
        ModelStore.save(sparkSession(), new ModelFolder(self.fitted(), "Spark ML " + self.uid(), stage, null, 0),
            path, false, false);
      }
    };
  }

  public static MLReader<NearestIdealModel> read() {
    return new MLReader<>() {
      @Override
      public NearestIdealModel load(String path) {
        String line = SparkMlMetadata.read(sparkSession(), path, NearestIdealModel.class.getName());
        DefaultParamsReader.Metadata meta = ParamsIO.parse(line, NearestIdealModel.class.getName());
        String type = ParamsIO.field(meta, SparkMlMetadata.LABEL_TYPE, LabelValues.STRING);
        if (!type.equals(LabelValues.STRING) && !type.equals(LabelValues.NUMERIC)) {
          throw new IllegalArgumentException(path + "/metadata: labelType '" + type + "', expected string or"
              + " numeric");
        }
        IdealImages ideal = ModelStore.load(sparkSession(), path);
        String channels = ParamsIO.field(meta, SparkMlMetadata.CHANNELS, "1");
        if (!channels.equals(Integer.toString(ideal.shape().channels()))) {
          throw new IllegalArgumentException(path + "/metadata: channels " + channels + ", the model's images are "
              + ideal.shape());
        }
        NearestIdealModel m = new NearestIdealModel(meta.uid(), ideal, type.equals(LabelValues.NUMERIC));
        ParamsIO.decode(meta, m);
        return m;
      }
    };
  }

  public static NearestIdealModel load(String path) {
    return read().load(path);
  }
}
