package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.VectorSupport;

/**
 * The SIMD kernel and the plain loop give the same exact integer sums as their definition, for any pixel count;
 * each is called directly, whatever {@link VectorSupport} chose for this CPU.
 */
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

  private interface Kernel {
    void sums(byte[] image, int[] q, int labels, int pixels, long[] out);
  }

  /** Each implementation called directly, so neither goes untested on a CPU where the other is in use. */
  @Test
  void scalarSumsMatchTheDefinition() {
    checkAgainstDefinition(DistanceKernel::scalarSums, "scalar");
  }

  @Test
  void vectorSumsMatchTheDefinition() {
    Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "jdk.incubator.vector is not in this JVM");
    checkAgainstDefinition((image, q, labels, pixels, out)
        -> VectorDistanceKernel.sums(image, new int[pixels], q, labels, pixels, out), "SIMD");
  }

  @Test
  void kernelInUseMatchesTheDefinition() {
    checkAgainstDefinition((image, q, labels, pixels, out)
        -> DistanceKernel.sums(image, new int[pixels], q, labels, pixels, out), "kernel in use");
  }

  private static void checkAgainstDefinition(Kernel kernel, String name) {
    SplittableRandom r = new SplittableRandom(11);
    // Odd sizes test the tail; 64x64 = 4096 pixels spans several 32-bit folding chunks (of 128 steps of up to
    // 16 lanes), 128 * 16 + 1 pixels starts a second chunk with a single step.
    for (int pixels : new int[] {1, 7, 35, 784, 2049, 4096, 4099}) {
      int labels = 3;
      int[] q = new int[labels * pixels];
      byte[] image = new byte[pixels];
      for (int t = 0; t < 20; t++) {
        for (int i = 0; i < q.length; i++) {
          q[i] = t == 0 ? 0 : t == 1 ? 4080 : r.nextInt(4081);
        }
        for (int i = 0; i < pixels; i++) {
          // t == 0: the largest possible differences (sign bit set); t == 1: the largest negative ones
          image[i] = (byte) (t == 0 ? 255 : t == 1 ? 0 : r.nextInt(256));
        }
        long[] expected = definition(image, q, labels, pixels);
        long[] out = new long[2 * labels];
        kernel.sums(image, q, labels, pixels, out);
        assertArrayEquals(expected, out, name + ", " + pixels + " pixels, round " + t);
      }
    }
  }

  @Test
  void largestDifferencesDoNotOverflowInEitherKernel() {
    int pixels = 4096;
    byte[] image = new byte[pixels];
    java.util.Arrays.fill(image, (byte) 255);
    long[] out = new long[2];
    DistanceKernel.scalarSums(image, new int[pixels], 1, pixels, out);
    assertArrayEquals(new long[] {4080L * pixels, 4080L * 4080L * pixels}, out, "scalar");
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      out = new long[2];
      VectorDistanceKernel.sums(image, new int[pixels], new int[pixels], 1, pixels, out);
      assertArrayEquals(new long[] {4080L * pixels, 4080L * 4080L * pixels}, out, "SIMD");
    }
  }

  @Test
  void vectorKernelIsInUseWhereTheModuleIsThere() {
    // Surefire adds jdk.incubator.vector (Spark's module flags); the job's launcher does the same.
    assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && jdk.incubator.vector.IntVector.SPECIES_PREFERRED.length() >= 8, VectorSupport.AVAILABLE);
    assertEquals(VectorSupport.AVAILABLE, DistanceKernel.VECTOR);
  }
}
