package org.pixelsimilarity.data;

import java.util.Set;

/**
 * What to read and how strictly. The accessors below the parts are shorthands for their components.
 *
 * @param role "train", "valid" or "input": names the dataset in messages and in the rejected table
 * @param source where the images are and in which format
 * @param labels labels to keep (empty = all)
 * @param labelling whether every image must have a label, and how a folder is laid out
 * @param form the shape and channels the images are read as
 * @param strictness what to do with bad images
 */
public record DatasetSpec(
    String role,
    Source source,
    Set<String> labels,
    Labelling labelling,
    Form form,
    Strictness strictness) {

  /**
   * Where the images are and in which format.
   *
   * @param path image folder root, IDX images file, or parquet table
   * @param format null to detect it from the path
   * @param idxLabels the IDX labels file, null to find it beside the images file
   */
  public record Source(String path, InputFormat format, String idxLabels) {
    /** The format detected from the path, the IDX labels file found beside the images. */
    public static Source of(String path) {
      return new Source(path, null, null);
    }
  }

  /**
   * The shape and channels the images are read as.
   *
   * @param shape for parquet tables without height/width columns; null to take it from the data
   * @param channels gray, colour, or {@link Channels#AUTO} (colour when any accepted image has colour; when
   *     scoring, the model's)
   */
  public record Form(Shape shape, Channels channels) {
    /** Any shape, channels {@link Channels#AUTO}. */
    public static final Form FROM_DATA = new Form(null, Channels.AUTO);

    public Form {
      channels = channels == null ? Channels.AUTO : channels;
    }
  }

  /**
   * What to do with bad images.
   *
   * @param mode stop at the first one, or set them aside
   * @param maxRejectedFraction with DROPMALFORMED, the largest rejected fraction that still lets the run go on
   */
  public record Strictness(ReadMode mode, double maxRejectedFraction) {
    /** Set aside up to 1%: the command line's default. */
    public static final Strictness DEFAULT = new Strictness(ReadMode.DROPMALFORMED, 0.01);

    public Strictness {
      if (maxRejectedFraction < 0 || maxRejectedFraction > 1) {
        throw new IllegalArgumentException("max rejected fraction must be within 0..1, got " + maxRejectedFraction);
      }
    }
  }

  public DatasetSpec {
    labels = labels == null ? Set.of() : Set.copyOf(labels);
    labelling = labelling == null ? Labelling.REQUIRED : labelling;
    form = form == null ? Form.FROM_DATA : form;
    if (!labels.isEmpty() && labelling != Labelling.REQUIRED) {
      throw new IllegalArgumentException("keeping only some labels needs labelled input");
    }
  }

  /** Defaults: detect the format, keep all labels, drop malformed images up to 1%. */
  public static DatasetSpec of(String role, String path) {
    return new DatasetSpec(role, Source.of(path), Set.of(), Labelling.REQUIRED, Form.FROM_DATA, Strictness.DEFAULT);
  }

  public String path() {
    return source.path();
  }

  public InputFormat format() {
    return source.format();
  }

  public String idxLabels() {
    return source.idxLabels();
  }

  public Shape shape() {
    return form.shape();
  }

  public Channels channels() {
    return form.channels();
  }

  public ReadMode mode() {
    return strictness.mode();
  }

  public double maxRejectedFraction() {
    return strictness.maxRejectedFraction();
  }

  public DatasetSpec withMode(ReadMode m) {
    return withStrictness(new Strictness(m, maxRejectedFraction()));
  }

  public DatasetSpec withLabels(Set<String> l) {
    return new DatasetSpec(role, source, l, labelling, form, strictness);
  }

  public DatasetSpec withFormat(InputFormat f) {
    return new DatasetSpec(role, new Source(path(), f, idxLabels()), labels, labelling, form, strictness);
  }

  public DatasetSpec withMaxRejectedFraction(double f) {
    return withStrictness(new Strictness(mode(), f));
  }

  public DatasetSpec withLabelling(Labelling l) {
    return new DatasetSpec(role, source, labels, l, form, strictness);
  }

  public DatasetSpec withChannels(Channels c) {
    return new DatasetSpec(role, source, labels, labelling, new Form(shape(), c), strictness);
  }

  private DatasetSpec withStrictness(Strictness s) {
    return new DatasetSpec(role, source, labels, labelling, form, s);
  }
}
