package org.pixelsimilarity.scoring;

import java.io.Serializable;

/**
 * The ideal images in fixed point, for a fast integer search of the nearest one that provably picks what the
 * double-precision reference ({@link Distance#sums}, compared as in {@link NearestIdeal#nearestExact}) picks.
 *
 * <h2>The arithmetic</h2>
 * Work in units of 1/16 of a pixel step: an image byte {@code x} becomes {@code X = 16x} (exact), a mean
 * {@code m} (0..1 scale, a double) becomes {@code M = 4080 m} (real) and is stored rounded, {@code q = round(M)},
 * with error {@code e = M - q}, {@code |e| <= 1/2}. Per ideal image {@code k} the search sums over the
 * {@code n = h·w·c} values of an image (one per pixel in gray, one per channel of each pixel in colour: 3× the
 * terms), exactly in integers,
 * <pre>
 *   I_k = sum |X - q|        J_k = sum (X - q)^2
 * </pre>
 * The exact real sums the reference approximates are {@code T_k = sum |X - M| = 4080 * sum |x/255 - m|} and
 * {@code U_k = sum (X - M)^2 = 4080^2 * sum (x/255 - m)^2}. With {@code E_k = sum |e|} and {@code Q_k = sum e^2}
 * (per ideal image, known in advance):
 * <pre>
 *   |I_k - T_k| <= E_k                          since ||X-q| - |X-M|| <= |e|
 *   |J_k - U_k| <= 2 sum |X-M||e| + sum e^2 <= T_k + Q_k <= I_k + E_k + Q_k
 * </pre>
 * The reference itself is off from {@code T_k, U_k} by rounding only: each of its n terms is within a few units
 * in the last place, and a running sum of n terms each at most 1 is within {@code ~n^2} units in the last place
 * ({@link #referenceSlack}). So when the integer winner {@code b} beats every other {@code k} by more than both
 * error bounds together, {@code I_k - I_b > E_k + E_b + 2 slack}, the reference sums are strictly ordered the same
 * way and the reference picks {@code b} too, whatever its tie rule. Otherwise (a near tie) the caller falls back to
 * the reference computation itself, so the result is the reference's in every case.
 *
 * <p>Every bound is a sum over the {@code n} terms or a function of {@code n}, so it holds for colour as it is,
 * with {@code n} three times the pixels: {@code E_k <= n/2}, {@code Q_k <= n/4}, and the reference's slack grows
 * as {@code n^2}: {@code 2.1e-9} pixel steps for 32x32x3 ({@code n = 3072}), {@code 0.57} for the largest image
 * the direct PNG path reads in colour ({@code 4096x4096x3}, {@code n = 50,331,648}), where near ties simply fall
 * back to the reference more often. Never a wrong answer, at any size.
 *
 * <h2>Range</h2>
 * {@code |X - q| <= 4080} and {@code (X - q)^2 <= 16,646,400 < 2^24}: a 32-bit lane may add 128 squares before
 * it could overflow, so the kernels fold their lanes into 64-bit sums at least every {@link #CHUNK} steps, at any
 * {@code n}. The 64-bit sums are at most {@code 4080 n} and {@code 4080^2 n}: {@code 8.4e14} at
 * {@code n = 50,331,648}, overflow would need {@code n > 5.5e11}.
 * Means outside 0..1 (a hand-made model) switch the fast search off ({@link #usable()} false).
 */
final class FixedPointIdeals implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int SHIFT = 4;
  static final double SCALE = 255.0 * (1 << SHIFT);
  /** Lane steps between folds into 64-bit sums; 128 squares of at most 2^24 fit in a signed 32-bit lane. */
  static final int CHUNK = 128;
  private static final double ULP = Math.ulp(1.0) / 2;

  private final int pixels;
  private final int[] q;
  private final double[] errorL1;
  private final double[] errorSquares;
  private final double slackL1;
  private final double slackL2;
  private final boolean usable;

  FixedPointIdeals(double[] means, int labels, int pixels) {
    this.pixels = pixels;
    this.q = new int[means.length];
    this.errorL1 = new double[labels];
    this.errorSquares = new double[labels];
    boolean inRange = true;
    for (int k = 0; k < labels; k++) {
      double e1 = 0;
      double e2 = 0;
      for (int i = 0; i < pixels; i++) {
        double m = means[k * pixels + i];
        if (!(m >= 0 && m <= 1)) {
          inRange = false;
          continue;
        }
        double scaled = m * SCALE;
        q[k * pixels + i] = (int) Math.rint(scaled);
        double e = Math.abs(scaled - q[k * pixels + i]);
        e1 += e;
        e2 += e * e;
      }
      // m * SCALE and the sums above are rounded: pad them far beyond their rounding error.
      errorL1[k] = e1 * (1 + 1e-9) + 1e-6 * pixels;
      errorSquares[k] = e2 * (1 + 1e-9) + 1e-6 * pixels;
    }
    this.usable = inRange;
    this.slackL1 = referenceSlack(pixels, 3) * SCALE;
    this.slackL2 = referenceSlack(pixels, 8) * SCALE * SCALE;
  }

  /**
   * How far the reference's double sum over {@code n} terms in 0..1 may be from the exact sum: {@code perTerm}
   * units in the last place per term for its inputs and its one or two operations, plus {@code (n-1) u} times
   * the sum of at most n for the running addition; doubled for good measure.
   */
  static double referenceSlack(int n, int perTerm) {
    return 2 * (perTerm * (double) n + 1.01 * (double) n * n) * ULP;
  }

  boolean usable() {
    return usable;
  }

  int pixels() {
    return pixels;
  }

  int[] quantized() {
    return q;
  }

  /** {@code E_k}, bounded from above. */
  double errorL1(int k) {
    return errorL1[k];
  }

  /** {@code Q_k}, bounded from above. */
  double errorSquares(int k) {
    return errorSquares[k];
  }

  /**
   * The index of the nearest ideal image by L1 ({@code result[0]}) and L2 ({@code result[1]}) from the integer
   * sums {@code sums = [I_0, J_0, I_1, J_1, ...]}, or false when some other ideal image is too near to be sure.
   */
  boolean decide(long[] sums, int labels, int[] result) {
    int b1 = 0;
    int b2 = 0;
    for (int k = 1; k < labels; k++) {
      if (sums[2 * k] < sums[2 * b1]) {
        b1 = k;
      }
      if (sums[2 * k + 1] < sums[2 * b2 + 1]) {
        b2 = k;
      }
    }
    double bound1 = errorL1[b1];
    double bound2 = sums[2 * b2] + errorL1[b2] + errorSquares[b2];
    for (int k = 0; k < labels; k++) {
      if (k != b1 && sums[2 * k] - sums[2 * b1] <= errorL1[k] + bound1 + 2 * slackL1 + 1) {
        return false;
      }
      if (k != b2 && sums[2 * k + 1] - sums[2 * b2 + 1]
          <= sums[2 * k] + errorL1[k] + errorSquares[k] + bound2 + 2 * slackL2 + 1) {
        return false;
      }
    }
    result[0] = b1;
    result[1] = b2;
    return true;
  }

  /**
   * The two nearest ideal images by L1 ({@code result[0]}, runner-up {@code result[1]}) and by L2
   * ({@code result[2]}, {@code result[3]}) from the integer sums, or false when the reference might order those
   * first two places differently: the nearest must beat every other ideal image, and the runner-up every one but
   * the nearest, by more than both error bounds together (the rule of {@link #decide}, applied to each pair).
   */
  boolean rank(long[] sums, int labels, int[] result) {
    for (int metric = 0; metric < 2; metric++) {
      int best = -1;
      int second = -1;
      for (int k = 0; k < labels; k++) {
        long s = sums[2 * k + metric];
        if (best < 0 || s < sums[2 * best + metric]) {
          second = best;
          best = k;
        } else if (second < 0 || s < sums[2 * second + metric]) {
          second = k;
        }
      }
      for (int k = 0; k < labels; k++) {
        if ((k != best && !surelyNearer(sums, metric, best, k))
            || (k != best && k != second && !surelyNearer(sums, metric, second, k))) {
          return false;
        }
      }
      result[2 * metric] = best;
      result[2 * metric + 1] = second;
    }
    return true;
  }

  /** True when the reference sum of ideal image {@code a} is certainly below that of {@code k} (metric 0 = L1). */
  private boolean surelyNearer(long[] sums, int metric, int a, int k) {
    if (metric == 0) {
      return sums[2 * k] - sums[2 * a] > errorL1[k] + errorL1[a] + 2 * slackL1 + 1;
    }
    return sums[2 * k + 1] - sums[2 * a + 1] > sums[2 * k] + errorL1[k] + errorSquares[k]
        + sums[2 * a] + errorL1[a] + errorSquares[a] + 2 * slackL2 + 1;
  }
}
