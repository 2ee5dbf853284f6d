package org.pixelsimilarity.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.pixelsimilarity.JobException;

/**
 * Reads {@code <root>/<label>/<image>}. Files are listed on the driver (every file, hidden ones included, so
 * nothing is skipped without a word) and decoded on executors by {@link ImageDecoder}.
 */
public final class ImageFolderReader {
  /** Files per decoding task: small enough to spread a 2,000-image sample over both cores. */
  static final int FILES_PER_PARTITION = 512;

  private ImageFolderReader() {}

  /** The listing: which files to decode under which label, and what cannot even be listed as an image. */
  record Listing(List<String[]> files, List<String> emptyLabels) {}

  /** Decoded rows of {@link PixelTable#DECODED}; {@code labels} (may be empty = all) limits the label folders. */
  public static Decoded read(SparkSession spark, String root, Set<String> labels) {
    Listing listing = list(spark, root, labels);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf = jsc.broadcast(
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    int n = listing.files().size();
    int partitions = Math.max(1, Math.min(jsc.defaultParallelism() * 4,
        (n + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION));
    partitions = Math.max(partitions, Math.min(n, jsc.defaultParallelism()));
    JavaRDD<Row> rows = jsc.parallelize(listing.files(), Math.max(1, partitions))
        .mapPartitions(it -> decodeAll(it, conf.value().value()));
    return new Decoded(spark.createDataFrame(rows, PixelTable.DECODED), listing.emptyLabels());
  }

  /** Decoded rows plus label folders that held no file at all (reported, since they train nothing). */
  public record Decoded(Dataset<Row> rows, List<String> emptyLabels) {}

  static Listing list(SparkSession spark, String root, Set<String> labels) {
    Path rootPath = new Path(root);
    List<String[]> files = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    try {
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(rootPath)) {
        throw new JobException(root + ": path does not exist");
      }
      FileStatus top = fs.getFileStatus(rootPath);
      if (!top.isDirectory()) {
        throw new JobException(root + ": not a folder of label folders (and not an IDX or parquet path)");
      }
      FileStatus[] children = fs.listStatus(rootPath);
      java.util.Arrays.sort(children);
      for (FileStatus child : children) {
        String name = child.getPath().getName();
        if (!child.isDirectory()) {
          files.add(new String[] {null, child.getPath().toString(),
              "file directly under the dataset root; images belong in " + root + "/<label>/"});
          continue;
        }
        if (!labels.isEmpty() && !labels.contains(name)) {
          continue;
        }
        int before = files.size();
        List<String[]> inLabel = new ArrayList<>();
        walk(fs, child.getPath(), name, root, true, inLabel);
        inLabel.sort((a, b) -> a[1].compareTo(b[1]));
        files.addAll(inLabel);
        if (files.size() == before) {
          empty.add(name);
        }
      }
    } catch (IOException e) {
      throw new JobException(root + ": cannot list: " + e.getMessage(), e);
    }
    return new Listing(files, empty);
  }

  /**
   * Lists a label folder recursively with {@code listStatus}: {@code listFiles} would build a
   * {@code LocatedFileStatus} per file, which on the local file system forks a process per file for its
   * permissions (16 s for the 2,000-image sample).
   */
  private static void walk(FileSystem fs, Path dir, String label, String root, boolean direct, List<String[]> out)
      throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isDirectory()) {
        walk(fs, s.getPath(), label, root, false, out);
      } else {
        out.add(new String[] {label, s.getPath().toString(), direct ? null
            : "file nested below the label folder; images belong directly in " + root + "/<label>/"});
      }
    }
  }

  private static Iterator<Row> decodeAll(Iterator<String[]> files, org.apache.hadoop.conf.Configuration conf) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return files.hasNext();
      }

      @Override
      public Row next() {
        String[] f = files.next();
        String label = f[0];
        String path = f[1];
        if (f[2] != null) {
          return RowFactory.create(label, null, path, null, null, f[2]);
        }
        try {
          ImageDecoder.Decoded d = ImageDecoder.decode(readAll(new Path(path), conf));
          return RowFactory.create(label, d.pixels(), path, d.height(), d.width(), null);
        } catch (ImageDecoder.BadImage e) {
          return RowFactory.create(label, null, path, null, null, e.getMessage());
        } catch (IOException e) {
          return RowFactory.create(label, null, path, null, null, "cannot read file: " + e.getMessage());
        }
      }
    };
  }

  static byte[] readAll(Path path, org.apache.hadoop.conf.Configuration conf) throws IOException {
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      return in.readAllBytes();
    }
  }
}
