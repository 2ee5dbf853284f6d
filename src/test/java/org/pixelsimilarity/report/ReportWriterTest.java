package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.scoring.Metric;

/** The report writer on a hand-made evaluation: one file per run and table, the same run id replaced across days. */
class ReportWriterTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final StructType REJECTED = new StructType().add("dataset", DataTypes.StringType)
      .add("origin", DataTypes.StringType).add("reason", DataTypes.StringType);

  private static Evaluation evaluation() {
    Map<Metric, long[][]> c = new EnumMap<>(Metric.class);
    c.put(Metric.L1, new long[][] {{4, 1}, {0, 5}});
    return new Evaluation(List.of("a", "b"), c);
  }

  private static RunRecord run(String id, Instant at) {
    Evaluation e = evaluation();
    return new RunRecord(new RunRecord.Identity(id, at), new RunRecord.Inputs("model", "models/m", "train", "valid",
        List.of("a", "b")), new RunRecord.Counts(20, 10, 10, 0, 1),
        Map.of(Metric.L1, new RunRecord.Accuracy(e.overallAccuracy(Metric.L1), e.macroAccuracy(Metric.L1))),
        new RunRecord.Versions("test", "4.2.0", "local[2]"), Optional.empty());
  }

  private static Dataset<Row> rejected(String origin) {
    return SPARK.createDataFrame(List.of(RowFactory.create("valid", origin, "not an image")), REJECTED);
  }

  @Test
  void theSameRunIdOnAnotherDayReplacesTheOldDaysFiles(@TempDir Path report) throws Exception {
    ReportWriter.write(SPARK, report.toString(), run("daily", Instant.parse("2024-01-01T23:59:00Z")), evaluation(),
        rejected("x.png"));
    ReportWriter.write(SPARK, report.toString(), run("keep", Instant.parse("2024-01-01T10:00:00Z")), evaluation(),
        rejected("y.png"));
    ReportWriter.Written w = ReportWriter.write(SPARK, report.toString(),
        run("daily", Instant.parse("2024-01-02T00:01:00Z")), evaluation(), rejected("z.png"));
    assertEquals(List.of("rejected", "confusion", "class_accuracy", "examples", "runs"), List.copyOf(w.files().keySet()));
    for (String table : new String[] {"runs", "class_accuracy", "confusion", "rejected"}) {
      assertFalse(Files.exists(report.resolve(table).resolve("run_date=2024-01-01").resolve("daily.parquet")), table);
      assertEquals(true, Files.exists(report.resolve(table).resolve("run_date=2024-01-02").resolve("daily.parquet")));
    }
    try (DuckDb duck = new DuckDb(report)) {
      List<Object[]> runs = duck.rows("SELECT run_id, CAST(run_date AS VARCHAR) FROM " + duck.table("runs")
          + " ORDER BY run_id");
      assertEquals(2, runs.size());
      assertEquals(List.of("daily", "2024-01-02"), List.of(runs.get(0)));
      assertEquals(List.of("keep", "2024-01-01"), List.of(runs.get(1)));
      assertEquals(List.of("z.png", "y.png"), duck.rows("SELECT origin FROM " + duck.table("rejected")
          + " ORDER BY run_id").stream().map(r -> (String) r[0]).toList());
      // Hand-made confusion: a -> 4 right, 1 as b; b -> 5 right. 0.8 and 1.0, macro 0.9, overall 0.9.
      Object[] r = duck.rows("SELECT accuracy_l1, macro_accuracy_l1, accuracy_l2 FROM " + duck.table("runs")
          + " WHERE run_id = 'daily'").get(0);
      assertEquals(0.9, (Double) r[0]);
      assertEquals(0.9, (Double) r[1]);
      assertEquals(null, r[2]);
      assertEquals(2, duck.count("SELECT count(*) FROM " + duck.table("class_accuracy") + " WHERE run_id = 'daily'"));
      assertEquals(4, duck.count("SELECT count(*) FROM " + duck.table("confusion") + " WHERE run_id = 'daily'"));
    }
    if (Files.exists(report.resolve("_commits"))) {
      try (java.util.stream.Stream<Path> left = Files.list(report.resolve("_commits"))) {
        assertEquals(List.of(), left.toList(), "no manifest left behind");
      }
    }
  }

  @Test
  void runIdsThatCannotBeFileNamesAreRefused(@TempDir Path report) {
    for (String bad : new String[] {"", "../x", "a/b", ".hidden", "x y"}) {
      assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(SPARK, report.toString(),
          run(bad, Instant.now()), evaluation(), rejected("x")), bad);
    }
  }
}
