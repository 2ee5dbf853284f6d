package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The margins of {@link FixedPointIdeals#decide}, against what the error analysis in its javadoc requires, with
 * the rounding errors computed exactly here (BigDecimal of the stored doubles): {@code E_k = sum |4080 m - q|},
 * {@code Q_k = sum (4080 m - q)^2}. decide must refuse every gap the analysis cannot trust (an L1 gap up to
 * {@code E_k + E_b}, an L2 gap up to {@code I_k + E_k + Q_k + I_b + E_b + Q_b}) and decide clear cases.
 */
class FixedPointIdealsTest {
  private static final BigDecimal SCALE = BigDecimal.valueOf(4080);

  /** {@code [E, Q]} of one ideal image, exactly. */
  private static double[] exactErrors(double[] means, int k, int pixels) {
    BigDecimal e1 = BigDecimal.ZERO;
    BigDecimal e2 = BigDecimal.ZERO;
    for (int i = 0; i < pixels; i++) {
      BigDecimal scaled = new BigDecimal(means[k * pixels + i]).multiply(SCALE);
      BigDecimal e = scaled.subtract(scaled.setScale(0, RoundingMode.HALF_EVEN)).abs();
      e1 = e1.add(e);
      e2 = e2.add(e.multiply(e));
    }
    return new double[] {e1.doubleValue(), e2.doubleValue()};
  }

  @Test
  void errorBoundsCoverTheExactRoundingErrors() {
    SplittableRandom r = new SplittableRandom(8);
    int pixels = 300;
    double[] means = new double[3 * pixels];
    for (int i = 0; i < means.length; i++) {
      means[i] = i % 3 == 0 ? (r.nextInt(4080) + 0.5) / 4080 : r.nextDouble();
    }
    FixedPointIdeals f = new FixedPointIdeals(means, 3, pixels);
    for (int k = 0; k < 3; k++) {
      double[] exact = exactErrors(means, k, pixels);
      assertTrue(f.errorL1(k) >= exact[0] && f.errorL1(k) <= exact[0] + 0.01, f.errorL1(k) + " vs " + exact[0]);
      assertTrue(f.errorSquares(k) >= exact[1] && f.errorSquares(k) <= exact[1] + 0.01,
          f.errorSquares(k) + " vs " + exact[1]);
      for (int i = 0; i < pixels; i++) {
        assertTrue(Math.abs(means[k * pixels + i] * 4080 - f.quantized()[k * pixels + i]) <= 0.5 + 1e-9);
      }
    }
  }

  @Test
  void meansOfExactlyZeroAndOneAreInRange() {
    assertTrue(new FixedPointIdeals(new double[] {0.0, 1.0, 1.0, 0.0}, 2, 2).usable());
    assertArrayEquals(new int[] {0, 4080, 4080, 0}, new FixedPointIdeals(new double[] {0.0, 1.0, 1.0, 0.0}, 2, 2)
        .quantized());
    assertFalse(new FixedPointIdeals(new double[] {0.0, Math.nextUp(1.0)}, 1, 2).usable());
    assertFalse(new FixedPointIdeals(new double[] {-Double.MIN_VALUE, 0.5}, 1, 2).usable());
    assertFalse(new FixedPointIdeals(new double[] {Double.NaN, 0.5}, 1, 2).usable());
  }

  /** Two ideal images of four pixels, every mean halfway between two fixed-point steps: E = 2, Q = 1 each. */
  private static FixedPointIdeals halfSteps() {
    double[] means = new double[8];
    for (int i = 0; i < 8; i++) {
      means[i] = (100 * i + 7 + 0.5) / 4080;
    }
    for (int k = 0; k < 2; k++) {
      double[] exact = exactErrors(means, k, 4);
      assertTrue(Math.abs(exact[0] - 2) < 1e-9 && Math.abs(exact[1] - 1) < 1e-9, exact[0] + ", " + exact[1]);
    }
    return new FixedPointIdeals(means, 2, 4);
  }

  private static boolean decide(FixedPointIdeals f, int labels, int[] result, long... sums) {
    return f.decide(sums, labels, result);
  }

  @Test
  void l1GapsWithinTheRoundingErrorsAreNotDecided() {
    FixedPointIdeals f = halfSteps();
    int[] result = new int[2];
    // L2 clear in every case below (gap 10^6), so only the L1 margin decides.
    assertFalse(decide(f, 2, result, 100, 1000, 100, 1_001_000), "an L1 tie");
    assertFalse(decide(f, 2, result, 100, 1000, 104, 1_001_000), "L1 gap 4 = E_0 + E_1");
    assertFalse(decide(f, 2, result, 104, 1_001_000, 100, 1000), "the same with the labels swapped");
    assertTrue(decide(f, 2, result, 100, 1000, 107, 1_001_000), "L1 gap 7, beyond E_0 + E_1 + 2");
    assertArrayEquals(new int[] {0, 0}, result);
    assertTrue(decide(f, 2, result, 107, 1_001_000, 100, 1000));
    assertArrayEquals(new int[] {1, 1}, result);
  }

  @Test
  void l2GapsWithinTheBoundAreNotDecided() {
    FixedPointIdeals f = halfSteps();
    int[] result = new int[2];
    // L1: 100 against 200, clear. L2 needs a gap beyond (I_1 + E_1 + Q_1) + (I_0 + E_0 + Q_0) = 203 + 103 = 306.
    assertFalse(decide(f, 2, result, 100, 1000, 200, 1000), "an L2 tie");
    assertFalse(decide(f, 2, result, 100, 1000, 200, 1306), "L2 gap 306");
    assertTrue(decide(f, 2, result, 100, 1000, 200, 1309), "L2 gap 309");
    assertArrayEquals(new int[] {0, 0}, result);
    // The L2 winner is not the L1 winner: label 1 nearer by L2, label 0 by L1.
    assertFalse(decide(f, 2, result, 100, 1306, 200, 1000), "L2 gap 306 the other way");
    assertTrue(decide(f, 2, result, 100, 1400, 200, 1000));
    assertArrayEquals(new int[] {0, 1}, result);
  }

  @Test
  void theWinnerIsTheSmallestSumAmongSeveralLabels() {
    double[] means = new double[3 * 4];
    java.util.Arrays.fill(means, 0.5);
    FixedPointIdeals f = new FixedPointIdeals(means, 3, 4);
    int[] result = new int[2];
    assertTrue(decide(f, 3, result, 500, 90_000, 300, 80_000, 100, 70_000));
    assertArrayEquals(new int[] {2, 2}, result);
    assertTrue(decide(f, 3, result, 300, 80_000, 100, 90_000, 500, 70_000));
    assertArrayEquals(new int[] {1, 2}, result);
    assertFalse(decide(f, 3, result, 300, 80_000, 100, 90_000, 100, 70_000), "labels 1 and 2 tie by L1");
  }

  /** {@code labels} ideal images of four pixels, every mean halfway between two fixed-point steps: E = 2, Q = 1. */
  private static FixedPointIdeals halfSteps(int labels) {
    double[] means = new double[4 * labels];
    for (int i = 0; i < means.length; i++) {
      means[i] = (50 * i + 3 + 0.5) / 4080;
    }
    for (int k = 0; k < labels; k++) {
      double[] exact = exactErrors(means, k, 4);
      assertTrue(Math.abs(exact[0] - 2) < 1e-9 && Math.abs(exact[1] - 1) < 1e-9, exact[0] + ", " + exact[1]);
    }
    return new FixedPointIdeals(means, labels, 4);
  }

  private static boolean rank(FixedPointIdeals f, int labels, int[] result, long... sums) {
    return f.rank(sums, labels, result);
  }

  @Test
  void rankDecidesL1PlacesBeyondBothErrorsAndNoCloser() {
    // E = 2 for every label (and 4e-6 of padding, a slack of ~1e-11): an L1 gap must exceed E_k + E_a + 1 = 5.
    // L2 is clear below (gaps of 10^6 and more).
    FixedPointIdeals f = halfSteps(2);
    int[] result = new int[4];
    assertTrue(rank(f, 2, result, 100, 1000, 106, 2_000_000), "L1 gap 6");
    assertArrayEquals(new int[] {0, 1, 0, 1}, result);
    assertTrue(rank(f, 2, result, 106, 2_000_000, 100, 1000), "the same with the labels swapped");
    assertArrayEquals(new int[] {1, 0, 1, 0}, result);
    assertFalse(rank(f, 2, result, 100, 1000, 105, 2_000_000), "L1 gap 5 = E_0 + E_1 + 1");
    assertFalse(rank(f, 2, result, 105, 2_000_000, 100, 1000), "L1 gap 5, labels swapped");
    assertFalse(rank(f, 2, result, 100, 1000, 100, 2_000_000), "an L1 tie");
  }

  @Test
  void rankDecidesL2PlacesBeyondTheBoundAndNoCloser() {
    // L1 100 against 200 (clear). L2 needs a gap beyond (I_1 + E_1 + Q_1) + (I_0 + E_0 + Q_0) + 1 = 203 + 103 + 1
    // = 307: every term counts (2 or more each), so a gap of 307 is refused and 308 decided.
    FixedPointIdeals f = halfSteps(2);
    int[] result = new int[4];
    assertTrue(rank(f, 2, result, 100, 1000, 200, 1308), "L2 gap 308");
    assertArrayEquals(new int[] {0, 1, 0, 1}, result);
    assertFalse(rank(f, 2, result, 100, 1000, 200, 1307), "L2 gap 307");
    assertFalse(rank(f, 2, result, 100, 1000, 200, 1000), "an L2 tie");
    // L1 and L2 disagree: label 0 nearer by L1, label 1 by L2; the same bound, whichever label is nearer.
    assertTrue(rank(f, 2, result, 100, 1308, 200, 1000), "L2 gap 308 the other way");
    assertArrayEquals(new int[] {0, 1, 1, 0}, result);
    assertFalse(rank(f, 2, result, 100, 1307, 200, 1000), "L2 gap 307 the other way");
    // Larger L1 sums widen the L2 bound: I = 1000 and 2000 need an L2 gap beyond 1003 + 2003 + 1 = 3007.
    assertFalse(rank(f, 2, result, 1000, 50_000, 2000, 53_007));
    assertTrue(rank(f, 2, result, 1000, 50_000, 2000, 53_008));
    assertFalse(rank(f, 2, result, 2000, 53_007, 1000, 50_000));
    assertTrue(rank(f, 2, result, 2000, 53_008, 1000, 50_000));
    assertArrayEquals(new int[] {1, 0, 1, 0}, result);
  }

  @Test
  void rankFindsBothPlacesInAnyLabelOrder() {
    // Three labels, every gap clear (L1 gaps of 100 and more, L2 gaps of 10^5 and more): each order of the sums
    // gives its own nearest and runner-up. The first label seen is not kept as nearest or runner-up unless it is.
    FixedPointIdeals f = halfSteps(3);
    int[] result = new int[4];
    long[][] l1 = {{100, 300, 200}, {200, 100, 300}, {300, 200, 100}, {100, 200, 300}, {300, 100, 200},
        {200, 300, 100}};
    for (long[] a : l1) {
      long[] sums = new long[6];
      for (int k = 0; k < 3; k++) {
        sums[2 * k] = a[k];
        sums[2 * k + 1] = 1_000_000 * (4 - a[k] / 100); // the L2 order reversed: 300 nearest, 100 farthest
      }
      int[] expected = new int[4];
      for (int k = 0; k < 3; k++) {
        int place = (int) (a[k] / 100); // 1 nearest, 3 farthest by L1
        if (place < 3) {
          expected[place - 1] = k;
        }
        if (place > 1) {
          expected[2 + 3 - place] = k;
        }
      }
      assertTrue(f.rank(sums, 3, result), java.util.Arrays.toString(a));
      assertArrayEquals(expected, result, java.util.Arrays.toString(a));
    }
  }

  @Test
  void rankRefusesARunnerUpTooCloseToTheThirdPlace() {
    // The nearest is clear of both others by L1 and L2 (gaps of 100 and 10^6 and more), but the runner-up is
    // within the bound of the third place: an L1 gap of 5 (bound 5), then an L2 gap of 507 (bound 303 + 203 + 1).
    FixedPointIdeals f = halfSteps(3);
    int[] result = new int[4];
    assertTrue(rank(f, 3, result, 100, 1000, 200, 2_000_000, 206, 3_000_000));
    assertArrayEquals(new int[] {0, 1, 0, 1}, result);
    assertFalse(rank(f, 3, result, 100, 1000, 200, 2_000_000, 205, 3_000_000), "L1 runner-up gap 5");
    assertFalse(rank(f, 3, result, 205, 3_000_000, 100, 1000, 200, 2_000_000), "the same, another label order");
    // L2: runner-up 1 (I = 200, J = 2,000,000) against label 2 (I = 300): bound 203 + 303 + 1 = 507.
    assertFalse(rank(f, 3, result, 100, 1000, 200, 2_000_000, 300, 2_000_507), "L2 runner-up gap 507");
    assertTrue(rank(f, 3, result, 100, 1000, 200, 2_000_000, 300, 2_000_508), "L2 runner-up gap 508");
    assertArrayEquals(new int[] {0, 1, 0, 1}, result);
  }

  @Test
  void onLargeImagesTheL2MarginCoversTheReferencesRounding() {
    // 200x200 pixels, means exactly 0 or 1 (no fixed-point error): the margin that is left is the reference's own
    // rounding, 2 * ((n - 1) n + 8 n) 2^-53 4080^2 = 5.9 here, on top of I_1 + I_0 = 1000. A gap of 1005 must
    // not be decided.
    int n = 200 * 200;
    double[] means = new double[2 * n];
    for (int i = 0; i < means.length; i++) {
      means[i] = i % 2;
    }
    FixedPointIdeals f = new FixedPointIdeals(means, 2, n);
    double rounding = 2 * ((n - 1.0) * n + 8.0 * n) * 0x1p-53 * 4080 * 4080;
    assertTrue(rounding > 5 && rounding < 6, Double.toString(rounding));
    int[] result = new int[2];
    assertFalse(decide(f, 2, result, 0, 1_000_000, 1000, 1_001_005), "L2 gap 1005 < 1000 + 5.9");
    assertTrue(decide(f, 2, result, 0, 1_000_000, 1000, 1_001_100), "L2 gap 1100");
  }

  @Test
  void onMegapixelImagesTheL1MarginCoversTheReferencesRounding() {
    // 1024x1024 pixels, means exactly 0 or 1: the L1 error bounds E_k are their padding alone, and the reference's
    // own rounding, 2 * ((n - 1) n + 3 n) 2^-53 4080 = 0.996 here for each of the two sums, is no longer below the
    // threshold's + 1. A gap up to E_0 + E_1 + 2 * 0.996 = 4.09 must be refused, by decide and by rank alike.
    int n = 1024 * 1024;
    double[] means = new double[2 * n];
    for (int i = 0; i < means.length; i++) {
      means[i] = i % 2;
    }
    FixedPointIdeals f = new FixedPointIdeals(means, 2, n);
    double rounding = 2 * ((n - 1.0) * n + 3.0 * n) * 0x1p-53 * 4080;
    assertTrue(rounding > 0.99 && rounding < 1, Double.toString(rounding));
    double margin = f.errorL1(0) + f.errorL1(1) + 2 * rounding;
    assertTrue(margin > 4 && margin < 5, Double.toString(margin));
    // L2 clear (gaps of 10^9, far beyond I_0 + I_1 and the L2 rounding).
    assertFalse(decide(f, 2, new int[2], 0, 0, 4, 1_000_000_000), "L1 gap 4 < " + margin);
    assertFalse(decide(f, 2, new int[2], 4, 1_000_000_000, 0, 0), "L1 gap 4, the labels swapped");
    assertTrue(decide(f, 2, new int[2], 0, 0, 7, 1_000_000_000), "L1 gap 7");
    assertFalse(rank(f, 2, new int[4], 0, 0, 4, 1_000_000_000), "L1 gap 4 < " + margin);
    assertTrue(rank(f, 2, new int[4], 0, 0, 7, 1_000_000_000), "L1 gap 7");
  }

  @Test
  void rankLeavesTheSameL2MarginForTheReferencesRoundingAsDecide() {
    // As onLargeImagesTheL2MarginCoversTheReferencesRounding: 200x200, means 0 or 1, the reference's rounding of
    // 5.9 on top of I_1 + I_0 = 1000 for the runner-up's L2 place.
    int n = 200 * 200;
    double[] means = new double[2 * n];
    for (int i = 0; i < means.length; i++) {
      means[i] = i % 2;
    }
    FixedPointIdeals f = new FixedPointIdeals(means, 2, n);
    int[] result = new int[4];
    assertFalse(rank(f, 2, result, 0, 1_000_000, 1000, 1_001_005), "L2 gap 1005 < 1000 + 5.9");
    assertTrue(rank(f, 2, result, 0, 1_000_000, 1000, 1_001_100), "L2 gap 1100");
    assertArrayEquals(new int[] {0, 1, 0, 1}, result);
  }

  @Test
  void aGapExactlyAtTheBoundIsRefused() {
    // "More than both error bounds together": a gap equal to the bound is refused. The bounds carry paddings (1e-6 n,
    // 1e-9 relative, the reference's slack), so they are rarely whole numbers; these one-pixel means (a scaled
    // mean just under a half step from 0 and from 1) were searched for so that in doubles the L1 bound
    // E_0 + E_1 + 2 slack + 1 is exactly 2, and then the L2 bound (I_1 + E_1 + Q_1) + (I_0 + E_0 + Q_0) + 2 slack
    // + 1 with I_0 = 10, I_1 = 20 exactly 32, summed as decide and as rank sum them.
    double slack1 = 2 * FixedPointIdeals.referenceSlack(1, 3) * FixedPointIdeals.SCALE;
    double slack2 = 2 * FixedPointIdeals.referenceSlack(1, 8) * FixedPointIdeals.SCALE * FixedPointIdeals.SCALE;
    FixedPointIdeals f = new FixedPointIdeals(new double[] {0.000367646813602051, 0.00012254877438636476}, 2, 1);
    assertEquals(2.0, f.errorL1(1) + f.errorL1(0) + slack1 + 1);
    // L2 clear: gaps of 99,900 against bounds below 25.
    assertFalse(decide(f, 2, new int[2], 10, 100, 12, 100_000), "L1 gap 2 = the bound");
    assertTrue(decide(f, 2, new int[2], 10, 100, 13, 100_000), "L1 gap 3");
    assertFalse(rank(f, 2, new int[4], 10, 100, 12, 100_000), "L1 gap 2 = the bound");
    assertTrue(rank(f, 2, new int[4], 10, 100, 13, 100_000), "L1 gap 3");

    f = new FixedPointIdeals(new double[] {0.00033480986018795254, 8.971182097226625e-05}, 2, 1);
    double decideBound = 20 + f.errorL1(1) + f.errorSquares(1) + (10 + f.errorL1(0) + f.errorSquares(0)) + slack2 + 1;
    double rankBound = 20 + f.errorL1(1) + f.errorSquares(1) + 10 + f.errorL1(0) + f.errorSquares(0) + slack2 + 1;
    assertEquals(32.0, decideBound);
    assertEquals(32.0, rankBound);
    // L1 clear: a gap of 10 against a bound below 3.
    assertFalse(decide(f, 2, new int[2], 10, 100, 20, 132), "L2 gap 32 = the bound");
    assertTrue(decide(f, 2, new int[2], 10, 100, 20, 133), "L2 gap 33");
    assertFalse(rank(f, 2, new int[4], 10, 100, 20, 132), "L2 gap 32 = the bound");
    assertTrue(rank(f, 2, new int[4], 10, 100, 20, 133), "L2 gap 33");
  }

  @Test
  void referenceSlackCoversTheRoundingOfADoubleSum() {
    // A running double sum of n terms in 0..n, each off by perTerm rounding units: within
    // ((n - 1) * n + perTerm * n) * 2^-53 of the exact sum (the standard bound, first order).
    for (int n : new int[] {1, 2, 784, 4096, 100_000}) {
      for (int perTerm : new int[] {3, 8}) {
        double bound = ((n - 1.0) * n + perTerm * (double) n) * 0x1p-53;
        double slack = FixedPointIdeals.referenceSlack(n, perTerm);
        assertTrue(slack >= bound && slack <= 4 * bound + 1e-300, n + " terms: " + slack + " vs " + bound);
      }
    }
  }
}
