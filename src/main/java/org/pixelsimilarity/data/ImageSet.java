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
 * @param countsByLabel images per label, in {@link Labels#ORDER}
 * @param rejectedCount rows of {@code rejected}
 * @param emptyLabels label folders without any file
 * @param format the format that was read
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
    Dataset<Row> cached) implements AutoCloseable {

  public long imageCount() {
    return countsByLabel.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Frees the decoded images kept in memory for the steps that follow. */
  @Override
  public void close() {
    if (cached != null) {
      cached.unpersist(false);
    }
  }
}
