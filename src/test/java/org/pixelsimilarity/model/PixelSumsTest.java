package org.pixelsimilarity.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fit's exact sums without Spark: {@link PixelAdd} (each implementation forced, whatever the CPU),
 * {@link PixelSumsFold.Sums} (32-bit partial sums folded into longs before they overflow, merges) and
 * {@link PixelSums}. Expected values are plain long loops written here.
 */
class PixelSumsTest {

  private static byte[] randomImage(SplittableRandom r, int pixels) {
    byte[] image = new byte[pixels];
    for (int i = 0; i < pixels; i++) {
      image[i] = (byte) r.nextInt(256);
    }
    return image;
  }

  @Test
  void partialSumsAreFoldedBeforeTheyOverflow() {
    // One pixel of 255 added 2^24 times: 255 * 2^24 = 4,278,190,080 > 2^31 - 1, so a 32-bit partial sum that
    // is not folded into the long sum (at most every MAX_PENDING = 2^23 adds: 255 * 2^23 < 2^31) wraps around.
    PixelSumsFold.Sums s = new PixelSumsFold.Sums();
    byte[] image = {(byte) 255};
    long n = 1L << 24;
    assertTrue(255 * n > Integer.MAX_VALUE && 255L * PixelAdd.MAX_PENDING <= Integer.MAX_VALUE);
    for (long i = 0; i < n; i++) {
      s.add(image);
    }
    assertEquals(n, s.getCount());
    assertArrayEquals(new long[] {4_278_190_080L}, s.getSums());
  }

  @Test
  void addMatchesAPlainLoopForOddSizes() {
    SplittableRandom r = new SplittableRandom(5);
    for (int pixels : new int[] {1, 9, 784, 1001}) {
      PixelSumsFold.Sums s = new PixelSumsFold.Sums();
      long[] expected = new long[pixels];
      for (int t = 0; t < 300; t++) {
        byte[] image = randomImage(r, pixels);
        for (int i = 0; i < pixels; i++) {
          expected[i] += image[i] & 0xff;
        }
        s.add(image);
      }
      assertEquals(300, s.getCount());
      assertArrayEquals(expected, s.getSums(), pixels + " pixels");
    }
  }

  @Test
  void scalarAddIsThePlainLoop() {
    checkAdd(PixelAdd::scalarAdd, "scalar");
  }

  @Test
  void vectorAddIsThePlainLoop() {
    Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "jdk.incubator.vector is not in this JVM");
    checkAdd(PixelAdd.Simd::add, "SIMD");
  }

  private interface Add {
    void add(byte[] bytes, int offset, int[] partial);
  }

  private static void checkAdd(Add add, String name) {
    SplittableRandom r = new SplittableRandom(17);
    // Sizes below, at and past any vector width (up to 64 int lanes), with a tail.
    for (int pixels : new int[] {1, 3, 8, 15, 16, 17, 63, 64, 65, 784, 1001}) {
      int[] partial = new int[pixels];
      long[] expected = new long[pixels];
      for (int i = 0; i < pixels; i++) {
        partial[i] = r.nextInt(1000);
        expected[i] = partial[i];
      }
      for (int t = 0; t < 5; t++) {
        byte[] image = randomImage(r, pixels);
        if (t == 0) {
          java.util.Arrays.fill(image, (byte) 255); // the sign bit: must add 255, not -1
        }
        for (int i = 0; i < pixels; i++) {
          expected[i] += image[i] & 0xff;
        }
        // The image inside a larger array (as in a Spark row's buffer) at odd offsets, other bytes around it.
        int offset = t * 3;
        byte[] bytes = randomImage(r, offset + pixels + 7);
        System.arraycopy(image, 0, bytes, offset, pixels);
        add.add(bytes, offset, partial);
      }
      long[] got = new long[pixels];
      for (int i = 0; i < pixels; i++) {
        got[i] = partial[i];
      }
      assertArrayEquals(expected, got, name + ", " + pixels + " pixels");
    }
  }

  @Test
  void mergeAddsCountsAndSumsInAnyOrder() {
    SplittableRandom r = new SplittableRandom(9);
    List<byte[]> images = new ArrayList<>();
    long[] expected = new long[5];
    for (int t = 0; t < 30; t++) {
      byte[] image = randomImage(r, 5);
      images.add(image);
      for (int i = 0; i < 5; i++) {
        expected[i] += image[i] & 0xff;
      }
    }
    PixelSumsFold.Sums a = new PixelSumsFold.Sums();
    PixelSumsFold.Sums b = new PixelSumsFold.Sums();
    for (int t = 0; t < 30; t++) {
      (t < 11 ? a : b).add(images.get(t));
    }
    // a has pending partial sums and b too: both must be folded by the merge.
    PixelSumsFold.Sums empty = new PixelSumsFold.Sums();
    PixelSumsFold.Sums merged = empty.merge(a).merge(new PixelSumsFold.Sums()).merge(b);
    assertEquals(30, merged.getCount());
    assertArrayEquals(expected, merged.getSums());
    // Adding after a merge keeps counting into the same sums.
    merged.add(new byte[] {1, 2, 3, 4, 5});
    assertEquals(31, merged.getCount());
    assertArrayEquals(new long[] {expected[0] + 1, expected[1] + 2, expected[2] + 3, expected[3] + 4,
        expected[4] + 5}, merged.getSums());
  }

  @Test
  void sumsOfDifferentSizesAreRefused() {
    PixelSumsFold.Sums a = new PixelSumsFold.Sums();
    a.add(new byte[] {1, 2});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(new byte[] {1, 2, 3}));
    assertEquals("an image of 3 pixels in a group of 2", e.getMessage());
    PixelSumsFold.Sums b = new PixelSumsFold.Sums();
    b.add(new byte[] {1, 2, 3});
    e = assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    assertEquals("merging sums of 3 and 2 pixels", e.getMessage());
  }

  @Test
  void serializedSumsCarryTheirPendingPartialSums() throws Exception {
    PixelSumsFold.Sums s = new PixelSumsFold.Sums();
    assertArrayEquals(new long[0], s.getSums());
    s.add(new byte[] {1, (byte) 200});
    s.add(new byte[] {10, 20});
    // Two adds pending in the 32-bit partial sums, which are not serialized: writing must fold them first.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    PixelSumsFold.Sums read;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      read = (PixelSumsFold.Sums) in.readObject();
    }
    assertEquals(2, read.getCount());
    assertArrayEquals(new long[] {11, 220}, read.getSums());
    read.add(new byte[] {(byte) 255, 0});
    assertEquals(3, read.getCount());
    assertArrayEquals(new long[] {266, 220}, read.getSums());
  }

  @Test
  void pixelSumsPerLabelFromImagesAndFromPartialSums() {
    PixelSums s = new PixelSums(3);
    assertEquals(3, s.pixels());
    s.add("7", new byte[] {1, 2, (byte) 255});
    s.add("3", new byte[] {10, 20, 30});
    s.add("7", new byte[] {4, 5, 6});
    s.add("3", 2, new long[] {100, 200, 300});
    PixelSums other = new PixelSums(3);
    other.add("10", new byte[] {9, 9, 9});
    other.add("7", 5, new long[] {1000, 0, 1});
    assertSame(s, s.merge(other));
    List<String> labels = new ArrayList<>();
    s.labels().forEach(labels::add);
    assertEquals(List.of("3", "7", "10"), labels, "numeric label order");
    assertEquals(3, s.count("3"));
    assertEquals(7, s.count("7"));
    assertEquals(1, s.count("10"));
    assertArrayEquals(new long[] {110, 220, 330}, s.sums("3"));
    assertArrayEquals(new long[] {1005, 7, 262}, s.sums("7"));
    assertArrayEquals(new long[] {9, 9, 9}, s.sums("10"));
  }

  @Test
  void graySumsAsColourRepeatEachSumThreeTimesInPixelOrder() {
    // Two 2x2 gray images: 1 2 / 3 4 and 10 20 / 30 255; their sums 11 22 / 33 259, each as R = G = B.
    PixelSums gray = new PixelSums(4);
    gray.add("a", new byte[] {1, 2, 3, 4});
    gray.add("a", new byte[] {10, 20, 30, (byte) 255});
    long[] expected = {11, 11, 11, 22, 22, 22, 33, 33, 33, 259, 259, 259};
    assertArrayEquals(expected, PixelSums.asColour(gray.sums("a")));
    // The same images as 2x2x3 colour images (each gray value in R, G and B) sum to the same 12 values.
    PixelSums colour = new PixelSums(12);
    colour.add("a", new byte[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4});
    colour.add("a", new byte[] {10, 10, 10, 20, 20, 20, 30, 30, 30, (byte) 255, (byte) 255, (byte) 255});
    assertArrayEquals(expected, colour.sums("a"));
    assertArrayEquals(new long[0], PixelSums.asColour(new long[0]));
  }
}
