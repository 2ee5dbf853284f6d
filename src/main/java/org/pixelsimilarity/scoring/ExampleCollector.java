package org.pixelsimilarity.scoring;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.spark.broadcast.Broadcast;

/**
 * The report's examples, collected in the scoring scan: the scoring UDF ({@link Scoring#pass()}) hands every image
 * of a known label to {@link #consider}, which keeps it in the {@link ExampleSet} of its task
 * ({@link ExamplesAccumulator}) if it is among the first of its group so far: for each metric, a misclassified image
 * is a top-loss candidate of its (actual, predicted) pair, a correct one a candidate of its label.
 *
 * <p>Almost every image is turned away by one comparison: each full group's cut-off (the margin or distance of the
 * last example it keeps) is held in an array, and the image's figure comes from the fixed-point kernel's sums that
 * the search for its nearest ideal image left behind ({@link NearestIdeal#approximateDistance}, within
 * {@link NearestIdeal#APPROXIMATION_ERROR}); only an image that may beat the cut-off gets the book's exact
 * distances (two loops in doubles over its pixels) and its origin decoded. The set is bounded, so a task holds a
 * few hundred images at most.
 */
final class ExampleCollector implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<NearestIdeal> ideal;
  private transient double[] toTrue;
  private transient double[] toOther;
  private transient String[] groups;
  /** Per group (metric, actual, predicted): the cut-off of a full group; NaN while it has room. */
  private transient double[] cutoff;

  ExampleCollector(Broadcast<NearestIdeal> ideal) {
    this.ideal = ideal;
  }

  /**
   * Offers an image of label index {@code actual}, whose nearest ideal images {@code code} (as
   * {@link NearestIdeal#nearest} packs them) were just found with {@code work}, to the group of each metric.
   * {@code origin} is the image's origin as UTF-8 bytes, decoded only for an image that is kept.
   */
  void consider(ExampleSet kept, int actual, int code, byte[] origin, byte[] pixels, NearestIdeal.Work work) {
    NearestIdeal n = ideal.value();
    int k = n.labelCount();
    if (cutoff == null) {
      toTrue = new double[2];
      toOther = new double[2];
      groups = new String[2 * k * k];
      cutoff = new double[2 * k * k];
      Arrays.fill(cutoff, Double.NaN);
    }
    boolean trueDone = false;
    int otherDone = -1;
    String from = null;
    for (int m = 0; m < 2; m++) {
      int p = m == 0 ? code / k : code % k;
      int g = (m * k + actual) * k + p;
      if (!Double.isNaN(cutoff[g]) && cannotBeat(n, work, m, actual, p, cutoff[g])) {
        continue;
      }
      if (!trueDone) {
        n.distances(pixels, actual, toTrue);
        trueDone = true;
      }
      if (from == null) {
        from = new String(origin, StandardCharsets.UTF_8);
      }
      String metric = m == 0 ? Metric.L1.key() : Metric.L2.key();
      Example e;
      if (p == actual) {
        e = new Example(metric, Example.CORRECT, n.label(actual), n.label(p), from, 0.0, toTrue[m], toTrue[m],
            pixels);
      } else {
        if (otherDone != p) {
          n.distances(pixels, p, toOther);
          otherDone = p;
        }
        e = new Example(metric, Example.TOP_LOSS, n.label(actual), n.label(p), from, toTrue[m] - toOther[m],
            toTrue[m], toOther[m], pixels);
      }
      kept.add(e);
      cutoff[g] = cutoffOf(kept.last(group(n, g, m, actual, p), e.kind()), e.kind());
    }
  }

  /**
   * True when the image's exact figure, whatever it is within the approximation, comes after a full group's
   * cut-off in {@link Example#ORDER} (never on a tie: the origin decides those). False when there is no
   * approximation (a hand-made model outside the fixed-point range): then the exact figure decides.
   */
  private static boolean cannotBeat(NearestIdeal n, NearestIdeal.Work work, int m, int actual, int p, double cut) {
    double e = NearestIdeal.APPROXIMATION_ERROR;
    double toActual = n.approximateDistance(work, actual, m);
    if (Double.isNaN(toActual)) {
      return false;
    }
    if (p == actual) {
      return toActual - e > cut;
    }
    return toActual - n.approximateDistance(work, p, m) + 2 * e < cut;
  }

  /** A group's cut-off: its last example's margin (top losses) or distance (correct images); NaN with room. */
  private static double cutoffOf(Example last, String kind) {
    if (last == null) {
      return Double.NaN;
    }
    return Example.TOP_LOSS.equals(kind) ? last.margin() : last.distanceTrue();
  }

  private String group(NearestIdeal n, int g, int m, int actual, int p) {
    if (groups[g] == null) {
      groups[g] = Example.group(m == 0 ? Metric.L1.key() : Metric.L2.key(),
          p == actual ? Example.CORRECT : Example.TOP_LOSS, n.label(actual), n.label(p));
    }
    return groups[g];
  }
}
