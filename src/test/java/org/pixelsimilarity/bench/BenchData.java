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
 * Writes the benchmark's parquet pixel table {@code <out>/images}: N images made by {@link BenchImages} from all
 * the sample's images (train and valid folders), in the layout {@code ingest} writes ({@link PixelTable#write}).
 * One table serves both training and scoring, so that at 10M images (7.8 GB) it still fits in the page cache of
 * a 24 GB machine and the stages measure CPU, not the disk. A {@code _COMPLETE} marker is written last; a folder
 * that has it is reused as it is.
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
      System.out.printf(java.util.Locale.ROOT, "bench data: %,d images in %s (%.0f s)%n", images,
          out.resolve(TABLE), (System.nanoTime() - t) / 1e9);
    } finally {
      spark.stop();
    }
  }

  /** True when the tables for {@code out} are complete. */
  static boolean exists(Path out) {
    return Files.exists(out.resolve(COMPLETE));
  }

  /** The table's folder under the output folder. */
  static final String TABLE = "images";

  static void write(SparkSession spark, Path sample, Path out, long images) throws IOException {
    BenchImages source = BenchImages.from(List.of(sample.resolve("train"), sample.resolve("valid")), SEED);
    writeTable(spark, source, images, out.resolve(TABLE).toString());
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
