package org.pixelsimilarity.scoring;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One image the report shows: a misclassified one ({@link #TOP_LOSS}) with its margin, a correctly classified
 * one ({@link #CORRECT}), or an ideal image ({@link #IDEAL}, rounded to bytes, no metric or distances). The
 * accessors below the parts are shorthands for their components.
 *
 * @param panel where the report shows it
 * @param origin the image's file (null for an ideal image)
 * @param distances how far it is from the ideal images
 * @param pixels the image's bytes
 */
public record Example(Panel panel, String origin, Distances distances, byte[] pixels) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Where the report shows an example: the group it is capped in.
   *
   * @param metric {@code l1} or {@code l2}; null for an ideal image
   * @param kind {@link #TOP_LOSS}, {@link #CORRECT} or {@link #IDEAL}
   * @param actual the image's label
   * @param predicted the label of its nearest ideal image
   */
  public record Panel(String metric, String kind, String actual, String predicted) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * An example's distances, all null for an ideal image.
   *
   * @param margin distance to the actual label's ideal image minus distance to the predicted one: how much nearer
   *     the wrong ideal image is (0 for a correct image)
   * @param toTrue distance to the actual label's ideal image
   * @param toPredicted distance to the predicted label's ideal image
   */
  public record Distances(Double margin, Double toTrue, Double toPredicted) implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Distances NONE = new Distances(null, null, null);
  }

  public static final String TOP_LOSS = "top_loss";
  public static final String CORRECT = "correct";
  public static final String IDEAL = "ideal";

  /**
   * The order within one (metric, kind, actual, predicted): top losses by margin, largest first; correct images
   * nearest to their ideal image first; then origin, then the pixels. A total order on distinct images, so the
   * examples kept do not depend on how the rows were partitioned or merged.
   */
  public static final Comparator<Example> ORDER = new Order();

  /** {@link #ORDER} as a class of its own: buffers that hold it travel between executors serialized. */
  private static final class Order implements Comparator<Example>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Example a, Example b) {
      int c = Double.compare(a.sortValue(), b.sortValue());
      if (c == 0) {
        c = a.origin().compareTo(b.origin());
      }
      return c != 0 ? c : Arrays.compareUnsigned(a.pixels(), b.pixels());
    }
  }

  private double sortValue() {
    return TOP_LOSS.equals(kind()) ? -margin() : distanceTrue();
  }

  /** An ideal image as the report shows it: {@code round(mean * 255)} per pixel. */
  public static Example ideal(String label, double[] means) {
    byte[] px = new byte[means.length];
    for (int i = 0; i < means.length; i++) {
      px[i] = (byte) Math.round(Math.min(1.0, Math.max(0.0, means[i])) * 255);
    }
    return new Example(new Panel(null, IDEAL, label, label), null, Distances.NONE, px);
  }

  public String metric() {
    return panel.metric();
  }

  public String kind() {
    return panel.kind();
  }

  public String actual() {
    return panel.actual();
  }

  public String predicted() {
    return panel.predicted();
  }

  public Double margin() {
    return distances.margin();
  }

  public Double distanceTrue() {
    return distances.toTrue();
  }

  public Double distancePredicted() {
    return distances.toPredicted();
  }

  /** The group it is capped in: metric, kind, actual, predicted. */
  String group() {
    return group(panel.metric(), panel.kind(), panel.actual(), panel.predicted());
  }

  static String group(String metric, String kind, String actual, String predicted) {
    return metric + '\u0000' + kind + '\u0000' + actual + '\u0000' + predicted;
  }
}
