package org.pixelsimilarity.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.IoTasks;
import org.pixelsimilarity.data.SmallTable;

/**
 * The runs of a report folder, read back from its {@code runs} table: what the quality gate compares with and
 * what the pages list. Runs written before a column existed (the gate's) read it as null.
 */
public final class RunHistory {
  private RunHistory() {}

  /**
   * Every row of a report table in its documented schema (columns added later read as null from older files),
   * read on the driver ({@link SmallTable}), a few files at a time ({@link IoTasks}): report tables are a few rows
   * per run, and one Spark job per table cost more than reading them all. Empty when the table does not exist.
   */
  public static List<Row> rows(SparkSession spark, ReportFiles files, String table) {
    return read(spark, files, files.files(table), table);
  }

  /**
   * The rows of runs {@code runIds} in a report table: their own files ({@link ReportFiles#filesOf}), read as
   * {@link #rows(SparkSession, ReportFiles, String)} reads a table, the rows of other runs left out.
   */
  public static List<Row> rowsOf(SparkSession spark, ReportFiles files, String table, Collection<String> runIds) {
    Set<Path> own = new LinkedHashSet<>();
    for (List<Path> each : files.filesOf(table, new ArrayList<>(runIds))) {
      own.addAll(each);
    }
    Set<String> ids = new HashSet<>(runIds);
    List<Row> out = new ArrayList<>();
    for (Row r : read(spark, files, new ArrayList<>(own), table)) {
      if (ids.contains(r.<String>getAs("run_id"))) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<Row> read(SparkSession spark, ReportFiles report, List<Path> files, String table) {
    SmallTable.Reader reader = SmallTable.reader(spark, ReportTables.schema(table));
    List<List<Row>> each;
    try {
      each = IoTasks.inOrder("pixel-similarity-report", files, f -> read(reader, report, f, table));
    } catch (IOException e) {
      throw new JobException(e.getMessage(), e); // read() names the file
    }
    List<Row> out = new ArrayList<>();
    each.forEach(out::addAll);
    return out;
  }

  /** {@link #rows(SparkSession, ReportFiles, String)}, listing that table first. */
  public static List<Row> rows(SparkSession spark, String reportDir, String table) {
    return rows(spark, ReportFiles.list(spark, reportDir, table), table);
  }

  /**
   * Each row of one run in a report table, streamed, from the run's own files ({@link ReportFiles#filesOf}): the
   * rows of that run id.
   */
  public static void forEachRowOf(SparkSession spark, ReportFiles files, String table, String runId,
      Consumer<Row> each) {
    SmallTable.Reader reader = SmallTable.reader(spark, ReportTables.schema(table));
    for (Path f : files.filesOf(table, runId)) {
      try {
        read(reader, files, f, table, r -> {
          if (runId.equals(r.getAs("run_id"))) {
            each.accept(r);
          }
        });
      } catch (IOException e) {
        throw new JobException(e.getMessage(), e); // read() names the file
      }
    }
  }

  private static List<Row> read(SmallTable.Reader reader, ReportFiles report, Path file, String table)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    read(reader, report, file, table, rows::add);
    return rows;
  }

  /** The rows of one file, opened with the status its listing or lookup gave when there was one. */
  private static void read(SmallTable.Reader reader, ReportFiles report, Path file, String table,
      Consumer<Row> each) throws IOException {
    try {
      org.apache.hadoop.fs.FileStatus known = report.status(file);
      if (known != null) {
        reader.read(known, each);
      } else {
        reader.read(file, each);
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": cannot read the report table " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every run of the report, oldest first (by run_at, then run id): one listing of {@code runs} and the summary of
   * runs ({@link RunSummary}), the {@code runs} files it lacks read and added to it.
   */
  public static List<RunRecord> read(SparkSession spark, String reportDir) {
    return read(spark, ReportFiles.listRuns(spark, reportDir));
  }

  /** {@link #read(SparkSession, String)} from files already listed. */
  public static List<RunRecord> read(SparkSession spark, ReportFiles files) {
    List<RunRecord> out = new ArrayList<>();
    for (Row r : RunSummary.rows(spark, files, Set.of())) {
      out.add(RunRecord.of(r));
    }
    out.sort(Comparator.comparing(RunRecord::runAt).thenComparing(RunRecord::runId));
    return out;
  }

  /** The latest run before {@code run} (by run_at) on the same validation path, other than itself; or null. */
  public static RunRecord previous(List<RunRecord> runs, RunRecord run) {
    RunRecord best = null;
    for (RunRecord r : runs) {
      if (!r.runId().equals(run.runId()) && r.inputs().validPath().equals(run.inputs().validPath())
          && r.runAt().isBefore(run.runAt())
          && (best == null || !r.runAt().isBefore(best.runAt()))) {
        best = r;
      }
    }
    return best;
  }

  /** Rows of one run in a report table, or an empty list when the table does not exist (runs before it). */
  public static List<Row> rowsOf(SparkSession spark, ReportFiles files, String table, String runId) {
    return rowsOf(spark, files, table, List.of(runId));
  }
}
