package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.report.CommitSteps;

/**
 * Kill anywhere, on one store ({@link #start}): {@code evaluate} drivers, each a JVM of its own, SIGKILLed at
 * seeded random moments (before the scan, during it, at a random step of the report commit) into one report, a
 * normal run after each; and a store that fails while the report is written. After each, every documented reader
 * (Spark and DuckDB keyed on {@code runs}, the index page) sees the same runs, each complete; every earlier run's
 * files are unchanged; what a killed writer left is invisible to them and gone after the next writer (bar hidden
 * staging). Two drivers with different run ids at once both land. The seed: {@code -Dpixelsimilarity.test.killSeed}.
 */
@Tag("storage")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KillContract {
  static final long SEED = Long.getLong("pixelsimilarity.test.killSeed", 22L);

  /** Where a kill is aimed: the child's markers ({@link ScanMarker}, the commit pause) tell where it landed. */
  enum Moment { BEFORE_SCAN, MID_SCAN, MID_COMMIT }

  /** Five kills; those before the scan cost least (the driver dies while Spark starts). */
  static final List<Moment> KILLS = List.of(Moment.BEFORE_SCAN, Moment.MID_SCAN, Moment.MID_COMMIT,
      Moment.BEFORE_SCAN, Moment.MID_COMMIT);

  protected SparkSession spark;
  protected String base;
  protected FileSystem fs;
  protected Path tmp;

  /** Starts the store; returns the base folder's URI. */
  protected abstract String start(Path tmp) throws Exception;

  /** Puts the files under {@code local} under {@link #base}. */
  protected abstract void upload(Path local) throws Exception;

  /** {@code --conf} values a child JVM needs to reach the store. */
  protected abstract List<String> childConf();

  /** The report folder {@code report} as a local folder DuckDB can glob. */
  protected abstract Path localCopy(String report) throws Exception;

  /** The commit steps of this store's way ({@link CommitSteps}). */
  protected abstract List<String> commitSteps();

  /** The commit step at which {@link #storeDown} is called while a run is written. */
  protected abstract String failingStep();

  protected abstract void storeDown() throws Exception;

  protected abstract void storeUp() throws Exception;

  protected abstract void stop() throws Exception;

  @BeforeAll
  void storeWithAModel() throws Exception {
    spark = SparkTestSession.get();
    tmp = Files.createTempDirectory("pixel-similarity-" + getClass().getSimpleName());
    base = start(tmp);
    fs = new org.apache.hadoop.fs.Path(base).getFileSystem(StoreRuns.hadoop(spark));
    Path local = tmp.resolve("local");
    BadInputFixtures.dataset(local.resolve("train"), 10, "3", "7");
    BadInputFixtures.dataset(local.resolve("valid"), 40, "3", "7");
    Files.writeString(local.resolve("valid/7/notes.txt"), "not an image"); // one rejected row per run
    long t0 = System.nanoTime();
    upload(local);
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", base + "/train", "--model", base + "/model");
    assertEquals(0, r.exit(), r::toString);
    System.out.printf("%s: upload and train %.1f s%n", getClass().getSimpleName(), (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  void stopStore() throws Exception {
    try {
      stop();
    } finally {
      org.apache.hadoop.fs.FileUtil.fullyDelete(tmp.toFile());
    }
  }

  List<String> evaluate(String report, String runId) {
    return List.of("evaluate", "--model", base + "/model", "--valid", base + "/valid", "--report", report,
        "--run-id", runId, "--max-rejected-fraction", "0.2");
  }

  private void normalRun(String report, String runId) {
    BadInputFixtures.Result r = BadInputFixtures.cli(evaluate(report, runId).toArray(new String[0]));
    assertEquals(0, r.exit(), r::toString);
  }

  /**
   * The runs every reader sees (Spark, DuckDB, the index unless {@code withIndex} is false), the same for each,
   * each complete.
   */
  private List<String> visible(String report, boolean withIndex) throws Exception {
    List<String> bySpark = ReportView.spark(spark, report);
    assertEquals(bySpark, ReportView.duckdb(localCopy(report)), "DuckDB sees what Spark sees");
    if (withIndex) {
      assertEquals(bySpark, ReportView.index(fs, report), "the index page lists what the tables hold");
    }
    return bySpark;
  }

  /**
   * After a writer: no manifest left, no table file of a run the readers do not see, no other visible file but
   * the pages of visible runs and the index; what is left is hidden ({@code _…}, {@code .…}), and listed here.
   */
  private List<String> assertNoVisibleLeftovers(String report, List<String> runs) throws Exception {
    List<String> hidden = new ArrayList<>();
    for (String f : ReportView.allFiles(fs, report)) {
      String[] parts = f.split("/");
      boolean isHidden = java.util.Arrays.stream(parts).anyMatch(p -> p.startsWith("_") || p.startsWith("."));
      if (isHidden) {
        assertTrue(!f.startsWith("_commits/") || !f.endsWith(".json"), () -> "a manifest left: " + f);
        hidden.add(f);
      } else if (parts[0].equals("html")) {
        assertTrue(f.equals("html/index.html") || runs.contains(parts[1].replace(".html", "")), f);
      } else {
        assertTrue(parts.length == 3 && runs.contains(ReportView.runOf(parts[2])), () -> "visible leftover " + f);
      }
    }
    return hidden;
  }

  @Test
  void killedAnywhereOnlyCompleteRunsAreSeenAndEarlierRunsStay() throws Exception {
    String report = base + "/report-kill";
    long t0 = System.nanoTime();
    normalRun(report, "first");
    List<String> runs = visible(report, true);
    assertEquals(List.of("first"), runs);
    Map<String, String> files = ReportView.runFiles(fs, report, runs);
    Random random = new Random(SEED);
    List<String> landed = new ArrayList<>();
    for (int i = 0; i < KILLS.size(); i++) {
      String id = "killed-" + i;
      Moment moment = KILLS.get(i);
      String step = moment == Moment.MID_COMMIT ? commitSteps().get(random.nextInt(commitSteps().size())) : null;
      long tKill = System.nanoTime();
      ChildJob job = ChildJob.start(evaluate(report, id), childConf(), step);
      String where = switch (moment) {
        case BEFORE_SCAN -> {
          Thread.sleep(random.nextInt(3000));
          yield job.printed(ScanMarker.STARTED) ? "mid-scan" : "before the scan";
        }
        case MID_SCAN -> {
          assertTrue(job.await(ScanMarker.STARTED, 240), job::output);
          Thread.sleep(random.nextInt(500));
          yield job.printed(ScanMarker.ENDED) ? "after the scan" : "mid-scan";
        }
        case MID_COMMIT -> {
          assertTrue(job.await("paused commit of run " + id + " at " + step, 240), job::output);
          yield "commit step '" + step + "'";
        }
      };
      assertTrue(job.isAlive(), () -> id + " ended before the kill:\n" + job.output());
      job.kill();
      landed.add(id + ": " + where);

      // Right after the kill, before any other writer: complete runs only, the earlier ones unchanged.
      List<String> now = visible(report, false);
      TreeSet<String> allowed = new TreeSet<>(runs);
      allowed.add(id);
      assertTrue(now.containsAll(runs) && allowed.containsAll(now), () -> id + " (" + where + "): " + now);
      assertTrue(ReportView.runFiles(fs, report, now).entrySet().containsAll(files.entrySet()),
          id + ": earlier runs' files changed");

      long tNext = System.nanoTime();
      // The next writer settles what the killed one left, then lands.
      normalRun(report, "after-" + i);
      long tRead = System.nanoTime();
      List<String> next = visible(report, true);
      assertTrue(next.containsAll(now) && next.contains("after-" + i), () -> next.toString());
      Map<String, String> nextFiles = ReportView.runFiles(fs, report, next);
      assertTrue(nextFiles.entrySet().containsAll(files.entrySet()), id + ": earlier runs' files changed");
      List<String> hidden = assertNoVisibleLeftovers(report, next);
      System.out.printf("%s: %s; then runs %s; hidden files left %s (kill and read %.1f s, next run %.1f s,"
          + " read %.1f s)%n", getClass().getSimpleName(), landed.get(i), next, hidden, (tNext - tKill) / 1e9,
          (tRead - tNext) / 1e9, (System.nanoTime() - tRead) / 1e9);
      runs = next;
      files = nextFiles;
    }
    assertTrue(landed.stream().anyMatch(l -> l.endsWith("before the scan")), landed::toString);
    assertTrue(landed.stream().anyMatch(l -> l.contains("commit step")), landed::toString);

    // Two drivers with different run ids at the same time: both land.
    long tBoth = System.nanoTime();
    ChildJob a = ChildJob.start(evaluate(report, "both-a"), childConf(), null);
    ChildJob b = ChildJob.start(evaluate(report, "both-b"), childConf(), null);
    a.assertSucceeded(300);
    b.assertSucceeded(300);
    List<String> both = visible(report, false);
    assertTrue(both.containsAll(runs) && both.contains("both-a") && both.contains("both-b"), both::toString);
    assertTrue(ReportView.runFiles(fs, report, both).entrySet().containsAll(files.entrySet()));

    System.out.printf("%s: two at once %.1f s%n", getClass().getSimpleName(), (System.nanoTime() - tBoth) / 1e9);
    // The pages, rebuilt: a page for each run the tables hold, the index listing them all.
    assertEquals(0, BadInputFixtures.cli("report", "--report", report).exit());
    assertEquals(both, visible(report, true));
    assertNoVisibleLeftovers(report, both);
    for (String id : both) {
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(report + "/html/" + id + ".html")), id);
    }
    System.out.printf("%s: kills %s, %.1f s in all%n", getClass().getSimpleName(), landed,
        (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void aStoreFailingWhileTheReportIsWrittenFailsTheRunInOneLineAndLosesNothing() throws Exception {
    String report = base + "/report-fault";
    long t0 = System.nanoTime();
    normalRun(report, "before");
    List<String> runs = visible(report, true);
    Map<String, String> files = ReportView.runFiles(fs, report, runs);
    CommitSteps.at("failing", failingStep(), () -> {
      try {
        storeDown();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    BadInputFixtures.Result r;
    try {
      r = BadInputFixtures.cli(evaluate(report, "failing").toArray(new String[0]));
    } finally {
      CommitSteps.clear();
      storeUp();
    }
    System.out.println(getClass().getSimpleName() + ": " + r.err().trim());
    BadInputFixtures.assertOneLineError(r, report);
    assertEquals(runs, visible(report, true), "no run of the failed writer");
    assertEquals(files, ReportView.runFiles(fs, report, runs), "earlier runs unchanged");

    normalRun(report, "after");
    List<String> after = visible(report, true);
    assertEquals(List.of("after", "before"), after);
    assertTrue(ReportView.runFiles(fs, report, after).entrySet().containsAll(files.entrySet()));
    System.out.printf("%s: store failure, hidden files left %s, %.1f s%n", getClass().getSimpleName(),
        assertNoVisibleLeftovers(report, after), (System.nanoTime() - t0) / 1e9);
  }
}
