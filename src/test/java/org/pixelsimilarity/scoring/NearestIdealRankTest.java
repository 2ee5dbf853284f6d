package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
