package org.pixelsimilarity.scoring;

/**
 * The book's distances between an image (bytes 0..255, scaled to 0..1 by dividing by 255) and an ideal image
 * (means on the 0..1 scale), over all pixels.
 */
public final class Distance {
  /** {@code SCALED[b] = b / 255.0}: the exact double the book's {@code tensor/255} gives. */
  static final double[] SCALED = new double[256];

  static {
    for (int b = 0; b < 256; b++) {
      SCALED[b] = b / 255.0;
    }
  }

  private Distance() {}

  /** L1: mean absolute difference. */
  public static double l1(byte[] image, double[] mean) {
    double sum = 0;
    for (int i = 0; i < mean.length; i++) {
      sum += Math.abs(SCALED[image[i] & 0xff] - mean[i]);
    }
    return sum / mean.length;
  }

  /** L2: root of the mean squared difference. */
  public static double l2(byte[] image, double[] mean) {
    double sum = 0;
    for (int i = 0; i < mean.length; i++) {
      double d = SCALED[image[i] & 0xff] - mean[i];
      sum += d * d;
    }
    return Math.sqrt(sum / mean.length);
  }

  /**
   * Both sums in one pass over the pixels of one ideal image stored at {@code means[offset .. offset+n)}:
   * {@code out[0] = sum |d|}, {@code out[1] = sum d^2}. Callers divide (and take the root) only when they need
   * the distance itself; the nearest ideal image is the same by the sums.
   */
  static void sums(byte[] image, double[] means, int offset, int n, double[] out) {
    double abs = 0;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double d = SCALED[image[i] & 0xff] - means[offset + i];
      abs += Math.abs(d);
      sq += d * d;
    }
    out[0] = abs;
    out[1] = sq;
  }

  /**
   * {@link #sums} of two ideal images at once, {@code out = [abs_a, sq_a, abs_b, sq_b]}: the same additions in the
   * same order for each sum, so the same bits, but four independent chains of additions instead of two keep the
   * CPU busy while each addition waits for the one before (a running double sum is bound by that latency).
   */
  static void sums2(byte[] image, double[] means, int a, int b, int n, double[] out) {
    double absA = 0;
    double sqA = 0;
    double absB = 0;
    double sqB = 0;
    for (int i = 0; i < n; i++) {
      double x = SCALED[image[i] & 0xff];
      double da = x - means[a + i];
      double db = x - means[b + i];
      absA += Math.abs(da);
      sqA += da * da;
      absB += Math.abs(db);
      sqB += db * db;
    }
    out[0] = absA;
    out[1] = sqA;
    out[2] = absB;
    out[3] = sqB;
  }
}
