package org.pixelsimilarity.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.cli.PixelSimilarityCli;
import org.pixelsimilarity.cli.Sessions;
import org.pixelsimilarity.data.PixelTable;

/**
 * The colour stage of {@code jobs/bench.sh}: a parquet pixel table of N images of 32x32x3 (CIFAR's shape), made
 * once (untimed; {@code <data dir>/_COMPLETE} marks it, then it is reused): 10 classes, each a colour gradient of
 * its own, every value moved by noise of ±24 from a fixed seed. Then, in this JVM and through the command line's
 * own entry as a user runs it, {@code colour_train} (train: read + validate + fit + save the model) and
 * {@code colour_score} (evaluate: read + validate + score L1 and L2 + write the report), each printed with
 * images/s and bytes/s (pixel bytes per second: images × 3,072), to set beside the gray stages' bytes/s
 * (images/s × 784).
 *
 * <p>Arguments: {@code <images> <master> <data dir> <results dir>}.
 */
public final class ColourBench {
  static final int SIDE = 32;
  static final int BYTES = SIDE * SIDE * 3;
  static final int CLASSES = 10;
  static final long SEED = 20261206L;
  /** Images per generating task (and so per file): about 60 MB of pixels, as the gray table's files. */
  static final long IMAGES_PER_FILE = 20_000;

  private ColourBench() {}

  public static void main(String[] args) throws IOException {
    long images = Long.parseLong(args[0]);
    String master = args[1];
    Path data = Path.of(args[2]).toAbsolutePath();
    Path results = Path.of(args[3]);
    SparkSession spark = Sessions.start(master, "WARN", Map.of()).spark();
    try {
      String table = data.resolve(BenchData.TABLE).toString();
      if (!BenchData.exists(data)) {
        Bench.deleteTree(data);
        long t = System.nanoTime();
        write(spark, table, images);
        Files.writeString(data.resolve(BenchData.COMPLETE), images + "\n");
        System.out.printf(Locale.ROOT, "colour bench data: %,d images of 32x32x3 in %s (%.0f s)%n", images, table,
            (System.nanoTime() - t) / 1e9);
      }
      Path work = data.resolve("run");
      Bench.deleteTree(work);
      BenchReport report = new BenchReport(System.out, images, master);
      String model = work.resolve("model").toString();
      stage(report, "colour_train", images, "train", "--train", table, "--model", model, "--master", master);
      stage(report, "colour_score", images, "evaluate", "--model", model, "--valid", table, "--report",
          work.resolve("report").toString(), "--master", master);
      System.out.println("json=" + report.write(results));
    } finally {
      spark.stop();
    }
  }

  /** Runs one command, timed; prints its stage line and its bytes/s. */
  private static void stage(BenchReport report, String name, long images, String... args) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PixelSimilarityCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    double seconds = (System.nanoTime() - t) / 1e9;
    if (code != 0) {
      throw new IllegalStateException(name + " exited " + code + ": " + err);
    }
    report.stage(name, images, seconds, (os.getProcessCpuTime() - cpu) / 1e9);
    double bytesPerSecond = images * (double) BYTES / seconds;
    report.value(name + "_bytes_per_s", bytesPerSecond, String.format(Locale.ROOT, "%.0f (%.1f MB/s of pixels,"
        + " images/s x %d)", bytesPerSecond, bytesPerSecond / 1e6, BYTES));
  }

  /** The table in the layout ingest writes, with its channels column: one generating task (and file) per 20,000 images. */
  static void write(SparkSession spark, String path, long images) {
    int files = (int) Math.max(1, (images + IMAGES_PER_FILE - 1) / IMAGES_PER_FILE);
    List<long[]> ranges = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      ranges.add(new long[] {images * f / files, images * (f + 1) / files});
    }
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ranges, files)
        .flatMap(range -> new java.util.Iterator<Row>() {
          private long i = range[0];

          @Override
          public boolean hasNext() {
            return i < range[1];
          }

          @Override
          public Row next() {
            int label = (int) (i % CLASSES);
            Row row = RowFactory.create(Integer.toString(label), image(label, i), "colour-bench#" + i, SIDE, SIDE, 3);
            i++;
            return row;
          }
        });
    StructType schema = PixelTable.STORED.add(PixelTable.CHANNELS, DataTypes.IntegerType, false);
    PixelTable.write(spark.createDataFrame(rows, schema), path, true);
  }

  /** Image {@code i} of class {@code label}: the class's gradient (R by x, G by y, B by the class) plus noise. */
  static byte[] image(int label, long i) {
    SplittableRandom random = new SplittableRandom(SEED ^ (i * 0x9E3779B97F4A7C15L));
    byte[] px = new byte[BYTES];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int p = 3 * (y * SIDE + x);
        int r = (x * (label + 1) * 8 + label * 25) % 256;
        int g = (y * (CLASSES - label) * 8 + label * 40) % 256;
        int b = 20 + label * 23;
        px[p] = noisy(r, random);
        px[p + 1] = noisy(g, random);
        px[p + 2] = noisy(b, random);
      }
    }
    return px;
  }

  private static byte noisy(int v, SplittableRandom random) {
    return (byte) Math.max(0, Math.min(255, v + random.nextInt(-24, 25)));
  }
}
