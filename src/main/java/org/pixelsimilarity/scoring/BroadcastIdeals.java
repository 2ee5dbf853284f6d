package org.pixelsimilarity.scoring;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
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
 * Step 3, distances: the ideal images go to executors once, as a broadcast variable; UDFs over the
 * {@code pixels} column close over that broadcast. {@code nearest_ideal(pixels)} gives the nearest label by L1 and
 * by L2; {@code nearest_ideal_index(pixels)} the same as one int, {@code l1 * labels + l2} (model label order);
 * {@code ideal_distances_l1/_l2(pixels)} the distances to every ideal image; {@code nearest_ideal_rank(pixels)}
 * the nearest and the runner-up with their distances. Used by the Spark ML model, by predict and, inside the
 * validation scan, by {@link EvaluationScan}. Registers no accumulator.
 */
public final class BroadcastIdeals implements AutoCloseable {
  /** The UDF's result: the predicted label by each metric. */
  public static final StructType PREDICTION = new StructType()
      .add(Metric.L1.key(), DataTypes.StringType, false)
      .add(Metric.L2.key(), DataTypes.StringType, false);
  private final IdealImages model;
  private final Broadcast<NearestIdeal> broadcast;
  private final TaskIdeal ideal;
  private final UserDefinedFunction nearest;
  private final UserDefinedFunction nearestIndex;

  public BroadcastIdeals(SparkSession spark, IdealImages model) {
    this.model = model;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.broadcast = jsc.broadcast(new NearestIdeal(model));
    this.ideal = new TaskIdeal(broadcast);
    this.nearest = GeneratedCode.oncePerRow(functions.udf(new NearestIdealUdf(ideal), PREDICTION))
        .withName("nearest_ideal");
    this.nearestIndex = functions.udf(new NearestIndexUdf(ideal), DataTypes.IntegerType)
        .withName("nearest_ideal_index");
  }

  /** The model broadcast. */
  public IdealImages model() {
    return model;
  }

  /** The broadcast as the UDFs reach it, for {@link EvaluationScan}'s UDFs. */
  TaskIdeal taskIdeal() {
    return ideal;
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
   * {@code ideal_distances_l1(pixels)} (or {@code _l2}) → array&lt;double&gt;: the book's distance of the chosen
   * metric from the image to every ideal image, in model label order ({@link NearestIdeal#distances}); null for
   * null pixels. Deterministic, so a query that does not read its column never runs it (Spark ML's rawPrediction).
   */
  public UserDefinedFunction distances(Metric metric) {
    return functions.udf(new DistancesUdf(ideal, metric),
        DataTypes.createArrayType(DataTypes.DoubleType, false)).withName("ideal_distances_" + metric.key());
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
   * The ranking UDF's result, per metric {@code m} ({@code l1}, {@code l2}): {@code m_prediction} (the nearest
   * ideal image's label), {@code m_distance} (the book's distance to it), {@code m_runner_up} and
   * {@code m_runner_up_distance} (the second nearest; null when the model has one label). See
   * {@link NearestIdeal#rank}.
   */
  public static final StructType RANKING = rankingSchema();

  private static StructType rankingSchema() {
    StructType t = new StructType();
    for (Metric m : Metric.values()) {
      t = t.add(prediction(m), DataTypes.StringType, false)
          .add(distance(m), DataTypes.DoubleType, false)
          .add(runnerUp(m), DataTypes.StringType, true)
          .add(runnerUpDistance(m), DataTypes.DoubleType, true);
    }
    return t;
  }

  /** {@code l1_prediction}, {@code l2_prediction}: the nearest ideal image's label. */
  public static String prediction(Metric m) {
    return m.key() + "_prediction";
  }

  /** {@code l1_distance}, {@code l2_distance}: the book's distance to the nearest ideal image. */
  public static String distance(Metric m) {
    return m.key() + "_distance";
  }

  /** {@code l1_runner_up}, {@code l2_runner_up}: the second nearest ideal image's label. */
  public static String runnerUp(Metric m) {
    return m.key() + "_runner_up";
  }

  /** {@code l1_runner_up_distance}, {@code l2_runner_up_distance}: the distance to the runner-up. */
  public static String runnerUpDistance(Metric m) {
    return m.key() + "_runner_up_distance";
  }

  /** The UDF {@code nearest_ideal_rank(pixels)} → {@link #RANKING}, for use in users' own queries. */
  public UserDefinedFunction nearestIdealRank() {
    return GeneratedCode.oncePerRow(functions.udf(new RankUdf(ideal), RANKING)).withName("nearest_ideal_rank");
  }

  /**
   * Ranks images ({@link PixelTable#SCHEMA} rows, all of the model's shape; labels may be null or unknown to the
   * model): their {@code origin} and {@code label}, then the four {@link #RANKING} columns of each metric asked,
   * L1's first.
   */
  public Dataset<Row> rank(Dataset<Row> images, Set<Metric> metrics) {
    List<Column> out = new ArrayList<>(List.of(col(PixelTable.ORIGIN), col(PixelTable.LABEL)));
    for (Metric m : Metric.values()) {
      if (metrics.contains(m)) {
        for (String c : List.of(prediction(m), distance(m), runnerUp(m), runnerUpDistance(m))) {
          out.add(col("ranking." + c).as(c));
        }
      }
    }
    return images.withColumn("ranking", nearestIdealRank().apply(col(PixelTable.PIXELS)))
        .select(out.toArray(new Column[0]));
  }

  /** Removes the broadcast ideal images from the executors. */
  @Override
  public void close() {
    ideal.forget();
    broadcast.destroy();
  }

  /** The label UDF: the packed index of {@link NearestIndexUdf} turned into the two labels. */
  static final class NearestIdealUdf implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;
    private final TaskIdeal ideal;
    private final NearestIndexUdf index;

    NearestIdealUdf(TaskIdeal ideal) {
      this.ideal = ideal;
      this.index = new NearestIndexUdf(ideal);
    }

    @Override
    public Row call(byte[] pixels) {
      Integer code = index.call(pixels);
      if (code == null) {
        return null;
      }
      NearestIdeal n = ideal.get();
      return RowFactory.create(n.label(code / n.labelCount()), n.label(code % n.labelCount()));
    }
  }

  /** The ranking UDF: {@link NearestIdeal#rank} as a {@link #RANKING} row; work arrays per task. */
  static final class RankUdf implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;
    private final TaskIdeal ideal;
    private transient NearestIdeal.Work work;
    private transient NearestIdeal.Ranking ranking;

    RankUdf(TaskIdeal ideal) {
      this.ideal = ideal;
    }

    @Override
    public Row call(byte[] pixels) {
      if (pixels == null) {
        return null;
      }
      NearestIdeal n = ideal.get();
      if (work == null) {
        work = n.work();
        ranking = n.ranking();
      }
      n.rank(pixels, work, ranking);
      Object[] values = new Object[8];
      for (Metric m : Metric.values()) {
        int at = 4 * m.ordinal();
        int second = ranking.runnerUp(m);
        values[at] = n.label(ranking.nearest(m));
        values[at + 1] = ranking.nearestDistance(m);
        values[at + 2] = second < 0 ? null : n.label(second);
        values[at + 3] = second < 0 ? null : ranking.runnerUpDistance(m);
      }
      return RowFactory.create(values);
    }
  }

  /** The distances UDF: one metric's distances to every ideal image, a new array per image (its result). */
  static final class DistancesUdf implements UDF1<byte[], double[]> {
    private static final long serialVersionUID = 1L;
    private final TaskIdeal ideal;
    private final Metric metric;
    private transient double[] other;
    private transient double[] scratch;

    DistancesUdf(TaskIdeal ideal, Metric metric) {
      this.ideal = ideal;
      this.metric = metric;
    }

    @Override
    public double[] call(byte[] pixels) {
      if (pixels == null) {
        return null;
      }
      NearestIdeal n = ideal.get();
      if (scratch == null) {
        other = new double[n.labelCount()];
        scratch = new double[2];
      }
      double[] wanted = new double[n.labelCount()];
      if (metric == Metric.L1) {
        n.distances(pixels, wanted, other, scratch);
      } else {
        n.distances(pixels, other, wanted, scratch);
      }
      return wanted;
    }
  }

  /** The index UDF: holds the broadcast handle, not the ideal images, and its work arrays per task. */
  static final class NearestIndexUdf implements UDF1<byte[], Integer> {
    private static final long serialVersionUID = 1L;
    private final TaskIdeal ideal;
    /** The work arrays of the last search: its kernel sums are read by {@link EvaluationScan}'s scoring UDF. */
    transient NearestIdeal.Work work;

    NearestIndexUdf(TaskIdeal ideal) {
      this.ideal = ideal;
    }

    /**
     * Its work arrays, made as it is deserialized, not on the task's first row (see {@link TaskIdeal} for why;
     * a JIT defence to re-measure on each Spark upgrade).
     */
    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
      in.defaultReadObject();
      NearestIdeal n = ideal.prepared();
      if (n != null) {
        work = n.work();
      }
    }

    @Override
    public Integer call(byte[] pixels) {
      return pixels == null ? null : nearest(pixels);
    }

    /** The packed index of non-null {@code pixels}; leaves the kernel's sums in {@link #work}. */
    int nearest(byte[] pixels) {
      if (work == null) {
        work = ideal.get().work();
      }
      return ideal.get().nearest(pixels, work);
    }
  }
}
