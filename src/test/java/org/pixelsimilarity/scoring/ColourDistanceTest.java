package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;

/**
 * Distances and the nearest ideal image over all h·w·3 values of colour images: a 2x2x3 case worked out by hand,
 * the integer fast path against the reference on colour sizes, and the kernels at the largest colour size.
 */
class ColourDistanceTest {
  /**
   * A 2x2x3 image, values (R, G, B) per pixel, chosen as multiples of 51 so that x / 255 is 0, .2, .4, .6, .8, 1:
   * (0, .2, .4), (.6, .8, 1), (1, .8, .6), (.4, .2, 0).
   */
  private static final byte[] IMAGE = bytes(0, 51, 102, 153, 204, 255, 255, 204, 153, 102, 51, 0);
  /** Ideal image a: every value 0.5. Ideal image b: every pixel (1, 0, 0.5). */
  private static final double[] A = {.5, .5, .5, .5, .5, .5, .5, .5, .5, .5, .5, .5};
  private static final double[] B = {1, 0, .5, 1, 0, .5, 1, 0, .5, 1, 0, .5};

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  private static IdealImages model() {
    return new IdealImages(new Shape(2, 2, 3), List.of("a", "b"), new long[] {1, 1}, new double[][] {A, B});
  }

  @Test
  void theBooksDistancesOverEveryChannelWorkedOutByHand() {
    // To a: |x - .5| = .5 .3 .1 .1 .3 .5 .5 .3 .1 .1 .3 .5, sum 3.6, L1 = 3.6 / 12 = 0.3;
    //       squares .25 .09 .01 .01 .09 .25 twice, sum 1.4, L2 = sqrt(1.4 / 12) = 0.341565...
    // To b: x - m = -1 .2 -.1 | -.4 .8 .5 | 0 .8 .1 | -.6 .2 -.5, |.| sum 5.2, L1 = 5.2 / 12 = 0.4333...;
    //       squares 1 .04 .01 .16 .64 .25 0 .64 .01 .36 .04 .25, sum 3.4, L2 = sqrt(3.4 / 12) = 0.532290...
    assertEquals(0.3, Distance.l1(IMAGE, A), 1e-15);
    assertEquals(Math.sqrt(1.4 / 12), Distance.l2(IMAGE, A), 1e-15);
    assertEquals(5.2 / 12, Distance.l1(IMAGE, B), 1e-15);
    assertEquals(Math.sqrt(3.4 / 12), Distance.l2(IMAGE, B), 1e-15);
    assertEquals(0.341565, Math.sqrt(1.4 / 12), 1e-6);
    assertEquals(0.532291, Math.sqrt(3.4 / 12), 1e-6);

    NearestIdeal nearest = new NearestIdeal(model());
    assertEquals(12, nearest.pixels());
    double[] l1 = new double[2];
    double[] l2 = new double[2];
    nearest.distances(IMAGE, l1, l2, new double[2]);
    assertArrayEquals(new double[] {0.3, 5.2 / 12}, l1, 1e-15);
    assertArrayEquals(new double[] {Math.sqrt(1.4 / 12), Math.sqrt(3.4 / 12)}, l2, 1e-15);
    assertEquals(0, nearest.nearest(IMAGE, nearest.work()), "a by both: 0 * 2 + 0");
    // An image of (1, 0, 1) in every pixel: |x - m| is 0 0 .5 per pixel from b (L1 = 2 / 12, L2 = sqrt(1 / 12))
    // and .5 .5 .5 from a (L1 = L2 = 0.5).
    byte[] reddish = bytes(255, 0, 255, 255, 0, 255, 255, 0, 255, 255, 0, 255);
    assertEquals(2.0 / 12, Distance.l1(reddish, B), 1e-15);
    assertEquals(0.5, Distance.l1(reddish, A), 1e-15);
    assertEquals(1 * 2 + 1, nearest.nearest(reddish, nearest.work()), "b by both");
    // A gray image (4 bytes) is no colour image: the model refuses it.
    assertThrows(IllegalArgumentException.class, () -> nearest.nearest(new byte[4], nearest.work()));
  }

  @Test
  void theFastSearchAgreesWithTheReferenceOnColourImages() {
    // 32x32x3 (CIFAR's shape), ten ideal images, random images and images close to an ideal one.
    Shape shape = new Shape(32, 32, 3);
    int n = shape.pixels();
    SplittableRandom r = new SplittableRandom(23);
    double[][] means = new double[10][n];
    for (double[] m : means) {
      for (int i = 0; i < n; i++) {
        m[i] = r.nextInt(255 * 40 + 1) / (255.0 * 40); // means of 40 images
      }
    }
    List<String> labels = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    NearestIdeal nearest = new NearestIdeal(new IdealImages(shape, labels, new long[10], means));
    NearestIdeal.Work work = nearest.work();
    int[] reference = new int[2];
    for (int t = 0; t < 300; t++) {
      byte[] image = new byte[n];
      double[] near = means[t % 10];
      for (int i = 0; i < n; i++) {
        image[i] = (byte) (t < 150 ? r.nextInt(256) : Math.min(255, Math.round(near[i] * 255) + r.nextInt(3)));
      }
      nearest.nearestExact(image, reference, new double[2]);
      assertEquals(reference[0] * 10 + reference[1], nearest.nearest(image, work), "image " + t);
    }
    assertTrue(work.fallbacks() < 30, work.fallbacks() + " fallbacks");
  }

  @Test
  void kernelsHoldTheLargestDifferencesAtTheLargestColourImage() {
    // 4096x4096x3 values of 255 against means of 0: every term at its largest, 4080 and 4080^2.
    int n = new Shape(4096, 4096, 3).pixels();
    assertEquals(50_331_648, n);
    byte[] image = new byte[n];
    java.util.Arrays.fill(image, (byte) 255);
    int[] q = new int[n];
    long[] expected = {4080L * n, 4080L * 4080L * n};
    long[] out = new long[2];
    DistanceKernel.scalarSums(image, q, 1, n, out);
    assertArrayEquals(expected, out, "scalar");
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      out = new long[2];
      VectorDistanceKernel.sums(image, new int[n], q, 1, n, out);
      assertArrayEquals(expected, out, "SIMD");
    }
  }
}
