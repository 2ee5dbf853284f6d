package org.pixelsimilarity.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.scoring.Metric;

/**
 * Step 4, evaluation: from predictions to a confusion matrix per metric, and from it per-class accuracy, the
 * macro average (the book's {@code (acc_3s + acc_7s) / 2} over every label) and the overall accuracy.
 */
public final class Evaluation {
  private final List<String> labels;
  private final Map<Metric, long[][]> confusion;

  public Evaluation(List<String> labels, Map<Metric, long[][]> confusion) {
    this.labels = List.copyOf(labels);
    this.confusion = Collections.unmodifiableMap(new EnumMap<>(confusion));
  }

  /**
   * Counts predictions ({@code label}, {@code l1}, {@code l2} columns, as made by
   * {@link org.pixelsimilarity.scoring.BroadcastIdeals#predict}) in one aggregation; only {@code metrics} are kept.
   */
  public static Evaluation of(Dataset<Row> predictions, List<String> labels, Set<Metric> metrics) {
    List<Row> counts = predictions.groupBy(PixelTable.LABEL, Metric.L1.key(), Metric.L2.key()).count()
        .collectAsList();
    Map<Metric, long[][]> confusion = new EnumMap<>(Metric.class);
    for (Metric m : metrics) {
      confusion.put(m, new long[labels.size()][labels.size()]);
    }
    for (Row r : counts) {
      int actual = indexOf(labels, r.getString(0));
      for (Metric m : metrics) {
        int predicted = indexOf(labels, r.getString(m == Metric.L1 ? 1 : 2));
        confusion.get(m)[actual][predicted] += r.getLong(3);
      }
    }
    return new Evaluation(labels, confusion);
  }

  private static int indexOf(List<String> labels, String label) {
    int i = labels.indexOf(label);
    if (i < 0) {
      throw new IllegalStateException("label " + label + " is not one of the model's " + labels);
    }
    return i;
  }

  public List<String> labels() {
    return labels;
  }

  public Set<Metric> metrics() {
    return confusion.keySet();
  }

  /** {@code [actual][predicted]} image counts. */
  public long[][] confusion(Metric m) {
    return confusion.get(m);
  }

  /** One row per label: how many images of it, how many predicted right, and their ratio (NaN for none). */
  public record ClassAccuracy(String label, long total, long correct) {
    public double accuracy() {
      return total == 0 ? Double.NaN : (double) correct / total;
    }
  }

  public List<ClassAccuracy> perClass(Metric m) {
    long[][] c = confusion.get(m);
    List<ClassAccuracy> out = new ArrayList<>();
    for (int a = 0; a < labels.size(); a++) {
      long total = 0;
      for (long v : c[a]) {
        total += v;
      }
      out.add(new ClassAccuracy(labels.get(a), total, c[a][a]));
    }
    return out;
  }

  /**
   * One row of scikit-learn's {@code classification_report}: of the images predicted {@code label}, the share
   * that are (precision); of the images of {@code label}, the share predicted so (recall, the class accuracy);
   * their harmonic mean (F1); NaN where a share has no images.
   */
  public record ClassScores(String label, long support, double precision, double recall, double f1) {}

  /** Per label, in model order. */
  public List<ClassScores> classReport(Metric m) {
    long[][] c = confusion.get(m);
    List<ClassScores> out = new ArrayList<>();
    for (int k = 0; k < labels.size(); k++) {
      long row = 0;
      long column = 0;
      for (int j = 0; j < labels.size(); j++) {
        row += c[k][j];
        column += c[j][k];
      }
      double precision = column == 0 ? Double.NaN : (double) c[k][k] / column;
      double recall = row == 0 ? Double.NaN : (double) c[k][k] / row;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      out.add(new ClassScores(labels.get(k), row, precision, recall, f1));
    }
    return out;
  }

  /** The mean of per-class accuracies over the labels that have validation images; NaN when none has. */
  public double macroAccuracy(Metric m) {
    double sum = 0;
    int n = 0;
    for (ClassAccuracy c : perClass(m)) {
      if (c.total() > 0) {
        sum += c.accuracy();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Correct predictions over all scored images. */
  public double overallAccuracy(Metric m) {
    long total = 0;
    long correct = 0;
    for (ClassAccuracy c : perClass(m)) {
      total += c.total();
      correct += c.correct();
    }
    return total == 0 ? Double.NaN : (double) correct / total;
  }

  public long scored() {
    long[][] c = confusion.values().iterator().next();
    long n = 0;
    for (long[] row : c) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }
}
