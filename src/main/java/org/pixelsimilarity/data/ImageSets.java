package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
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
    return read(spark, spec, expected, ScanPass.NONE).set();
  }

  /**
   * Reads and validates a dataset and does {@code pass} in the same scan (see {@link ScanPass}): read and fit, or
   * read and score, in one pass over the images.
   */
  public static <R> Scanned<R> read(SparkSession spark, DatasetSpec spec, Shape expected, ScanPass<?, R> pass) {
    Decoded d = decode(spark, spec, expected);
    Dataset<Row> decoded = d.rows();
    // Decoding images is the costly part of reading folders and IDX files: keep the result when later steps
    // read the images again (no pass). With a pass, validation's one scan does the work; when some images were
    // rejected, one more pass finds them and the validator keeps only those rows. Holding every decoded image
    // (spilling to disk at scale) would cost more than that pass. A parquet table is cheaper to scan than to hold.
    Dataset<Row> cached = null;
    if (d.format() != InputFormat.PARQUET && pass == ScanPass.NONE) {
      cached = decoded.persist(StorageLevel.MEMORY_AND_DISK());
      decoded = cached;
    }
    try {
      return Validator.validate(spec, d.format(), decoded, expected, d.emptyLabels(), cached, d.hidden(), pass);
    } catch (Exception e) {
      if (cached != null) {
        cached.unpersist(false);
      }
      throw failure(e);
    }
  }

  /**
   * Reads a dataset for one job that uses its images as it validates them ({@code predict}): no scan yet; the
   * job's scan counts validation's tallies, and {@link TalliedRead#validated()} checks them after it.
   *
   * @param expected the shape the images must have (the model's)
   */
  public static TalliedRead tallied(SparkSession spark, DatasetSpec spec, Shape expected) {
    Decoded d = decode(spark, spec, expected);
    return new TalliedRead(spec, d.format(), d.rows(), expected, d.emptyLabels(), d.hidden());
  }

  /** What a reader gives before validation: the decoded rows with the channels asked for, and what it skipped. */
  private record Decoded(InputFormat format, Dataset<Row> rows, List<String> emptyLabels, List<String> hidden) {}

  private static Decoded decode(SparkSession spark, DatasetSpec spec, Shape expected) {
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
    return new Decoded(format, withChannels(spec, expected, decoded), emptyLabels, hidden);
  }

  /**
   * A failure of a job that read a dataset as its one line: a {@link JobException} thrown in a task, or a data file
   * an executor could not read ({@link DataFileFailure}); anything else as it is.
   */
  static RuntimeException failure(Exception e) {
    // Spark reports a task's failure as SparkException, a checked exception Scala throws undeclared.
    JobException je = JobException.find(e);
    if (je != null && je != e) {
      return new JobException(je.getMessage(), e);
    }
    JobException unreadable = DataFileFailure.find(e);
    if (unreadable != null) {
      return unreadable;
    }
    return e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
  }

  /**
   * The decoded rows with the channels asked for: {@code --channels 1} or {@code 3} converts every image
   * ({@link Channels}); in {@code auto} against a model ({@code expected}), gray images become colour for a colour
   * model, and a colour image against a gray model stops the job (validation stops on the row's
   * {@link PixelTable#FILE_ERROR}), naming both shapes and the flag that converts it. In {@code auto} without a
   * model the rows stay as decoded: validation decides the channels.
   */
  private static Dataset<Row> withChannels(DatasetSpec spec, Shape expected, Dataset<Row> decoded) {
    int asked = spec.channels().count();
    if (expected != null && asked != 0 && asked != expected.channels()) {
      throw new JobException(spec.path() + ": --channels " + asked + " reads " + (asked == 3 ? "colour" : "gray")
          + " images, the model's are " + expected + (expected.colour() ? " (colour)" : " (gray)")
          + "; leave out --channels to read them as the model's");
    }
    int target = asked != 0 ? asked : expected == null ? 0 : expected.channels();
    if (target == 0) {
      return decoded;
    }
    if (asked == 0 && target == 1) {
      Column colour = ScanPass.OK.and(PixelTable.channels().equalTo(lit(3)));
      return decoded.withColumn(PixelTable.ERROR, when(colour, concat(lit(PixelTable.FILE_ERROR + "image is "),
          col(PixelTable.HEIGHT).cast("string"), lit("x"), col(PixelTable.WIDTH).cast("string"),
          lit("x3 (colour), the model's shape is " + expected + " (gray); --channels 1 converts colour images"
              + " to gray (as PIL's convert(\"L\"))"))).otherwise(col(PixelTable.ERROR)));
    }
    return decoded.withColumn(PixelTable.PIXELS, Channels.pixelsAs(target));
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
