package org.pixelsimilarity.model;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.GroupedFold;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.Scanned;
import org.pixelsimilarity.data.Shape;

/**
 * Step 2, the model: one "ideal image" per label, the per-pixel (and per-channel) mean of all its training images on the book's
 * 0..1 scale ({@code mean = sum / (255 * count)}).
 *
 * @param labels in {@link org.pixelsimilarity.data.Labels#ORDER}; ties in scoring go to the earlier label
 * @param counts training images per label
 * @param means one array of {@code shape.pixels()} means per label, row-major, a colour pixel's channels
 *     interleaved
 */
public record IdealImages(Shape shape, List<String> labels, long[] counts, double[][] means) implements Serializable {

  /**
   * The most labels a model may have: scoring packs the nearest label by L1 and by L2 into one {@code int}
   * ({@code l1 * labels + l2}) and flags an example candidate with bit 30, so {@code labels²} must stay below
   * 2^30.
   */
  public static final int MAX_LABELS = 1 << 15;

  public IdealImages {
    labels = List.copyOf(labels);
    if (labels.size() != counts.length || labels.size() != means.length) {
      throw new IllegalArgumentException("labels, counts and means differ in length");
    }
    if (labels.size() > MAX_LABELS) {
      throw new JobException("the model " + tooManyLabels(labels.size()));
    }
    for (double[] m : means) {
      if (m.length != shape.pixels()) {
        throw new IllegalArgumentException("a mean has " + m.length + " values, the shape " + shape + " needs "
            + shape.pixels());
      }
    }
  }

  private static String tooManyLabels(int labels) {
    return String.format(java.util.Locale.ROOT, "has %,d labels; a model holds at most %,d (scoring packs both"
        + " predictions of an image into one int)", labels, MAX_LABELS);
  }

  /**
   * The fit done in the scan that validates the training images: {@code ImageSets.read(spark, spec, null,
   * IdealImages.fitPass())} reads and sums in one scan; {@link #fit(Scanned)} divides the sums.
   */
  public static FitPass fitPass() {
    return new FitPass();
  }

  /** The ideal images of a training set read with {@link #fitPass()}: its exact sums, divided. */
  public static IdealImages fit(Scanned<PixelSums> train) {
    return fromSums(train.set().shape(), train.result());
  }

  /**
   * Fits the ideal images of a validated image set read without a pass: per label, exact long sums of its pixels,
   * one pass ({@link PixelSumsFold}).
   */
  public static IdealImages fit(ImageSet train) {
    return fit(train.images(), train.shape());
  }

  /**
   * Fits the ideal images of {@link PixelTable#SCHEMA} rows that all have {@code shape} (e.g. a validated image
   * set's images, repartitioned at will: the result is the same bit for bit).
   */
  public static IdealImages fit(Dataset<Row> images, Shape shape) {
    PixelSums sums = new PixelSums(shape.pixels());
    for (GroupedFold.Group<PixelSumsFold.Sums> g : GroupedFold.of(images, List.of(col(PixelTable.LABEL)),
        new PixelSumsFold(col(PixelTable.PIXELS)))) {
      if (g.state().getCount() > 0) {
        sums.add(g.key().getString(0), g.state().getCount(), g.state().getSums());
      }
    }
    return fromSums(shape, sums);
  }

  /** The exact means of summed pixels; at least two labels with one image or more each. */
  public static IdealImages fromSums(Shape shape, PixelSums sums) {
    List<String> labels = new ArrayList<>();
    sums.labels().forEach(labels::add);
    if (labels.size() > MAX_LABELS) {
      throw new JobException("training data " + tooManyLabels(labels.size()));
    }
    if (labels.size() < 2) {
      throw new JobException("training data has " + (labels.isEmpty() ? "no labels" : "only the label "
          + labels.get(0)) + "; at least two labels with images are needed to compare");
    }
    long[] counts = new long[labels.size()];
    double[][] means = new double[labels.size()][];
    for (int k = 0; k < labels.size(); k++) {
      String label = labels.get(k);
      counts[k] = sums.count(label);
      long[] s = sums.sums(label);
      double[] m = new double[s.length];
      double denominator = 255.0 * counts[k];
      for (int i = 0; i < s.length; i++) {
        m[i] = s[i] / denominator;
      }
      means[k] = m;
    }
    return new IdealImages(shape, labels, counts, means);
  }

  public double[] mean(String label) {
    int k = labels.indexOf(label);
    if (k < 0) {
      throw new IllegalArgumentException("no ideal image for label " + label);
    }
    return means[k];
  }

  public long totalCount() {
    return Arrays.stream(counts).sum();
  }

  /**
   * The model id: the first 16 hex digits of SHA-256 over shape (its channels only when colour), labels, counts
   * and the bits of every mean. Same training data, same id, whatever the partitioning or cluster.
   */
  public String id() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ByteBuffer.allocate(8).putInt(shape.height()).putInt(shape.width()).array());
      if (shape.channels() != 1) {
        sha.update(ByteBuffer.allocate(4).putInt(shape.channels()).array()); // gray ids stay what they were
      }
      for (int k = 0; k < labels.size(); k++) {
        byte[] l = labels.get(k).getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(4 + l.length + 8 + 8 * shape.pixels());
        buf.putInt(l.length).put(l).putLong(counts[k]);
        for (double v : means[k]) {
          buf.putLong(Double.doubleToLongBits(v));
        }
        sha.update(buf.array(), 0, buf.position());
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdealImages other && shape.equals(other.shape) && labels.equals(other.labels)
        && Arrays.equals(counts, other.counts) && Arrays.deepEquals(means, other.means);
  }

  @Override
  public int hashCode() {
    return id().hashCode();
  }

  @Override
  public String toString() {
    return "IdealImages[" + id() + ", " + shape + ", labels " + labels + ", counts " + Arrays.toString(counts) + "]";
  }

  /** Used by the scoring step: the labels in model order as an array. */
  public String[] labelArray() {
    return labels.toArray(new String[0]);
  }
}
