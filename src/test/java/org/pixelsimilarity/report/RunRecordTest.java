package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.scoring.Metric;

/**
 * A {@link RunRecord}'s parts against the {@code runs} table's columns: each column by name from a record built by
 * hand, and records keyed by {@link Metric} (one metric, both, with and without a gate) written by
 * {@link ReportWriter} and read back by {@link RunHistory} equal to what was written.
 */
class RunRecordTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  private static RunRecord record(String id, Instant at, Map<Metric, RunRecord.Accuracy> accuracies) {
    return new RunRecord(new RunRecord.Identity(id, at),
        new RunRecord.Inputs("model-1", "file:/m", null, "file:/v", List.of("3", "7")),
        new RunRecord.Counts(12, 9, 7, 1, 2), accuracies, new RunRecord.Versions("1.2", "4.2.0", "local[2]"),
        Optional.empty());
  }

  private static Object column(Row row, String name) {
    return row.get(ReportTables.RUNS_SCHEMA.fieldIndex(name));
  }

  @Test
  void eachPartLandsInItsColumns() {
    Instant at = Instant.parse("2026-03-04T05:06:07.000008Z");
    RunRecord run = record("r1", at, Map.of(Metric.L2, new RunRecord.Accuracy(0.625, null)))
        .withGate(new QualityGate(0.5, null), new QualityGate.Verdict(true, "pass"));
    Row row = run.toRow();
    assertEquals(ReportTables.RUNS_SCHEMA.size(), row.size());
    assertEquals("r1", column(row, "run_id"));
    assertEquals(Timestamp.from(at), column(row, "run_at"));
    assertEquals("model-1", column(row, "model_id"));
    assertEquals("file:/m", column(row, "model_path"));
    assertNull(column(row, "train_path"));
    assertEquals("file:/v", column(row, "valid_path"));
    assertEquals(List.of(12L, 9L, 7L, 1L, 2L), Arrays.asList(column(row, "train_images"),
        column(row, "valid_images"), column(row, "scored_images"), column(row, "unknown_label_images"),
        column(row, "rejected_images")));
    assertEquals(List.of("3", "7"), seq(column(row, "labels")));
    assertEquals(List.of("l2"), seq(column(row, "metrics")));
    assertNull(column(row, "accuracy_l1"), "l1 not evaluated");
    assertNull(column(row, "macro_accuracy_l1"));
    assertEquals(0.625, column(row, "accuracy_l2"));
    assertNull(column(row, "macro_accuracy_l2"), "undefined");
    assertEquals(List.of("1.2", "4.2.0", "local[2]"), Arrays.asList(column(row, "app_version"),
        column(row, "spark_version"), column(row, "master")));
    assertEquals("pass", column(row, "gate"));
    assertEquals(0.5, column(row, "gate_min_accuracy"));
    assertNull(column(row, "gate_max_drop"));
  }

  private static List<Object> seq(Object value) {
    return scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value).stream()
        .map(Object.class::cast).toList();
  }

  @Test
  void metricsAreListedInMetricOrderWhateverTheMapsOrder() {
    Map<Metric, RunRecord.Accuracy> both = new java.util.LinkedHashMap<>();
    both.put(Metric.L2, new RunRecord.Accuracy(0.5, 0.5));
    both.put(Metric.L1, new RunRecord.Accuracy(0.75, 0.25));
    RunRecord run = record("r", Instant.EPOCH, both);
    assertEquals(List.of(Metric.L1, Metric.L2), List.copyOf(run.metrics()));
    assertEquals(List.of("l1", "l2"), seq(column(run.toRow(), "metrics")));
    assertEquals(0.75, run.accuracy(Metric.L1));
    assertEquals(0.25, run.macroAccuracy(Metric.L1));
  }

  @Test
  void roundTripThroughTheRunsTable(@TempDir Path report) {
    Map<Metric, RunRecord.Accuracy> both = new EnumMap<>(Metric.class);
    both.put(Metric.L1, new RunRecord.Accuracy(0.875, 0.75));
    both.put(Metric.L2, new RunRecord.Accuracy(null, null));
    RunRecord plain = record("plain", Instant.parse("2026-03-04T05:06:07.123456Z"), both);
    RunRecord gated = record("gated", Instant.parse("2026-03-05T00:00:00Z"),
        Map.of(Metric.L1, new RunRecord.Accuracy(0.5, 0.5)))
        .withGate(new QualityGate(0.9, 0.01), new QualityGate.Verdict(false, "fail: l1 accuracy 0.5000 is low"));
    Evaluation none = new Evaluation(List.of("3", "7"), new EnumMap<>(Metric.class));
    StructType rejected = new StructType().add("dataset", DataTypes.StringType)
        .add("origin", DataTypes.StringType).add("reason", DataTypes.StringType);
    for (RunRecord r : List.of(plain, gated)) {
      ReportWriter.write(SPARK, report.toString(), r, none, SPARK.createDataFrame(List.of(), rejected));
    }
    List<RunRecord> back = RunHistory.read(SPARK, report.toString());
    assertEquals(List.of(plain, gated), back);
    assertEquals(Set.of(Metric.L1, Metric.L2), back.get(0).metrics());
    assertTrue(back.get(0).gate().isEmpty());
    assertFalse(back.get(1).gate().get().verdict().passed());
    assertEquals(0.01, back.get(1).gate().get().thresholds().maxDrop());
  }
}
