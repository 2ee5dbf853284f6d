package org.pixelsimilarity.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.pixelsimilarity.JobException;

/**
 * Reads MNIST's IDX files as distributed: {@code …images-idx3-ubyte[.gz]} (magic 0x00000803, then count, rows,
 * columns as big-endian ints, then the bytes) and {@code …labels-idx1-ubyte[.gz]} (magic 0x00000801, count, one
 * byte per label). The driver reads only the headers. Plain files are split into ranges that executors read
 * with a seek; a gzip file cannot be split and is streamed by one task. Nothing is read whole into memory.
 *
 * <p>An IDX problem (wrong magic, truncated data, counts that differ, missing labels, not gzip) is a problem of
 * the whole file, so it always stops the job, whatever the read mode. The driver finds most of them in the
 * headers and file lengths; what only the stream shows (a truncated or corrupt gzip file) an executor reports as a
 * {@link PixelTable#FILE_ERROR} row, which validation turns into the same one-line error: no task fails, so no
 * Spark stack trace is logged for it.
 */
public final class IdxReader {
  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;
  /** Bytes of image data per task for plain files. */
  static final long BYTES_PER_PARTITION = 32L << 20;
  private static final String GIVE_LABELS = "give the labels file with --train-idx-labels, --valid-idx-labels or"
      + " (ingest) --idx-labels";

  private IdxReader() {}

  /**
   * The header of an images file and its labels file.
   *
   * @param origin the images file as its file system's URI: the images' origins are {@code origin#index}, so they
   *     say where an image is wherever the report is read (messages name the files as given)
   */
  record Header(String images, String labels, int count, int rows, int cols, boolean gzip, String origin)
      implements java.io.Serializable {
    int pixels() {
      return rows * cols;
    }
  }

  /** Finds the labels file beside {@code images}: {@code images-idx3-ubyte} becomes {@code labels-idx1-ubyte}. */
  public static String labelsBeside(String images, Configuration conf) {
    List<String> tried = new ArrayList<>();
    String found = labelsBeside(images, conf, tried);
    if (found != null) {
      return found;
    }
    if (tried.isEmpty()) {
      throw new JobException(images + ": cannot derive the labels file name (expected a name like"
          + " train-images-idx3-ubyte); " + GIVE_LABELS);
    }
    throw new JobException(images + ": labels file not found (looked for " + String.join(" and ", tried)
        + "); " + GIVE_LABELS);
  }

  /**
   * The labels file beside {@code images}, or null when there is none; {@code tried} gets the names looked for
   * (none when the images file's name does not say what its labels file is called).
   */
  static String labelsBeside(String images, Configuration conf, List<String> tried) {
    Path p = new Path(images);
    String name = p.getName();
    String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    String labelsBase = base.replace("images", "labels").replace("idx3", "idx1");
    if (labelsBase.equals(base)) {
      return null;
    }
    try {
      FileSystem fs = p.getFileSystem(conf);
      for (String candidate : new String[] {labelsBase + ".gz", labelsBase}) {
        Path c = new Path(p.getParent(), candidate);
        tried.add(c.toString());
        if (fs.exists(c)) {
          return c.toString();
        }
      }
    } catch (IOException e) {
      throw new JobException(images + ": cannot look for its labels file: " + StorageFailure.describe(images, e), e);
    }
    return null;
  }

  /** Decoded rows of {@link PixelTable#DECODED}. {@code labelsFile} null = find it beside the images. */
  public static Dataset<Row> read(SparkSession spark, String images, String labelsFile, Set<String> keep) {
    return read(spark, images, labelsFile, keep, true);
  }

  /**
   * As {@link #read(SparkSession, String, String, Set)}; with {@code labelsRequired} false an images file without
   * a labels file (none given, none beside it) is read with null labels.
   */
  public static Dataset<Row> read(SparkSession spark, String images, String labelsFile, Set<String> keep,
      boolean labelsRequired) {
    return read(spark, images, labelsFile, keep, BYTES_PER_PARTITION, labelsRequired);
  }

  /** As {@link #read(SparkSession, String, String, Set)}, with plain files split every {@code bytesPerPartition}. */
  static Dataset<Row> read(SparkSession spark, String images, String labelsFile, Set<String> keep,
      long bytesPerPartition) {
    return read(spark, images, labelsFile, keep, bytesPerPartition, true);
  }

  private static Dataset<Row> read(SparkSession spark, String images, String labelsFile, Set<String> keep,
      long bytesPerPartition, boolean labelsRequired) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    requireFile(images, hadoop);
    String labels = labelsFile != null ? labelsFile
        : labelsRequired ? labelsBeside(images, hadoop) : labelsBeside(images, hadoop, new ArrayList<>());
    Header h = qualified(readHeader(images, labels, hadoop), hadoop);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<long[]> ranges = new ArrayList<>();
    if (h.gzip() || h.count() == 0) {
      ranges.add(new long[] {0, h.count()});
    } else {
      long perTask = Math.max(1, bytesPerPartition / h.pixels());
      long tasks = Math.max(jsc.defaultParallelism(), (h.count() + perTask - 1) / perTask);
      perTask = (h.count() + tasks - 1) / tasks;
      for (long start = 0; start < h.count(); start += perTask) {
        ranges.add(new long[] {start, Math.min(h.count(), start + perTask)});
      }
    }
    Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(hadoop));
    JavaRDD<Row> rows = jsc.parallelize(ranges, ranges.size())
        .flatMap(r -> new IdxRange(h, r[0], r[1], conf.value().value(), keep));
    return spark.createDataFrame(rows, PixelTable.DECODED);
  }

  /** The header with {@link Header#origin} the images file's URI. */
  private static Header qualified(Header h, Configuration conf) {
    try {
      Path images = new Path(h.images());
      return new Header(h.images(), h.labels(), h.count(), h.rows(), h.cols(), h.gzip(),
          images.getFileSystem(conf).makeQualified(images).toString());
    } catch (IOException e) {
      throw new JobException(h.images() + ": cannot read: " + StorageFailure.describe(h.images(), e), e);
    }
  }

  private static void requireFile(String file, Configuration conf) {
    try {
      Path p = new Path(file);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new JobException(file + ": path does not exist");
      }
      if (fs.getFileStatus(p).isDirectory()) {
        throw new JobException(file + ": is a folder, expected an IDX images file");
      }
    } catch (IOException e) {
      throw new JobException(file + ": cannot read: " + StorageFailure.describe(file, e), e);
    }
  }

  /** The headers of both files, checked against each other; {@code labels} null = an images file alone. */
  static Header readHeader(String images, String labels, Configuration conf) {
    int[] img = header(images, 4, IMAGES_MAGIC, "images (idx3 unsigned byte)", conf);
    int[] lab = labels == null ? null : header(labels, 2, LABELS_MAGIC, "labels (idx1 unsigned byte)", conf);
    int n = img[1];
    int rows = img[2];
    int cols = img[3];
    if (n < 0 || rows < 1 || cols < 1) {
      throw new JobException(images + ": bad header: " + n + " images of " + rows + "x" + cols);
    }
    if (lab != null && lab[1] != n) {
      throw new JobException(labels + ": has " + lab[1] + " labels but " + images + " has " + n + " images");
    }
    if (!isGzip(images)) {
      checkLength(images, 16L + (long) n * rows * cols, n + " images of " + rows + "x" + cols, conf);
    }
    if (labels == null) {
      return new Header(images, null, n, rows, cols, isGzip(images), images);
    }
    if (!isGzip(labels)) {
      checkLength(labels, 8L + n, n + " labels", conf);
    }
    return new Header(images, labels, n, rows, cols, isGzip(images) || isGzip(labels), images);
  }

  private static void checkLength(String file, long expected, String what, Configuration conf) {
    try {
      Path p = new Path(file);
      long len = p.getFileSystem(conf).getFileStatus(p).getLen();
      if (len < expected) {
        throw new JobException(file + ": truncated: header says " + what + " (" + expected + " bytes), file has "
            + len + " bytes");
      }
      if (len > expected) {
        throw new JobException(file + ": " + (len - expected) + " bytes after the " + what + " its header declares");
      }
    } catch (IOException e) {
      throw new JobException(file + ": cannot read: " + StorageFailure.describe(file, e), e);
    }
  }

  private static int[] header(String file, int dims, int magic, String what, Configuration conf) {
    try (DataInputStream in = new DataInputStream(open(file, conf))) {
      int[] h = new int[dims];
      int m = in.readInt();
      if (m != magic) {
        String hint = !isGzip(file) && (m >>> 16) == 0x1F8B ? " (it looks gzip-compressed: name it " + file
            + ".gz)" : "";
        throw new JobException(String.format("%s: magic number 0x%08X, expected 0x%08X for IDX %s%s", file, m, magic,
            what, hint));
      }
      h[0] = m;
      for (int i = 1; i < dims; i++) {
        h[i] = in.readInt();
      }
      return h;
    } catch (java.io.FileNotFoundException e) {
      throw new JobException(file + ": path does not exist", e);
    } catch (ZipException e) {
      throw new JobException(file + ": not a gzip file (" + e.getMessage() + ")", e);
    } catch (EOFException e) {
      throw new JobException(file + ": truncated: the IDX header is incomplete", e);
    } catch (IOException e) {
      throw new JobException(file + ": cannot read: " + StorageFailure.describe(file, e), e);
    }
  }

  static boolean isGzip(String file) {
    return file.endsWith(".gz");
  }

  static InputStream open(String file, Configuration conf) throws IOException {
    Path p = new Path(file);
    InputStream raw = p.getFileSystem(conf).open(p);
    return isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16);
  }
}
