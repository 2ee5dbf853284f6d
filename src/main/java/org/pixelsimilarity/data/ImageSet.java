package org.pixelsimilarity.data;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A validated dataset in three parts: what was read, the images every later step may use (all of one shape), and
 * what was set aside. The accessors below the parts are shorthands for their components.
 *
 * @param read what was read
 * @param accepted the validated images
 * @param skipped the images rejected and the files that were no images
 */
public record ImageSet(Read read, Accepted accepted, Skipped skipped) implements AutoCloseable {

  /**
   * What was read.
   *
   * @param spec the dataset asked for
   * @param format the format that was read
   */
  public record Read(DatasetSpec spec, InputFormat format) {}

  /**
   * The validated images.
   *
   * @param images {@link PixelTable#SCHEMA} rows (label, pixels, origin), all of {@code shape}
   * @param shape the shape every image has
   * @param countsByLabel images per label, in {@link Labels#ORDER}; images without a label (only inputs read
   *     without {@link Labelling#REQUIRED} have them) are not in it, see {@code unlabelledCount}
   * @param unlabelledCount accepted images without a label (an input read without {@link Labelling#REQUIRED})
   * @param cached the decoded images kept in memory for the steps that follow, null when nothing is kept
   */
  public record Accepted(Dataset<Row> images, Shape shape, Map<String, Long> countsByLabel, long unlabelledCount,
      Dataset<Row> cached) {}

  /**
   * What was set aside.
   *
   * @param rejected (origin, reason) of every image left out, empty in FAILFAST mode
   * @param rejectedCount rows of {@code rejected}
   * @param emptyLabels label folders without any file
   * @param hidden hidden files and folders of an image folder that were skipped (not data, not rejected)
   */
  public record Skipped(Dataset<Row> rejected, long rejectedCount, List<String> emptyLabels, List<String> hidden) {
    public Skipped {
      emptyLabels = List.copyOf(emptyLabels);
      hidden = List.copyOf(hidden);
    }
  }

  public DatasetSpec spec() {
    return read.spec();
  }

  public InputFormat format() {
    return read.format();
  }

  public Dataset<Row> images() {
    return accepted.images();
  }

  public Shape shape() {
    return accepted.shape();
  }

  public Map<String, Long> countsByLabel() {
    return accepted.countsByLabel();
  }

  public long unlabelledCount() {
    return accepted.unlabelledCount();
  }

  public Dataset<Row> rejected() {
    return skipped.rejected();
  }

  public long rejectedCount() {
    return skipped.rejectedCount();
  }

  public List<String> emptyLabels() {
    return skipped.emptyLabels();
  }

  public List<String> hidden() {
    return skipped.hidden();
  }

  /** The images every later step may use: those of {@link #countsByLabel} and those without a label. */
  public long imageCount() {
    return countsByLabel().values().stream().mapToLong(Long::longValue).sum() + unlabelledCount();
  }

  /** Frees the decoded images and the rejected rows kept in memory for the steps that follow. */
  @Override
  public void close() {
    if (accepted.cached() != null) {
      accepted.cached().unpersist(false);
    }
    if (skipped.rejectedCount() > 0) {
      skipped.rejected().unpersist(false);
    }
  }
}
