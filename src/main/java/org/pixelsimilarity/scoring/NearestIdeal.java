package org.pixelsimilarity.scoring;

import java.io.Serializable;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.model.IdealImages;

/**
 * What executors hold (as a broadcast variable): the ideal images laid out flat, and the rule that picks the
 * nearest one. Tie rule: when two ideal images are exactly as near, the label that comes first in the model's
 * label order wins.
 *
 * <p>The reference is the book's arithmetic in doubles ({@link #nearestExact}). {@link #nearest} gives the same
 * answer faster: an exact integer search on fixed-point ideal images ({@link FixedPointIdeals}) that falls back to
 * the reference for the rare image whose two nearest ideal images are too close to call.
 */
public final class NearestIdeal implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The most mean values (labels × h·w·c) one array holds. */
  static final int MAX_VALUES = Integer.MAX_VALUE - 8;

  private final String[] labels;
  private final double[] means;
  private final int pixels;
  private final FixedPointIdeals fixed;

  public NearestIdeal(IdealImages model) {
    this.labels = model.labelArray();
    this.pixels = model.shape().pixels();
    if ((long) labels.length * pixels > MAX_VALUES) {
      throw new JobException(String.format(java.util.Locale.ROOT, "the model's %d ideal images of %s (%,d values"
          + " each) are too large to score together: at most %,d values", labels.length, model.shape(), pixels,
          MAX_VALUES));
    }
    this.means = new double[labels.length * pixels];
    for (int k = 0; k < labels.length; k++) {
      System.arraycopy(model.means()[k], 0, means, k * pixels, pixels);
    }
    this.fixed = new FixedPointIdeals(means, labels.length, pixels);
  }

  public int pixels() {
    return pixels;
  }

  public int labelCount() {
    return labels.length;
  }

  public String label(int index) {
    return labels[index];
  }

  /** A task's scratch space for {@link #nearest}, so the search allocates nothing per image. */
  public final class Work {
    final int[] x = new int[pixels];
    final long[] sums = new long[2 * labels.length];
    final double[] scratch = new double[2];
    final int[] result = new int[2];
    long fallbacks;

    /** Images decided by the reference computation because their nearest ideal images were too close. */
    public long fallbacks() {
      return fallbacks;
    }
  }

  public Work work() {
    return new Work();
  }

  /**
   * The index of the nearest ideal image by L1 and by L2, packed as {@code l1 * labelCount() + l2}; the same as
   * {@link #nearestExact} for every image.
   */
  public int nearest(byte[] image, Work work) {
    checkLength(image);
    if (fixed.usable()) {
      DistanceKernel.sums(image, work.x, fixed.quantized(), labels.length, pixels, work.sums);
      if (fixed.decide(work.sums, labels.length, work.result)) {
        return work.result[0] * labels.length + work.result[1];
      }
      work.fallbacks++;
    }
    nearestExact(image, work.result, work.scratch);
    return work.result[0] * labels.length + work.result[1];
  }

  /**
   * The reference: the index of the nearest ideal image by L1 ({@code result[0]}) and by L2 ({@code result[1]}),
   * from the double sums of {@link Distance#sums}, written into {@code result}; {@code scratch} is a caller-owned
   * array of two doubles.
   */
  public void nearestExact(byte[] image, int[] result, double[] scratch) {
    checkLength(image);
    double bestAbs = Double.POSITIVE_INFINITY;
    double bestSq = Double.POSITIVE_INFINITY;
    int l1 = 0;
    int l2 = 0;
    for (int k = 0; k < labels.length; k++) {
      Distance.sums(image, means, k * pixels, pixels, scratch);
      if (scratch[0] < bestAbs) {
        bestAbs = scratch[0];
        l1 = k;
      }
      if (scratch[1] < bestSq) {
        bestSq = scratch[1];
        l2 = k;
      }
    }
    result[0] = l1;
    result[1] = l2;
  }

  /**
   * The book's two distances from an image to every ideal image, in model label order:
   * {@code l1[k] = mean |x - m_k|} and {@code l2[k] = sqrt(mean (x - m_k)^2)}, from the reference sums of
   * {@link #nearestExact} (so {@link #nearest} picks the smallest of each, ties to the earlier label). The arrays
   * are the caller's, of {@link #labelCount()} values; {@code scratch} holds two doubles. Used where the distances
   * themselves are wanted (Spark ML's rawPrediction, predict's output, the report's margins); the nearest label
   * alone is cheaper with {@link #nearest}.
   */
  public void distances(byte[] image, double[] l1, double[] l2, double[] scratch) {
    checkLength(image);
    for (int k = 0; k < labels.length; k++) {
      distances(image, k, scratch);
      l1[k] = scratch[0];
      l2[k] = scratch[1];
    }
  }

  /** Both distances from an image to the ideal image of label index {@code k}: {@code out = [l1, l2]}. */
  public void distances(byte[] image, int k, double[] out) {
    checkLength(image);
    Distance.sums(image, means, k * pixels, pixels, out);
    out[0] = out[0] / pixels;
    out[1] = Math.sqrt(out[1] / pixels);
  }

  /**
   * A task's answer holder and scratch for {@link #rank}: per metric the nearest ideal image and its distance,
   * and the runner-up (the nearest of the others) and its distance. Read it after each call.
   */
  public final class Ranking {
    /** Per metric ({@link Metric#ordinal()}): nearest, runner-up. */
    final int[] order = new int[4];
    final double[] distance = new double[4];
    final double[] both = new double[2];
    final double[] four = new double[4];
    /** Both distances (L1, L2) of the ideal image in each place of {@link #order}. */
    final double[] pairs = new double[8];
    /** The reference sums of the places in {@link #order}. */
    final double[] sums = new double[4];

    /** Index of the nearest ideal image by {@code m} in model order: {@link #nearest}'s pick. */
    public int nearest(Metric m) {
      return order[2 * m.ordinal()];
    }

    /** The book's distance {@code m} to the nearest ideal image. */
    public double nearestDistance(Metric m) {
      return distance[2 * m.ordinal()];
    }

    /** Index of the second nearest ideal image by {@code m}, -1 when the model has one label only. */
    public int runnerUp(Metric m) {
      return order[2 * m.ordinal() + 1];
    }

    /** The book's distance {@code m} to the runner-up, NaN when there is none. */
    public double runnerUpDistance(Metric m) {
      return distance[2 * m.ordinal() + 1];
    }
  }

  public Ranking ranking() {
    return new Ranking();
  }

  /**
   * The two nearest ideal images of an image by L1 and by L2, with the book's distances to them (those of
   * {@link #distances(byte[], int, double[])}), into {@code out}. Ties go to the label first in model order, for
   * the runner-up too, so the nearest is always {@link #nearest}'s pick.
   *
   * <p>With more than two labels the exact integer search ({@link FixedPointIdeals#rank}) finds the first two
   * places and only their distances are computed in doubles (at most four ideal images instead of all); the rare
   * image whose places are too close to call, and every image of a two-label model (where both distances are
   * needed anyway, so the integer search would be extra work), get the reference computation over all labels.
   */
  public void rank(byte[] image, Work work, Ranking out) {
    checkLength(image);
    if (labels.length > 2 && fixed.usable()) {
      DistanceKernel.sums(image, work.x, fixed.quantized(), labels.length, pixels, work.sums);
      if (fixed.rank(work.sums, labels.length, out.order)) {
        for (int i = 0; i < 4; i++) {
          int k = out.order[i];
          int j = 0;
          while (out.order[j] != k) {
            j++;
          }
          if (j == i) {
            distances(image, k, out.both);
            out.pairs[2 * i] = out.both[0];
            out.pairs[2 * i + 1] = out.both[1];
          } else {
            out.pairs[2 * i] = out.pairs[2 * j];
            out.pairs[2 * i + 1] = out.pairs[2 * j + 1];
          }
          out.distance[i] = out.pairs[2 * i + i / 2];
        }
        return;
      }
      work.fallbacks++;
    }
    rankExact(image, out);
  }

  /**
   * The reference for {@link #rank}: the sums of {@link Distance#sums} for every label (two labels at a time,
   * {@link Distance#sums2}: the same bits), compared as {@link #nearestExact} compares them (the nearest is its
   * pick), the runner-up the nearest of the others.
   */
  void rankExact(byte[] image, Ranking out) {
    checkLength(image);
    for (int m = 0; m < 2; m++) {
      out.order[2 * m] = -1;
      out.order[2 * m + 1] = -1;
      out.sums[2 * m] = Double.POSITIVE_INFINITY;
      out.sums[2 * m + 1] = Double.POSITIVE_INFINITY;
    }
    for (int k = 0; k < labels.length; k += 2) {
      if (k + 1 < labels.length) {
        Distance.sums2(image, means, k * pixels, (k + 1) * pixels, pixels, out.four);
        place(out, k, out.four[0], out.four[1]);
        place(out, k + 1, out.four[2], out.four[3]);
      } else {
        Distance.sums(image, means, k * pixels, pixels, out.both);
        place(out, k, out.both[0], out.both[1]);
      }
    }
    for (int m = 0; m < 2; m++) {
      if (out.order[2 * m] < 0) {
        out.order[2 * m] = 0; // no sum below infinity (means that are not numbers): nearestExact's answer
      }
    }
    for (int i = 0; i < 4; i++) {
      double mean = out.sums[i] / pixels;
      out.distance[i] = out.order[i] < 0 ? Double.NaN : i < 2 ? mean : Math.sqrt(mean);
    }
  }

  /** Label {@code k}'s reference sums into the first two places of each metric; ties keep the earlier label. */
  private static void place(Ranking out, int k, double abs, double sq) {
    for (int m = 0; m < 2; m++) {
      double s = m == 0 ? abs : sq;
      if (s < out.sums[2 * m]) {
        out.order[2 * m + 1] = out.order[2 * m];
        out.sums[2 * m + 1] = out.sums[2 * m];
        out.order[2 * m] = k;
        out.sums[2 * m] = s;
      } else if (s < out.sums[2 * m + 1]) {
        out.order[2 * m + 1] = k;
        out.sums[2 * m + 1] = s;
      }
    }
  }

  /**
   * How far {@link #approximateDistance} may be from {@link #distances(byte[], int, double[])}: each quantized
   * mean is within half a unit of {@code 4080 m}, so the image's distance (L1 by the triangle inequality on the
   * sum, L2 on the Euclidean norm) moves by at most {@code 0.5 / 4080}; the rest covers rounding.
   */
  static final double APPROXIMATION_ERROR = 0.5 / FixedPointIdeals.SCALE + 1e-9;

  /**
   * The distance by metric {@code m} (0 L1, 1 L2) to the ideal image of label {@code k}, within
   * {@link #APPROXIMATION_ERROR} of the reference, from the exact integer sums of the fixed-point kernel that the
   * last {@link #nearest}{@code (image, work)} left in {@code work} (so no second pass over the pixels); NaN when
   * the fixed-point ideal images are not in use (then {@code nearest} computed no sums).
   */
  double approximateDistance(Work work, int k, int m) {
    if (!fixed.usable()) {
      return Double.NaN;
    }
    return m == 0 ? work.sums[2 * k] / (FixedPointIdeals.SCALE * pixels)
        : Math.sqrt(work.sums[2 * k + 1] / (double) pixels) / FixedPointIdeals.SCALE;
  }

  /**
   * A bound on the fixed-point kernel's sum for metric {@code m} (0 L1, 1 L2) such that an image whose sum to an
   * ideal image is above it is farther than {@code distance} from that ideal image by the book's computation:
   * {@link #approximateDistance} is then more than {@link #APPROXIMATION_ERROR} above {@code distance}. Rounded
   * up, so the bound may pass a few images too many, never one too few. {@code Long.MAX_VALUE} (nothing is above
   * it) when the fixed-point ideal images are not in use.
   */
  long sumBound(int m, double distance) {
    if (!fixed.usable() || Double.isNaN(distance)) {
      return Long.MAX_VALUE;
    }
    double d = Math.max(0, distance + APPROXIMATION_ERROR) * FixedPointIdeals.SCALE;
    double bound = m == 0 ? d * pixels : d * d * pixels;
    return bound >= 0x1p62 ? Long.MAX_VALUE : (long) Math.ceil(bound) + 1;
  }

  /**
   * Whether the sum that the last {@link #nearest} left in {@code work} for label {@code k} and metric {@code m} is
   * above {@code bound} (from {@link #sumBound}).
   */
  static boolean sumAbove(Work work, int k, int m, long bound) {
    return work.sums[2 * k + m] > bound;
  }

  private void checkLength(byte[] image) {
    if (image.length != pixels) {
      throw new IllegalArgumentException("image has " + image.length + " pixels, the model " + pixels);
    }
  }
}
