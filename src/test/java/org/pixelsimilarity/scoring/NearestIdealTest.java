package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.PixelSums;

/** The nearest ideal image by L1 and by L2, and the tie rule: an exact tie goes to the label first in model order. */
class NearestIdealTest {
  private static int[] nearest(IdealImages model, int... bytes) {
    byte[] image = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      image[i] = (byte) bytes[i];
    }
    NearestIdeal nearest = new NearestIdeal(model);
    int[] result = new int[2];
    nearest.nearestExact(image, result, new double[2]);
    // The fast path the job uses must pick the same labels as the reference, ties included.
    int k = model.labels().size();
    assertEquals(result[0] * k + result[1], nearest.nearest(image, nearest.work()), "fast path vs reference");
    return result;
  }

  @Test
  void l1AndL2CanDisagree() {
    // Image 0,0,0,0. "a" = 1,0,0,0: L1 = 0.25, L2 = sqrt(1/4) = 0.5.
    // "b" = 0.4 everywhere: L1 = 0.4, L2 = sqrt(4*0.16/4) = 0.4.
    // L1 picks a (0.25 < 0.4); L2 picks b (0.4 < 0.5).
    IdealImages model = new IdealImages(new Shape(2, 2), List.of("a", "b"), new long[] {1, 1},
        new double[][] {{1, 0, 0, 0}, {0.4, 0.4, 0.4, 0.4}});
    assertArrayEquals(new int[] {0, 1}, nearest(model, 0, 0, 0, 0));
  }

  @Test
  void nearestIsTheClosestPicture() {
    // 255,255,0,0 = 1,1,0,0 is "b" itself (distance 0; L1 0.5 to a and to c).
    // 0,0,255,200 = 0,0,1,0.78: L1 to c = 0.22/4, to a = 1.78/4, to b = 3.78/4 -> c by both.
    // 10,0,0,20 = 0.04,0,0,0.08: L1 to a = 0.12/4, to b and c about 1.9/4 -> a by both.
    IdealImages model = new IdealImages(new Shape(2, 2), List.of("a", "b", "c"), new long[] {1, 1, 1},
        new double[][] {{0, 0, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, 1}});
    assertArrayEquals(new int[] {1, 1}, nearest(model, 255, 255, 0, 0));
    assertArrayEquals(new int[] {2, 2}, nearest(model, 0, 0, 255, 200));
    assertArrayEquals(new int[] {0, 0}, nearest(model, 10, 0, 0, 20));
  }

  @Test
  void exactTieGoesToTheLabelFirstInModelOrder() {
    // 1x2 images. Ideal "2" = 0,0 and ideal "10" = 1,1 (model order 2 before 10, numeric, though "10" < "2"
    // as text). Image 255,0 = 1,0 is at L1 0.5 and L2 sqrt(0.5) from both: an exact tie -> "2".
    PixelSums sums = new PixelSums(2);
    sums.add("10", new byte[] {(byte) 255, (byte) 255});
    sums.add("2", new byte[] {0, 0});
    IdealImages model = IdealImages.fromSums(new Shape(1, 2), sums);
    assertEquals(List.of("2", "10"), model.labels());
    NearestIdeal n = new NearestIdeal(model);
    int[] r = nearest(model, 255, 0);
    assertEquals("2", n.label(r[0]));
    assertEquals("2", n.label(r[1]));
    // The same picture the other way round (0,1) ties too, and still goes to "2".
    r = nearest(model, 0, 255);
    assertEquals("2", n.label(r[0]));
    assertEquals("2", n.label(r[1]));
    // Model order, not label text, decides: the same ideal images listed 10 first give "10".
    IdealImages reversed = new IdealImages(new Shape(1, 2), List.of("10", "2"), new long[] {1, 1},
        new double[][] {{1, 1}, {0, 0}});
    assertArrayEquals(new int[] {0, 0}, nearest(reversed, 255, 0));
  }

  @Test
  void imageOfAnotherSizeIsRefused() {
    IdealImages model = new IdealImages(new Shape(2, 2), List.of("a", "b"), new long[] {1, 1},
        new double[][] {{0, 0, 0, 0}, {1, 1, 1, 1}});
    assertThrows(IllegalArgumentException.class, () -> nearest(model, 0, 0, 0));
  }

  @Test
  void distancesToEveryIdealImage() {
    // Image 0,0,0,0. "a" = 1,0,0,0: L1 = 1/4, L2 = sqrt(1/4) = 0.5.
    // "b" = 0.5 everywhere: L1 = 0.5, L2 = sqrt(4 * 0.25 / 4) = 0.5. Dyadic values: exact in doubles.
    IdealImages model = new IdealImages(new Shape(2, 2), List.of("a", "b"), new long[] {1, 1},
        new double[][] {{1, 0, 0, 0}, {0.5, 0.5, 0.5, 0.5}});
    NearestIdeal n = new NearestIdeal(model);
    double[] l1 = new double[2];
    double[] l2 = new double[2];
    n.distances(new byte[4], l1, l2, new double[2]);
    assertArrayEquals(new double[] {0.25, 0.5}, l1);
    assertArrayEquals(new double[] {0.5, 0.5}, l2);
    double[] one = new double[2];
    n.distances(new byte[] {(byte) 255, 0, 0, 0}, 0, one);
    assertArrayEquals(new double[] {0, 0}, one, "the image is 'a' itself");
    assertThrows(IllegalArgumentException.class, () -> n.distances(new byte[3], 0, one));
  }

  @Test
  void approximateDistancesAreWithinTheirBoundOfTheBooks() {
    // Means that are not multiples of the fixed-point step (thirds, sevenths), random 28x28 images: each
    // approximation from the kernel's integer sums is within APPROXIMATION_ERROR of the double computation.
    int px = 28 * 28;
    double[][] means = new double[3][px];
    java.util.Random r = new java.util.Random(7);
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < px; i++) {
        means[k][i] = r.nextInt(22) / 21.0;
      }
    }
    NearestIdeal n = new NearestIdeal(new IdealImages(new Shape(28, 28), List.of("a", "b", "c"),
        new long[] {3, 7, 21}, means));
    NearestIdeal.Work work = n.work();
    double[] exact = new double[2];
    double worst = 0;
    for (int t = 0; t < 200; t++) {
      byte[] image = new byte[px];
      r.nextBytes(image);
      n.nearest(image, work);
      for (int k = 0; k < 3; k++) {
        n.distances(image, k, exact);
        for (int m = 0; m < 2; m++) {
          double d = Math.abs(n.approximateDistance(work, k, m) - exact[m]);
          worst = Math.max(worst, d);
          assertTrue(d <= NearestIdeal.APPROXIMATION_ERROR, "label " + k + " metric " + m + ": off by " + d);
        }
      }
    }
    assertTrue(worst > 0, "the approximation is not the exact value (the test would not see a wrong bound)");
  }

  @Test
  void aSumAboveItsBoundIsAnImageFartherThanTheDistance() {
    // Random means and images: whenever the kernel's sum is above the bound made from a distance D, the book's
    // distance (computed in doubles) is above D; and for an image farther than D by more than twice the
    // approximation error, the sum is above the bound (the bound does turn images away).
    int px = 28 * 28;
    double[][] means = new double[2][px];
    java.util.Random r = new java.util.Random(11);
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < px; i++) {
        means[k][i] = r.nextInt(256) / 255.0;
      }
    }
    NearestIdeal n = new NearestIdeal(new IdealImages(new Shape(28, 28), List.of("a", "b"), new long[] {5, 9},
        means));
    NearestIdeal.Work work = n.work();
    double[] exact = new double[2];
    int turnedAway = 0;
    for (int t = 0; t < 300; t++) {
      byte[] image = new byte[px];
      r.nextBytes(image);
      n.nearest(image, work);
      for (int k = 0; k < 2; k++) {
        n.distances(image, k, exact);
        for (int m = 0; m < 2; m++) {
          for (double delta : new double[] {-0.01, -1e-4, -1e-6, 0, 1e-6, 1e-4, 0.01}) {
            double d = exact[m] + delta;
            boolean above = NearestIdeal.sumAbove(work, k, m, n.sumBound(m, d));
            if (above) {
              assertTrue(exact[m] > d, "label " + k + " metric " + m + " distance " + exact[m] + " vs " + d);
              turnedAway++;
            }
            if (delta < -2 * NearestIdeal.APPROXIMATION_ERROR) {
              assertTrue(above, "label " + k + " metric " + m + ": " + exact[m] + " is well above " + d);
            }
          }
        }
      }
    }
    assertTrue(turnedAway > 0);
  }

  @Test
  void aSumIsAboveItsBoundOnlyWhenTheDistanceIsSurelyExceeded() {
    // sumBound(m, D) promises: a kernel sum above it is an image whose approximate distance (sum / (4080 n) for
    // L1, sqrt(sum / n) / 4080 for L2) is more than APPROXIMATION_ERROR above D. Checked here in exact arithmetic
    // (BigDecimal of the doubles) for every sum next to the bound, at distances D = j / 4080 - APPROXIMATION_ERROR
    // whose threshold (D + error) * 4080 falls on or next to the whole number j: rounding the threshold up must
    // never let a sum equal to it count as above. And the bound passes only a few sums too many (at most 3).
    NearestIdeal n = new NearestIdeal(new IdealImages(new Shape(1, 1), List.of("a", "b"), new long[] {1, 1},
        new double[][] {{0.25}, {0.75}}));
    NearestIdeal.Work work = n.work();
    BigDecimal error = new BigDecimal(NearestIdeal.APPROXIMATION_ERROR);
    for (int j = 0; j <= 4080; j++) {
      double d = j / 4080.0 - NearestIdeal.APPROXIMATION_ERROR;
      BigDecimal step = new BigDecimal(d).add(error).max(BigDecimal.ZERO).multiply(BigDecimal.valueOf(4080));
      for (int m = 0; m < 2; m++) {
        BigDecimal threshold = m == 0 ? step : step.multiply(step);
        long bound = n.sumBound(m, d);
        assertTrue(BigDecimal.valueOf(bound).compareTo(threshold.add(BigDecimal.valueOf(3))) <= 0,
            "D " + d + " metric " + m + ": bound " + bound + " vs " + threshold);
        for (long sum = Math.max(0, bound - 3); sum <= bound + 3; sum++) {
          work.sums[m] = sum;
          if (NearestIdeal.sumAbove(work, 0, m, bound)) {
            assertTrue(BigDecimal.valueOf(sum).compareTo(threshold) > 0,
                "D " + d + " metric " + m + ": sum " + sum + " above bound " + bound + " but not " + threshold);
          }
        }
      }
    }
    // Above means above: a sum equal to the bound is not.
    work.sums[3] = 41;
    assertFalse(NearestIdeal.sumAbove(work, 1, 1, 41));
    assertTrue(NearestIdeal.sumAbove(work, 1, 1, 40));
  }

  @Test
  void aModelTooLargeToHoldInOneArrayIsRefusedWithItsShape() {
    // 32,768 labels (the most a model may have) of 128x256x3 = 98,304 values: 3,221,225,472 values in all, more
    // than one array holds (2^31 - 9). One mean array shared by every label keeps the test small.
    Shape shape = new Shape(128, 256, 3);
    double[] mean = new double[shape.pixels()];
    int k = IdealImages.MAX_LABELS;
    List<String> labels = java.util.stream.IntStream.range(0, k).mapToObj(Integer::toString).toList();
    double[][] means = new double[k][];
    java.util.Arrays.fill(means, mean);
    IdealImages model = new IdealImages(shape, labels, new long[k], means);
    JobException e = assertThrows(JobException.class, () -> new NearestIdeal(model));
    assertEquals("the model's 32768 ideal images of 128x256x3 (98,304 values each) are too large to score"
        + " together: at most 2,147,483,639 values", e.getMessage());
  }

  @Test
  void noApproximationForMeansOutsideTheFixedPointRange() {
    NearestIdeal n = new NearestIdeal(new IdealImages(new Shape(1, 2), List.of("a", "b"), new long[] {1, 1},
        new double[][] {{1.5, 0}, {0, 0}}));
    NearestIdeal.Work work = n.work();
    n.nearest(new byte[2], work);
    assertTrue(Double.isNaN(n.approximateDistance(work, 0, 0)));
    assertEquals(Long.MAX_VALUE, n.sumBound(0, 0.5), "no bound: every image goes on to the exact distances");
  }
}
