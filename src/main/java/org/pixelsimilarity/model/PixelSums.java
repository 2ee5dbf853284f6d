package org.pixelsimilarity.model;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.pixelsimilarity.data.Labels;

/**
 * Per label: how many images, and for each pixel the sum of its bytes as a {@code long}. Integer sums make the
 * mean exact and the same bit for bit under any partitioning and merge order.
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
