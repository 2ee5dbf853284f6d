package org.pixelsimilarity.scoring;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One image the report shows: a misclassified one ({@link #TOP_LOSS}) with its margin, a correctly classified
 * one ({@link #CORRECT}), or an ideal image ({@link #IDEAL}, rounded to bytes, no metric or distances).
 *
 * @param metric {@code l1} or {@code l2}; null for an ideal image
 * @param margin distance to the actual label's ideal image minus distance to the predicted one: how much nearer
 *     the wrong ideal image is (0 for a correct image); null for an ideal image
 */
public record Example(String metric, String kind, String actual, String predicted, String origin, Double margin,
    Double distanceTrue, Double distancePredicted, byte[] pixels) implements Serializable {
  private static final long serialVersionUID = 1L;

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
    return TOP_LOSS.equals(kind) ? -margin : distanceTrue;
  }

  /** An ideal image as the report shows it: {@code round(mean * 255)} per pixel. */
  public static Example ideal(String label, double[] means) {
    byte[] px = new byte[means.length];
    for (int i = 0; i < means.length; i++) {
      px[i] = (byte) Math.round(Math.min(1.0, Math.max(0.0, means[i])) * 255);
    }
    return new Example(null, IDEAL, label, label, null, null, null, null, px);
  }

  /** The group it is capped in: metric, kind, actual, predicted. */
  String group() {
    return group(metric, kind, actual, predicted);
  }

  static String group(String metric, String kind, String actual, String predicted) {
    return metric + '\u0000' + kind + '\u0000' + actual + '\u0000' + predicted;
  }
}
