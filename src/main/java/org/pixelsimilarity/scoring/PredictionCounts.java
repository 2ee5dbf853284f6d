package org.pixelsimilarity.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.AccumulatorV2;
import org.pixelsimilarity.data.Labels;

/**
 * Rows per predicted label, counted by the job that writes the {@link BroadcastIdeals#rank} rows (predict's table),
 * so the written table is not read back to count them: an accumulator keyed by the (L1, L2) prediction pair,
 * updated by a filter that keeps every row ({@link #counting}). Safe under retries where that job's scan is in its
 * result stage (a write): see {@code data.ValidationTally}.
 */
public final class PredictionCounts extends AccumulatorV2<String[], Map<String, Map<String, Long>>> {
  private static final long serialVersionUID = 1L;
  /** L1's prediction, then L2's (null for a metric not asked), to the rows of that pair. */
  private final HashMap<String, HashMap<String, long[]>> counts = new HashMap<>();

  private PredictionCounts() {}

  /** A new count, registered with the session's context. */
  public static PredictionCounts register(SparkSession spark) {
    PredictionCounts c = new PredictionCounts();
    spark.sparkContext().register(c, "predictions per label");
    return c;
  }

  /** {@code ranked} with each row counted as a job reads it: for one job, whose scan is in its result stage. */
  public Dataset<Row> counting(Dataset<Row> ranked, Set<Metric> metrics) {
    Column[] pair = new Column[2];
    for (Metric m : Metric.values()) {
      pair[m.ordinal()] = metrics.contains(m) ? col(BroadcastIdeals.prediction(m))
          : lit(null).cast(DataTypes.StringType);
    }
    // Non-deterministic, so the optimizer neither repeats the call nor moves it: once per row.
    return ranked.filter(functions.udf(new Count(this), DataTypes.BooleanType).asNondeterministic()
        .apply(pair[0], pair[1]));
  }

  private long[] counter(String l1, String l2) {
    return counts.computeIfAbsent(l1, k -> new HashMap<>()).computeIfAbsent(l2, k -> new long[1]);
  }

  /** Per metric asked, rows per predicted label in {@link Labels#ORDER}. */
  public Map<Metric, Map<String, Long>> byPrediction(Set<Metric> metrics) {
    Map<Metric, Map<String, Long>> by = new EnumMap<>(Metric.class);
    for (Metric m : metrics) {
      by.put(m, new TreeMap<>(Labels.ORDER));
    }
    counts.forEach((l1, byL2) -> byL2.forEach((l2, n) -> {
      if (by.containsKey(Metric.L1)) {
        by.get(Metric.L1).merge(l1, n[0], Long::sum);
      }
      if (by.containsKey(Metric.L2)) {
        by.get(Metric.L2).merge(l2, n[0], Long::sum);
      }
    }));
    return by;
  }

  /** The rows counted. */
  public long rows() {
    return counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(n -> n[0]).sum();
  }

  @Override
  public boolean isZero() {
    return counts.isEmpty();
  }

  @Override
  public PredictionCounts copy() {
    PredictionCounts c = new PredictionCounts();
    c.mergeCounts(this);
    return c;
  }

  @Override
  public void reset() {
    counts.clear();
  }

  @Override
  public void add(String[] pair) {
    counter(pair[0], pair[1])[0]++;
  }

  @Override
  public void merge(AccumulatorV2<String[], Map<String, Map<String, Long>>> other) {
    mergeCounts((PredictionCounts) other);
  }

  private void mergeCounts(PredictionCounts other) {
    other.counts.forEach((l1, byL2) -> byL2.forEach((l2, n) -> counter(l1, l2)[0] += n[0]));
  }

  @Override
  public Map<String, Map<String, Long>> value() {
    Map<String, Map<String, Long>> v = new HashMap<>();
    counts.forEach((l1, byL2) -> byL2.forEach((l2, n) -> v.computeIfAbsent(l1, k -> new HashMap<>()).put(l2, n[0])));
    return v;
  }

  /** The filter: counts the row's pair in its task's copy and keeps the row. */
  private static final class Count implements UDF2<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final PredictionCounts counts;

    Count(PredictionCounts counts) {
      this.counts = counts;
    }

    @Override
    public Boolean call(String l1, String l2) {
      counts.counter(l1, l2)[0]++;
      return true;
    }
  }
}
