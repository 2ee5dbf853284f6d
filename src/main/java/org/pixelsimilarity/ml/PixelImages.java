package org.pixelsimilarity.ml;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.ReadMode;
import org.pixelsimilarity.data.Shape;

/**
 * The job's reader for Spark users: an image folder (one sub-folder per label), IDX files or a parquet pixel
 * table to the job's DataFrame ({@code label} string, {@code pixels} binary height*width*channels bytes, a colour
 * pixel's {@code R G B} together, {@code origin} string), with the image shape (channels included) as metadata of
 * the {@code pixels} column (which {@link NearestIdealClassifier} reads). The same call the CLI makes ({@link ImageSets#read}): the same format detection, validation, read modes
 * and rejected list.
 *
 * <pre>
 * Dataset&lt;Row&gt; train = PixelImages.read(spark, "data/mnist_sample/train");      // any bad image: an error
 * try (PixelImages valid = PixelImages.load(spark, DatasetSpec.of("valid", path))) { // dropmalformed, up to 1%
 *   valid.images(); valid.rejected(); valid.rejectedCount(); valid.shape();
 * }
 * </pre>
 *
 * <p>A static call rather than a Spark data source ({@code spark.read().format(...)}): reading is decoding plus a
 * validation pass that settles the shape and the rejected list before any image is handed out, and a data
 * source's reader can neither run that pass first nor hand back a second table of rejected rows. Images decoded
 * from folders and IDX files are kept (memory and disk) for the caller's later queries; {@link #close} frees them.
 */
public final class PixelImages implements AutoCloseable {
  private final ImageSet set;

  private PixelImages(ImageSet set) {
    this.set = set;
  }

  /**
   * The images at {@code path} (format detected from it), in failfast mode: the first bad image stops the read
   * with a {@code JobException} naming the file and the reason, so nothing is left out unseen.
   */
  public static Dataset<Row> read(SparkSession spark, String path) {
    return load(spark, DatasetSpec.of("input", path).withMode(ReadMode.FAILFAST)).images();
  }

  /** The images that {@code spec} describes (format, labels to keep, read mode, rejected fraction, shape). */
  public static PixelImages load(SparkSession spark, DatasetSpec spec) {
    return new PixelImages(ImageSets.read(spark, spec, null));
  }

  /** label, pixels (with the shape as column metadata), origin: every accepted image. */
  public Dataset<Row> images() {
    return set.images().withMetadata(PixelTable.PIXELS,
        Features.metadata(set.images().schema().apply(PixelTable.PIXELS).metadata(), set.shape()));
  }

  /** The shape every accepted image has. */
  public Shape shape() {
    return set.shape();
  }

  /** origin, reason of each image set aside (dropmalformed mode; empty in failfast mode). */
  public Dataset<Row> rejected() {
    return set.rejected();
  }

  public long rejectedCount() {
    return set.rejectedCount();
  }

  /** Accepted images per label, in the job's label order. */
  public Map<String, Long> countsByLabel() {
    return set.countsByLabel();
  }

  /** Frees the decoded images and rejected rows kept for later queries. */
  @Override
  public void close() {
    set.close();
  }
}
