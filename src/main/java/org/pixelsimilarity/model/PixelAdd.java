package org.pixelsimilarity.model;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.pixelsimilarity.VectorSupport;

/**
 * {@code partial[i] += image[offset + i] & 0xff} for every pixel: the inner loop of fitting (an image may start
 * inside a larger array, e.g. a Spark row's bytes). With the JDK Vector API
 * when {@link VectorSupport#AVAILABLE}, else one pixel at a time.
 */
final class PixelAdd {
  /** Images that may be added to 32-bit partial sums before they must be folded into longs: 255 * this < 2^31. */
  static final int MAX_PENDING = 1 << 23;

  private PixelAdd() {}

  static void add(byte[] image, int offset, int[] partial) {
    if (VectorSupport.AVAILABLE) {
      Simd.add(image, offset, partial);
    } else {
      scalarAdd(image, offset, partial);
    }
  }

  /** The plain loop; package-private so tests run it whatever the CPU. */
  static void scalarAdd(byte[] image, int offset, int[] partial) {
    for (int i = 0; i < partial.length; i++) {
      partial[i] += image[offset + i] & 0xff;
    }
  }

  /** Only loaded when the Vector API is there; package-private so tests run it whatever {@link VectorSupport} says. */
  static final class Simd {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> BYTES =
        VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, INTS.length() * 8)));

    static void add(byte[] image, int offset, int[] partial) {
      int lanes = INTS.length();
      int upper = partial.length - partial.length % lanes;
      int i = 0;
      for (; i < upper; i += lanes) {
        IntVector px = ((IntVector) ByteVector.fromArray(BYTES, image, offset + i)
            .convertShape(VectorOperators.B2I, INTS, 0)).and(0xff);
        IntVector.fromArray(INTS, partial, i).add(px).intoArray(partial, i);
      }
      for (; i < partial.length; i++) {
        partial[i] += image[offset + i] & 0xff;
      }
    }
  }
}
