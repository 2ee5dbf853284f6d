package org.pixelsimilarity.report;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.SmallTable;

/**
 * The runs of a report folder, read back from its {@code runs} table: what the quality gate compares with and
 * what the pages list. Runs written before a column existed (the gate's) read it as null.
 */
public final class RunHistory {
  private RunHistory() {}

  /**
   * The parquet files of a report table, {@code <table>/run_date=<date>/<run_id>.parquet}, in path order; empty
   * when the folder has none. Hidden files and folders ({@code _…}, {@code .…}) are not the table's, as for Spark.
   */
  static List<Path> files(SparkSession spark, String reportDir, String table) {
    Path dir = new Path(reportDir, table);
    List<Path> out = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(dir)) {
        return out;
      }
      for (FileStatus s : fs.listStatus(dir)) {
        if (hidden(s.getPath())) {
          continue;
        }
        if (s.isDirectory()) {
          for (FileStatus f : fs.listStatus(s.getPath())) {
            if (!f.isDirectory() && !hidden(f.getPath()) && f.getPath().getName().endsWith(".parquet")) {
              out.add(f.getPath());
            }
          }
        } else if (s.getPath().getName().endsWith(".parquet")) {
          out.add(s.getPath());
        }
      }
    } catch (IOException e) {
      throw new JobException(dir + ": cannot list the report table: " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }

  private static final Map<String, StructType> SCHEMAS = Map.of(ReportTables.RUNS, ReportTables.RUNS_SCHEMA,
      ReportTables.CLASS_ACCURACY, ReportTables.CLASS_ACCURACY_SCHEMA, ReportTables.CONFUSION,
      ReportTables.CONFUSION_SCHEMA, ReportTables.REJECTED, ReportTables.REJECTED_SCHEMA, ReportTables.EXAMPLES,
      ReportTables.EXAMPLES_SCHEMA);

  private static boolean hidden(Path p) {
    return p.getName().startsWith("_") || p.getName().startsWith(".");
  }

  /**
   * Every row of a report table in its documented schema (columns added later read as null from older files),
   * read on the driver ({@link SmallTable#read}): report tables are a few rows per run, and one Spark job per table
   * cost more than reading them all. Empty when the table does not exist.
   */
  public static List<Row> rows(SparkSession spark, String reportDir, String table) {
    List<Row> out = new ArrayList<>();
    for (Path f : files(spark, reportDir, table)) {
      forEachRow(spark, f, table, out::add);
    }
    return out;
  }

  /**
   * Each row of one run in a report table, streamed: its file {@code <run_id>.parquet} when the table has one (as
   * every writer of this job leaves it), else every file's rows of that run id (a table rewritten by other tools).
   */
  public static void forEachRowOf(SparkSession spark, String reportDir, String table, String runId,
      Consumer<Row> each) {
    List<Path> all = files(spark, reportDir, table);
    List<Path> own = all.stream().filter(f -> f.getName().equals(runId + ".parquet")).toList();
    for (Path f : own.isEmpty() ? all : own) {
      forEachRow(spark, f, table, r -> {
        if (runId.equals(r.getAs("run_id"))) {
          each.accept(r);
        }
      });
    }
  }

  private static void forEachRow(SparkSession spark, Path file, String table, Consumer<Row> each) {
    try {
      SmallTable.read(spark, file, SCHEMAS.get(table), each);
    } catch (IOException | RuntimeException e) {
      throw new JobException(file + ": cannot read the report table " + table + ": " + e.getMessage(), e);
    }
  }

  /** Every run of the report, oldest first (by run_at, then run id). */
  public static List<RunRecord> read(SparkSession spark, String reportDir) {
    List<RunRecord> out = new ArrayList<>();
    for (Row r : rows(spark, reportDir, ReportTables.RUNS)) {
      out.add(record(r));
    }
    out.sort(Comparator.comparing(RunRecord::runAt).thenComparing(RunRecord::runId));
    return out;
  }

  /** The latest run before {@code run} (by run_at) on the same validation path, other than itself; or null. */
  public static RunRecord previous(List<RunRecord> runs, RunRecord run) {
    RunRecord best = null;
    for (RunRecord r : runs) {
      if (!r.runId().equals(run.runId()) && r.validPath().equals(run.validPath()) && r.runAt().isBefore(run.runAt())
          && (best == null || !r.runAt().isBefore(best.runAt()))) {
        best = r;
      }
    }
    return best;
  }

  private static RunRecord record(Row r) {
    return new RunRecord(r.getAs("run_id"), ((Timestamp) r.getAs("run_at")).toInstant(), r.getAs("model_id"),
        r.getAs("model_path"), r.getAs("train_path"), r.getAs("valid_path"), r.<Long>getAs("train_images"),
        r.<Long>getAs("valid_images"), r.<Long>getAs("scored_images"), r.<Long>getAs("unknown_label_images"),
        r.<Long>getAs("rejected_images"), r.getList(r.fieldIndex("labels")), r.getList(r.fieldIndex("metrics")),
        r.getAs("accuracy_l1"), r.getAs("macro_accuracy_l1"), r.getAs("accuracy_l2"), r.getAs("macro_accuracy_l2"),
        r.getAs("app_version"), r.getAs("spark_version"), r.getAs("master"), r.getAs("gate"),
        r.getAs("gate_min_accuracy"), r.getAs("gate_max_drop"));
  }

  /** Rows of one run in a report table, or an empty list when the table does not exist (runs before it). */
  public static List<Row> rowsOf(SparkSession spark, String reportDir, String table, String runId) {
    List<Row> out = new ArrayList<>();
    forEachRowOf(spark, reportDir, table, runId, out::add);
    return out;
  }
}
