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
  private transient double[] toTrue;
  private transient double[] toOther;

  public ExamplesAggregator(Broadcast<NearestIdeal> ideal) {
    this.ideal = ideal;
  }

  @Override
  public ExampleSet zero() {
    return new ExampleSet();
  }

  @Override
  public ExampleSet reduce(ExampleSet kept, Row input) {
    if (input == null || input.isNullAt(0)) {
      return kept;
    }
    Row row = input.getStruct(0);
    NearestIdeal n = ideal.value();
    if (index == null) {
      index = new HashMap<>();
      for (int k = 0; k < n.labelCount(); k++) {
        index.put(n.label(k), k);
      }
      toTrue = new double[2];
      toOther = new double[2];
    }
    String label = row.getString(0);
    int code = row.getInt(1);
    String origin = row.getString(2);
    byte[] pixels = (byte[]) row.get(3);
    boolean sampled = !row.isNullAt(4) && row.getBoolean(4);
    int actual = index.get(label);
    int[] predicted = {code / n.labelCount(), code % n.labelCount()};
    n.distances(pixels, actual, toTrue);
    for (int m = 0; m < 2; m++) {
      String metric = m == 0 ? Metric.L1.key() : Metric.L2.key();
      int p = predicted[m];
      if (p == actual) {
        if (sampled) {
          kept.add(new Example(metric, Example.CORRECT, label, label, origin, 0.0, toTrue[m], toTrue[m], pixels));
        }
        continue;
      }
      n.distances(pixels, p, toOther);
      kept.add(new Example(metric, Example.TOP_LOSS, label, n.label(p), origin, toTrue[m] - toOther[m],
          toTrue[m], toOther[m], pixels));
    }
    return kept;
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
