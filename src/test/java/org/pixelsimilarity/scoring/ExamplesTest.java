package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.Scanned;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.PixelSums;

/**
 * The report's examples collected in the scoring scan ({@link EvaluationScan}): top losses of a hand-made dataset
 * in the expected order with hand-computed margins, the cap per pair, and the same examples under 1 and 8
 * partitions.
 */
class ExamplesTest {
  /** 1×2 images; ideal "a" is black, ideal "b" white. */
  private static final IdealImages MODEL = new IdealImages(new Shape(1, 2), List.of("a", "b"), new long[] {1, 1},
      new double[][] {{0, 0}, {1, 1}});

  @TempDir
  Path tmp;

  private static Row image(String label, int p0, int p1, String origin) {
    return RowFactory.create(label, new byte[] {(byte) p0, (byte) p1}, origin, 1, 2);
  }

  private String table(List<Row> rows, int partitions, String name) {
    SparkSession spark = SparkTestSession.get();
    String path = tmp.resolve(name).toString();
    PixelTable.write(spark.createDataFrame(rows, PixelTable.STORED).repartition(partitions), path, false);
    return path;
  }

  private static List<Example> collect(String path, IdealImages model) {
    return scan(path, model).examples();
  }

  private record Scan(List<Example> examples, long candidates) {}

  private static Scan scan(String path, IdealImages model) {
    SparkSession spark = SparkTestSession.get();
    try (EvaluationScan scan = new EvaluationScan(spark, model);
        Scanned<EvaluationScan.Scored> set = ImageSets.read(spark, DatasetSpec.of("valid", path), model.shape(),
            scan)) {
      return new Scan(set.result().examples(), set.result().exampleCandidates());
    }
  }

  private static List<Example> of(List<Example> all, String metric, String kind, String actual) {
    return all.stream().filter(e -> metric.equals(e.metric()) && kind.equals(e.kind()) && actual.equals(e.actual()))
        .toList();
  }

  @Test
  void topLossesOfAHandMadeDatasetInOrderWithTheirMargins() {
    List<Row> rows = new ArrayList<>(List.of(
        image("a", 153, 153, "a3"),   // x = (.6, .6): L1 .6 vs .4, L2 .6 vs .4: margins .2, .2
        image("a", 255, 204, "a6"),   // x = (1, .8): the same margins as a2; origin breaks the tie
        image("a", 255, 255, "a1"),   // x = (1, 1): distance 1 to a, 0 to b: margins 1, 1
        image("a", 204, 255, "a2"),   // x = (.8, 1): L1 .9 vs .1; L2 sqrt(.82) vs sqrt(.02)
        image("a", 0, 51, "a4"),      // nearer a: correct
        image("a", 255, 0, "a5")));   // exactly between: the tie goes to a, the first label: correct
    for (int k = 0; k < 10; k++) {    // b images x = (0, 5k/255): L1 margin = (1 - 5k/510) - 5k/510 = 1 - 5k/255
      rows.add(image("b", 0, 5 * k, String.format("b%02d", k)));
    }
    List<Example> all = collect(table(rows, 3, "hand"), MODEL);

    List<Example> l1a = of(all, "l1", Example.TOP_LOSS, "a");
    assertEquals(List.of("a1", "a2", "a6", "a3"), l1a.stream().map(Example::origin).toList());
    double[] l1Margins = {1.0, 0.8, 0.8, 0.2};
    for (int i = 0; i < 4; i++) {
      assertEquals(l1Margins[i], l1a.get(i).margin(), 1e-12, l1a.get(i).origin());
      assertEquals("b", l1a.get(i).predicted());
    }
    assertEquals(0.9, l1a.get(1).distanceTrue(), 1e-12);
    assertEquals(0.1, l1a.get(1).distancePredicted(), 1e-12);

    List<Example> l2a = of(all, "l2", Example.TOP_LOSS, "a");
    assertEquals(List.of("a1", "a2", "a6", "a3"), l2a.stream().map(Example::origin).toList());
    double[] l2Margins = {1.0, Math.sqrt(0.82) - Math.sqrt(0.02), Math.sqrt(0.82) - Math.sqrt(0.02), 0.2};
    for (int i = 0; i < 4; i++) {
      assertEquals(l2Margins[i], l2a.get(i).margin(), 1e-12, l2a.get(i).origin());
    }
    assertArrayEquals2(new byte[] {(byte) 255, (byte) 255}, l2a.get(0).pixels());

    List<Example> l1b = of(all, "l1", Example.TOP_LOSS, "b");
    assertEquals(ExampleSet.TOP_PER_PAIR, l1b.size(), "capped per (metric, actual, predicted)");
    for (int k = 0; k < ExampleSet.TOP_PER_PAIR; k++) {
      assertEquals(String.format("b%02d", k), l1b.get(k).origin());
      assertEquals(1 - 5.0 * k / 255, l1b.get(k).margin(), 1e-12);
      assertEquals("a", l1b.get(k).predicted());
    }
    for (Example e : all) {
      assertFalse(e.origin().equals("a4") && e.kind().equals(Example.TOP_LOSS), "a4 is classified right");
      assertFalse(e.origin().equals("a5") && e.kind().equals(Example.TOP_LOSS), "a5 ties, the tie goes to a");
      if (e.kind().equals(Example.CORRECT)) {
        assertEquals(e.actual(), e.predicted());
        assertEquals(0.0, e.margin());
      }
    }
  }

  @Test
  void theSameExamplesWithOneAndEightPartitions() {
    SparkSession spark = SparkTestSession.get();
    String sample = SparkTestSession.repo().resolve("data/mnist_sample").toString();
    IdealImages model;
    try (Scanned<PixelSums> train = ImageSets.read(spark, DatasetSpec.of("train", sample + "/train"), null,
        IdealImages.fitPass())) {
      model = IdealImages.fit(train);
    }
    List<Row> rows;
    try (ImageSet valid = ImageSets.read(spark, DatasetSpec.of("valid", sample + "/valid"), model.shape())) {
      Dataset<Row> images = valid.images();
      rows = images.collectAsList().stream().map(r -> RowFactory.create(r.getString(0), r.get(1), r.getString(2),
          28, 28)).toList();
    }
    Scan oneTask = scan(table(rows, 1, "one"), model);
    List<Example> one = oneTask.examples();
    String eightFiles = table(rows, 8, "eight");
    List<Example> eight = collect(eightFiles, model);
    assertEquals(render(one), render(eight));
    // Without Spark's whole-stage code generation the two UDFs run in projections one row after the other: the same.
    spark.conf().set("spark.sql.codegen.wholeStage", "false");
    try {
      assertEquals(render(one), render(collect(eightFiles, model)), "without whole-stage code generation");
    } finally {
      spark.conf().unset("spark.sql.codegen.wholeStage");
    }
    // The scoring UDF flags only images that may beat their group's cut-off, and the cut-offs it reads are the ones
    // the second UDF raises: with both UDFs on their own copies, every one of the images would be a candidate.
    assertTrue(oneTask.candidates() >= one.size(), oneTask.candidates() + " candidates, " + one.size() + " kept");
    assertTrue(oneTask.candidates() < rows.size() / 2, oneTask.candidates() + " candidates of " + rows.size());
    assertTrue(one.stream().anyMatch(e -> e.kind().equals(Example.TOP_LOSS)), "the sample has misclassified images");
    assertTrue(one.stream().anyMatch(e -> e.kind().equals(Example.CORRECT)), "a few correct ones are kept");
    assertTopLossesAreTheLargestMargins(rows, model, one);
    assertCorrectOnesAreTheNearest(rows, model, one);
  }

  /** An independent computation: per metric and label, the right ones nearest to their ideal image. */
  private static void assertCorrectOnesAreTheNearest(List<Row> rows, IdealImages model, List<Example> got) {
    for (String metric : List.of("l1", "l2")) {
      for (int actual = 0; actual < 2; actual++) {
        String label = model.labels().get(actual);
        List<Object[]> right = new ArrayList<>();
        for (Row r : rows) {
          byte[] px = (byte[]) r.get(1);
          double dTrue = distance(px, model.means()[actual], metric);
          if (r.getString(0).equals(label) && dTrue <= distance(px, model.means()[1 - actual], metric)) {
            right.add(new Object[] {dTrue, r.getString(2)});
          }
        }
        right.sort(Comparator.comparingDouble((Object[] o) -> (Double) o[0]).thenComparing(o -> (String) o[1]));
        List<Example> kept = of(got, metric, Example.CORRECT, label);
        assertEquals(ExampleSet.CORRECT_PER_CLASS, kept.size(), metric + " " + label);
        for (int i = 0; i < kept.size(); i++) {
          assertEquals(right.get(i)[1], kept.get(i).origin(), metric + " " + label + " #" + i);
          assertEquals((Double) right.get(i)[0], kept.get(i).distanceTrue(), 1e-9);
        }
      }
    }
  }

  /** An independent computation: every valid image's distances by plain loops, misclassified sorted by margin. */
  private static void assertTopLossesAreTheLargestMargins(List<Row> rows, IdealImages model, List<Example> got) {
    for (String metric : List.of("l1", "l2")) {
      for (int actual = 0; actual < 2; actual++) {
        String label = model.labels().get(actual);
        List<double[]> losses = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (Row r : rows) {
          if (!r.getString(0).equals(label)) {
            continue;
          }
          byte[] px = (byte[]) r.get(1);
          double dTrue = distance(px, model.means()[actual], metric);
          double dOther = distance(px, model.means()[1 - actual], metric);
          if (dOther < dTrue) {
            losses.add(new double[] {dTrue - dOther, origins.size()});
            origins.add(r.getString(2));
          }
        }
        losses.sort(Comparator.comparingDouble((double[] l) -> -l[0])
            .thenComparing(l -> origins.get((int) l[1])));
        List<Example> kept = of(got, metric, Example.TOP_LOSS, label);
        assertEquals(Math.min(ExampleSet.TOP_PER_PAIR, losses.size()), kept.size(), metric + " " + label);
        for (int i = 0; i < kept.size(); i++) {
          assertEquals(origins.get((int) losses.get(i)[1]), kept.get(i).origin(), metric + " " + label + " #" + i);
          assertEquals(losses.get(i)[0], kept.get(i).margin(), 1e-9);
        }
      }
    }
  }

  private static double distance(byte[] px, double[] mean, String metric) {
    double sum = 0;
    for (int i = 0; i < px.length; i++) {
      double d = (px[i] & 0xff) / 255.0 - mean[i];
      sum += metric.equals("l1") ? Math.abs(d) : d * d;
    }
    return metric.equals("l1") ? sum / px.length : Math.sqrt(sum / px.length);
  }

  private static String render(List<Example> examples) {
    StringBuilder sb = new StringBuilder();
    for (Example e : examples) {
      sb.append(e.metric()).append(' ').append(e.kind()).append(' ').append(e.actual()).append(' ')
          .append(e.predicted()).append(' ').append(e.origin()).append(' ').append(e.margin()).append(' ')
          .append(Arrays.hashCode(e.pixels())).append('\n');
    }
    return sb.toString();
  }

  private static void assertArrayEquals2(byte[] expected, byte[] actual) {
    assertEquals(Arrays.toString(expected), Arrays.toString(actual));
  }
}
