package org.pixelsimilarity.scoring;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.model.IdealImages;

/**
 * Step 3, distances: the ideal images go to executors once, as a broadcast variable; a UDF over the
 * {@code pixels} column closes over that broadcast and returns the nearest label by L1 and by L2.
 */
public final class Scoring implements AutoCloseable {
  /** The UDF's result: the predicted label by each metric. */
  public static final StructType PREDICTION = new StructType()
      .add(Metric.L1.key(), DataTypes.StringType, false)
      .add(Metric.L2.key(), DataTypes.StringType, false);

  private final Broadcast<NearestIdeal> broadcast;
  private final UserDefinedFunction nearest;

  public Scoring(SparkSession spark, IdealImages model) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.broadcast = jsc.broadcast(new NearestIdeal(model));
    // Non-deterministic only so that the optimizer never inlines the UDF once per struct field it reads.
    this.nearest = functions.udf(new NearestIdealUdf(broadcast), PREDICTION).asNondeterministic().withName("nearest_ideal");
  }

  /** The UDF itself, for use in users' own queries: {@code nearest_ideal(pixels)} → struct&lt;l1, l2&gt;. */
  public UserDefinedFunction nearestIdeal() {
    return nearest;
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

  /** Removes the broadcast ideal images from the executors. */
  @Override
  public void close() {
    broadcast.destroy();
  }

  /** The UDF: holds the broadcast handle, not the ideal images, and reuses its small work arrays per task. */
  static final class NearestIdealUdf implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<NearestIdeal> ideal;
    private transient int[] result;
    private transient double[] scratch;

    NearestIdealUdf(Broadcast<NearestIdeal> ideal) {
      this.ideal = ideal;
    }

    @Override
    public Row call(byte[] pixels) {
      if (result == null) {
        result = new int[2];
        scratch = new double[2];
      }
      NearestIdeal n = ideal.value();
      n.nearest(pixels, result, scratch);
      return RowFactory.create(n.label(result[0]), n.label(result[1]));
    }
  }
}
