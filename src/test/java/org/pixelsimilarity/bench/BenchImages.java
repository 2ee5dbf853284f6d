package org.pixelsimilarity.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.pixelsimilarity.data.ImageDecoder;

/**
 * Benchmark images, made deterministically from a folder of label folders (the bundled sample): image {@code i}
 * is a randomly chosen source image shifted by up to ±2 pixels in each direction, its ink pixels brightened or
 * dimmed by up to ±24 and a few random specks added. Each image depends only on the seed and its index, so any
 * partitioning of the index range makes the same table.
 */
public final class BenchImages implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_SHIFT = 2;
  static final int INK_NOISE = 24;
  static final int MAX_SPECKS = 3;

  private final String[] labels;
  private final byte[][] sources;
  private final int height;
  private final int width;
  private final long seed;

  BenchImages(String[] labels, byte[][] sources, int height, int width, long seed) {
    this.labels = labels;
    this.sources = sources;
    this.height = height;
    this.width = width;
    this.seed = seed;
  }

  /** Reads every image under {@code <root>/<label>/} of each root, in sorted order. */
  static BenchImages from(List<Path> roots, long seed) throws IOException {
    List<String> labels = new ArrayList<>();
    List<byte[]> sources = new ArrayList<>();
    int h = -1;
    int w = -1;
    List<Path> labelDirs = new ArrayList<>();
    for (Path root : roots) {
      labelDirs.addAll(sorted(root));
    }
    for (Path labelDir : labelDirs) {
      for (Path file : sorted(labelDir)) {
        ImageDecoder.Decoded d;
        try {
          d = ImageDecoder.decode(Files.readAllBytes(file));
        } catch (ImageDecoder.BadImage e) {
          throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (h < 0) {
          h = d.height();
          w = d.width();
        } else if (h != d.height() || w != d.width()) {
          throw new IOException(file + ": image is " + d.height() + "x" + d.width() + ", expected " + h + "x" + w);
        }
        labels.add(labelDir.getFileName().toString());
        sources.add(d.pixels());
      }
    }
    if (sources.isEmpty()) {
      throw new IOException(roots + ": no images");
    }
    return new BenchImages(labels.toArray(new String[0]), sources.toArray(new byte[0][]), h, w, seed);
  }

  private static List<Path> sorted(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  int height() {
    return height;
  }

  int width() {
    return width;
  }

  /** The label of image {@code index}; {@link #pixels} fills its pixels. */
  String label(long index) {
    return labels[sourceOf(random(index))];
  }

  private SplittableRandom random(long index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
  }

  private int sourceOf(SplittableRandom r) {
    return r.nextInt(sources.length);
  }

  /** Writes image {@code index} into {@code out} ({@code height * width} bytes). */
  void pixels(long index, byte[] out) {
    SplittableRandom r = random(index);
    byte[] src = sources[sourceOf(r)];
    int dy = r.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    int dx = r.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    for (int y = 0; y < height; y++) {
      int sy = y - dy;
      for (int x = 0; x < width; x++) {
        int sx = x - dx;
        int v = sy < 0 || sy >= height || sx < 0 || sx >= width ? 0 : src[sy * width + sx] & 0xff;
        if (v > 0) {
          v = Math.max(1, Math.min(255, v + r.nextInt(2 * INK_NOISE + 1) - INK_NOISE));
        }
        out[y * width + x] = (byte) v;
      }
    }
    int specks = r.nextInt(MAX_SPECKS + 1);
    for (int s = 0; s < specks; s++) {
      out[r.nextInt(height * width)] = (byte) (1 + r.nextInt(255));
    }
  }

  /** Images {@code from .. to-1} as (label, pixels) pairs, one fresh array each. */
  Iterator<Object[]> range(long from, long to) {
    return new Iterator<>() {
      long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Object[] next() {
        byte[] px = new byte[height * width];
        long i = next++;
        pixels(i, px);
        return new Object[] {label(i), px, i};
      }
    };
  }
}
