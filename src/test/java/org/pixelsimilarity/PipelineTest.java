package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.report.DuckDb;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.requests.ReportSpec;
import org.pixelsimilarity.requests.RunRequest;
import org.pixelsimilarity.scoring.Metric;

/**
 * The whole job on 2x2 images whose answer is worked out by hand.
 *
 * <p>Train: "3" = 0,0,0,0 and 0,0,0,50 (ideal 0,0,0,25/255); "7" = 255,255,255,255 (ideal 1,1,1,1); "9" =
 * 255,0,0,255 (ideal 1,0,0,1). Valid: "3" = 10,0,0,0 (nearest 3); "7" = 250,250,250,250 (nearest 7) and 0,0,0,0
 * (nearest 3: wrong); "5" = 0,0,0,0 (a label the model does not know); "3" = a 3x3 image (wrong shape).
 * So with both metrics: 3 -> 1 of 1, 7 -> 1 of 2, 9 -> no image (NaN, left out of the macro average);
 * macro (1 + 0.5) / 2 = 0.75; overall 2 of 3.
 */
class PipelineTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @TempDir
  static Path tmp;

  @BeforeAll
  static void writeImages() throws IOException {
    png("train/3/a.png", 0, 0, 0, 0);
    png("train/3/b.png", 0, 0, 0, 50);
    png("train/7/a.png", 255, 255, 255, 255);
    png("train/9/a.png", 255, 0, 0, 255);
    png("valid/3/a.png", 10, 0, 0, 0);
    png("valid/7/a.png", 250, 250, 250, 250);
    png("valid/7/b.png", 0, 0, 0, 0);
    png("valid/5/a.png", 0, 0, 0, 0);
    png("valid/3/big.png", 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  private static void png(String name, int... gray) throws IOException {
    int side = (int) Math.sqrt(gray.length);
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, side, side, gray);
    Path file = tmp.resolve(name);
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  private static DatasetSpec spec(String role) {
    return DatasetSpec.of(role, tmp.resolve(role).toString()).withMaxRejectedFraction(0.5);
  }

  @Test
  void handWorkedRunWithUnknownLabelsAndAnEmptyClass() throws Exception {
    Path report = tmp.resolve("report-all");
    Pipeline.RunOutcome r = Pipeline.run(SPARK, new RunRequest(spec("train"), spec("valid"), null, false,
        ReportSpec.of(report.toString(), "tiny", EnumSet.of(Metric.L1, Metric.L2))));
    assertEquals(List.of("3", "7", "9"), r.trained().model().labels());
    Evaluation e = r.evaluated().evaluation();
    for (Metric m : Metric.values()) {
      assertEquals(List.of(new Evaluation.ClassAccuracy("3", 1, 1), new Evaluation.ClassAccuracy("7", 2, 1),
          new Evaluation.ClassAccuracy("9", 0, 0)), e.perClass(m), m.key());
      assertEquals(0.75, e.macroAccuracy(m));
      assertEquals(2.0 / 3, e.overallAccuracy(m));
    }
    assertEquals(Map.of("5", 1L), r.evaluated().unknownLabels());
    assertEquals(new RunRecord.Counts(4, 4, 3, 1, 1), r.evaluated().run().counts());

    try (DuckDb duck = new DuckDb(report)) {
      List<Object[]> nine = duck.rows("SELECT total, correct, accuracy FROM " + duck.table("class_accuracy")
          + " WHERE label = '9' ORDER BY metric");
      assertEquals(2, nine.size());
      assertEquals(0L, ((Number) nine.get(0)[0]).longValue());
      assertNull(nine.get(0)[2], "no image of 9: accuracy is null in the table");
      Object[] run = duck.rows("SELECT unknown_label_images, rejected_images, macro_accuracy_l1, accuracy_l2 FROM "
          + duck.table("runs")).get(0);
      assertEquals(1L, ((Number) run[0]).longValue());
      assertEquals(1L, ((Number) run[1]).longValue());
      assertEquals(0.75, (Double) run[2]);
      assertEquals(2.0 / 3, (Double) run[3]);
      Object[] rejected = duck.rows("SELECT dataset, origin, reason FROM " + duck.table("rejected")).get(0);
      assertEquals("valid", rejected[0]);
      assertTrue(((String) rejected[1]).endsWith("/valid/3/big.png"), (String) rejected[1]);
      assertEquals("image is 3x3, expected 2x2 (the model's shape)", rejected[2]);
    }
  }

  @Test
  void oneMetricAndALabelFilter() throws Exception {
    Path report = tmp.resolve("report-l1");
    Set<String> keep = Set.of("3", "7");
    Pipeline.RunOutcome r = Pipeline.run(SPARK, new RunRequest(spec("train").withLabels(keep),
        spec("valid").withLabels(keep), tmp.resolve("model-l1").toString(), false,
        ReportSpec.of(report.toString(), "l1-only", EnumSet.of(Metric.L1))));
    assertEquals(List.of("3", "7"), r.trained().model().labels());
    assertEquals(Set.of(Metric.L1), r.evaluated().evaluation().metrics());
    assertEquals(0, r.evaluated().run().counts().unknownLabelImages(), "label 5 was filtered out, not unknown");
    assertNull(r.evaluated().run().accuracy(Metric.L2));
    assertEquals(Set.of(Metric.L1), r.evaluated().run().metrics());
    try (DuckDb duck = new DuckDb(report)) {
      List<String> metrics = new ArrayList<>();
      for (Object[] row : duck.rows("SELECT DISTINCT metric FROM " + duck.table("class_accuracy"))) {
        metrics.add((String) row[0]);
      }
      assertEquals(List.of("l1"), metrics);
      assertEquals(4, duck.count("SELECT count(*) FROM " + duck.table("confusion")));
      Object[] run = duck.rows("SELECT array_to_string(metrics, ','), accuracy_l2, macro_accuracy_l2, labels[1]"
          + " FROM " + duck.table("runs")).get(0);
      assertEquals("l1", run[0]);
      assertNull(run[1]);
      assertNull(run[2]);
      assertEquals("3", run[3]);
    }
  }

  @Test
  void validWithoutAnyKnownLabelIsAJobError() {
    Path report = tmp.resolve("report-none");
    DatasetSpec onlyFive = DatasetSpec.of("valid", tmp.resolve("valid").toString()).withLabels(Set.of("5", "6"));
    JobException e = assertThrows(JobException.class, () -> Pipeline.run(SPARK, new RunRequest(spec("train"),
        onlyFive, null, false, ReportSpec.of(report.toString(), "none", EnumSet.of(Metric.L1)))));
    assertTrue(e.getMessage().contains("none of its labels"), e.getMessage());
  }
}
