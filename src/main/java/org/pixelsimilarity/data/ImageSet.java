package org.pixelsimilarity.data;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A validated dataset: the images every later step may use, all of one shape, and the ones set aside.
 *
 * @param images {@link PixelTable#SCHEMA} rows (label, pixels, origin), all of {@code shape}
 * @param shape the shape every image has
 * @param rejected (origin, reason) of every image left out, empty in FAILFAST mode
 * @param countsByLabel images per label, in {@link Labels#ORDER}; images without a label (only inputs read without
 *     {@link Labelling#REQUIRED} have them) are not in it, see {@link #unlabelledCount()}
 * @param rejectedCount rows of {@code rejected}
 * @param emptyLabels label folders without any file
 * @param format the format that was read
 * @param hidden hidden files and folders of an image folder that were skipped (not data, not rejected)
 * @param unlabelledCount accepted images without a label (an input read without {@link Labelling#REQUIRED})
 */
public record ImageSet(
    DatasetSpec spec,
    InputFormat format,
    Dataset<Row> images,
    Shape shape,
    Dataset<Row> rejected,
    Map<String, Long> countsByLabel,
    long rejectedCount,
    List<String> emptyLabels,
    Dataset<Row> cached,
    List<String> hidden,
    long unlabelledCount) implements AutoCloseable {
  public ImageSet {
    emptyLabels = List.copyOf(emptyLabels);
    hidden = List.copyOf(hidden);
  }

  /** The images every later step may use: those of {@link #countsByLabel} and those without a label. */
  public long imageCount() {
    return countsByLabel.values().stream().mapToLong(Long::longValue).sum() + unlabelledCount();
  }

  /** Frees the decoded images and the rejected rows kept in memory for the steps that follow. */
  @Override
  public void close() {
    if (cached != null) {
      cached.unpersist(false);
    }
    if (rejectedCount > 0) {
      rejected.unpersist(false);
    }
  }
}
