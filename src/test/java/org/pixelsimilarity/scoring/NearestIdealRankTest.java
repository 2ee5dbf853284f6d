package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;

/**
 * {@link NearestIdeal#rank}: the nearest and second nearest ideal image by each metric with the book's distances,
 * ties to the label first in model order, and always {@link NearestIdeal#nearest}'s pick.
 */
class NearestIdealRankTest {
  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static NearestIdeal.Ranking rank(NearestIdeal n, byte[] image) {
    NearestIdeal.Ranking r = n.ranking();
    n.rank(image, n.work(), r);
    return r;
  }

  @Test
  void handMadeDistancesAreExact() {
    // Image 0,0,0,0. "a" = 1,0,0,0: L1 = 1/4, L2 = sqrt(1/4) = 0.5. "b" = 0.5 everywhere: L1 = 0.5,
    // L2 = sqrt(4 * 0.25 / 4) = 0.5. "c" = 0,0,0,0.25: L1 = 0.25/4 = 0.0625, L2 = sqrt(0.0625/4) = 0.125.
    // L1: c, then a. L2: c, then a and b tie at 0.5 -> a, the earlier label. Dyadic values: exact in doubles.
    IdealImages model = new IdealImages(new Shape(2, 2), List.of("a", "b", "c"), new long[] {1, 1, 1},
        new double[][] {{1, 0, 0, 0}, {0.5, 0.5, 0.5, 0.5}, {0, 0, 0, 0.25}});
    NearestIdeal n = new NearestIdeal(model);
    NearestIdeal.Ranking r = rank(n, new byte[4]);
    assertEquals(2, r.nearest(Metric.L1));
    assertEquals(0.0625, r.nearestDistance(Metric.L1));
    assertEquals(0, r.runnerUp(Metric.L1));
    assertEquals(0.25, r.runnerUpDistance(Metric.L1));
    assertEquals(2, r.nearest(Metric.L2));
    assertEquals(0.125, r.nearestDistance(Metric.L2));
    assertEquals(0, r.runnerUp(Metric.L2), "tie at 0.5 between a and b goes to a");
    assertEquals(0.5, r.runnerUpDistance(Metric.L2));
  }

  @Test
  void twoLabelsAndATieForFirstPlace() {
    // 1x2 images, "x" = 0,0 and "y" = 1,1. Image 255,0 = 1,0 is at L1 0.5 and L2 sqrt(0.5) from both: the
    // nearest is x (first in model order), the runner-up y, at the same distance.
    IdealImages model = new IdealImages(new Shape(1, 2), List.of("x", "y"), new long[] {1, 1},
        new double[][] {{0, 0}, {1, 1}});
    NearestIdeal n = new NearestIdeal(model);
    NearestIdeal.Ranking r = rank(n, bytes(255, 0));
    for (Metric m : Metric.values()) {
      assertEquals(0, r.nearest(m));
      assertEquals(1, r.runnerUp(m));
    }
    assertEquals(0.5, r.nearestDistance(Metric.L1));
    assertEquals(0.5, r.runnerUpDistance(Metric.L1));
    assertEquals(Math.sqrt(0.5), r.nearestDistance(Metric.L2));
    // Image 255,255 is y itself: distance 0; x is at 1 by both.
    r = rank(n, bytes(255, 255));
    assertEquals(1, r.nearest(Metric.L2));
    assertEquals(0.0, r.nearestDistance(Metric.L2));
    assertEquals(0, r.runnerUp(Metric.L1));
    assertEquals(1.0, r.runnerUpDistance(Metric.L1));
    assertEquals(1.0, r.runnerUpDistance(Metric.L2));
  }

  @Test
  void oneLabelHasNoRunnerUp() {
    IdealImages model = new IdealImages(new Shape(1, 2), List.of("only"), new long[] {1},
        new double[][] {{0.5, 0.5}});
    NearestIdeal.Ranking r = rank(new NearestIdeal(model), bytes(0, 0));
    assertEquals(0, r.nearest(Metric.L1));
    assertEquals(0.5, r.nearestDistance(Metric.L1));
    assertEquals(-1, r.runnerUp(Metric.L2));
    assertTrue(Double.isNaN(r.runnerUpDistance(Metric.L2)));
  }

  /**
   * Random models of 2 to 10 labels, with near and exact ties built in (labels that copy another's ideal image,
   * or differ from it by less than the fixed-point step), against a plain Java ranking written here.
   */
  @Test
  void equalsAPlainRankingAndNearestOnRandomImages() {
    Random rnd = new Random(42);
    long fallbacks = 0;
    for (int trial = 0; trial < 60; trial++) {
      int labels = 2 + trial % 9;
      int pixels = 1 + rnd.nextInt(40);
      double[][] means = new double[labels][pixels];
      List<String> names = new ArrayList<>();
      for (int k = 0; k < labels; k++) {
        names.add("l" + k);
        for (int i = 0; i < pixels; i++) {
          means[k][i] = k > 0 && rnd.nextInt(3) == 0 ? Math.min(1, Math.max(0, means[k - 1][i]
              + (rnd.nextInt(3) - 1) * 1e-5)) : rnd.nextInt(256) / 255.0;
        }
      }
      long[] counts = new long[labels];
      java.util.Arrays.fill(counts, 1);
      IdealImages model = new IdealImages(new Shape(1, pixels), names, counts, means);
      NearestIdeal n = new NearestIdeal(model);
      NearestIdeal.Work work = n.work();
      NearestIdeal.Ranking r = n.ranking();
      for (int img = 0; img < 200; img++) {
        byte[] image = new byte[pixels];
        int copy = rnd.nextInt(labels);
        for (int i = 0; i < pixels; i++) {
          image[i] = (byte) (img % 2 == 0 ? rnd.nextInt(256) : (int) Math.round(means[copy][i] * 255));
        }
        n.rank(image, work, r);
        for (Metric m : Metric.values()) {
          int[] expected = plainRank(image, means, m);
          assertEquals(expected[0], r.nearest(m), "nearest " + m);
          assertEquals(expected[1], r.runnerUp(m), "runner-up " + m);
          assertEquals(plainDistance(image, means[expected[0]], m), r.nearestDistance(m));
          assertEquals(plainDistance(image, means[expected[1]], m), r.runnerUpDistance(m));
        }
        int packed = n.nearest(image, n.work());
        assertEquals(packed / labels, r.nearest(Metric.L1), "rank and nearest pick the same L1 label");
        assertEquals(packed % labels, r.nearest(Metric.L2), "rank and nearest pick the same L2 label");
      }
      fallbacks += work.fallbacks();
    }
    assertTrue(fallbacks > 0, "the near ties must reach the reference path too");
  }

  /**
   * The integer search's near ties: 10 labels of 28x28, half the means exactly halfway between two fixed-point
   * steps ({@code (j + 0.5) / 4080}); labels 8 and 9 one step or less from labels 0 and 1, so images near those four
   * have first places too close for the integer sums, and images near the others may have second places too close.
   * The fast ranking must send those to the reference and agree with it ({@link NearestIdeal#rankExact}) on every place and distance.
   */
  @Test
  void nearTiesOnRoundingBoundariesGoToTheReference() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(42);
    int pixels = 28 * 28;
    double[][] means = new double[10][pixels];
    List<String> names = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      names.add(Integer.toString(k));
      for (int i = 0; i < pixels; i++) {
        means[k][i] = k >= 8 ? Math.min(1, Math.max(0, means[k - 8][i] + (r.nextInt(3) - 1) / 4080.0))
            : r.nextBoolean() ? (r.nextInt(4080) + 0.5) / 4080 : r.nextDouble();
      }
    }
    long[] counts = new long[10];
    java.util.Arrays.fill(counts, 1);
    NearestIdeal n = new NearestIdeal(new IdealImages(new Shape(28, 28), names, counts, means));
    NearestIdeal.Work work = n.work();
    NearestIdeal.Ranking fast = n.ranking();
    NearestIdeal.Ranking reference = n.ranking();
    byte[] image = new byte[pixels];
    int images = 2000;
    long nearTieImages = 0;
    for (int t = 0; t < images; t++) {
      int base = r.nextInt(10);
      nearTieImages += base == 0 || base == 1 || base >= 8 ? 1 : 0;
      for (int i = 0; i < pixels; i++) {
        int v = (int) Math.round(means[base][i] * 255) + (t % 3 == 0 ? r.nextInt(5) - 2 : 0);
        image[i] = (byte) Math.max(0, Math.min(255, v));
      }
      n.rank(image, work, fast);
      n.rankExact(image, reference);
      for (Metric m : Metric.values()) {
        assertEquals(reference.nearest(m), fast.nearest(m), "image " + t + " nearest " + m);
        assertEquals(reference.runnerUp(m), fast.runnerUp(m), "image " + t + " runner-up " + m);
        assertEquals(reference.nearestDistance(m), fast.nearestDistance(m), "image " + t + " " + m);
        assertEquals(reference.runnerUpDistance(m), fast.runnerUpDistance(m), "image " + t + " " + m);
      }
    }
    assertTrue(work.fallbacks() > 0, "near ties must go to the reference");
    // Not only the near-tie images: the runner-up of an image near labels 2..7 is often 0 or 8 (or 1 or 9), a
    // near tie for second place. The others are ranked by the integer sums.
    assertTrue(work.fallbacks() >= nearTieImages / 2 && work.fallbacks() < images, "the integer sums ranked "
        + (images - work.fallbacks()) + " of " + images + " images, " + nearTieImages + " near the tied labels");
  }

  /**
   * Two ideal images 1e-12 apart (far below the fixed-point step 1/4080) and a third far from both: whichever is
   * nearest, the two are tied for first or second place in the integer sums, so every image goes to the reference.
   */
  @Test
  void placesCloserThanTheFixedPointStepAlwaysGoToTheReference() {
    double[] a = {0.25, 0.5, 0.75, 0.125};
    double[] b = {0.25 + 1e-12, 0.5, 0.75 - 1e-12, 0.125};
    double[] c = {1, 0, 1, 0};
    NearestIdeal n = new NearestIdeal(new IdealImages(new Shape(2, 2), List.of("a", "b", "c"), new long[] {1, 1, 1},
        new double[][] {a, b, c}));
    NearestIdeal.Work work = n.work();
    NearestIdeal.Ranking fast = n.ranking();
    NearestIdeal.Ranking reference = n.ranking();
    Random rnd = new Random(7);
    for (int t = 0; t < 200; t++) {
      byte[] image = bytes(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
      n.rank(image, work, fast);
      n.rankExact(image, reference);
      for (Metric m : Metric.values()) {
        assertEquals(reference.nearest(m), fast.nearest(m), "image " + t + " nearest " + m);
        assertEquals(reference.runnerUp(m), fast.runnerUp(m), "image " + t + " runner-up " + m);
      }
    }
    assertEquals(200, work.fallbacks());
  }

  @Test
  void aTwoLabelModelIsRankedByTheReferenceWithoutAFallback() {
    // Two labels: every image goes to the reference computation (both distances are needed anyway), so a tie
    // there is no fallback. With a third label, far away, the same tie is tried on the integer sums first and
    // falls back: one fallback, the same places.
    NearestIdeal two = new NearestIdeal(new IdealImages(new Shape(1, 2), List.of("x", "y"), new long[] {1, 1},
        new double[][] {{0, 0}, {1, 1}}));
    NearestIdeal.Work work = two.work();
    NearestIdeal.Ranking r = two.ranking();
    two.rank(bytes(255, 0), work, r);
    assertEquals(0, work.fallbacks());
    assertEquals(0, r.nearest(Metric.L1));
    assertEquals(1, r.runnerUp(Metric.L2));
    // Image 1,0 against "z" = 0,1: L1 sum 2, L2 sum 2; against x and y: 1 and 1 by both.
    NearestIdeal three = new NearestIdeal(new IdealImages(new Shape(1, 2), List.of("x", "y", "z"),
        new long[] {1, 1, 1}, new double[][] {{0, 0}, {1, 1}, {0, 1}}));
    work = three.work();
    r = three.ranking();
    three.rank(bytes(255, 0), work, r);
    assertEquals(1, work.fallbacks());
    for (Metric m : Metric.values()) {
      assertEquals(0, r.nearest(m));
      assertEquals(1, r.runnerUp(m));
    }
  }

  @Test
  void meansThatAreNotNumbersRankLabelZeroFirstAsNearestExactDoes() {
    // Every label has a mean that is not a number, so every sum is NaN: no sum is below another, and
    // nearestExact keeps its first label, 0, by both metrics. rank names the same nearest.
    double nan = Double.NaN;
    NearestIdeal n = new NearestIdeal(new IdealImages(new Shape(1, 2), List.of("a", "b", "c"), new long[3],
        new double[][] {{nan, nan}, {nan, 0.5}, {0.5, nan}}));
    byte[] image = bytes(10, 20);
    int[] reference = new int[2];
    n.nearestExact(image, reference, new double[2]);
    assertEquals(0, reference[0]);
    assertEquals(0, reference[1]);
    NearestIdeal.Ranking r = rank(n, image);
    assertEquals(0, r.nearest(Metric.L1));
    assertEquals(0, r.nearest(Metric.L2));
  }

  @Test
  void rankAndItsReferenceRefuseAnImageOfAnotherSize() {
    // Three labels of 1x2 in 0..1, so rank takes the integer path: without the check a shorter image would fail
    // inside the kernel, and the reference would read a longer one in part and answer.
    NearestIdeal n = new NearestIdeal(new IdealImages(new Shape(1, 2), List.of("a", "b", "c"), new long[3],
        new double[][] {{0, 0}, {1, 1}, {0, 1}}));
    assertEquals("image has 1 pixels, the model 2", assertThrows(IllegalArgumentException.class,
        () -> n.rank(bytes(7), n.work(), n.ranking())).getMessage());
    assertEquals("image has 3 pixels, the model 2", assertThrows(IllegalArgumentException.class,
        () -> n.rank(bytes(7, 8, 9), n.work(), n.ranking())).getMessage());
    assertEquals("image has 3 pixels, the model 2", assertThrows(IllegalArgumentException.class,
        () -> n.rankExact(bytes(7, 8, 9), n.ranking())).getMessage());
    assertEquals("image has 1 pixels, the model 2", assertThrows(IllegalArgumentException.class,
        () -> n.rankExact(bytes(7), n.ranking())).getMessage());
  }

  /** The first two labels by the book's distance, ties to the earlier label, as the book would sort them. */
  private static int[] plainRank(byte[] image, double[][] means, Metric m) {
    int first = -1;
    int second = -1;
    double[] sums = new double[means.length];
    for (int k = 0; k < means.length; k++) {
      double s = 0;
      for (int i = 0; i < image.length; i++) {
        double d = (image[i] & 0xff) / 255.0 - means[k][i];
        s += m == Metric.L1 ? Math.abs(d) : d * d;
      }
      sums[k] = s;
      if (first < 0 || s < sums[first]) {
        second = first;
        first = k;
      } else if (second < 0 || s < sums[second]) {
        second = k;
      }
    }
    return new int[] {first, second};
  }

  private static double plainDistance(byte[] image, double[] mean, Metric m) {
    double s = 0;
    for (int i = 0; i < image.length; i++) {
      double d = (image[i] & 0xff) / 255.0 - mean[i];
      s += m == Metric.L1 ? Math.abs(d) : d * d;
    }
    return m == Metric.L1 ? s / image.length : Math.sqrt(s / image.length);
  }
}
