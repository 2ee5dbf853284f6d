package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.SmallTable;
import org.pixelsimilarity.scoring.Metric;

/**
 * The summary of runs ({@link RunSummary}) is a cache checked against the {@code runs} files: a run is shown only
 * while its {@code runs} file is there as the summary knew it, a file the summary lacks or has otherwise is read,
 * and the summary is written again whenever it was behind.
 */
class RunSummaryTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  /** A run of two labels with {@code correct} of the 10 images of label a right (all of b's). */
  private static void write(Path report, String id, String day, long correct) {
    Map<Metric, long[][]> c = new EnumMap<>(Metric.class);
    c.put(Metric.L1, new long[][] {{correct, 10 - correct}, {0, 10}});
    Evaluation e = new Evaluation(List.of("a", "b"), c);
    RunRecord run = new RunRecord(new RunRecord.Identity(id, Instant.parse(day + "T03:00:00Z")),
        new RunRecord.Inputs("model", "models/m", "train", "valid", List.of("a", "b")),
        new RunRecord.Counts(40, 20, 20, 0, 0), RunRecord.accuracies(e),
        new RunRecord.Versions("test", "4.2.0", "local[2]"), Optional.empty());
    ReportWriter.write(SPARK, report.toString(), run, e, SPARK.createDataFrame(List.of(), new StructType()
        .add("dataset", DataTypes.StringType).add("origin", DataTypes.StringType).add("reason", DataTypes.StringType)));
  }

  private static Path runsFile(Path report, String id, String day) {
    return report.resolve("runs").resolve("run_date=" + day).resolve(id + ".parquet");
  }

  /** The run ids the summary file itself holds. */
  private static List<String> inSummary(Path report) throws Exception {
    return SmallTable.read(SPARK, new org.apache.hadoop.fs.Path(report.resolve("_summary/runs.parquet").toString()),
        RunSummary.SCHEMA).stream().map(r -> r.<String>getAs("run_id")).sorted().toList();
  }

  private static Map<String, Double> accuracies(Path report) {
    Map<String, Double> out = new java.util.TreeMap<>();
    RunHistory.read(SPARK, report.toString()).forEach(r -> out.put(r.runId(), r.accuracy(Metric.L1)));
    return out;
  }

  @Test
  void eachCommitAddsItsRunToTheSummary(@TempDir Path report) throws Exception {
    write(report, "n1", "2026-01-01", 8);
    write(report, "n2", "2026-01-02", 9);
    assertEquals(List.of("n1", "n2"), inSummary(report));
    assertEquals(Map.of("n1", 18 / 20.0, "n2", 19 / 20.0), accuracies(report));
  }

  /** A run id being rewritten loses its old runs file first: from then on no reader shows it, summary or not. */
  @Test
  void aRunWhoseRunsFileIsGoneIsNotShown(@TempDir Path report) throws Exception {
    write(report, "n1", "2026-01-01", 8);
    write(report, "n2", "2026-01-02", 9);
    Files.delete(runsFile(report, "n2", "2026-01-02"));
    assertEquals(Map.of("n1", 18 / 20.0), accuracies(report));
    assertEquals(List.of("n1"), inSummary(report), "written again without it");
  }

  /** A runs file replaced by another writer (another length or time) is read again, not taken from the summary. */
  @Test
  void aRunsFileReplacedIsReadAgain(@TempDir Path report) throws Exception {
    write(report, "n1", "2026-01-01", 8);
    Path stale = Files.createTempDirectory("summary-stale").resolve("runs.parquet");
    Files.copy(report.resolve("_summary/runs.parquet"), stale);
    write(report, "n1", "2026-01-01", 5);
    Files.copy(stale, report.resolve("_summary/runs.parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path runs = runsFile(report, "n1", "2026-01-01");
    Files.setLastModifiedTime(runs, FileTime.fromMillis(Files.getLastModifiedTime(runs).toMillis() + 5000));
    assertEquals(Map.of("n1", 15 / 20.0), accuracies(report), "the new figures, not the summary's old ones");
  }

  /**
   * A writer killed after its runs file and before the summary, or whose summary another writer overwrote: the
   * next reader reads that one file and writes the summary again.
   */
  @Test
  void aSummaryBehindTheRunsFilesIsCaughtUp(@TempDir Path report) throws Exception {
    write(report, "n1", "2026-01-01", 8);
    Path behind = Files.createTempDirectory("summary-behind").resolve("runs.parquet");
    Files.copy(report.resolve("_summary/runs.parquet"), behind);
    write(report, "n2", "2026-01-02", 9);
    Files.copy(behind, report.resolve("_summary/runs.parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(List.of("n1"), inSummary(report));
    assertEquals(Map.of("n1", 18 / 20.0, "n2", 19 / 20.0), accuracies(report));
    assertEquals(List.of("n1", "n2"), inSummary(report));
  }

  @Test
  void anUnreadableSummaryIsMadeAgain(@TempDir Path report) throws Exception {
    write(report, "n1", "2026-01-01", 8);
    Files.writeString(report.resolve("_summary/runs.parquet"), "not parquet");
    assertEquals(Map.of("n1", 18 / 20.0), accuracies(report));
    assertEquals(List.of("n1"), inSummary(report));
  }

  /** The summary's rows are the runs rows themselves, every column as the runs file has it. */
  @Test
  void theSummaryHoldsTheRunsRowsAsTheyAre(@TempDir Path report) throws Exception {
    write(report, "n1", "2026-01-01", 8);
    Row fromFile = SmallTable.read(SPARK, new org.apache.hadoop.fs.Path(runsFile(report, "n1", "2026-01-01")
        .toString()), ReportTables.RUNS_SCHEMA).get(0);
    Row fromSummary = SmallTable.read(SPARK, new org.apache.hadoop.fs.Path(report.resolve("_summary/runs.parquet")
        .toString()), RunSummary.SCHEMA).get(0);
    for (int i = 0; i < ReportTables.RUNS_SCHEMA.size(); i++) {
      assertEquals(String.valueOf(fromFile.get(i)), String.valueOf(fromSummary.get(i)),
          ReportTables.RUNS_SCHEMA.fields()[i].name());
    }
    assertEquals("runs/run_date=2026-01-01/n1.parquet", fromSummary.getAs("runs_file"));
    assertEquals(Files.size(runsFile(report, "n1", "2026-01-01")), fromSummary.<Long>getAs("runs_file_length"));
    assertTrue(RunSummary.SCHEMA.size() == ReportTables.RUNS_SCHEMA.size() + 3);
  }
}
