package org.pixelsimilarity.scoring;

import org.apache.spark.broadcast.Broadcast;

/**
 * The report's examples, collected in the scoring scan: the scoring UDF ({@link Scoring#pass()}) offers each
 * accepted image whose prediction is wrong by some metric, and a 1-in-{@value Scoring#CORRECT_SAMPLE} sample of the
 * right ones, to the {@link ExampleSet} of its task ({@link ExamplesAccumulator}); for each metric a wrong image is a
 * top-loss candidate of its (actual, predicted) pair and a sampled right one a correct candidate of its label.
 * Distances are computed here, for these rows only (the book's arithmetic, {@link NearestIdeal#distances(byte[],
 * int, double[])}). The set is bounded, so a task holds a few hundred images at most.
 */
final class ExampleCollector implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<NearestIdeal> ideal;
  private transient double[] near;
  private transient double[] toTrue;
  private transient double[] toOther;
  private transient String[][][] groups;

  ExampleCollector(Broadcast<NearestIdeal> ideal) {
    this.ideal = ideal;
  }

  /**
   * Offers the image to the group of each metric. The exact distances (two loops in doubles over the pixels) are
   * computed only when the image could be kept: when its group is full, the fixed-point kernel's distances
   * ({@link NearestIdeal#approximateDistances}, within {@link NearestIdeal#APPROXIMATION_ERROR}, from the sums the
   * search for {@code code} left in {@code work}) first show whether it can beat the group's last example.
   */
  void offer(ExampleSet kept, int actual, int code, String origin, byte[] pixels, boolean sampled,
      NearestIdeal.Work work) {
    NearestIdeal n = ideal.value();
    prepare(n);
    int k = n.labelCount();
    boolean approximate = n.approximateDistances(work, near);
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
        kept.add(new Example(metric, kind, n.label(actual), n.label(p), origin, 0.0, toTrue[m], toTrue[m],
            pixels));
        continue;
      }
      if (otherDone != p) {
        n.distances(pixels, p, toOther);
        otherDone = p;
      }
      kept.add(new Example(metric, kind, n.label(actual), n.label(p), origin, toTrue[m] - toOther[m],
          toTrue[m], toOther[m], pixels));
    }
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
    if (near == null) {
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
}
