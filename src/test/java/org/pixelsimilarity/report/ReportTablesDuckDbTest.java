package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.scoring.Metric;

/** The report of the end-to-end run, read back by DuckDB: the documented columns and the job's own numbers. */
class ReportTablesDuckDbTest {
  private static Pipeline.RunOutcome outcome;
  private static DuckDb duck;

  @BeforeAll
  static void open() throws Exception {
    outcome = MnistSample.run();
    duck = new DuckDb(MnistSample.runReport());
  }

  @AfterAll
  static void close() throws Exception {
    duck.close();
  }

  @Test
  void tablesHaveTheDocumentedColumns() throws Exception {
    assertEquals(List.of("run_id", "run_at", "model_id", "model_path", "train_path", "valid_path", "train_images",
        "valid_images", "scored_images", "unknown_label_images", "rejected_images", "labels", "metrics",
        "accuracy_l1", "macro_accuracy_l1", "accuracy_l2", "macro_accuracy_l2", "app_version", "spark_version",
        "master", "gate", "gate_min_accuracy", "gate_max_drop", "run_date"), duck.columns("runs"));
    assertEquals(List.of("run_id", "metric", "label", "total", "correct", "accuracy", "run_date"),
        duck.columns("class_accuracy"));
    assertEquals(List.of("run_id", "metric", "actual", "predicted", "count", "run_date"), duck.columns("confusion"));
    assertEquals(List.of("run_id", "dataset", "origin", "reason", "run_date"), duck.columns("rejected"));
    assertEquals(List.of("run_id", "metric", "kind", "actual", "predicted", "origin", "margin", "distance_true",
        "distance_predicted", "pixels", "height", "width", "run_date"), duck.columns("examples"));
  }

  @Test
  void runsRowIsTheRun() throws Exception {
    RunRecord run = outcome.evaluated().run();
    Evaluation e = outcome.evaluated().evaluation();
    List<Object[]> rows = duck.rows("SELECT run_id, model_id, model_path, train_path, valid_path, train_images,"
        + " valid_images, scored_images, unknown_label_images, rejected_images, array_to_string(labels, ','),"
        + " array_to_string(metrics, ','), accuracy_l1, macro_accuracy_l1, accuracy_l2, macro_accuracy_l2,"
        + " spark_version, master, CAST(run_date AS VARCHAR), epoch_us(run_at) FROM " + duck.table("runs"));
    assertEquals(1, rows.size());
    Object[] r = rows.get(0);
    assertEquals("e2e", r[0]);
    assertEquals(outcome.trained().model().id(), r[1]);
    assertEquals(outcome.trained().saved().dir(), r[2]);
    assertEquals("file:" + MnistSample.train(), r[3], "the file system's URI of the path given");
    assertEquals("file:" + MnistSample.valid(), r[4], "the file system's URI of the path given");
    assertEquals(1681L, ((Number) r[5]).longValue());
    assertEquals(421L, ((Number) r[6]).longValue());
    assertEquals(421L, ((Number) r[7]).longValue());
    assertEquals(0L, ((Number) r[8]).longValue());
    assertEquals(0L, ((Number) r[9]).longValue());
    assertEquals("3,7", r[10]);
    assertEquals("l1,l2", r[11]);
    assertEquals(e.overallAccuracy(Metric.L1), (Double) r[12]);
    assertEquals(e.macroAccuracy(Metric.L1), (Double) r[13]);
    assertEquals(e.overallAccuracy(Metric.L2), (Double) r[14]);
    assertEquals(e.macroAccuracy(Metric.L2), (Double) r[15]);
    assertEquals(SparkTestSession.get().version(), r[16]);
    assertEquals("local[2]", r[17]);
    assertEquals(LocalDate.ofInstant(run.runAt(), ZoneOffset.UTC).toString(), r[18]);
    assertEquals(ChronoUnit.MICROS.between(Instant.EPOCH, run.runAt()), ((Number) r[19]).longValue());
  }

  @Test
  void classAccuracyIsTheEvaluation() throws Exception {
    Evaluation e = outcome.evaluated().evaluation();
    List<Object[]> rows = duck.rows("SELECT run_id, metric, label, total, correct, accuracy FROM "
        + duck.table("class_accuracy") + " ORDER BY metric, label");
    assertEquals(4, rows.size());
    int i = 0;
    for (Metric m : List.of(Metric.L1, Metric.L2)) {
      for (Evaluation.ClassAccuracy c : e.perClass(m)) {
        Object[] r = rows.get(i++);
        assertEquals("e2e", r[0]);
        assertEquals(m.key(), r[1]);
        assertEquals(c.label(), r[2]);
        assertEquals(c.total(), ((Number) r[3]).longValue());
        assertEquals(c.correct(), ((Number) r[4]).longValue());
        assertEquals(c.accuracy(), (Double) r[5]);
      }
    }
    // And the numbers are those of the independent computation.
    MnistSample.Reference ref = MnistSample.reference();
    assertEquals(ref.correctL1().get("3").longValue(), ((Number) rows.get(0)[4]).longValue());
    assertEquals(ref.correctL2().get("7").longValue(), ((Number) rows.get(3)[4]).longValue());
  }

  @Test
  void confusionIsTheEvaluation() throws Exception {
    Evaluation e = outcome.evaluated().evaluation();
    Map<String, Long> counts = new HashMap<>();
    for (Object[] r : duck.rows("SELECT run_id, metric, actual, predicted, count FROM " + duck.table("confusion"))) {
      assertEquals("e2e", r[0]);
      counts.put(r[1] + " " + r[2] + " " + r[3], ((Number) r[4]).longValue());
    }
    assertEquals(8, counts.size());
    for (Metric m : List.of(Metric.L1, Metric.L2)) {
      long[][] c = e.confusion(m);
      for (int a = 0; a < 2; a++) {
        for (int p = 0; p < 2; p++) {
          assertEquals(c[a][p], counts.get(m.key() + " " + e.labels().get(a) + " " + e.labels().get(p)));
        }
      }
      // Rows of the confusion add up to the class totals DuckDB finds in class_accuracy.
      assertEquals(duck.count("SELECT sum(total) FROM " + duck.table("class_accuracy") + " WHERE metric = '"
          + m.key() + "'"), duck.count("SELECT sum(count) FROM " + duck.table("confusion") + " WHERE metric = '"
          + m.key() + "'"));
    }
  }

  @Test
  void nothingRejectedOnTheCleanSample() throws Exception {
    assertEquals(0, duck.count("SELECT count(*) FROM " + duck.table("rejected")));
    assertNull(duck.rows("SELECT max(origin) FROM " + duck.table("rejected")).get(0)[0]);
  }

  @Test
  void runAtIsAUtcTimestampOfTheRun() throws Exception {
    Object[] r = duck.rows("SELECT typeof(run_at), run_at FROM " + duck.table("runs")).get(0);
    assertEquals("TIMESTAMP WITH TIME ZONE", r[0]);
    assertEquals(outcome.evaluated().run().runAt().truncatedTo(ChronoUnit.MICROS),
        ((OffsetDateTime) r[1]).toInstant());
  }

  @Test
  void countsAreIntegersAndAccuracyIsDouble() throws Exception {
    Object[] r = duck.rows("SELECT typeof(total), typeof(correct), typeof(accuracy) FROM "
        + duck.table("class_accuracy") + " LIMIT 1").get(0);
    assertEquals(List.of("BIGINT", "BIGINT", "DOUBLE"), List.of(r));
  }
}
