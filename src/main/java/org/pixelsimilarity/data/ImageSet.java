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
 * @param groups the validation pass's result, one row per group: label, height, width, ok, channels, the
 *     {@link Pass}'s keys, {@link #COUNT}, the pass's aggregates
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
    List<Row> groups) implements AutoCloseable {
  /** The column of {@link #groups} with the number of rows in the group. */
  public static final String COUNT = "count";

  public ImageSet {
    emptyLabels = List.copyOf(emptyLabels);
    hidden = List.copyOf(hidden);
    groups = List.copyOf(groups);
  }

  /** Without hidden entries (formats other than image folders) and without validation groups. */
  public ImageSet(DatasetSpec spec, InputFormat format, Dataset<Row> images, Shape shape, Dataset<Row> rejected,
      Map<String, Long> countsByLabel, long rejectedCount, List<String> emptyLabels, Dataset<Row> cached) {
    this(spec, format, images, shape, rejected, countsByLabel, rejectedCount, emptyLabels, cached, List.of(),
        List.of());
  }

  /**
   * The groups of accepted images: decoded without error and of {@link #shape} (gray ones too when it is colour:
   * they become R = G = B).
   */
  public List<Row> acceptedGroups() {
    return groups.stream().filter(g -> accepts(g, shape)).toList();
  }

  /** A group of {@link #groups} holds images {@code shape} accepts. */
  static boolean accepts(Row g, Shape shape) {
    return g.getBoolean(3) && g.getInt(1) == shape.height() && g.getInt(2) == shape.width()
        && g.getInt(4) <= shape.channels();
  }

  /** True when {@link #groups} has a column of that name (the dataset was read with a pass that makes it). */
  public boolean hasGroupColumn(String name) {
    return !groups.isEmpty() && java.util.Arrays.asList(groups.get(0).schema().fieldNames()).contains(name);
  }

  /** The images every later step may use: those of {@link #countsByLabel} and those without a label. */
  public long imageCount() {
    return countsByLabel.values().stream().mapToLong(Long::longValue).sum() + unlabelledCount();
  }

  /** Accepted images without a label (an input read without {@link Labelling#REQUIRED}). */
  public long unlabelledCount() {
    return acceptedGroups().stream().filter(g -> g.isNullAt(0)).mapToLong(g -> g.getLong(g.fieldIndex(COUNT)))
        .sum();
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
