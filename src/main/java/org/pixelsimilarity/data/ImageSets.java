package org.pixelsimilarity.data;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.pixelsimilarity.JobException;

/** Step 1, read images: any of the three formats to one validated {@link ImageSet}. */
public final class ImageSets {
  private ImageSets() {}

  /**
   * Reads and validates a dataset.
   *
   * @param expected the shape the images must have (the model's, when scoring), or null to take the shape most
   *     images of this dataset have
   */
  public static ImageSet read(SparkSession spark, DatasetSpec spec, Shape expected) {
    return read(spark, spec, expected, Pass.NONE);
  }

  /**
   * Reads and validates a dataset, doing {@code pass} in the same scan (see {@link Pass}); its results are in
   * {@link ImageSet#groups()}.
   */
  public static ImageSet read(SparkSession spark, DatasetSpec spec, Shape expected, Pass pass) {
    InputFormat format = spec.format() != null ? spec.format() : detect(spark, spec.path());
    Dataset<Row> decoded;
    List<String> emptyLabels = List.of();
    List<String> hidden = List.of();
    switch (format) {
      case FOLDER -> {
        ImageFolderReader.Decoded d = ImageFolderReader.read(spark, spec.path(), spec.labels(),
            spec.labelling().labelFolders());
        decoded = d.rows();
        emptyLabels = d.emptyLabels();
        hidden = d.hidden();
      }
      case IDX -> decoded = IdxReader.read(spark, spec.path(), spec.idxLabels(), spec.labels(),
          spec.labelling() == Labelling.REQUIRED);
      case PARQUET -> decoded = ParquetPixelReader.read(spark, spec.path(), spec.shape(), spec.labels(),
          spec.labelling() == Labelling.REQUIRED);
      default -> throw new IllegalStateException(format.toString());
    }
    // Decoding images is the costly part of reading folders and IDX files: keep the result when later steps
    // read the images again (no pass). With a pass, validation's one scan does the work; when some images were
    // rejected, one more pass finds them and the validator keeps only those rows. Holding every decoded image
    // (spilling to disk at scale) would cost more than that pass. A parquet table is cheaper to scan than to hold.
    Dataset<Row> cached = null;
    if (format != InputFormat.PARQUET && pass == Pass.NONE) {
      cached = decoded.persist(StorageLevel.MEMORY_AND_DISK());
      decoded = cached;
    }
    try {
      return Validator.validate(spec, format, decoded, expected, emptyLabels, cached, hidden, pass);
    } catch (Exception e) {
      // Spark reports a task's failure as SparkException, a checked exception Scala throws undeclared.
      if (cached != null) {
        cached.unpersist(false);
      }
      JobException je = JobException.find(e);
      if (je != null && je != e) {
        throw new JobException(je.getMessage(), e);
      }
      JobException unreadable = DataFileFailure.find(e);
      if (unreadable != null) {
        throw unreadable;
      }
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The format a path holds: an {@code idx3-ubyte[.gz]} file, a parquet file or folder, else an image folder. */
  public static InputFormat detect(SparkSession spark, String path) {
    if (InputFormat.IDX_IMAGES.matcher(path).matches()) {
      return InputFormat.IDX;
    }
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new JobException(path + ": path does not exist");
      }
      if (path.endsWith(".parquet")) {
        return InputFormat.PARQUET;
      }
      FileStatus status = fs.getFileStatus(p);
      if (!status.isDirectory()) {
        throw new JobException(path + ": cannot tell its format (expected a folder of label folders, an"
            + " …-images-idx3-ubyte[.gz] file or parquet); give it with --format");
      }
      for (FileStatus child : fs.listStatus(p)) {
        String name = child.getPath().getName();
        if (name.endsWith(".parquet") || name.equals("_SUCCESS")) {
          return InputFormat.PARQUET;
        }
      }
      return InputFormat.FOLDER;
    } catch (IOException e) {
      throw new JobException(path + ": cannot read: " + StorageFailure.describe(path, e), e);
    } catch (RuntimeException e) {
      if (StorageFailure.isMissingConnector(e)) {
        throw new JobException(path + ": cannot read: " + StorageFailure.describe(path, e), e);
      }
      throw e;
    }
  }
}
