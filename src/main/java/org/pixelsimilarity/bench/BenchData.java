package org.pixelsimilarity.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.data.PixelTable;

/**
 * Writes the benchmark's two parquet pixel tables, {@code <out>/train} and {@code <out>/valid}, N images each,
 * made by {@link BenchImages} from the sample's train and valid folders, in the layout {@code ingest} writes.
 * A {@code _COMPLETE} marker is written last; a folder that has it is reused as it is.
 */
public final class BenchData {
  static final long SEED = 20240601L;
  static final String COMPLETE = "_COMPLETE";
  /** Images per generating task (and so per file): about 60 MB of pixels. */
  static final long IMAGES_PER_FILE = 80_000;

  private BenchData() {}

  /** {@code <images> <sample dir> <out dir>}: writes the tables unless {@code <out dir>} already has them. */
  public static void main(String[] args) throws IOException {
    long images = Long.parseLong(args[0]);
    Path sample = Path.of(args[1]);
    Path out = Path.of(args[2]);
    if (exists(out)) {
      System.out.println("bench data: reusing " + out);
      return;
    }
    Bench.deleteTree(out);
    SparkSession spark = org.pixelsimilarity.cli.Sessions.start("local[*]", "WARN", java.util.Map.of()).spark();
    try {
      long t = System.nanoTime();
      write(spark, sample, out, images);
      System.out.printf(java.util.Locale.ROOT, "bench data: %,d train + %,d valid images in %s (%.0f s)%n", images,
          images, out, (System.nanoTime() - t) / 1e9);
    } finally {
      spark.stop();
    }
  }

  /** True when the tables for {@code out} are complete. */
  static boolean exists(Path out) {
    return Files.exists(out.resolve(COMPLETE));
  }

  static void write(SparkSession spark, Path sample, Path out, long images) throws IOException {
    for (String role : new String[] {"train", "valid"}) {
      BenchImages source = BenchImages.from(sample.resolve(role), SEED + role.hashCode());
      writeTable(spark, source, images, out.resolve(role).toString());
    }
    Files.writeString(out.resolve(COMPLETE), images + "\n");
  }

  private static void writeTable(SparkSession spark, BenchImages source, long images, String path) {
    int files = (int) Math.max(1, (images + IMAGES_PER_FILE - 1) / IMAGES_PER_FILE);
    List<long[]> ranges = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      ranges.add(new long[] {images * f / files, images * (f + 1) / files});
    }
    int h = source.height();
    int w = source.width();
    String name = "bench-" + path.substring(path.lastIndexOf('/') + 1);
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(ranges, files)
        .mapPartitions((Iterator<long[]> it) -> {
          long[] range = it.next();
          Iterator<Object[]> images1 = source.range(range[0], range[1]);
          return new Iterator<Row>() {
            @Override
            public boolean hasNext() {
              return images1.hasNext();
            }

            @Override
            public Row next() {
              Object[] im = images1.next();
              return RowFactory.create(im[0], im[1], name + "#" + im[2], h, w);
            }
          };
        });
    PixelTable.write(spark.createDataFrame(rows, PixelTable.STORED), path, true);
  }
}
