package org.pixelsimilarity.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.JobException;

/**
 * The runs of a report folder, read back from its {@code runs} table: what the quality gate compares with and
 * what the pages list. Runs written before a column existed (the gate's) read it as null.
 */
public final class RunHistory {
  private RunHistory() {}

  /** A report table as a DataFrame with its documented schema, or null when the folder has none. */
  public static Dataset<Row> table(SparkSession spark, String reportDir, String table) {
    Path dir = new Path(reportDir, table);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(dir) || fs.listStatus(dir).length == 0) {
        return null;
      }
    } catch (IOException e) {
      throw new JobException(dir + ": cannot list the report table: " + e.getMessage(), e);
    }
    // The known schema, not one inferred from the files: no job to read every footer (runs accumulate), and
    // columns added later (the gate's) read as null from older files.
    return spark.read().schema(SCHEMAS.get(table)).parquet(dir.toString());
  }

  private static final Map<String, StructType> SCHEMAS = Map.of(ReportTables.RUNS, ReportTables.RUNS_SCHEMA,
      ReportTables.CLASS_ACCURACY, ReportTables.CLASS_ACCURACY_SCHEMA, ReportTables.CONFUSION,
      ReportTables.CONFUSION_SCHEMA, ReportTables.REJECTED, ReportTables.REJECTED_SCHEMA, ReportTables.EXAMPLES,
      ReportTables.EXAMPLES_SCHEMA);

  /** Every run of the report, oldest first (by run_at, then run id). */
  public static List<RunRecord> read(SparkSession spark, String reportDir) {
    Dataset<Row> runs = table(spark, reportDir, ReportTables.RUNS);
    if (runs == null) {
      return List.of();
    }
    List<String> have = Arrays.asList(runs.columns());
    List<RunRecord> out = new ArrayList<>();
    for (Row r : runs.collectAsList()) {
      out.add(record(r, have));
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

  private static RunRecord record(Row r, List<String> have) {
    return new RunRecord(r.getAs("run_id"), ((Timestamp) r.getAs("run_at")).toInstant(), r.getAs("model_id"),
        r.getAs("model_path"), r.getAs("train_path"), r.getAs("valid_path"), r.<Long>getAs("train_images"),
        r.<Long>getAs("valid_images"), r.<Long>getAs("scored_images"), r.<Long>getAs("unknown_label_images"),
        r.<Long>getAs("rejected_images"), r.getList(r.fieldIndex("labels")), r.getList(r.fieldIndex("metrics")),
        r.getAs("accuracy_l1"), r.getAs("macro_accuracy_l1"), r.getAs("accuracy_l2"), r.getAs("macro_accuracy_l2"),
        r.getAs("app_version"), r.getAs("spark_version"), r.getAs("master"), optional(r, have, "gate"),
        optional(r, have, "gate_min_accuracy"), optional(r, have, "gate_max_drop"));
  }

  private static <T> T optional(Row r, List<String> have, String column) {
    return have.contains(column) ? r.getAs(column) : null;
  }

  /** Rows of one run in a report table, or an empty list when the table does not exist (runs before it). */
  public static List<Row> rowsOf(SparkSession spark, String reportDir, String table, String runId) {
    Dataset<Row> t = table(spark, reportDir, table);
    return t == null ? List.of() : t.filter(col("run_id").equalTo(runId)).collectAsList();
  }
}
