package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.VectorSupport;

/** The SIMD kernel and the plain loop give the same exact integer sums, for any pixel count. */
class DistanceKernelTest {

  /** The sums straight from their definition, in longs. */
  private static long[] definition(byte[] image, int[] q, int labels, int pixels) {
    long[] out = new long[2 * labels];
    for (int k = 0; k < labels; k++) {
      for (int i = 0; i < pixels; i++) {
        long d = 16L * (image[i] & 0xff) - q[k * pixels + i];
        out[2 * k] += Math.abs(d);
        out[2 * k + 1] += d * d;
      }
    }
    return out;
  }

  @Test
  void vectorAndScalarSumsMatchTheDefinition() {
    SplittableRandom r = new SplittableRandom(11);
    // Odd sizes test the tail; 64x64 = 4096 pixels spans several 32-bit folding chunks.
    for (int pixels : new int[] {1, 7, 35, 784, 4096, 4099}) {
      int labels = 3;
      int[] q = new int[labels * pixels];
      byte[] image = new byte[pixels];
      for (int t = 0; t < 20; t++) {
        for (int i = 0; i < q.length; i++) {
          q[i] = t == 0 ? 0 : r.nextInt(4081);
        }
        for (int i = 0; i < pixels; i++) {
          image[i] = (byte) (t == 0 ? 255 : r.nextInt(256)); // t == 0: the largest possible differences
        }
        long[] expected = definition(image, q, labels, pixels);
        long[] scalar = new long[2 * labels];
        DistanceKernel.scalarSums(image, q, labels, pixels, scalar);
        assertArrayEquals(expected, scalar, "scalar, " + pixels + " pixels");
        long[] dispatched = new long[2 * labels];
        DistanceKernel.sums(image, new int[pixels], q, labels, pixels, dispatched);
        assertArrayEquals(expected, dispatched, "kernel in use, " + pixels + " pixels");
      }
    }
  }

  @Test
  void largestDifferencesDoNotOverflow() {
    int pixels = 4096;
    byte[] image = new byte[pixels];
    java.util.Arrays.fill(image, (byte) 255);
    long[] out = new long[2];
    DistanceKernel.sums(image, new int[pixels], new int[pixels], 1, pixels, out);
    assertEquals(4080L * pixels, out[0]);
    assertEquals(4080L * 4080L * pixels, out[1]);
  }

  @Test
  void vectorKernelIsInUseWhereTheModuleIsThere() {
    // Surefire adds jdk.incubator.vector (Spark's module flags); the job's launcher does the same.
    assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && jdk.incubator.vector.IntVector.SPECIES_PREFERRED.length() >= 8, VectorSupport.AVAILABLE);
    assertEquals(VectorSupport.AVAILABLE, DistanceKernel.VECTOR);
  }
}
