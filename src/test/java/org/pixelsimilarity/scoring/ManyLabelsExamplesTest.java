package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.Scanned;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;

/**
 * The report's examples with 2,000 labels (8 million top-loss groups per metric, of which the scan meets a few
 * hundred), against plain loops over every label: one-pixel images, ideal image {@code i} the grey
 * {@code i / 1999}; 600 images of 5 labels in 4 greys, so that each pair has ~30 images (their figures tie, the
 * origin orders them) and its cap is reached.
 */
class ManyLabelsExamplesTest {
  private static final int LABELS = 2000;

  @TempDir
  Path tmp;

  private static String label(int i) {
    return String.format(Locale.ROOT, "L%04d", i);
  }

  @Test
  void theExamplesOfTwoThousandLabelsAreThoseOfPlainLoops() {
    List<String> labels = new ArrayList<>();
    double[][] means = new double[LABELS][];
    long[] counts = new long[LABELS];
    for (int i = 0; i < LABELS; i++) {
      labels.add(label(i));
      means[i] = new double[] {i / (double) (LABELS - 1)};
      counts[i] = 1;
    }
    IdealImages model = new IdealImages(new Shape(1, 1), labels, counts, means);
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int n = 0; n < 600; n++) {
      int actual = 400 * random.nextInt(5);
      int grey = 85 * random.nextInt(4);
      rows.add(RowFactory.create(label(actual), new byte[] {(byte) grey}, String.format(Locale.ROOT, "img-%03d", n),
          1, 1));
    }
    SparkSession spark = SparkTestSession.get();
    String path = tmp.resolve("images").toString();
    PixelTable.write(spark.createDataFrame(rows, PixelTable.STORED).repartition(8), path, false);
    List<Example> got;
    try (EvaluationScan scan = new EvaluationScan(spark, model);
        Scanned<EvaluationScan.Scored> set = ImageSets.read(spark, DatasetSpec.of("valid", path), model.shape(),
            scan)) {
      got = set.result().examples();
    }
    assertEquals(expected(rows, means), render(got));
    assertEquals(2 * (19 * ExampleSet.TOP_PER_PAIR + ExampleSet.CORRECT_PER_CLASS), got.size(),
        "per metric: 19 pairs of (label, grey) misclassified, one classified right (label 0, grey 0)");
  }

  /** Per metric, plain loops: each image's distance to every ideal image, the book's way; then the caps. */
  private static String expected(List<Row> rows, double[][] means) {
    Map<String, List<Object[]>> groups = new TreeMap<>();
    for (String metric : List.of("l1", "l2")) {
      for (Row r : rows) {
        double x = (((byte[]) r.get(1))[0] & 0xff) / 255.0;
        int actual = Integer.parseInt(r.getString(0).substring(1));
        int best = 0;
        for (int i = 1; i < means.length; i++) {
          if (distance(x, means[i][0], metric) < distance(x, means[best][0], metric)) {
            best = i;
          }
        }
        double toTrue = distance(x, means[actual][0], metric);
        boolean right = best == actual;
        double figure = right ? toTrue : toTrue - distance(x, means[best][0], metric);
        String kind = right ? Example.CORRECT : Example.TOP_LOSS;
        groups.computeIfAbsent(metric + " " + kind + " " + label(actual) + " " + label(best), g -> new ArrayList<>())
            .add(new Object[] {figure, r.getString(2)});
      }
    }
    StringBuilder sb = new StringBuilder();
    groups.forEach((group, members) -> {
      boolean right = group.contains(" " + Example.CORRECT + " ");
      Comparator<Object[]> byFigure = Comparator.comparingDouble(o -> (Double) o[0]);
      members.sort((right ? byFigure : byFigure.reversed()).thenComparing(o -> (String) o[1]));
      int cap = right ? ExampleSet.CORRECT_PER_CLASS : ExampleSet.TOP_PER_PAIR;
      for (Object[] o : members.subList(0, Math.min(cap, members.size()))) {
        sb.append(line(group, (String) o[1], right ? 0.0 : (Double) o[0]));
      }
    });
    return sb.toString();
  }

  private static double distance(double x, double mean, String metric) {
    double d = x - mean;
    return metric.equals("l1") ? Math.abs(d) : Math.sqrt(d * d);
  }

  private static String line(String group, String origin, double margin) {
    return String.format(Locale.ROOT, "%s %s %.12f%n", group, origin, margin);
  }

  private static String render(List<Example> examples) {
    Map<String, List<String>> byGroup = new TreeMap<>();
    for (Example e : examples) {
      String group = e.metric() + " " + e.kind() + " " + e.actual() + " " + e.predicted();
      byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(line(group, e.origin(), e.margin()));
    }
    StringBuilder sb = new StringBuilder();
    byGroup.values().forEach(lines -> lines.forEach(sb::append));
    return sb.toString();
  }
}
