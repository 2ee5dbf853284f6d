package org.pixelsimilarity.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.scoring.NearestIdeal;

/**
 * The arithmetic limit: the nearest ideal image by L1 and L2 for images already in memory, one thread, no Spark.
 * Two loops over the same pixels: the plain double-precision loop of the book ({@link NearestIdeal#nearestExact})
 * and the job's own search ({@link NearestIdeal#nearest}, integer SIMD with exact fallback).
 */
final class ArithmeticLimit {
  /** Result of one loop: images per second of wall time and of the thread's CPU time. */
  record Speed(String name, long images, double seconds, double cpuSeconds, long checksum) {
    double imagesPerSecond() {
      return images / seconds;
    }
  }

  private final byte[][] images;
  private final NearestIdeal ideal;

  private ArithmeticLimit(byte[][] images, NearestIdeal ideal) {
    this.images = images;
    this.ideal = ideal;
  }

  /** Loads the first {@code limit} images of a pixel table into memory. */
  static ArithmeticLimit load(SparkSession spark, String table, int limit, IdealImages model) {
    List<byte[]> images = new java.util.ArrayList<>();
    java.util.Iterator<Row> rows = spark.read().parquet(table).select(PixelTable.PIXELS).limit(limit).toLocalIterator();
    while (rows.hasNext()) {
      images.add((byte[]) rows.next().get(0));
    }
    return new ArithmeticLimit(images.toArray(new byte[0][]), new NearestIdeal(model));
  }

  int size() {
    return images.length;
  }

  /** The plain double loop: best of {@code rounds} passes over all images (the first ones warm the JIT up). */
  Speed plainLoop(int rounds) {
    int[] result = new int[2];
    double[] scratch = new double[2];
    return best("plain_double_loop", rounds, () -> {
      long sum = 0;
      for (byte[] image : images) {
        ideal.nearestExact(image, result, scratch);
        sum += result[0] * 2L + result[1];
      }
      return sum;
    });
  }

  /** The job's search, same images, same thread count. */
  Speed jobKernel(int rounds) {
    NearestIdeal.Work work = ideal.work();
    return best("job_kernel", rounds, () -> {
      long sum = 0;
      int k = ideal.labelCount();
      for (byte[] image : images) {
        int code = ideal.nearest(image, work);
        sum += (code / k) * 2L + code % k;
      }
      return sum;
    });
  }

  private Speed best(String name, int rounds, java.util.function.LongSupplier pass) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Speed best = null;
    for (int r = 0; r < rounds; r++) {
      long cpu = threads.getCurrentThreadCpuTime();
      long t = System.nanoTime();
      long checksum = pass.getAsLong();
      Speed s = new Speed(name, images.length, (System.nanoTime() - t) / 1e9,
          (threads.getCurrentThreadCpuTime() - cpu) / 1e9, checksum);
      if (best == null || s.seconds() < best.seconds()) {
        best = s;
      }
    }
    return best;
  }
}
