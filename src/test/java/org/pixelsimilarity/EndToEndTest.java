package org.pixelsimilarity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.requests.TrainRequest;
import org.pixelsimilarity.scoring.Metric;

/** The job on the bundled MNIST sample against an independent plain-Java computation of the same steps. */
class EndToEndTest {
  private static MnistSample.Reference reference;
  private static Pipeline.RunOutcome outcome;

  @BeforeAll
  static void runOnce() {
    reference = MnistSample.reference();
    outcome = MnistSample.run();
    Evaluation e = outcome.evaluated().evaluation();
    for (Metric m : Metric.values()) {
      System.out.printf("end to end %s: %s, macro %.6f, overall %.6f%n", m, e.perClass(m), e.macroAccuracy(m),
          e.overallAccuracy(m));
    }
  }

  @Test
  void imageCountsAreTheSample() {
    assertEquals(Map.of("3", 825, "7", 856), reference.trainCounts());
    assertEquals(Map.of("3", 207, "7", 214), reference.validCounts());
    assertEquals(Map.of("3", 825L, "7", 856L), outcome.trained().train().byLabel());
    assertEquals(0, outcome.trained().train().rejected());
    assertEquals(1681, outcome.trained().model().totalCount());
    assertEquals(421, outcome.evaluated().run().counts().validImages());
    assertEquals(421, outcome.evaluated().run().counts().scoredImages());
    Evaluation e = outcome.evaluated().evaluation();
    for (Metric m : Metric.values()) {
      assertEquals(207, e.perClass(m).get(0).total());
      assertEquals(214, e.perClass(m).get(1).total());
    }
  }

  @Test
  void idealImagesEqualThePlainJavaMeans() {
    IdealImages model = outcome.trained().model();
    assertEquals(MnistSample.LABELS, model.labels());
    for (String label : MnistSample.LABELS) {
      assertArrayEquals(reference.means().get(label), model.mean(label), "ideal " + label);
    }
  }

  @Test
  void correctCountsPerClassEqualThePlainJavaComputation() {
    Evaluation e = outcome.evaluated().evaluation();
    assertEquals(reference.correctL1(), correct(e, Metric.L1), "L1");
    assertEquals(reference.correctL2(), correct(e, Metric.L2), "L2");
    // The book's result on this kind of sample: the baseline gets well over 90% right.
    assertTrue(e.overallAccuracy(Metric.L1) > 0.9, "L1 accuracy " + e.overallAccuracy(Metric.L1));
  }

  private static Map<String, Integer> correct(Evaluation e, Metric m) {
    Map<String, Integer> out = new LinkedHashMap<>();
    e.perClass(m).forEach(c -> out.put(c.label(), (int) c.correct()));
    return out;
  }

  @Test
  void accuracyFiguresFollowFromTheCounts() {
    Evaluation e = outcome.evaluated().evaluation();
    for (Metric m : Metric.values()) {
      Map<String, Integer> c = m == Metric.L1 ? reference.correctL1() : reference.correctL2();
      double acc3 = c.get("3") / 207.0;
      double acc7 = c.get("7") / 214.0;
      assertEquals((acc3 + acc7) / 2, e.macroAccuracy(m), 1e-15, m + " macro");
      assertEquals((c.get("3") + c.get("7")) / 421.0, e.overallAccuracy(m), 1e-15, m + " overall");
    }
  }

  @Test
  void modelAndPicturesAreWrittenUnderTheReport() {
    Path models = MnistSample.runReport().resolve("models").resolve(outcome.trained().model().id());
    assertTrue(Files.isRegularFile(models.resolve("model.json")), models.toString());
    assertTrue(Files.isRegularFile(models.resolve("ideal-3.png")));
    assertTrue(Files.isRegularFile(models.resolve("ideal-7.png")));
  }

  @Test
  void theJobsFitIsBitIdenticalWithOneAndEightPartitions(@TempDir Path tmp) {
    // The job's own path (Pipeline.train: the fit inside the validation scan) over the sample's training images
    // stored as a parquet table of one file and of eight files, read as one and as eight partitions.
    SparkSession spark = SparkTestSession.get();
    try (ImageSet train = ImageSets.read(spark, DatasetSpec.of("train", MnistSample.train()), null)) {
      Dataset<Row> stored = train.images().select(col(PixelTable.LABEL), col(PixelTable.PIXELS),
          col(PixelTable.ORIGIN), lit(train.shape().height()).as(PixelTable.HEIGHT),
          lit(train.shape().width()).as(PixelTable.WIDTH));
      PixelTable.write(stored.coalesce(1), tmp.resolve("one").toString(), false);
      PixelTable.write(stored.repartition(8), tmp.resolve("eight").toString(), false);
    }
    IdealImages one = fitAsTheJobDoes(spark, tmp.resolve("one"), 1);
    // Spark packs small files into one split until a split's bytes pass the open cost; a large open cost keeps
    // each file in a partition of its own.
    String openCost = "spark.sql.files.openCostInBytes";
    spark.conf().set(openCost, Long.toString(1L << 30));
    IdealImages eight;
    try {
      eight = fitAsTheJobDoes(spark, tmp.resolve("eight"), 8);
    } finally {
      spark.conf().unset(openCost);
    }
    for (String label : List.of("3", "7")) {
      assertArrayEquals(reference.means().get(label), one.mean(label), "ideal " + label + ", 1 partition");
      assertArrayEquals(reference.means().get(label), eight.mean(label), "ideal " + label + ", 8 partitions");
    }
    assertArrayEquals(new long[] {825, 856}, one.counts());
    assertArrayEquals(new long[] {825, 856}, eight.counts());
    assertEquals(outcome.trained().model().id(), one.id());
    assertEquals(outcome.trained().model().id(), eight.id());
  }

  private static IdealImages fitAsTheJobDoes(SparkSession spark, Path table, int partitions) {
    assertEquals(partitions, spark.read().parquet(table.toString()).rdd().getNumPartitions(), table.toString());
    return Pipeline.train(spark, new TrainRequest(DatasetSpec.of("train", table.toString()), null, false)).model();
  }
}
