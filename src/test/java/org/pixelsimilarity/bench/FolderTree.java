package org.pixelsimilarity.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * The folder benchmark's input: N PNG files made by {@link BenchImages} from the bundled sample, in the layout of
 * fastai's MNIST folders, {@code <out>/train/<label>/<index>.png} for the first 6/7 of the images and
 * {@code <out>/valid/<label>/<index>.png} for the rest (70,000 → 60,000 + 10,000, like Fashion-MNIST's
 * training/testing). Written by ImageIO (8-bit gray, adaptive filters per row, as PIL writes them), on every core,
 * untimed; a {@code _COMPLETE} marker is written last and a tree that has it is reused as it is.
 *
 * <p>With a fourth argument {@code colour}, the same images recoloured as 8-bit RGB PNG files (the issue's
 * "Fashion-MNIST recoloured" tree): image {@code i} takes ink and background colour pair {@code i mod 10}, so
 * colour says nothing of the label (the classes differ by shape alone, as in the gray tree), and a pixel of gray
 * value {@code v} becomes {@code bg + (ink - bg) * v / 255} in each channel: the gray tree's files, names and
 * labels, three bytes a pixel.
 */
final class FolderTree {
  private FolderTree() {}

  static long trainImages(long images) {
    return images * 6 / 7;
  }

  /** Ink and background colours (R, G, B), pair {@code i mod 10} for image {@code i}. */
  private static final int[][] INK = {
    {255, 230, 40}, {90, 220, 255}, {255, 120, 200}, {160, 255, 120}, {255, 170, 60},
    {200, 160, 255}, {250, 250, 250}, {255, 80, 80}, {120, 255, 230}, {230, 200, 150}};
  private static final int[][] BACKGROUND = {
    {10, 20, 70}, {60, 10, 30}, {0, 50, 40}, {40, 40, 40}, {20, 0, 80},
    {70, 60, 0}, {30, 10, 10}, {0, 30, 90}, {50, 0, 50}, {15, 45, 25}};

  /** {@code <images> <sample dir> <out dir> [gray|colour]}. */
  public static void main(String[] args) throws Exception {
    long images = Long.parseLong(args[0]);
    Path sample = Path.of(args[1]);
    Path out = Path.of(args[2]);
    boolean colour = args.length > 3 && args[3].equals("colour");
    if (BenchData.exists(out)) {
      System.out.println("folder tree: reusing " + out);
      return;
    }
    Bench.deleteTree(out);
    long t = System.nanoTime();
    write(BenchImages.from(List.of(sample.resolve("train"), sample.resolve("valid")), BenchData.SEED), images, out,
        colour);
    Files.writeString(out.resolve(BenchData.COMPLETE), images + "\n");
    System.out.printf(Locale.ROOT, "folder tree: %,d %s PNG files in %s (%.0f s)%n", images, colour ? "RGB" : "gray", out,
        (System.nanoTime() - t) / 1e9);
  }

  private static void write(BenchImages source, long images, Path out, boolean colour) throws Exception {
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> parts = new ArrayList<>();
      long chunk = 10_000;
      for (long from = 0; from < images; from += chunk) {
        long a = from;
        long b = Math.min(images, from + chunk);
        parts.add(pool.submit(() -> writeRange(source, images, a, b, out, colour)));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void writeRange(BenchImages source, long images, long from, long to, Path out, boolean colour) {
    int h = source.height();
    int w = source.width();
    BufferedImage img = new BufferedImage(w, h, colour ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_BYTE_GRAY);
    byte[] raster = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      var it = source.range(from, to);
      while (it.hasNext()) {
        Object[] im = it.next();
        long i = (Long) im[2];
        if (colour) {
          recolour((byte[]) im[1], (int) (i % INK.length), raster);
        } else {
          System.arraycopy((byte[]) im[1], 0, raster, 0, h * w);
        }
        png.reset();
        ImageIO.write(img, "png", png);
        Path dir = out.resolve(i < trainImages(images) ? "train" : "valid").resolve((String) im[0]);
        Files.createDirectories(dir);
        Files.write(dir.resolve(String.format(Locale.ROOT, "%07d.png", i)), png.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fills a TYPE_3BYTE_BGR raster (B, G, R a pixel) with the gray pixels in colour pair {@code pair}. */
  static void recolour(byte[] gray, int pair, byte[] bgr) {
    int[] ink = INK[pair];
    int[] bg = BACKGROUND[pair];
    for (int p = 0; p < gray.length; p++) {
      int v = gray[p] & 0xff;
      for (int c = 0; c < 3; c++) {
        bgr[3 * p + 2 - c] = (byte) (bg[c] + (ink[c] - bg[c]) * v / 255);
      }
    }
  }
}
