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
 */
final class FolderTree {
  private FolderTree() {}

  static long trainImages(long images) {
    return images * 6 / 7;
  }

  /** {@code <images> <sample dir> <out dir>}. */
  public static void main(String[] args) throws Exception {
    long images = Long.parseLong(args[0]);
    Path sample = Path.of(args[1]);
    Path out = Path.of(args[2]);
    if (BenchData.exists(out)) {
      System.out.println("folder tree: reusing " + out);
      return;
    }
    Bench.deleteTree(out);
    long t = System.nanoTime();
    write(BenchImages.from(List.of(sample.resolve("train"), sample.resolve("valid")), BenchData.SEED), images, out);
    Files.writeString(out.resolve(BenchData.COMPLETE), images + "\n");
    System.out.printf(Locale.ROOT, "folder tree: %,d PNG files in %s (%.0f s)%n", images, out,
        (System.nanoTime() - t) / 1e9);
  }

  private static void write(BenchImages source, long images, Path out) throws Exception {
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> parts = new ArrayList<>();
      long chunk = 10_000;
      for (long from = 0; from < images; from += chunk) {
        long a = from;
        long b = Math.min(images, from + chunk);
        parts.add(pool.submit(() -> writeRange(source, images, a, b, out)));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void writeRange(BenchImages source, long images, long from, long to, Path out) {
    int h = source.height();
    int w = source.width();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] raster = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      var it = source.range(from, to);
      while (it.hasNext()) {
        Object[] im = it.next();
        long i = (Long) im[2];
        System.arraycopy((byte[]) im[1], 0, raster, 0, h * w);
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
}
