package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;

/**
 * The fast search ({@link NearestIdeal#nearest}: fixed-point integer sums, SIMD, fallback on near ties) must pick
 * exactly what the straightforward double computation picks. The straightforward computation is written out here
 * again, independently: per label the sums of |x/255 - m| and (x/255 - m)^2 in pixel order, the first label with
 * the smallest sum wins.
 */
class NearestIdealExactTest {

  /** The book's arithmetic, nothing else: index of the nearest label by L1 and by L2. */
  static int[] straightforward(byte[] image, double[][] means) {
    double bestAbs = Double.POSITIVE_INFINITY;
    double bestSq = Double.POSITIVE_INFINITY;
    int l1 = -1;
    int l2 = -1;
    for (int k = 0; k < means.length; k++) {
      double abs = 0;
      double sq = 0;
      for (int i = 0; i < image.length; i++) {
        double d = (image[i] & 0xff) / 255.0 - means[k][i];
        abs += Math.abs(d);
        sq += d * d;
      }
      if (abs < bestAbs) {
        bestAbs = abs;
        l1 = k;
      }
      if (sq < bestSq) {
        bestSq = sq;
        l2 = k;
      }
    }
    return new int[] {l1, l2};
  }

  private static IdealImages model(int h, int w, double[]... means) {
    List<String> labels = new ArrayList<>();
    long[] counts = new long[means.length];
    for (int k = 0; k < means.length; k++) {
      labels.add(Integer.toString(k));
      counts[k] = 1;
    }
    return new IdealImages(new Shape(h, w), labels, counts, means);
  }

  private static int[] fast(NearestIdeal n, NearestIdeal.Work work, byte[] image) {
    int code = n.nearest(image, work);
    return new int[] {code / n.labelCount(), code % n.labelCount()};
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void clearCaseNeedsNoFallback() {
    // 2x2: a dark and a bright ideal image; a dark image is nearest to the dark one by both metrics.
    double[] dark = {0.0, 0.1, 0.0, 0.1};
    double[] bright = {0.9, 1.0, 0.9, 1.0};
    IdealImages m = model(2, 2, dark, bright);
    NearestIdeal n = new NearestIdeal(m);
    NearestIdeal.Work work = n.work();
    assertArrayEquals(new int[] {0, 0}, fast(n, work, bytes(0, 10, 20, 30)));
    assertArrayEquals(new int[] {1, 1}, fast(n, work, bytes(250, 255, 200, 240)));
    assertEquals(0, work.fallbacks(), "clear cases are decided by the integer sums");
  }

  @Test
  void exactTieGoesToTheEarlierLabelAsInTheReference() {
    // Image 102 = 0.4 * 255 sits halfway between 0.2 and 0.6 on every pixel: both labels are (nearly) equally
    // near, so the fast search must not decide alone; whatever the doubles make of it, the answers agree.
    IdealImages m = model(1, 4, new double[] {0.2, 0.2, 0.2, 0.2}, new double[] {0.6, 0.6, 0.6, 0.6});
    NearestIdeal n = new NearestIdeal(m);
    NearestIdeal.Work work = n.work();
    byte[] image = bytes(102, 102, 102, 102);
    assertArrayEquals(straightforward(image, m.means()), fast(n, work, image));
    assertEquals(1, work.fallbacks(), "a tie goes to the reference computation");
    // Same ideal image twice: an exact tie in every computation; the first label wins.
    IdealImages twins = model(1, 4, new double[] {0.3, 0.5, 0.7, 0.9}, new double[] {0.3, 0.5, 0.7, 0.9});
    NearestIdeal t = new NearestIdeal(twins);
    assertArrayEquals(new int[] {0, 0}, fast(t, t.work(), bytes(1, 2, 3, 4)));
  }

  @Test
  void nearTiesBelowTheFixedPointResolutionFallBack() {
    // Two ideal images 1e-12 apart: far below 1/4080, the integer sums cannot tell them apart.
    double[] a = {0.25, 0.5, 0.75, 0.125};
    double[] b = {0.25 + 1e-12, 0.5, 0.75 - 1e-12, 0.125};
    IdealImages m = model(2, 2, a, b);
    NearestIdeal n = new NearestIdeal(m);
    NearestIdeal.Work work = n.work();
    SplittableRandom r = new SplittableRandom(7);
    for (int t = 0; t < 200; t++) {
      byte[] image = bytes(r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256));
      assertArrayEquals(straightforward(image, m.means()), fast(n, work, image), "image " + t);
    }
    assertEquals(200, work.fallbacks());
  }

  @Test
  void meansOnRoundingBoundariesAndRandomImagesAgree() {
    // 10 labels of 28x28; half the means sit exactly halfway between two fixed-point steps ((j + 0.5) / 4080),
    // the worst case for rounding. Labels 0..7 are far apart, so images near them must be decided by the integer
    // sums alone; labels 8 and 9 are one-step perturbations of 0 and 1, so images near those four are near ties
    // that must go to the reference. Both paths are checked against the straightforward computation.
    SplittableRandom r = new SplittableRandom(42);
    int pixels = 28 * 28;
    double[][] means = new double[10][pixels];
    for (int k = 0; k < 10; k++) {
      for (int i = 0; i < pixels; i++) {
        means[k][i] = k >= 8 ? Math.min(1, Math.max(0, means[k - 8][i] + (r.nextInt(3) - 1) / 4080.0))
            : r.nextBoolean() ? (r.nextInt(4080) + 0.5) / 4080 : r.nextDouble();
      }
    }
    IdealImages m = model(28, 28, means);
    NearestIdeal n = new NearestIdeal(m);
    NearestIdeal.Work work = n.work();
    byte[] image = new byte[pixels];
    int images = 3000;
    long nearTieImages = 0;
    for (int t = 0; t < images; t++) {
      int base = r.nextInt(10);
      nearTieImages += base == 0 || base == 1 || base >= 8 ? 1 : 0;
      for (int i = 0; i < pixels; i++) {
        // Images near an ideal image (rounded to a byte), with some noise.
        int v = (int) Math.round(means[base][i] * 255) + (t % 3 == 0 ? r.nextInt(5) - 2 : 0);
        image[i] = (byte) Math.max(0, Math.min(255, v));
      }
      assertArrayEquals(straightforward(image, means), fast(n, work, image), "image " + t);
    }
    assertTrue(work.fallbacks() > 0, "near ties must go to the reference");
    assertTrue(work.fallbacks() <= nearTieImages, "images near labels 2..7 are decided by the integer sums: "
        + work.fallbacks() + " fallbacks, " + nearTieImages + " near-tie images of " + images);
    assertTrue(images - work.fallbacks() > images / 2, "the fast path decided " + (images - work.fallbacks()));
  }

  @Test
  void everyEntryPointRefusesAnImageOfAnotherSize() {
    IdealImages m = model(1, 2, new double[] {0.1, 0.2}, new double[] {0.8, 0.9});
    NearestIdeal n = new NearestIdeal(m);
    assertEquals(2, n.pixels());
    assertEquals(2, new FixedPointIdeals(new double[] {0.1, 0.2, 0.8, 0.9}, 2, 2).pixels());
    // Longer images: without the check, the kernels would read the first two pixels and answer.
    byte[] longer = bytes(1, 2, 3);
    String expected = "image has 3 pixels, the model 2";
    assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> n.nearest(longer, n.work()))
        .getMessage());
    assertEquals(expected, assertThrows(IllegalArgumentException.class,
        () -> n.nearestExact(longer, new int[2], new double[2])).getMessage());
    assertEquals(expected, assertThrows(IllegalArgumentException.class,
        () -> n.distances(longer, new double[2], new double[2], new double[2])).getMessage());
    assertEquals(expected, assertThrows(IllegalArgumentException.class,
        () -> n.distances(longer, 0, new double[2])).getMessage());
  }

  @Test
  void meansOutsideZeroToOneSwitchTheFastSearchOff() {
    IdealImages m = model(1, 2, new double[] {-0.5, 0.5}, new double[] {1.5, 0.2});
    NearestIdeal n = new NearestIdeal(m);
    byte[] image = bytes(200, 10);
    assertArrayEquals(straightforward(image, m.means()), fast(n, n.work(), image));
    assertFalse(new FixedPointIdeals(new double[] {-0.5, 0.5, 1.5, 0.2}, 2, 2).usable());
  }

  @Test
  void fixedPointErrorBoundsHoldForEveryLabel() {
    // |I_k - T_k| <= E_k and |J_k - U_k| <= I_k + E_k + Q_k, checked against sums computed here in exact-enough
    // arithmetic (BigDecimal would be overkill: doubles of integers and of m * 4080 are exact to 1e-9 here).
    SplittableRandom r = new SplittableRandom(3);
    int pixels = 50;
    double[] means = new double[3 * pixels];
    for (int i = 0; i < means.length; i++) {
      means[i] = r.nextDouble();
    }
    FixedPointIdeals f = new FixedPointIdeals(means, 3, pixels);
    byte[] image = new byte[pixels];
    long[] sums = new long[6];
    for (int t = 0; t < 100; t++) {
      for (int i = 0; i < pixels; i++) {
        image[i] = (byte) r.nextInt(256);
      }
      DistanceKernel.scalarSums(image, f.quantized(), 3, pixels, sums);
      for (int k = 0; k < 3; k++) {
        double t1 = 0;
        double u1 = 0;
        for (int i = 0; i < pixels; i++) {
          double d = 16.0 * (image[i] & 0xff) - 4080.0 * means[k * pixels + i];
          t1 += Math.abs(d);
          u1 += d * d;
        }
        assertTrue(Math.abs(sums[2 * k] - t1) <= f.errorL1(k) + 1e-6, "L1 bound, label " + k);
        assertTrue(Math.abs(sums[2 * k + 1] - u1) <= sums[2 * k] + f.errorL1(k) + f.errorSquares(k) + 1e-3,
            "L2 bound, label " + k);
      }
    }
  }
}
