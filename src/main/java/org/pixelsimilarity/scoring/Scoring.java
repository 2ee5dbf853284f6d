package org.pixelsimilarity.scoring;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
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
  private final IdealImages model;
  private final Broadcast<NearestIdeal> broadcast;
  private final TaskIdeal ideal;
  private final UserDefinedFunction nearest;
  private final UserDefinedFunction nearestIndex;
  private final UserDefinedFunction scoredIndex;
  private final UserDefinedFunction offer;
  private final ExamplesAccumulator examples = new ExamplesAccumulator();
  private final LongAccumulator candidates;

  public Scoring(SparkSession spark, IdealImages model) {
    this.model = model;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.broadcast = jsc.broadcast(new NearestIdeal(model));
    this.ideal = new TaskIdeal(broadcast);
    // Non-deterministic only so that the optimizer never inlines the UDF once per struct field it reads.
    this.nearest = functions.udf(new NearestIdealUdf(ideal), PREDICTION).asNondeterministic()
        .withName("nearest_ideal");
    this.nearestIndex = functions.udf(new NearestIndexUdf(ideal), DataTypes.IntegerType)
        .withName("nearest_ideal_index");
    spark.sparkContext().register(examples, "report examples");
    this.candidates = spark.sparkContext().longAccumulator("report example candidates");
    // One collector for both UDFs of pass(): within a task they share its cut-offs. Both are non-deterministic:
    // the first's flag depends on what the task kept so far, the second keeps examples; Spark must call each once
    // per row, never duplicate, merge or reorder them.
    ExampleCollector collector = new ExampleCollector(ideal);
    this.scoredIndex = functions.udf(new ScoredIndexUdf(ideal, collector), DataTypes.IntegerType)
        .asNondeterministic().withName("nearest_ideal_index");
    this.offer = functions.udf(new OfferUdf(collector, examples, candidates), DataTypes.IntegerType)
        .asNondeterministic().withName("report_example");
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
   * Scoring done in the scan that validates the images: a grouping key {@value #PREDICTION_INDEX}, the
   * {@code nearest_ideal_index} of every decodable image of the model's shape and of a label the model knows,
   * null for the others. {@link org.pixelsimilarity.report.Evaluation#ofCounts} reads the counts per group.
   *
   * <p>The report's examples come from the same scan ({@link #examples()}, {@link ExampleCollector}), in two steps.
   * The scoring UDF flags the index of an image that may be kept ({@value #CANDIDATE} added); only for those does
   * the key call {@code report_example}, which takes the image's origin as bytes (decoded to a Java String only for
   * the images kept), keeps it or not, and gives the plain index back. An image without an origin is scored but
   * never kept: an example says where it came from.
   *
   * <p>That origin check also shapes the scan's generated code. Spark moves the work of the operators above the
   * parquet reader into a method of its own only when the first of them reads each of the reader's columns more
   * than once ({@code ProjectExec.usedInputs}). With {@code origin} read once, the scoring, the label index and the
   * offer were compiled into the loop over the column batches. HotSpot compiles that loop on-stack while the first
   * tasks run, before any has left it, and each of the next tasks to end threw the compiled code away
   * ({@code unstable_if} at the loop's exit): three or four C2 compilations of the whole per-row work, 200–700 ms
   * each, in a JVM's first evaluate. In a method of its own the per-row work is compiled once, by call count; only
   * the small loop around it is compiled again. The price is that every row's origin is taken out of its column
   * batch as a {@code UTF8String}, a view of the batch's bytes. {@code ScoringSplitTest} checks the split.
   */
  public Pass pass() {
    // The label's index in the model, -1 for a label it does not know: a loop in Spark's generated code over the
    // model's labels, so no label becomes a Java String. A column of its own, as it is read twice.
    Column labels = array(model.labels().stream().map(functions::lit).toArray(Column[]::new));
    Column labelIndex = col(LABEL_INDEX);
    Column scored = Pass.OK
        .and(col(PixelTable.HEIGHT).equalTo(lit(model.shape().height())))
        .and(col(PixelTable.WIDTH).equalTo(lit(model.shape().width())))
        .and(labelIndex.geq(lit(0)));
    Column flagged = col(FLAGGED_INDEX);
    Column plain = flagged.minus(lit(CANDIDATE));
    // The origin goes through concat, which always makes a fresh exact array, before the cast to bytes. The
    // plain cast (UTF8String.getBytes) copies a value of a plain-encoded page but hands over a dictionary value's
    // own array. Which of the two a run meets first decided how C2 compiled the scan loop, and a later page of
    // the other kind threw the compiled loop away (seen in -XX:+LogCompilation: an unstable_if in getBytes at
    // the start of a JVM's second evaluate, then the loop compiled again by C1 and C2).
    Column offered = offer.apply(flagged, col(PixelTable.PIXELS), labelIndex,
        functions.concat(col(PixelTable.ORIGIN), lit("")).cast(DataTypes.BinaryType));
    Column key = when(flagged.geq(lit(CANDIDATE)), when(col(HAS_ORIGIN), offered).otherwise(plain))
        .otherwise(flagged);
    // Computed as columns before the grouping, not inside a key: Spark pulls a non-deterministic call out of a
    // grouping key into a column of its own, computed for every row, whatever branch it was in.
    return new Pass(
        List.of(hasOrigin().as(HAS_ORIGIN),
            array_position(labels, col(PixelTable.LABEL)).cast(DataTypes.IntegerType).minus(lit(1))
                .as(LABEL_INDEX),
            when(scored, scoredIndex.apply(col(PixelTable.PIXELS), labelIndex)).as(FLAGGED_INDEX),
            key.as(PREDICTION_INDEX)),
        List.of(col(PREDICTION_INDEX)), List.of());
  }

  /**
   * True for a row with an origin, null for one without. Not {@code isnotnull(origin)}: where a reader knows the
   * origin is never null, the optimizer folds that to {@code true}, and the second read of {@code origin} that
   * moves the per-row work into its own method ({@link #pass()}) is gone. Its byte length is never folded and
   * costs nothing to read.
   */
  private static Column hasOrigin() {
    return functions.octet_length(col(PixelTable.ORIGIN)).geq(lit(0));
  }

  /** Added to a scored image's index by the scoring UDF of {@link #pass()} when it may become an example. */
  static final int CANDIDATE = 1 << 30;
  private static final String FLAGGED_INDEX = "_flagged_prediction_index";
  private static final String LABEL_INDEX = "_label_index";
  private static final String HAS_ORIGIN = "_has_origin";

  /**
   * The examples the scans of {@link #pass()} collected: at most {@link ExampleSet#TOP_PER_PAIR} top losses per
   * (metric, actual, predicted) and {@link ExampleSet#CORRECT_PER_CLASS} correct images per (metric, label).
   */
  public List<Example> examples() {
    return examples.value().examples();
  }

  /**
   * How many images the scans of {@link #pass()} handed to {@code report_example} (the scoring UDF flagged them as
   * possible examples): the images whose origin was read. A few per group and task once the groups are full.
   */
  public long exampleCandidates() {
    return candidates.value();
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
    // Non-deterministic for the reason given in the constructor: one call per row, whatever fields are read.
    return functions.udf(new RankUdf(ideal), RANKING).asNondeterministic().withName("nearest_ideal_rank");
  }

  /**
   * Ranks images ({@link PixelTable#SCHEMA} rows, all of the model's shape; labels may be null or unknown to the
   * model): their {@code origin} and {@code label}, then the four {@link #RANKING} columns of each metric asked,
   * L1's first.
   */
  public Dataset<Row> rank(Dataset<Row> images, java.util.Set<Metric> metrics) {
    List<Column> out = new java.util.ArrayList<>(List.of(col(PixelTable.ORIGIN), col(PixelTable.LABEL)));
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

  /**
   * The scoring UDF of {@link #pass()}: {@link NearestIndexUdf}'s answer, plus {@link #CANDIDATE} for an image that
   * {@link ExampleCollector#mayKeep} (from the sums the search left in the work arrays, so no second look at the
   * pixels for the others).
   */
  static final class ScoredIndexUdf implements UDF2<byte[], Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final NearestIndexUdf index;
    private final ExampleCollector collector;

    ScoredIndexUdf(TaskIdeal ideal, ExampleCollector collector) {
      this.index = new NearestIndexUdf(ideal);
      this.collector = collector;
    }

    /** {@code actual}: the image's label as an index into the model's labels. */
    @Override
    public Integer call(byte[] pixels, Integer actual) {
      if (pixels == null) {
        return null;
      }
      int code = index.nearest(pixels);
      return collector.mayKeep(actual, code, index.work) ? code + CANDIDATE : code;
    }
  }

  /**
   * The second UDF of {@link #pass()}, called only for a flagged index: offers the image, with its origin as UTF-8
   * bytes (Spark hands a binary column over without decoding it), to the task's {@link ExamplesAccumulator}
   * through the {@link ExampleCollector} the scoring UDF shares; returns the index without the flag.
   */
  static final class OfferUdf implements UDF4<Integer, byte[], Integer, byte[], Integer> {
    private static final long serialVersionUID = 1L;
    private final ExampleCollector collector;
    private final ExamplesAccumulator examples;
    private final LongAccumulator candidates;

    OfferUdf(ExampleCollector collector, ExamplesAccumulator examples, LongAccumulator candidates) {
      this.collector = collector;
      this.examples = examples;
      this.candidates = candidates;
    }

    @Override
    public Integer call(Integer flagged, byte[] pixels, Integer actual, byte[] origin) {
      int code = flagged - CANDIDATE;
      collector.offer(examples.set(), actual, code, origin, pixels);
      candidates.add(1);
      return code;
    }
  }

  /** The index UDF: holds the broadcast handle, not the ideal images, and its work arrays per task. */
  static final class NearestIndexUdf implements UDF1<byte[], Integer> {
    private static final long serialVersionUID = 1L;
    private final TaskIdeal ideal;
    private transient NearestIdeal.Work work;

    NearestIndexUdf(TaskIdeal ideal) {
      this.ideal = ideal;
    }

    /** Its work arrays, made as it is deserialized (see {@link TaskIdeal} for why). */
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
