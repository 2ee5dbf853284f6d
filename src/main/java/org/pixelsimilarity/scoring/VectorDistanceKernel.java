package org.pixelsimilarity.scoring;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** {@link DistanceKernel} with the JDK Vector API: one lane per pixel, 32-bit lanes folded into 64-bit sums. */
final class VectorDistanceKernel {
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, INTS.length() * 8)));
  private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, INTS.vectorShape());

  private VectorDistanceKernel() {}

  static void sums(byte[] image, int[] x, int[] q, int labels, int pixels, long[] out) {
    int lanes = INTS.length();
    int upper = pixels - pixels % lanes;
    int i = 0;
    for (; i < upper; i += lanes) {
      ((IntVector) ByteVector.fromArray(BYTES, image, i).convertShape(VectorOperators.B2I, INTS, 0))
          .and(0xff).lanewise(VectorOperators.LSHL, FixedPointIdeals.SHIFT).intoArray(x, i);
    }
    for (; i < pixels; i++) {
      x[i] = (image[i] & 0xff) << FixedPointIdeals.SHIFT;
    }
    for (int k = 0; k < labels; k++) {
      sumsOne(x, q, k * pixels, pixels, upper, out, 2 * k);
    }
  }

  /** One ideal image: lane sums over chunks of at most {@link FixedPointIdeals#CHUNK} steps, then the tail. */
  private static void sumsOne(int[] x, int[] q, int o, int pixels, int upper, long[] out, int at) {
    int lanes = INTS.length();
    long abs = 0;
    long sq = 0;
    int i = 0;
    while (i < upper) {
      int end = Math.min(upper, i + FixedPointIdeals.CHUNK * lanes);
      IntVector a = IntVector.zero(INTS);
      IntVector s = IntVector.zero(INTS);
      for (; i < end; i += lanes) {
        IntVector d = IntVector.fromArray(INTS, x, i).sub(IntVector.fromArray(INTS, q, o + i));
        a = a.add(d.abs());
        s = s.add(d.mul(d));
      }
      // Lane sums of |d| stay below lanes * CHUNK * 4080, far inside an int; squares need 64 bits.
      abs += a.reduceLanes(VectorOperators.ADD);
      sq += ((LongVector) s.convertShape(VectorOperators.I2L, LONGS, 0)).reduceLanes(VectorOperators.ADD)
          + ((LongVector) s.convertShape(VectorOperators.I2L, LONGS, 1)).reduceLanes(VectorOperators.ADD);
    }
    for (; i < pixels; i++) {
      long d = x[i] - q[o + i];
      abs += Math.abs(d);
      sq += d * d;
    }
    out[at] = abs;
    out[at + 1] = sq;
  }
}
