package org.pixelsimilarity.pages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.report.ReportFiles;
import org.pixelsimilarity.report.ReportTables;
import org.pixelsimilarity.report.RunHistory;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.scoring.Metric;

/**
 * What one run's page shows, read back from the report tables and nothing else: the run, the one before it on
 * the same validation path, its confusion matrices (as an {@link Evaluation}, so the page's figures are the
 * job's), its examples and the first rejected images.
 *
 * @param examples rows of {@link ReportTables#EXAMPLES_SCHEMA}; empty for runs written before that table
 * @param rejected the first {@link #REJECTED_SHOWN} (dataset, origin, reason) rows, by dataset and origin
 */
record ReportData(RunRecord run, RunRecord previous, Evaluation evaluation, List<Row> examples, List<Row> rejected,
    long rejectedCount) {
  static final int REJECTED_SHOWN = 100;

  static ReportData read(SparkSession spark, ReportFiles files, List<RunRecord> runs, RunRecord run) {
    Map<Metric, long[][]> confusion = new EnumMap<>(Metric.class);
    List<String> labels = run.inputs().labels();
    for (Metric m : run.metrics()) {
      confusion.put(m, new long[labels.size()][labels.size()]);
    }
    for (Row r : RunHistory.rowsOf(spark, files, ReportTables.CONFUSION, run.runId())) {
      long[][] c = confusion.get(Metric.valueOf(r.<String>getAs("metric").toUpperCase(java.util.Locale.ROOT)));
      int a = labels.indexOf(r.<String>getAs("actual"));
      int p = labels.indexOf(r.<String>getAs("predicted"));
      if (c != null && a >= 0 && p >= 0) {
        c[a][p] += r.<Long>getAs("count");
      }
    }
    List<Row> examples = RunHistory.rowsOf(spark, files, ReportTables.EXAMPLES, run.runId());
    // The first rows by (dataset, origin), and the count, in one streamed pass over the run's rejected file.
    Comparator<Row> order = Comparator.comparing((Row r) -> r.getString(0)).thenComparing(r -> r.getString(1));
    PriorityQueue<Row> kept = new PriorityQueue<>(order.reversed());
    long[] count = {0};
    RunHistory.forEachRowOf(spark, files, ReportTables.REJECTED, run.runId(), r -> {
      count[0]++;
      kept.add(RowFactory.create(r.getAs("dataset"), r.getAs("origin"), r.getAs("reason")));
      if (kept.size() > REJECTED_SHOWN) {
        kept.poll();
      }
    });
    List<Row> first = new ArrayList<>(kept);
    first.sort(order);
    return new ReportData(run, RunHistory.previous(runs, run), new Evaluation(labels, confusion), examples,
        first, count[0]);
  }

  Set<Metric> metrics() {
    return evaluation.metrics();
  }
}
