package org.pixelsimilarity.data;

import java.util.Set;

/**
 * What to read and how strictly.
 *
 * @param role "train", "valid" or "input": names the dataset in messages and in the rejected table
 * @param path image folder root, IDX images file, or parquet table
 * @param format null to detect it from the path
 * @param idxLabels the IDX labels file, null to find it beside the images file
 * @param labels labels to keep (empty = all)
 * @param shape for parquet tables without height/width columns; null to take it from the data
 * @param mode what to do with bad images
 * @param maxRejectedFraction with DROPMALFORMED, the largest rejected fraction that still lets the run go on
 * @param labelling whether every image must have a label, and how a folder is laid out
 * @param channels gray, colour, or {@link Channels#AUTO} (colour when any accepted image has colour; when scoring,
 *     the model's channels)
 */
public record DatasetSpec(
    String role,
    String path,
    InputFormat format,
    String idxLabels,
    Set<String> labels,
    Shape shape,
    ReadMode mode,
    double maxRejectedFraction,
    Labelling labelling,
    Channels channels) {

  public DatasetSpec {
    labels = labels == null ? Set.of() : Set.copyOf(labels);
    labelling = labelling == null ? Labelling.REQUIRED : labelling;
    channels = channels == null ? Channels.AUTO : channels;
    if (maxRejectedFraction < 0 || maxRejectedFraction > 1) {
      throw new IllegalArgumentException("max rejected fraction must be within 0..1, got " + maxRejectedFraction);
    }
    if (!labels.isEmpty() && labelling != Labelling.REQUIRED) {
      throw new IllegalArgumentException("keeping only some labels needs labelled input");
    }
  }

  /** Channels {@link Channels#AUTO}. */
  public DatasetSpec(String role, String path, InputFormat format, String idxLabels, Set<String> labels,
      Shape shape, ReadMode mode, double maxRejectedFraction, Labelling labelling) {
    this(role, path, format, idxLabels, labels, shape, mode, maxRejectedFraction, labelling, Channels.AUTO);
  }

  /** A dataset whose images all have labels ({@link Labelling#REQUIRED}). */
  public DatasetSpec(String role, String path, InputFormat format, String idxLabels, Set<String> labels,
      Shape shape, ReadMode mode, double maxRejectedFraction) {
    this(role, path, format, idxLabels, labels, shape, mode, maxRejectedFraction, Labelling.REQUIRED);
  }

  /** Defaults: detect the format, keep all labels, drop malformed images up to 1%. */
  public static DatasetSpec of(String role, String path) {
    return new DatasetSpec(role, path, null, null, Set.of(), null, ReadMode.DROPMALFORMED, 0.01);
  }

  public DatasetSpec withMode(ReadMode m) {
    return new DatasetSpec(role, path, format, idxLabels, labels, shape, m, maxRejectedFraction, labelling, channels);
  }

  public DatasetSpec withLabels(Set<String> l) {
    return new DatasetSpec(role, path, format, idxLabels, l, shape, mode, maxRejectedFraction, labelling, channels);
  }

  public DatasetSpec withFormat(InputFormat f) {
    return new DatasetSpec(role, path, f, idxLabels, labels, shape, mode, maxRejectedFraction, labelling, channels);
  }

  public DatasetSpec withMaxRejectedFraction(double f) {
    return new DatasetSpec(role, path, format, idxLabels, labels, shape, mode, f, labelling, channels);
  }

  public DatasetSpec withLabelling(Labelling l) {
    return new DatasetSpec(role, path, format, idxLabels, labels, shape, mode, maxRejectedFraction, l, channels);
  }

  public DatasetSpec withChannels(Channels c) {
    return new DatasetSpec(role, path, format, idxLabels, labels, shape, mode, maxRejectedFraction, labelling, c);
  }
}
