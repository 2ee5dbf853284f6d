package org.pixelsimilarity.scoring;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.ScanPass;
import org.pixelsimilarity.data.ValidationGroup;
import org.pixelsimilarity.model.IdealImages;

/**
 * Scoring and the report's examples done in the scan that validates the valid images
 * ({@code ImageSets.read(spark, spec, model.shape(), scan)}): read and score in one scan. A grouping key
 * {@value #PREDICTION_INDEX}, the {@code nearest_ideal_index} ({@link BroadcastIdeals}) of every decodable image of
 * the model's shape and of a label the model knows, null for the others; the result ({@link Scored}) is the
 * confusion counts of both metrics from the groups' counts, and the examples the scan kept.
 *
 * <p>The examples come from the same scan ({@link ExampleCollector}), in two steps. The scoring UDF flags the index
 * of an image that may be kept ({@value #CANDIDATE} added); only for those does the key call
 * {@code report_example}, which takes the image's origin as bytes (decoded to a Java String only for the images
 * kept), keeps it or not, and gives the plain index back. An image without an origin is scored but never kept: an
 * example says where it came from. The kept images reach the driver through an accumulator
 * ({@link ExamplesAccumulator}, registered here and only here).
 *
 * <p>That origin check also shapes the scan's generated code ({@link GeneratedCode#presentOrNull}). Spark moves the
 * work of the operators above the parquet reader into a method of its own only when the first of them reads each of
 * the reader's columns more than once ({@code ProjectExec.usedInputs}). With {@code origin} read once, the scoring,
 * the label index and the offer were compiled into the loop over the column batches. HotSpot compiles that loop
 * on-stack while the first tasks run, before any has left it, and each of the next tasks to end threw the compiled
 * code away ({@code unstable_if} at the loop's exit): three or four C2 compilations of the whole per-row work,
 * 200–700 ms each, in a JVM's first evaluate. In a method of its own the per-row work is compiled once, by call
 * count; only the small loop around it is compiled again. The price is that every row's origin is taken out of its
 * column batch as a {@code UTF8String}, a view of the batch's bytes. {@code ScoringSplitTest} checks the split.
 */
public final class EvaluationScan implements ScanPass<Integer, EvaluationScan.Scored>, AutoCloseable {
  /** The grouping key the scan adds: the packed prediction index, null for images not scored. */
  static final String PREDICTION_INDEX = "prediction_index";
  /** Added to a scored image's index by the scoring UDF when it may become an example. */
  static final int CANDIDATE = 1 << 30;
  private static final String FLAGGED_INDEX = "_flagged_prediction_index";
  private static final String LABEL_INDEX = "_label_index";
  private static final String HAS_ORIGIN = "_has_origin";

  /**
   * What the scan found.
   *
   * @param labels the model's labels, the rows and columns of each matrix
   * @param confusion per metric, {@code [actual][predicted]} image counts of the scored images
   * @param examples at most {@link ExampleSet#TOP_PER_PAIR} top losses per (metric, actual, predicted) and
   *     {@link ExampleSet#CORRECT_PER_CLASS} correct images per (metric, label)
   * @param exampleCandidates images the scoring UDF handed to {@code report_example} (flagged as possible
   *     examples): the images whose origin was read, a few per group and task once the groups are full
   */
  public record Scored(List<String> labels, Map<Metric, long[][]> confusion, List<Example> examples,
      long exampleCandidates) {
    public Scored {
      labels = List.copyOf(labels);
      confusion = Map.copyOf(confusion);
      examples = List.copyOf(examples);
    }

    /** The confusion matrices of {@code metrics} only. */
    public Map<Metric, long[][]> confusion(Set<Metric> metrics) {
      Map<Metric, long[][]> kept = new EnumMap<>(Metric.class);
      for (Metric m : metrics) {
        kept.put(m, confusion.get(m));
      }
      return kept;
    }
  }

  private final BroadcastIdeals ideals;
  private final ExamplesAccumulator examples = new ExamplesAccumulator();
  private final LongAccumulator candidates;
  private final List<Column> columns;

  /** Broadcasts the model (freed by {@link #close}) and registers the scan's two accumulators. */
  public EvaluationScan(SparkSession spark, IdealImages model) {
    this.ideals = new BroadcastIdeals(spark, model);
    TaskIdeal ideal = ideals.taskIdeal();
    spark.sparkContext().register(examples, "report examples");
    this.candidates = spark.sparkContext().longAccumulator("report example candidates");
    // One collector for both UDFs: within a task they share its cut-offs. Both are called once per row: the
    // first's flag depends on what the task kept so far, the second keeps examples.
    ExampleCollector collector = new ExampleCollector(ideal);
    UserDefinedFunction scoredIndex = GeneratedCode.oncePerRow(functions.udf(
        new ScoredIndexUdf(ideal, collector), DataTypes.IntegerType)).withName("nearest_ideal_index");
    UserDefinedFunction offer = GeneratedCode.oncePerRow(functions.udf(
        new OfferUdf(collector, examples, candidates), DataTypes.IntegerType)).withName("report_example");
    this.columns = columns(model, scoredIndex, offer);
  }

  /**
   * The scan's columns, computed before the grouping, not inside a key: Spark pulls a non-deterministic call out
   * of a grouping key into a column of its own, computed for every row, whatever branch it was in.
   */
  private static List<Column> columns(IdealImages model, UserDefinedFunction scoredIndex,
      UserDefinedFunction offer) {
    // The label's index in the model, -1 for a label it does not know: a loop in Spark's generated code over the
    // model's labels, so no label becomes a Java String. A column of its own, as it is read twice.
    Column labels = array(model.labels().stream().map(functions::lit).toArray(Column[]::new));
    Column labelIndex = col(LABEL_INDEX);
    Column scored = OK
        .and(col(PixelTable.HEIGHT).equalTo(lit(model.shape().height())))
        .and(col(PixelTable.WIDTH).equalTo(lit(model.shape().width())))
        .and(labelIndex.geq(lit(0)));
    Column flagged = col(FLAGGED_INDEX);
    Column plain = flagged.minus(lit(CANDIDATE));
    Column offered = offer.apply(flagged, col(PixelTable.PIXELS), labelIndex,
        GeneratedCode.freshBytes(col(PixelTable.ORIGIN)));
    Column key = when(flagged.geq(lit(CANDIDATE)), when(col(HAS_ORIGIN), offered).otherwise(plain))
        .otherwise(flagged);
    return List.of(GeneratedCode.presentOrNull(PixelTable.ORIGIN).as(HAS_ORIGIN),
        array_position(labels, col(PixelTable.LABEL)).cast(DataTypes.IntegerType).minus(lit(1)).as(LABEL_INDEX),
        when(scored, scoredIndex.apply(col(PixelTable.PIXELS), labelIndex)).as(FLAGGED_INDEX),
        key.as(PREDICTION_INDEX));
  }

  @Override
  public List<Column> columns() {
    return columns;
  }

  @Override
  public List<Column> keys() {
    return List.of(col(PREDICTION_INDEX));
  }

  /** The group's packed prediction index ({@code l1 * labels + l2}), null for images not scored. */
  @Override
  public Integer values(Row values) {
    return values.isNullAt(0) ? null : values.getInt(0);
  }

  /** The confusion counts of the scored groups, and the examples the scan's tasks kept. */
  @Override
  public Scored result(List<ValidationGroup<Integer>> accepted) {
    List<String> labels = ideals.model().labels();
    int k = labels.size();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < k; i++) {
      index.put(labels.get(i), i);
    }
    long[][] l1 = new long[k][k];
    long[][] l2 = new long[k][k];
    for (ValidationGroup<Integer> g : accepted) {
      Integer code = g.values();
      if (code == null) {
        continue;
      }
      Integer actual = index.get(g.label());
      if (actual == null) {
        throw new IllegalStateException("label " + g.label() + " is not one of the model's " + labels);
      }
      l1[actual][code / k] += g.count();
      l2[actual][code % k] += g.count();
    }
    return new Scored(labels, Map.of(Metric.L1, l1, Metric.L2, l2), examples.value().examples(),
        candidates.value());
  }

  /** Removes the broadcast ideal images from the executors. */
  @Override
  public void close() {
    ideals.close();
  }

  /**
   * The scoring UDF of the scan: {@link BroadcastIdeals.NearestIndexUdf}'s answer, plus {@link #CANDIDATE} for an
   * image that {@link ExampleCollector#mayKeep} (from the sums the search left in the work arrays, so no second
   * look at the pixels for the others).
   */
  static final class ScoredIndexUdf implements UDF2<byte[], Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final BroadcastIdeals.NearestIndexUdf index;
    private final ExampleCollector collector;

    ScoredIndexUdf(TaskIdeal ideal, ExampleCollector collector) {
      this.index = new BroadcastIdeals.NearestIndexUdf(ideal);
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
   * The second UDF of the scan, called only for a flagged index: offers the image, with its origin as UTF-8
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

}
