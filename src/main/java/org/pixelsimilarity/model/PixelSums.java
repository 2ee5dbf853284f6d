package org.pixelsimilarity.model;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.pixelsimilarity.data.Labels;

/**
 * Per label: how many images, and for each byte of an image (each pixel of a gray image, each channel of each
 * pixel of a colour one) the sum of its values as a {@code long}. Integer sums make the mean exact and the same
 * bit for bit under any partitioning and merge order.
 */
public final class PixelSums implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int pixels;
  private final TreeMap<String, long[]> sums = new TreeMap<>(Labels.ORDER);
  private final TreeMap<String, long[]> counts = new TreeMap<>(Labels.ORDER);

  public PixelSums(int pixels) {
    this.pixels = pixels;
  }

  public void add(String label, byte[] image) {
    long[] s = sums.get(label);
    if (s == null) {
      s = new long[pixels];
      sums.put(label, s);
      counts.put(label, new long[1]);
    }
    for (int i = 0; i < pixels; i++) {
      s[i] += image[i] & 0xff;
    }
    counts.get(label)[0]++;
  }

  /** Adds the sums of one label that were accumulated elsewhere (another partition, another format). */
  public void add(String label, long count, long[] pixelSums) {
    long[] s = sums.computeIfAbsent(label, k -> new long[pixels]);
    for (int i = 0; i < pixels; i++) {
      s[i] += pixelSums[i];
    }
    counts.computeIfAbsent(label, k -> new long[1])[0] += count;
  }

  public PixelSums merge(PixelSums other) {
    for (Map.Entry<String, long[]> e : other.sums.entrySet()) {
      add(e.getKey(), other.counts.get(e.getKey())[0], e.getValue());
    }
    return this;
  }

  /**
   * Sums of gray images as the sums of the same images in colour, R = G = B: each sum three times, interleaved
   * as the pixels are. Exact: a sum of expanded images is the expanded sum.
   */
  public static long[] asColour(long[] graySums) {
    long[] rgb = new long[graySums.length * 3];
    for (int i = 0; i < graySums.length; i++) {
      rgb[3 * i] = graySums[i];
      rgb[3 * i + 1] = graySums[i];
      rgb[3 * i + 2] = graySums[i];
    }
    return rgb;
  }

  /** Values summed per image: {@code height * width * channels}. */
  public int pixels() {
    return pixels;
  }

  public Iterable<String> labels() {
    return sums.keySet();
  }

  public long count(String label) {
    return counts.get(label)[0];
  }

  public long[] sums(String label) {
    return sums.get(label);
  }
}
