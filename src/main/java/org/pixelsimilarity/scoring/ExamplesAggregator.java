package org.pixelsimilarity.scoring;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The report's examples, collected in the scoring scan as a Spark UDAF over one struct column of {@link #INPUT} (label,
 * prediction_index, origin, pixels, sampled): for each metric, an image whose prediction is wrong is a top-loss
 * candidate of its (actual, predicted) pair; a right one is a correct candidate of its label when {@code sampled}.
 * Distances are computed here, for these rows only (the book's arithmetic, {@link NearestIdeal#distances(byte[],
 * int, double[])}); the caller passes null for every other row, which costs a null check. The buffer is an
 * {@link ExampleSet}, bounded, so a partition holds a few hundred images at most.
 */
public final class ExamplesAggregator extends Aggregator<Row, ExampleSet, ExampleSet> {
  private static final long serialVersionUID = 1L;

  /** The input's fields, in the order the UDAF takes its columns. */
  public static final StructType INPUT = new StructType()
      .add("label", DataTypes.StringType)
      .add("prediction_index", DataTypes.IntegerType)
      .add("origin", DataTypes.StringType)
      .add("pixels", DataTypes.BinaryType)
      .add("sampled", DataTypes.BooleanType);

  private final Broadcast<NearestIdeal> ideal;
  private transient Map<String, Integer> index;
  private transient NearestIdeal.Work work;
  private transient double[] near;
  private transient double[] toTrue;
  private transient double[] toOther;
  private transient String[][][] groups;

  public ExamplesAggregator(Broadcast<NearestIdeal> ideal) {
    this.ideal = ideal;
  }

  @Override
  public ExampleSet zero() {
    return new ExampleSet();
  }

  /**
   * Offers the image to the group of each metric. The exact distances (two loops in doubles over the pixels) are
   * computed only when the image could be kept: when its group is full, the fixed-point kernel's distances
   * ({@link NearestIdeal#approximateDistances}, within {@link NearestIdeal#APPROXIMATION_ERROR}) first show whether
   * it can beat the group's last example.
   */
  @Override
  public ExampleSet reduce(ExampleSet kept, Row input) {
    if (input == null || input.isNullAt(0)) {
      return kept;
    }
    Row row = input.getStruct(0);
    NearestIdeal n = ideal.value();
    prepare(n);
    int k = n.labelCount();
    int actual = index.get(row.getString(0));
    int code = row.getInt(1);
    boolean sampled = !row.isNullAt(4) && row.getBoolean(4);
    byte[] pixels = (byte[]) row.get(3);
    boolean approximate = n.approximateDistances(pixels, work, near);
    boolean trueDone = false;
    int otherDone = -1;
    for (int m = 0; m < 2; m++) {
      int p = m == 0 ? code / k : code % k;
      if (p == actual && !sampled) {
        continue;
      }
      String kind = p == actual ? Example.CORRECT : Example.TOP_LOSS;
      Example last = kept.last(group(n, m, actual, p, kind), kind);
      if (approximate && last != null && cannotBeat(kind, m, actual, p, last)) {
        continue;
      }
      if (!trueDone) {
        n.distances(pixels, actual, toTrue);
        trueDone = true;
      }
      String metric = m == 0 ? Metric.L1.key() : Metric.L2.key();
      if (p == actual) {
        kept.add(new Example(metric, kind, n.label(actual), n.label(p), row.getString(2), 0.0, toTrue[m], toTrue[m],
            pixels));
        continue;
      }
      if (otherDone != p) {
        n.distances(pixels, p, toOther);
        otherDone = p;
      }
      kept.add(new Example(metric, kind, n.label(actual), n.label(p), row.getString(2), toTrue[m] - toOther[m],
          toTrue[m], toOther[m], pixels));
    }
    return kept;
  }

  /** True when the image's exact figure, whatever it is within the approximation, comes after {@code last}. */
  private boolean cannotBeat(String kind, int m, int actual, int p, Example last) {
    double e = NearestIdeal.APPROXIMATION_ERROR;
    if (Example.TOP_LOSS.equals(kind)) {
      return near[2 * actual + m] - near[2 * p + m] + 2 * e < last.margin();
    }
    return near[2 * actual + m] - e > last.distanceTrue();
  }

  private void prepare(NearestIdeal n) {
    if (index == null) {
      index = new HashMap<>();
      for (int k = 0; k < n.labelCount(); k++) {
        index.put(n.label(k), k);
      }
      work = n.work();
      near = new double[2 * n.labelCount()];
      toTrue = new double[2];
      toOther = new double[2];
      groups = new String[2][n.labelCount()][n.labelCount()];
    }
  }

  private String group(NearestIdeal n, int m, int actual, int p, String kind) {
    String g = groups[m][actual][p];
    if (g == null) {
      g = Example.group(m == 0 ? Metric.L1.key() : Metric.L2.key(), kind, n.label(actual), n.label(p));
      groups[m][actual][p] = g;
    }
    return g;
  }

  @Override
  public ExampleSet merge(ExampleSet a, ExampleSet b) {
    return a.merge(b);
  }

  @Override
  public ExampleSet finish(ExampleSet kept) {
    return kept;
  }

  @Override
  public Encoder<ExampleSet> bufferEncoder() {
    return Encoders.javaSerialization(ExampleSet.class);
  }

  @Override
  public Encoder<ExampleSet> outputEncoder() {
    return Encoders.javaSerialization(ExampleSet.class);
  }
}
