package org.pixelsimilarity.data;

import java.io.IOException;
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
 * Reads {@code <root>/<label>/<image>}. Files are listed on the driver and decoded on executors by
 * {@link ImageDecoder}. Every listed file becomes a row: an image, or a bad image with its reason (a file directly
 * under the root, a file nested below a label folder, anything that does not decode). Hidden entries (names
 * starting with '.', such as {@code .DS_Store}, {@code .ipynb_checkpoints/} or Hadoop's {@code .crc} files) are not
 * data, as in Spark's own file sources: they are skipped, but counted and named, never dropped without a word.
 */
public final class ImageFolderReader {
  /** Files per decoding task: small enough to spread a 2,000-image sample over both cores. */
  static final int FILES_PER_PARTITION = 512;

  private ImageFolderReader() {}

  /** The listing: which files to decode under which label, label folders without images, hidden entries skipped. */
  record Listing(List<String[]> files, List<String> emptyLabels, List<String> hidden) {}

  /** Decoded rows of {@link PixelTable#DECODED}; {@code labels} (may be empty = all) limits the label folders. */
  public static Decoded read(SparkSession spark, String root, Set<String> labels) {
    return read(spark, root, labels, true);
  }

  /**
   * As {@link #read(SparkSession, String, Set)}; with {@code labelFolders} false the root is a tree of unlabelled
   * images instead ({@link Labelling#OPTIONAL_IMAGE_TREE}).
   */
  public static Decoded read(SparkSession spark, String root, Set<String> labels, boolean labelFolders) {
    Listing listing = labelFolders ? list(spark, root, labels) : listTree(spark, root);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf = jsc.broadcast(
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    int n = listing.files().size();
    int partitions = Math.max(1, Math.min(jsc.defaultParallelism() * 4,
        (n + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION));
    partitions = Math.max(partitions, Math.min(n, jsc.defaultParallelism()));
    JavaRDD<Row> rows = jsc.parallelize(listing.files(), Math.max(1, partitions))
        .mapPartitions(it -> decodeAll(it, conf.value().value()));
    return new Decoded(spark.createDataFrame(rows, PixelTable.DECODED), listing.emptyLabels(), listing.hidden());
  }

  /**
   * Decoded rows plus label folders that held no file at all (reported, since they train nothing) and the hidden
   * entries skipped (paths, reported as a count and a few names).
   */
  public record Decoded(Dataset<Row> rows, List<String> emptyLabels, List<String> hidden) {}

  static Listing list(SparkSession spark, String root, Set<String> labels) {
    Path rootPath = new Path(root);
    List<String[]> files = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    List<String> hidden = new ArrayList<>();
    boolean anyFolder = false;
    try {
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      requireFolder(fs, rootPath, root);
      for (FileStatus child : sorted(fs.listStatus(rootPath))) {
        String name = child.getPath().getName();
        if (isHidden(name)) {
          hidden.add(child.getPath().toString());
        } else if (!child.isDirectory()) {
          files.add(new String[] {null, child.getPath().toString(),
              "file directly under the dataset root; images belong in " + root + "/<label>/"});
        } else {
          anyFolder = true;
          if (!labels.isEmpty() && !labels.contains(name)) {
            continue;
          }
          List<String[]> inLabel = labelFolder(fs, child.getPath(), root, hidden);
          files.addAll(inLabel);
          if (inLabel.isEmpty()) {
            empty.add(name);
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new JobException(root + ": cannot list: " + e.getMessage(), e);
    }
    if (!anyFolder && !files.isEmpty()) {
      throw new JobException(root + ": no label folders, but " + files.size() + " file(s) directly in it, e.g. "
          + new Path(files.get(0)[1]).getName() + "; point at the folder that holds one folder per label"
          + " (<root>/<label>/<image>)");
    }
    return new Listing(files, empty, hidden);
  }

  /**
   * Every non-hidden file under {@code root}, at any depth, as an image without a label, sorted by path: the
   * layout of a folder of new images to predict, whose sub-folders (dates, batches, cameras) are not labels.
   */
  static Listing listTree(SparkSession spark, String root) {
    Path rootPath = new Path(root);
    List<String[]> files = new ArrayList<>();
    List<String> hidden = new ArrayList<>();
    try {
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      requireFolder(fs, rootPath, root);
      tree(fs, rootPath, files, hidden);
    } catch (IOException | IllegalArgumentException e) {
      throw new JobException(root + ": cannot list: " + e.getMessage(), e);
    }
    files.sort((a, b) -> a[1].compareTo(b[1]));
    return new Listing(files, List.of(), hidden);
  }

  private static void tree(FileSystem fs, Path dir, List<String[]> out, List<String> hidden) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (isHidden(s.getPath().getName())) {
        hidden.add(s.getPath().toString());
      } else if (s.isDirectory()) {
        tree(fs, s.getPath(), out, hidden);
      } else {
        out.add(new String[] {null, s.getPath().toString(), null});
      }
    }
  }

  private static void requireFolder(FileSystem fs, Path rootPath, String root) throws IOException {
    if (!fs.exists(rootPath)) {
      throw new JobException(root + ": path does not exist");
    }
    if (!fs.getFileStatus(rootPath).isDirectory()) {
      throw new JobException(root + ": not a folder of label folders (and not an IDX or parquet path)");
    }
  }

  /** The files of one label folder, sorted by path. */
  private static List<String[]> labelFolder(FileSystem fs, Path dir, String root, List<String> hidden)
      throws IOException {
    List<String[]> inLabel = new ArrayList<>();
    walk(fs, dir, dir.getName(), root, true, inLabel, hidden);
    inLabel.sort((a, b) -> a[1].compareTo(b[1]));
    return inLabel;
  }

  /** Hidden files and folders ({@code .DS_Store}, {@code .ipynb_checkpoints}, {@code .x.png.crc}) are not data. */
  static boolean isHidden(String name) {
    return name.startsWith(".");
  }

  private static FileStatus[] sorted(FileStatus[] statuses) {
    java.util.Arrays.sort(statuses);
    return statuses;
  }

  /**
   * Lists a label folder recursively with {@code listStatus}: {@code listFiles} would build a
   * {@code LocatedFileStatus} per file, which on the local file system forks a process per file for its
   * permissions (16 s for the 2,000-image sample).
   */
  private static void walk(FileSystem fs, Path dir, String label, String root, boolean direct, List<String[]> out,
      List<String> hidden) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (isHidden(s.getPath().getName())) {
        hidden.add(s.getPath().toString());
      } else if (s.isDirectory()) {
        walk(fs, s.getPath(), label, root, false, out, hidden);
      } else {
        out.add(new String[] {label, s.getPath().toString(), direct ? null
            : "file nested below the label folder; images belong directly in " + root + "/<label>/"});
      }
    }
  }

  private static Iterator<Row> decodeAll(Iterator<String[]> files, org.apache.hadoop.conf.Configuration conf) {
    FileBytes reader = new FileBytes(conf);
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
          ImageDecoder.Decoded d = ImageDecoder.decode(reader.read(new Path(path)));
          return RowFactory.create(label, d.pixels(), path, d.height(), d.width(), null);
        } catch (ImageDecoder.BadImage e) {
          return RowFactory.create(label, null, path, null, null, e.getMessage());
        } catch (IOException e) {
          return RowFactory.create(label, null, path, null, null, "cannot read file: " + e.getMessage());
        }
      }
    };
  }
}
