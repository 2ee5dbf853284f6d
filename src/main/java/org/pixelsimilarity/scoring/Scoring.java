package org.pixelsimilarity.scoring;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.Pass;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.model.IdealImages;

/**
 * Step 3, distances: the ideal images go to executors once, as a broadcast variable; UDFs over the
 * {@code pixels} column close over that broadcast. {@code nearest_ideal(pixels)} gives the nearest label by L1 and
 * by L2; {@code nearest_ideal_index(pixels)} the same as one int, {@code l1 * labels + l2} (model label order),
 * which is what the job counts: no strings per image.
 */
public final class Scoring implements AutoCloseable {
  /** The UDF's result: the predicted label by each metric. */
  public static final StructType PREDICTION = new StructType()
      .add(Metric.L1.key(), DataTypes.StringType, false)
      .add(Metric.L2.key(), DataTypes.StringType, false);
  /** The column of {@link org.pixelsimilarity.data.ImageSet#groups()} that {@link #pass()} adds. */
  public static final String PREDICTION_INDEX = "prediction_index";
  /** The aggregate of {@link #pass()} that holds each group's {@link ExampleSet}. */
  public static final String EXAMPLES = "examples";
  /** The per-row input of the examples UDAF: a struct for the images it needs, null for the others. */
  private static final String EXAMPLE_CANDIDATE = "_example_candidate";
  /**
   * One correctly classified image in this many (by a hash of its origin) is a candidate for the report's
   * correct examples: enough for a few per class, while the other right ones never reach the examples UDAF.
   */
  static final int CORRECT_SAMPLE = 32;

  private final IdealImages model;
  private final Broadcast<NearestIdeal> broadcast;
  private final UserDefinedFunction nearest;
  private final UserDefinedFunction nearestIndex;
  private final UserDefinedFunction examples;

  public Scoring(SparkSession spark, IdealImages model) {
    this.model = model;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.broadcast = jsc.broadcast(new NearestIdeal(model));
    // Non-deterministic only so that the optimizer never inlines the UDF once per struct field it reads.
    this.nearest = functions.udf(new NearestIdealUdf(broadcast), PREDICTION).asNondeterministic()
        .withName("nearest_ideal");
    this.nearestIndex = functions.udf(new NearestIndexUdf(broadcast), DataTypes.IntegerType)
        .withName("nearest_ideal_index");
    this.examples = functions.udaf(new ExamplesAggregator(broadcast), Encoders.row(new StructType().add("candidate", ExamplesAggregator.INPUT)))
        .withName("report_examples");
  }

  /** The UDF itself, for use in users' own queries: {@code nearest_ideal(pixels)} → struct&lt;l1, l2&gt;. */
  public UserDefinedFunction nearestIdeal() {
    return nearest;
  }

  /** {@code nearest_ideal_index(pixels)} → {@code l1 * labelCount + l2}, indexes into the model's labels. */
  public UserDefinedFunction nearestIdealIndex() {
    return nearestIndex;
  }

  /**
   * Scores images ({@link PixelTable#SCHEMA} rows whose labels the model knows): adds the predicted label by
   * each metric as columns {@code l1} and {@code l2}.
   */
  public Dataset<Row> predict(Dataset<Row> images) {
    return images
        .withColumn("prediction", nearest.apply(col(PixelTable.PIXELS)))
        .select(col(PixelTable.LABEL), col(PixelTable.ORIGIN),
            col("prediction." + Metric.L1.key()).as(Metric.L1.key()),
            col("prediction." + Metric.L2.key()).as(Metric.L2.key()));
  }

  /**
   * Scoring done in the scan that validates the images: a grouping key {@value #PREDICTION_INDEX}, the
   * {@code nearest_ideal_index} of every decodable image of the model's shape and of a label the model knows,
   * null for the others. {@link org.pixelsimilarity.report.Evaluation#ofCounts} reads the counts per group.
   * The aggregate {@value #EXAMPLES} keeps the report's examples ({@link ExamplesAggregator}); only the
   * misclassified images and a 1-in-{@value #CORRECT_SAMPLE} sample of the right ones reach it.
   */
  public Pass pass() {
    Column scored = Pass.OK
        .and(col(PixelTable.HEIGHT).equalTo(lit(model.shape().height())))
        .and(col(PixelTable.WIDTH).equalTo(lit(model.shape().width())))
        .and(col(PixelTable.LABEL).isin(model.labels().toArray()));
    Column index = when(scored, nearestIndex.apply(col(PixelTable.PIXELS)));
    int k = model.labels().size();
    Column labelIndex = array_position(array(model.labels().stream().map(functions::lit).toArray(Column[]::new)),
        col(PixelTable.LABEL)).cast(DataTypes.IntegerType).minus(1);
    Column sampled = pmod(xxhash64(col(PixelTable.ORIGIN)), lit((long) CORRECT_SAMPLE)).equalTo(0);
    Column predicted = col(PREDICTION_INDEX);
    Column needed = predicted.isNotNull().and(predicted.notEqual(labelIndex.multiply(k + 1)).or(sampled));
    Column candidate = when(needed, struct(col(PixelTable.LABEL), predicted, col(PixelTable.ORIGIN),
        col(PixelTable.PIXELS), sampled));
    return new Pass(List.of(index.as(PREDICTION_INDEX), candidate.as(EXAMPLE_CANDIDATE)),
        List.of(predicted), List.of(examples.apply(col(EXAMPLE_CANDIDATE)).as(EXAMPLES)));
  }

  /**
   * The examples {@link #pass()} collected, merged over the accepted groups: at most
   * {@link ExampleSet#TOP_PER_PAIR} top losses per (metric, actual, predicted) and
   * {@link ExampleSet#CORRECT_PER_CLASS} correct images per (metric, label); empty for a set read without it.
   */
  public static List<Example> examples(ImageSet valid) {
    ExampleSet all = new ExampleSet();
    if (valid.hasGroupColumn(EXAMPLES)) {
      for (Row g : valid.acceptedGroups()) {
        int at = g.fieldIndex(EXAMPLES);
        if (!g.isNullAt(at)) {
          all.merge(ExampleSet.decode((byte[]) g.get(at)));
        }
      }
    }
    return all.examples();
  }

  /** Removes the broadcast ideal images from the executors. */
  @Override
  public void close() {
    broadcast.destroy();
  }

  /** The label UDF: the packed index of {@link NearestIndexUdf} turned into the two labels. */
  static final class NearestIdealUdf implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<NearestIdeal> ideal;
    private final NearestIndexUdf index;

    NearestIdealUdf(Broadcast<NearestIdeal> ideal) {
      this.ideal = ideal;
      this.index = new NearestIndexUdf(ideal);
    }

    @Override
    public Row call(byte[] pixels) {
      Integer code = index.call(pixels);
      if (code == null) {
        return null;
      }
      NearestIdeal n = ideal.value();
      return RowFactory.create(n.label(code / n.labelCount()), n.label(code % n.labelCount()));
    }
  }

  /** The index UDF: holds the broadcast handle, not the ideal images, and its work arrays per task. */
  static final class NearestIndexUdf implements UDF1<byte[], Integer> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<NearestIdeal> ideal;
    private transient NearestIdeal.Work work;

    NearestIndexUdf(Broadcast<NearestIdeal> ideal) {
      this.ideal = ideal;
    }

    @Override
    public Integer call(byte[] pixels) {
      if (pixels == null) {
        return null;
      }
      if (work == null) {
        work = ideal.value().work();
      }
      return ideal.value().nearest(pixels, work);
    }
  }
}
