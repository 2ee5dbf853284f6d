package org.pixelsimilarity.report;

import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.data.SmallTable;
import org.pixelsimilarity.io.Store;
import org.pixelsimilarity.scoring.Example;
import org.pixelsimilarity.scoring.Metric;

/**
 * Step 5, report tables: appends one run to {@code runs}, {@code class_accuracy}, {@code confusion},
 * {@code rejected} and {@code examples}, all or nothing.
 *
 * <p>How: each table of the run is written into {@code <report>/_staging/<uuid>/}, invisible to readers of the
 * tables, from the driver by {@link SmallTable} (no Spark job; the rejected rows too unless there are more than
 * {@link SmallTable#MAX_ROWS}); {@link ReportCommit} then moves the files into
 * {@code <table>/run_date=<date>/<run_id>.parquet}, {@code runs} last, under a manifest that lets the next writer
 * finish a commit whose writer was killed. A reader that takes a run from {@code runs} finds all its rows. Then
 * the summary of runs ({@link RunSummary}) is brought up to date with the run.
 *
 * <p>The same {@code run_id} again replaces that run's files (in whatever date partition they are): scheduled
 * runs retried with the same id never duplicate rows. Runs with different ids touch different files, so
 * concurrent writers do not collide.
 */
public final class ReportWriter {
  /** Run ids become file names: letters, digits, '.', '_' and '-', starting with a letter or digit. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** {@link #RUN_ID} in words, the whole rule, for the error and the --run-id help. */
  public static final String RUN_ID_RULE = "1-128 characters of letters, digits, '.', '_' and '-', starting with a"
      + " letter or digit (not '.', '_' or '-': ids become file names)";

  private ReportWriter() {}

  /**
   * Where a run landed: table name to the file written; {@code settled}, the other runs whose commits a killed
   * writer left and this writer finished ({@link ReportCommit#recover}), in {@code runs} now but without a page.
   */
  public record Written(String root, Map<String, String> files, List<String> settled) {}

  /**
   * The rows of {@link ReportTables#EXAMPLES}: the images a run's pages show, all of {@code shape}.
   *
   * @param shape the images' shape, null when there are none
   */
  public record Examples(List<Example> examples, Shape shape) {
    public static final Examples NONE = new Examples(List.of(), null);

    /**
     * At most {@code max} of these examples, whatever the number of labels: all of them when they fit; else the
     * top losses first (at most 8 per metric, what the most-confused and top-loss panels show), then label by
     * label in the order of the ideal images (the model's), each label's ideal image and correct examples
     * together, as long as the whole label fits: the labels kept are the model's first ones.
     */
    public Examples capped(int max) {
      if (examples.size() <= max) {
        return this;
      }
      List<Example> out = new ArrayList<>();
      Map<String, List<Example>> byLabel = new LinkedHashMap<>();
      for (Example e : examples) {
        if (Example.IDEAL.equals(e.kind())) {
          byLabel.computeIfAbsent(e.actual(), l -> new ArrayList<>()).add(0, e);
        }
      }
      for (Example e : examples) {
        if (Example.TOP_LOSS.equals(e.kind())) {
          if (out.size() < max) {
            out.add(e);
          }
        } else if (!Example.IDEAL.equals(e.kind())) {
          byLabel.computeIfAbsent(e.actual(), l -> new ArrayList<>()).add(e);
        }
      }
      for (List<Example> label : byLabel.values()) {
        if (out.size() + label.size() > max) {
          break;
        }
        out.addAll(label);
      }
      return new Examples(out, shape);
    }
  }

  /**
   * The setting that caps the rows of {@link ReportTables#EXAMPLES} a run writes ({@link Examples#capped}):
   * {@code --conf spark.pixelsimilarity.report.maxExamples=N}.
   */
  public static final String MAX_EXAMPLES = "spark.pixelsimilarity.report.maxExamples";
  /**
   * {@link #MAX_EXAMPLES}' default: a run of up to 26 labels keeps all its examples (16 top losses + per label its
   * ideal and 4 nearest images per metric: 16 + 26 × 9 = 250; MNIST, Fashion-MNIST, CIFAR-10, EMNIST letters), and
   * a run of any number of labels stores at most 256 images (~200 KB at 28×28, ~1 MB at 64×64).
   */
  public static final int DEFAULT_MAX_EXAMPLES = 256;

  /** The cap on a run's examples the session asks for ({@link #MAX_EXAMPLES}); fails naming the setting. */
  public static int maxExamples(SparkSession spark) {
    String v = spark.conf().get(MAX_EXAMPLES, Integer.toString(DEFAULT_MAX_EXAMPLES)).trim();
    try {
      int max = Integer.parseInt(v);
      if (max >= 0) {
        return max;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new JobException(MAX_EXAMPLES + ": must be a whole number of examples, 0 or more, got '" + v + "'");
  }

  public static void checkRunId(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run id must be " + RUN_ID_RULE + ", got '" + runId + "'");
    }
  }

  /**
   * Checks, before any data is read, that a run can be written into {@code reportDir}: the folder, or the nearest
   * of its parents that exists, is a folder this process may write into; {@link #MAX_EXAMPLES} is valid. (Whether a run fits is learnt only by
   * writing it.)
   */
  public static void checkWritable(SparkSession spark, String reportDir) {
    maxExamples(spark);
    Path root = new Path(reportDir);
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path p = fs.makeQualified(root);
      while (p != null && !fs.exists(p)) {
        p = p.getParent();
      }
      if (p == null) {
        return; // not even the file system's root answers: the write will say why
      }
      if (!fs.getFileStatus(p).isDirectory()) {
        throw new JobException(reportDir + ": " + (p.equals(fs.makeQualified(root)) ? "" : p + " ")
            + "is a file; the report needs a folder");
      }
      if (!Store.of(fs, p).canWriteInto(p)) {
        throw new JobException(reportDir + ": cannot write into " + p + " (permission denied)");
      }
    } catch (IOException e) {
      throw new JobException(reportDir + ": cannot check the report folder: " + e.getMessage(), e);
    }
  }

  /**
   * Writes one run.
   *
   * @param rejected (dataset, origin, reason) rows of the images set aside in this run, as many as
   *     {@code run.counts().rejectedImages()} (0 means the table is written empty without looking at {@code rejected})
   */
  public static Written write(SparkSession spark, String reportDir, RunRecord run, Evaluation eval,
      Dataset<Row> rejected) {
    return write(spark, reportDir, run, eval, rejected, Examples.NONE);
  }

  /**
   * Writes one run with the images its pages show ({@link ReportTables#EXAMPLES}), at most {@link #maxExamples}
   * of them ({@link Examples#capped}).
   *
   * @param rejected as in {@link #write(SparkSession, String, RunRecord, Evaluation, Dataset)}
   */
  public static Written write(SparkSession spark, String reportDir, RunRecord run, Evaluation eval,
      Dataset<Row> rejected, Examples examples) {
    checkRunId(run.runId());
    Examples kept = examples.capped(maxExamples(spark));
    Path root = new Path(reportDir);
    String date = run.runAt().atZone(ZoneOffset.UTC).toLocalDate().toString();
    String uuid = UUID.randomUUID().toString();
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      root = fs.makeQualified(root);
      List<String> settled = new ArrayList<>(ReportCommit.recover(fs, root));
      settled.removeIf(run.runId()::equals);
      Store store = Store.of(root, spark.sparkContext().hadoopConfiguration());
      Dataset<Row> rejectedRows = rejected.select(lit(run.runId()).as("run_id"), rejected.col("dataset"),
          rejected.col("origin"), rejected.col("reason"));
      Map<String, String> files;
      if (store.commit() == Store.Commit.MARKER) {
        files = InPlaceCommit.commit(store, root, uuid, run.runId(), date, Map.of(
            ReportTables.REJECTED, f -> SmallTable.writeFile(spark, store, f, ReportTables.REJECTED_SCHEMA,
                rows(rejectedRows, run.counts().rejectedImages())),
            ReportTables.CONFUSION, f -> SmallTable.writeFile(spark, store, f, ReportTables.CONFUSION_SCHEMA,
                confusionRows(run.runId(), eval).iterator()),
            ReportTables.CLASS_ACCURACY, f -> SmallTable.writeFile(spark, store, f,
                ReportTables.CLASS_ACCURACY_SCHEMA, classAccuracyRows(run.runId(), eval).iterator()),
            ReportTables.EXAMPLES, f -> SmallTable.writeFile(spark, store, f, ReportTables.EXAMPLES_SCHEMA,
                exampleRows(run.runId(), kept.examples(), kept.shape()).iterator()),
            ReportTables.RUNS, f -> SmallTable.writeFile(spark, store, f, ReportTables.RUNS_SCHEMA,
                List.of(run.toRow()).iterator())));
      } else {
        Path staging = new Path(new Path(root, ReportCommit.STAGING), uuid);
        ReportCommit.commitStep.accept(run.runId(), "staging");
        SmallTable.write(spark, new Path(staging, ReportTables.REJECTED), rejectedRows, run.counts().rejectedImages());
        SmallTable.write(spark, new Path(staging, ReportTables.CONFUSION), ReportTables.CONFUSION_SCHEMA,
            confusionRows(run.runId(), eval));
        SmallTable.write(spark, new Path(staging, ReportTables.CLASS_ACCURACY), ReportTables.CLASS_ACCURACY_SCHEMA,
            classAccuracyRows(run.runId(), eval));
        SmallTable.write(spark, new Path(staging, ReportTables.EXAMPLES), ReportTables.EXAMPLES_SCHEMA,
            exampleRows(run.runId(), kept.examples(), kept.shape()));
        SmallTable.write(spark, new Path(staging, ReportTables.RUNS), ReportTables.RUNS_SCHEMA,
            List.of(run.toRow()));
        ReportCommit.commitStep.accept(run.runId(), "staged");
        files = ReportCommit.commit(fs, root, staging, uuid, run.runId(), date);
      }
      RunSummary.rows(spark, ReportFiles.list(fs, root, ReportTables.RUNS), Set.of(run.runId()));
      return new Written(root.toString(), files, List.copyOf(settled));
    } catch (IOException e) {
      // The first line: an HDFS error from the NameNode carries the server's stack trace in its message.
      throw new JobException(reportDir + ": cannot write the report: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
  }

  /**
   * The rejected rows streamed to the driver: none without a Spark job when {@code count} is 0, a partition at a
   * time otherwise, so that a long list is never held whole (written once, under its final name).
   */
  private static java.util.Iterator<Row> rows(Dataset<Row> rows, long count) {
    return count == 0 ? java.util.Collections.emptyIterator() : rows.toLocalIterator();
  }

  /**
   * Finishes every commit a killed writer left half done (see {@link ReportCommit}); returns the run ids settled
   * into {@code runs}.
   */
  public static List<String> recover(FileSystem fs, Path root) throws IOException {
    return ReportCommit.recover(fs, root);
  }

  static List<Row> exampleRows(String runId, List<Example> examples, Shape shape) {
    List<Row> rows = new ArrayList<>();
    for (Example e : examples) {
      rows.add(RowFactory.create(runId, e.metric(), e.kind(), e.actual(), e.predicted(), e.origin(), e.margin(),
          e.distanceTrue(), e.distancePredicted(), e.pixels(), shape.height(), shape.width()));
    }
    return rows;
  }

  static List<Row> classAccuracyRows(String runId, Evaluation eval) {
    List<Row> rows = new ArrayList<>();
    for (Metric m : eval.metrics()) {
      for (Evaluation.ClassAccuracy c : eval.perClass(m)) {
        rows.add(RowFactory.create(runId, m.key(), c.label(), c.total(), c.correct(),
            Double.isNaN(c.accuracy()) ? null : c.accuracy()));
      }
    }
    return rows;
  }

  static List<Row> confusionRows(String runId, Evaluation eval) {
    List<Row> rows = new ArrayList<>();
    for (Metric m : eval.metrics()) {
      long[][] c = eval.confusion(m);
      for (int a = 0; a < c.length; a++) {
        for (int p = 0; p < c.length; p++) {
          rows.add(RowFactory.create(runId, m.key(), eval.labels().get(a), eval.labels().get(p), c[a][p]));
        }
      }
    }
    return rows;
  }
}
