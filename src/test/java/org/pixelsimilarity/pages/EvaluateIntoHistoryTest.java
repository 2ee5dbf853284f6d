package org.pixelsimilarity.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.report.ReportCopies;

/**
 * An {@code evaluate} with a quality gate into a report folder that nightly runs have filled reads, of the report's
 * earlier runs, nothing but the summary of runs and the per-class figures of the runs the index's heatmap shows:
 * no {@code runs} file of an old run (the gate's previous run and the index's table come from the summary), none of
 * their other tables. Files opened are recorded through a file system that is the local disk behind a
 * {@code FilterFileSystem} ({@link OpenRecordingFileSystem}: the way HDFS or an object store is read), so every
 * read is seen. The first run into a folder without a summary (as the copies here are made) reads each old
 * {@code runs} file once to write it.
 */
class EvaluateIntoHistoryTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final int NIGHTS = IndexPage.HEATMAP_RUNS + 5;

  @Test
  void anEvaluateReadsTheSummaryAndTheHeatmapsRunsOnly() throws Exception {
    Path seed = SampleReport.get();
    Path model;
    try (Stream<Path> models = Files.list(seed.resolve("models"))) {
      model = models.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    Path history = Files.createTempDirectory("pages-evaluate-history");
    Instant first = Instant.parse("2026-01-01T03:00:00Z");
    for (int d = 0; d < NIGHTS; d++) {
      ReportCopies.copyRun(SPARK, seed, "r1", history, String.format("day-%02d", d), first.plus(d, ChronoUnit.DAYS));
    }

    List<String> firstRun = evaluating(model, history, "evening");
    Map<String, Integer> oldRunsFiles = new HashMap<>();
    for (String f : below(history, firstRun)) {
      if (f.startsWith("runs/") && !f.endsWith("/evening.parquet")) {
        oldRunsFiles.merge(f, 1, Integer::sum);
      }
    }
    assertEquals(NIGHTS, oldRunsFiles.size(), "without a summary, each old runs file is read: " + oldRunsFiles);
    assertTrue(oldRunsFiles.values().stream().allMatch(n -> n == 1), "once: " + oldRunsFiles);

    OpenRecordingFileSystem.takeLookedUp();
    List<String> opened = below(history, evaluating(model, history, "tonight"));
    List<String> lookedUp = below(history, OpenRecordingFileSystem.takeLookedUp());
    List<String> oldFiles = new ArrayList<>();
    int summaryReads = 0;
    for (String f : opened) {
      if (f.equals("_summary/runs.parquet")) {
        summaryReads++;
      } else if (!f.endsWith("/tonight.parquet")) {
        oldFiles.add(f);
      }
    }
    // The heatmap's 40 runs, newest first: tonight, evening, day-44 … day-07; their class_accuracy files alone.
    TreeSet<String> expected = new TreeSet<>();
    expected.add("class_accuracy/run_date=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "/evening.parquet");
    for (int d = NIGHTS - 1; d >= NIGHTS - (IndexPage.HEATMAP_RUNS - 2); d--) {
      expected.add("class_accuracy/run_date=" + first.plus(d, ChronoUnit.DAYS).toString().substring(0, 10)
          + String.format("/day-%02d.parquet", d));
    }
    assertEquals(IndexPage.HEATMAP_RUNS - 1, expected.size());
    assertEquals(expected, new TreeSet<>(oldFiles), "the old runs' files read");
    assertEquals(expected.size(), oldFiles.size(), "each once: " + oldFiles);
    // Each found by one lookup beside its runs file, and opened with that status: no second lookup (on S3, a HEAD).
    for (String f : expected) {
      assertEquals(1, lookedUp.stream().filter(f::equals).count(), f + " looked up once: " + lookedUp);
    }
    // the gate's previous run, the commit's update of the summary, the pages
    assertEquals(3, summaryReads, "summary reads: " + opened);
    String index = Files.readString(history.resolve(Pages.DIR).resolve(Pages.INDEX));
    assertTrue(index.contains("day-00") && index.contains("evening") && index.contains("tonight"),
        "the index's table still lists every run");
  }

  /** Runs {@code evaluate} with a gate into {@code report} as run {@code runId}; the files it opened. */
  private static List<String> evaluating(Path model, Path report, String runId) {
    Configuration conf = SPARK.sparkContext().hadoopConfiguration();
    String impl = conf.get("fs.file.impl");
    String noCache = conf.get("fs.file.impl.disable.cache");
    conf.set("fs.file.impl", OpenRecordingFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    try {
      OpenRecordingFileSystem.takeOpened();
      SampleReport.Result r = SampleReport.cli("evaluate", "--model", model.toString(), "--valid",
          MnistSample.valid(), "--report", report.toString(), "--run-id", runId, "--min-accuracy", "0.5");
      assertEquals(0, r.code(), r.err());
      return OpenRecordingFileSystem.takeOpened();
    } finally {
      restore(conf, "fs.file.impl", impl);
      restore(conf, "fs.file.impl.disable.cache", noCache);
    }
  }

  /** The paths below {@code dir} among {@code paths}, relative to it. */
  private static List<String> below(Path dir, List<String> paths) {
    String prefix = dir.toAbsolutePath() + "/";
    return paths.stream().filter(p -> p.startsWith(prefix)).map(p -> p.substring(prefix.length())).toList();
  }

  private static void restore(Configuration conf, String key, String value) {
    if (value == null) {
      conf.unset(key);
    } else {
      conf.set(key, value);
    }
  }
}
