package org.pixelsimilarity.scoring;

import org.pixelsimilarity.VectorSupport;

/**
 * The integer sums of {@link FixedPointIdeals}: for one image and every ideal image {@code k},
 * {@code out[2k] = sum |16x - q_k|} and {@code out[2k+1] = sum (16x - q_k)^2}, exact. Uses the JDK Vector API
 * when the {@code jdk.incubator.vector} module is present and the CPU has 256-bit vectors or wider (Spark's
 * launcher adds the module), else the same arithmetic one pixel at a time.
 */
final class DistanceKernel {
  /** True when the SIMD kernel is in use. */
  static final boolean VECTOR = VectorSupport.AVAILABLE;

  private DistanceKernel() {}

  /**
   * @param x caller-owned scratch of at least {@code pixels} ints: the image in fixed point
   * @param q the quantized ideal images, {@code labels * pixels} values
   */
  static void sums(byte[] image, int[] x, int[] q, int labels, int pixels, long[] out) {
    if (VECTOR) {
      VectorDistanceKernel.sums(image, x, q, labels, pixels, out);
    } else {
      scalarSums(image, q, labels, pixels, out);
    }
  }

  static void scalarSums(byte[] image, int[] q, int labels, int pixels, long[] out) {
    for (int k = 0; k < labels; k++) {
      long abs = 0;
      long sq = 0;
      int o = k * pixels;
      for (int i = 0; i < pixels; i++) {
        long d = ((image[i] & 0xff) << FixedPointIdeals.SHIFT) - q[o + i];
        abs += Math.abs(d);
        sq += d * d;
      }
      out[2 * k] = abs;
      out[2 * k + 1] = sq;
    }
  }
}
