package org.pixelsimilarity.pages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.io.Store;
import org.pixelsimilarity.report.ReportFiles;
import org.pixelsimilarity.report.ReportTables;
import org.pixelsimilarity.report.RunHistory;
import org.pixelsimilarity.report.RunRecord;

/**
 * The report's pages, {@code <report>/html/<run_id>.html} and {@code <report>/html/index.html}: self-contained HTML
 * (inline CSS and SVG, images as PNG data URIs; no script, font or file fetched), built from the report tables
 * alone, so {@link #rebuild} makes them again for every run the tables hold.
 *
 * <p>They are not part of a run's all-or-nothing commit: they are a view of the tables, written after the commit.
 * A failure to write them leaves the run committed and says so (the job exits 1); {@code report --report DIR}
 * writes them again. Each page is written whole ({@link Store#writeWhole}: beside its place and renamed over it,
 * or on an object store uploaded in place), so a reader never sees half a page.
 */
public final class Pages {
  public static final String DIR = "html";
  public static final String INDEX = "index.html";

  private Pages() {}

  /** Where a run's pages landed. */
  public record Written(String runPage, String index) {}

  static String pageName(String runId) {
    return runId + ".html";
  }

  /**
   * The pages of a run just committed, and of the runs whose commits its writer finished for writers killed before
   * their pages ({@code settled}, {@link org.pixelsimilarity.report.ReportWriter.Written#settled}), so that the
   * index links to no missing page; a failure says the run is safe in the tables and how to retry.
   */
  public static Written afterRun(SparkSession spark, String reportDir, String runId, List<String> settled) {
    try {
      return write(spark, reportDir, runId, settled);
    } catch (RuntimeException e) {
      throw new JobException(reportDir + "/" + DIR + ": the pages of run " + runId + " were not written (" + e
          + "); the run is in the report tables; `report --report " + reportDir + "` writes the pages again", e);
    }
  }

  /**
   * One run's page and the index: from one listing of {@code runs}, the summary of runs, and the files of the run
   * and of the runs the index's heatmap shows; the files of the report's other runs are not read.
   */
  public static Written write(SparkSession spark, String reportDir, String runId) {
    return write(spark, reportDir, runId, List.of());
  }

  /** {@link #write(SparkSession, String, String)}, with the pages of runs {@code settled} too (before the index). */
  private static Written write(SparkSession spark, String reportDir, String runId, List<String> settled) {
    String root = qualified(spark, reportDir);
    ReportFiles files = ReportFiles.listRuns(spark, root);
    List<RunRecord> runs = RunHistory.read(spark, files);
    for (RunRecord other : runs) {
      if (settled.contains(other.runId()) && !other.runId().equals(runId)) {
        writePage(spark, root, pageName(other.runId()), RunPage.html(ReportData.read(spark, files, runs, other)));
      }
    }
    RunRecord run = runs.stream().filter(r -> r.runId().equals(runId)).findFirst()
        .orElseThrow(() -> new JobException(root + ": no run " + runId + " in its runs table"));
    String page = writePage(spark, root, pageName(runId), RunPage.html(ReportData.read(spark, files, runs, run)));
    return new Written(page, writeIndex(spark, root, files, runs));
  }

  /** Every run's page and the index, from the tables; returns the files written. */
  public static List<String> rebuild(SparkSession spark, String reportDir) {
    reportDir = qualified(spark, reportDir);
    ReportFiles files = ReportFiles.list(spark, reportDir);
    List<RunRecord> runs = RunHistory.read(spark, files);
    List<String> written = new ArrayList<>();
    for (RunRecord run : runs) {
      written.add(writePage(spark, reportDir, pageName(run.runId()), RunPage.html(ReportData.read(spark, files,
          runs, run))));
    }
    written.add(writeIndex(spark, reportDir, files, runs));
    return written;
  }

  /** The folder as the run's summary names it (e.g. {@code file:/...}), whichever way it was given. */
  private static String qualified(SparkSession spark, String reportDir) {
    Path p = new Path(reportDir);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (IOException e) {
      throw new JobException(reportDir + ": cannot open the report folder: " + e.getMessage(), e);
    }
  }

  /** The index; per-class figures are read for the runs its heatmap shows only (one file per run). */
  private static String writeIndex(SparkSession spark, String reportDir, ReportFiles files, List<RunRecord> runs) {
    List<Row> rows = RunHistory.rowsOf(spark, files, ReportTables.CLASS_ACCURACY, IndexPage.heatmapRuns(runs)
        .stream().map(RunRecord::runId).toList());
    return writePage(spark, reportDir, INDEX, IndexPage.html(reportDir, runs, rows));
  }

  /** Writes a page whole ({@link Store#writeWhole}): a reader sees the old page or the new one, never half. */
  private static String writePage(SparkSession spark, String reportDir, String name, String html) {
    Path dir = new Path(reportDir, DIR);
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    try {
      Store store = Store.of(spark, dir);
      Path dest = new Path(store.qualify(dir), name);
      store.writeWhole(dest, out -> out.write(bytes));
      return dest.toString();
    } catch (IOException e) {
      throw new JobException(dir + ": cannot write page " + name + ": " + e.getMessage(), e);
    }
  }
}
