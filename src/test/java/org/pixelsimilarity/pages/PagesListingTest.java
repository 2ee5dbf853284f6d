package org.pixelsimilarity.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.report.CountingFileSystem;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.report.ReportCopies;
import org.pixelsimilarity.report.ReportTables;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.report.RunHistory;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.scoring.Metric;

/**
 * The round trips of the pages and the commit in a report that nightly runs have filled, on a file system other
 * than the local one ({@link CountingFileSystem}: the local disk seen the way HDFS or an object store is): a run's
 * pages list {@code runs} only and a rebuild of every page each of the five tables once, however many runs and days
 * (listed for each run and table, a partition at a time, they grew with the product of runs and days); a commit
 * lists and looks up as much with one day of history as with six; the index reads the per-class figures of the
 * runs it shows only.
 */
class PagesListingTest {
  private static final int DAYS = 6;
  private static final SparkSession SPARK = SparkTestSession.get();
  private static Path report;

  @BeforeAll
  static void history() throws Exception {
    Path seed = SampleReport.get();
    report = Files.createTempDirectory("pages-history");
    Instant first = Instant.parse("2026-03-01T03:00:00Z");
    for (int d = 0; d < DAYS; d++) {
      ReportCopies.copyRun(SPARK, seed, "r1", report, "night-" + d, first.plus(d, ChronoUnit.DAYS));
    }
    RunHistory.read(SPARK, report.toString()); // the summary of runs, as any run into the folder leaves it
  }

  /** Runs {@code body} with the local file system counting; returns the folders it listed. */
  private static <T> int listings(Callable<T> body) throws Exception {
    return counted(body)[0];
  }

  /** Runs {@code body} with the local file system counting; returns the folders listed, paths looked up, files read. */
  private static <T> int[] counted(Callable<T> body) throws Exception {
    Configuration conf = SPARK.sparkContext().hadoopConfiguration();
    String impl = conf.get("fs.file.impl");
    String noCache = conf.get("fs.file.impl.disable.cache");
    conf.set("fs.file.impl", CountingFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    try {
      CountingFileSystem.LISTINGS.set(0);
      CountingFileSystem.LOOKUPS.set(0);
      CountingFileSystem.OPENS.set(0);
      body.call();
      return new int[] {CountingFileSystem.LISTINGS.get(), CountingFileSystem.LOOKUPS.get(),
          CountingFileSystem.OPENS.get()};
    } finally {
      restore(conf, "fs.file.impl", impl);
      restore(conf, "fs.file.impl.disable.cache", noCache);
    }
  }

  private static void restore(Configuration conf, String key, String value) {
    if (value == null) {
      conf.unset(key);
    } else {
      conf.set(key, value);
    }
  }

  /** A run's page and the index list {@code runs} alone: the run's other files are looked up beside its runs file. */
  @Test
  void aRunsPagesListTheRunsTableOnly() throws Exception {
    assertEquals(1, listings(() -> Pages.write(SPARK, report.toString(), "night-" + (DAYS - 1))));
    assertTrue(Files.readString(report.resolve(Pages.DIR).resolve(Pages.INDEX)).contains("night-0"));
  }

  @Test
  void aRebuildListsEachTableOnceForAllItsPages() throws Exception {
    List<String>[] written = new List[1];
    assertEquals(ReportTables.ALL.length,
        listings(() -> written[0] = Pages.rebuild(SPARK, report.toString())));
    assertEquals(DAYS + 1, written[0].size(), written[0].toString());
    for (int d = 0; d < DAYS; d++) {
      assertTrue(Files.exists(report.resolve(Pages.DIR).resolve("night-" + d + ".html")), "night-" + d);
    }
  }

  /**
   * Committing a run looks for files of its id in every date partition (a retried run id replaces its old files
   * wherever they are) from one listing per table, not by a lookup per partition: the same listings and lookups with
   * a history of one day as of {@value #DAYS}.
   */
  @Test
  void aCommitLooksUpNoMoreWithALongerHistory() throws Exception {
    Path oneDay = Files.createTempDirectory("pages-one-day");
    Path days = Files.createTempDirectory("pages-days");
    Instant first = Instant.parse("2026-03-01T03:00:00Z");
    for (int d = 0; d < DAYS; d++) {
      ReportCopies.copyRun(SPARK, SampleReport.get(), "r1", days, "night-" + d, first.plus(d, ChronoUnit.DAYS));
    }
    ReportCopies.copyRun(SPARK, SampleReport.get(), "r1", oneDay, "night-0", first);
    RunHistory.read(SPARK, days.toString());
    RunHistory.read(SPARK, oneDay.toString());
    int[] shortHistory = counted(() -> commit(oneDay));
    int[] longHistory = counted(() -> commit(days));
    assertEquals(shortHistory[1], longHistory[1], "lookups");
    assertEquals(shortHistory[0], longHistory[0], "listings");
  }

  private static ReportWriter.Written commit(Path reportDir) {
    Map<Metric, long[][]> c = new EnumMap<>(Metric.class);
    c.put(Metric.L1, new long[][] {{4, 1}, {0, 5}});
    Evaluation e = new Evaluation(List.of("a", "b"), c);
    RunRecord run = new RunRecord(new RunRecord.Identity("extra", Instant.parse("2026-04-01T03:00:00Z")),
        new RunRecord.Inputs("model", "models/m", "train", "valid", List.of("a", "b")),
        new RunRecord.Counts(20, 10, 10, 0, 0), RunRecord.accuracies(e),
        new RunRecord.Versions("test", "4.2.0", "local[2]"), Optional.empty());
    Dataset<Row> none = SPARK.createDataFrame(List.of(), new StructType().add("dataset", DataTypes.StringType)
        .add("origin", DataTypes.StringType).add("reason", DataTypes.StringType));
    return ReportWriter.write(SPARK, reportDir.toString(), run, e, none);
  }

  /**
   * The index shows every run in its table and trend but the per-class figures of the runs its heatmap shows only
   * ({@link IndexPage#HEATMAP_RUNS}): with 5 runs more than that, a run's pages read 40 {@code class_accuracy}
   * files, the run's own 3 others, and each run's {@code runs} file once, the first time (45; the report's copies
   * have no summary of runs yet), then the summary alone.
   */
  @Test
  void theIndexReadsThePerClassFiguresOfTheRunsItShows() throws Exception {
    int runs = IndexPage.HEATMAP_RUNS + 5;
    Path many = Files.createTempDirectory("pages-many");
    Instant first = Instant.parse("2026-01-01T03:00:00Z");
    for (int d = 0; d < runs; d++) {
      ReportCopies.copyRun(SPARK, SampleReport.get(), "r1", many, String.format("day-%02d", d),
          first.plus(d, ChronoUnit.DAYS));
    }
    int[] counts = counted(() -> Pages.write(SPARK, many.toString(), "day-44"));
    assertEquals(runs + IndexPage.HEATMAP_RUNS + 3, counts[2], "files read");
    int[] again = counted(() -> Pages.write(SPARK, many.toString(), "day-44"));
    assertEquals(1 + IndexPage.HEATMAP_RUNS + 3, again[2], "files read with the summary of runs");
    String index = Files.readString(many.resolve(Pages.DIR).resolve(Pages.INDEX));
    assertTrue(index.contains("day-05"), "the newest 40 runs: day-05 to day-44");
    assertTrue(index.contains("day-00"), "the table of runs lists them all");
  }
}
