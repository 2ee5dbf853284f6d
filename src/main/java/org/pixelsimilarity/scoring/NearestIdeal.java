package org.pixelsimilarity.scoring;

import java.io.Serializable;
import org.pixelsimilarity.model.IdealImages;

/**
 * What executors hold (as a broadcast variable): the ideal images laid out flat, and the rule that picks the
 * nearest one. Tie rule: when two ideal images are exactly as near, the label that comes first in the model's
 * label order wins.
 */
public final class NearestIdeal implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] labels;
  private final double[] means;
  private final int pixels;

  public NearestIdeal(IdealImages model) {
    this.labels = model.labelArray();
    this.pixels = model.shape().pixels();
    this.means = new double[labels.length * pixels];
    for (int k = 0; k < labels.length; k++) {
      System.arraycopy(model.means()[k], 0, means, k * pixels, pixels);
    }
  }

  public int pixels() {
    return pixels;
  }

  public String label(int index) {
    return labels[index];
  }

  /**
   * The index of the nearest ideal image by L1 ({@code result[0]}) and by L2 ({@code result[1]}), written into
   * {@code result}; {@code scratch} is a caller-owned array of two doubles, so the loop allocates nothing.
   */
  public void nearest(byte[] image, int[] result, double[] scratch) {
    if (image.length != pixels) {
      throw new IllegalArgumentException("image has " + image.length + " pixels, the model " + pixels);
    }
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
}
