package org.pixelsimilarity.scoring;

import java.io.Serializable;
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

  private final String[] labels;
  private final double[] means;
  private final int pixels;
  private final FixedPointIdeals fixed;

  public NearestIdeal(IdealImages model) {
    this.labels = model.labelArray();
    this.pixels = model.shape().pixels();
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
   * How far {@link #approximateDistances} may be from {@link #distances(byte[], int, double[])}: each quantized
   * mean is within half a unit of {@code 4080 m}, so the image's distance (L1 by the triangle inequality on the
   * sum, L2 on the Euclidean norm) moves by at most {@code 0.5 / 4080}; the rest covers rounding.
   */
  static final double APPROXIMATION_ERROR = 0.5 / FixedPointIdeals.SCALE + 1e-9;

  /**
   * Both distances to every ideal image from the exact integer sums of the fixed-point kernel (the one
   * {@link #nearest} runs): {@code out[2k]} L1 and {@code out[2k+1]} L2, each within {@link #APPROXIMATION_ERROR}
   * of the reference. Returns false, leaving {@code out} alone, when the fixed-point ideal images are not in use.
   */
  boolean approximateDistances(byte[] image, Work work, double[] out) {
    checkLength(image);
    if (!fixed.usable()) {
      return false;
    }
    DistanceKernel.sums(image, work.x, fixed.quantized(), labels.length, pixels, work.sums);
    for (int k = 0; k < labels.length; k++) {
      out[2 * k] = work.sums[2 * k] / (FixedPointIdeals.SCALE * pixels);
      out[2 * k + 1] = Math.sqrt(work.sums[2 * k + 1] / (double) pixels) / FixedPointIdeals.SCALE;
    }
    return true;
  }

  private void checkLength(byte[] image) {
    if (image.length != pixels) {
      throw new IllegalArgumentException("image has " + image.length + " pixels, the model " + pixels);
    }
  }
}
