package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.cli;
import static org.pixelsimilarity.BadInputFixtures.dataset;
import static org.pixelsimilarity.BadInputFixtures.duckdb;
import static org.pixelsimilarity.BadInputFixtures.runIds;
import static org.pixelsimilarity.BadInputFixtures.snapshot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.scoring.Metric;

/**
 * Reports are all or nothing: a driver killed (SIGKILL) while committing leaves earlier runs unchanged and no
 * row of the killed run visible through {@code runs}, and the next run finishes its commit; runs written one after
 * another or at the same time all land complete; the same run id replaces.
 */
class ReportAtomicityTest {
  static final String[] TABLES = {"runs", "class_accuracy", "confusion", "rejected", "examples"};
  /** 2 labels: class_accuracy has 2 rows per metric, confusion 4 per metric; the valid set has 1 bad file. */
  static final int LABELS = 2;

  @TempDir
  static Path dir;
  static Path model;
  static Path valid;
  static SparkSession spark;

  @BeforeAll
  static void modelAndValidSet() throws IOException {
    spark = SparkTestSession.get();
    model = dir.resolve("model");
    Result r = cli("train", "--train", dataset(dir.resolve("train"), 4, "3", "7").toString(), "--model",
        model.toString());
    assertEquals(0, r.exit(), r::toString);
    valid = dataset(dir.resolve("valid"), 3, "3", "7");
    Files.writeString(valid.resolve("7/notes.txt"), "not an image");
  }

  @AfterEach
  void resetHook() {
    ReportCommit.commitStep = (runId, step) -> { };
  }

  static String[] evaluateArgs(Path report, String runId, String... more) {
    List<String> args = new ArrayList<>(List.of("evaluate", "--model", model.toString(), "--valid", valid.toString(),
        "--report", report.toString(), "--run-id", runId, "--max-rejected-fraction", "0.2"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  /**
   * Writes run {@code runId} straight through {@link ReportWriter} (what evaluate does last), at {@code at}: 2 labels,
   * the given metrics, one rejected image. Cheaper than a whole evaluate where only the commit matters.
   */
  static void write(Path report, String runId, Instant at, Metric... metrics) {
    Map<Metric, long[][]> confusion = new java.util.EnumMap<>(Metric.class);
    Map<Metric, RunRecord.Accuracy> accuracies = new EnumMap<>(Metric.class);
    for (Metric m : metrics) {
      confusion.put(m, new long[][] {{2, 1}, {0, 3}});
      accuracies.put(m, m == Metric.L1 ? new RunRecord.Accuracy(5 / 6.0, 0.75) : new RunRecord.Accuracy(null, null));
    }
    StructType rejectedSchema = new StructType().add("dataset", DataTypes.StringType)
        .add("origin", DataTypes.StringType).add("reason", DataTypes.StringType);
    Row bad = org.apache.spark.sql.RowFactory.create("valid", "file:/data/7/notes.txt", "not an image");
    RunRecord run = new RunRecord(new RunRecord.Identity(runId, at), new RunRecord.Inputs("m", "m", null, "v",
        List.of("3", "7")), new RunRecord.Counts(8, 6, 6, 0, 1), accuracies,
        new RunRecord.Versions("test", spark.version(), "local"), Optional.empty());
    ReportWriter.write(spark, report.toString(), run, new Evaluation(List.of("3", "7"), confusion),
        spark.createDataFrame(List.of(bad), rejectedSchema));
  }

  static void write(Path report, String runId) {
    write(report, runId, Instant.now(), Metric.L1, Metric.L2);
  }

  /**
   * Every run in {@code runs} is complete: as many class_accuracy and confusion rows as its labels and metrics
   * make, and as many rejected rows as it counted. Returns the run ids, sorted.
   */
  static List<String> completeRuns(Path report) throws Exception {
    List<String> incomplete = duckdb(report, """
        WITH runs AS (SELECT * FROM read_parquet('REPORT/runs/*/*.parquet')),
          ca AS (SELECT run_id, count(*) AS n FROM read_parquet('REPORT/class_accuracy/*/*.parquet') GROUP BY 1),
          cf AS (SELECT run_id, count(*) AS n FROM read_parquet('REPORT/confusion/*/*.parquet') GROUP BY 1),
          rj AS (SELECT run_id, count(*) AS n FROM read_parquet('REPORT/rejected/*/*.parquet') GROUP BY 1)
        SELECT runs.run_id, len(labels), len(metrics), ca.n, cf.n, rj.n, rejected_images FROM runs
          LEFT JOIN ca USING (run_id) LEFT JOIN cf USING (run_id) LEFT JOIN rj USING (run_id)
        WHERE ca.n IS DISTINCT FROM len(labels) * len(metrics)
          OR cf.n IS DISTINCT FROM len(labels) * len(labels) * len(metrics)
          OR coalesce(rj.n, 0) <> rejected_images OR len(labels) <> 2""");
    assertEquals(List.of(), incomplete, "runs with missing rows: run_id|labels|metrics|ca|cf|rejected|counted");
    assertEquals(List.of(), duckdb(report, "SELECT run_id, count(*) FROM read_parquet('REPORT/runs/*/*.parquet')"
        + " GROUP BY 1 HAVING count(*) > 1"), "duplicated runs");
    return runIds(report);
  }

  /** The files of the tables (not staging, not manifests) with their SHA-256. */
  static Map<String, String> tableFiles(Path report) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String t : TABLES) {
      snapshot(report.resolve(t)).forEach((f, h) -> {
        if (!f.contains("/.")) {
          out.put(t + "/" + f, h);
        }
      });
    }
    return out;
  }

  static List<String> manifests(Path report) throws IOException {
    Path commits = report.resolve(ReportCommit.COMMITS);
    if (!Files.exists(commits)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(commits)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).toList();
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // A driver killed with SIGKILL in the middle of writing.

  /** The CLI in a child JVM that pauses at {@code step} of its commit; returns once it has paused, still alive. */
  static Process pausedChild(Path report, String runId, String step, String... more) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.add("-XX:TieredStopAtLevel=1"); // a short-lived JVM: quick compiles start Spark sooner
    cmd.add("-XX:+UseSerialGC");
    for (String line : Files.readAllLines(SparkTestSession.repo().resolve("conf/java-module-options"))) {
      if (!line.isBlank() && !line.trim().startsWith("#")) {
        cmd.add(line.trim());
      }
    }
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dpixelsimilarity.test.pauseCommitAt=" + step);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.pixelsimilarity.cli.PixelSimilarityCli");
    List<String> flags = new ArrayList<>(List.of("--master", "local[1]", "--conf", "spark.ui.enabled=false"));
    flags.addAll(List.of(more));
    cmd.addAll(List.of(evaluateArgs(report, runId, flags.toArray(new String[0]))));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String marker = "pixelsimilarity: paused commit of run " + runId + " at " + step;
    CompletableFuture<String> output = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      StringBuilder seen = new StringBuilder();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          seen.append(line).append('\n');
          if (line.equals(marker)) {
            output.complete(seen.toString());
          }
        }
      } catch (IOException ignored) {
        // The process was killed.
      }
      output.complete(seen.toString());
    });
    reader.setDaemon(true);
    reader.start();
    String seen = output.get(180, TimeUnit.SECONDS);
    assertTrue(seen.contains(marker) && p.isAlive(), () -> "child did not pause at " + step + ":\n" + seen);
    return p;
  }

  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
  }

  @Test
  void driverKilledWhileCommittingLeavesEarlierRunsAndNoPartialRun() throws Exception {
    Path report = dir.resolve("report-killed");
    write(report, "early-1");
    write(report, "early-2", Instant.now(), Metric.L1);
    Map<String, String> early = tableFiles(report);
    List<String> earlyRows = duckdb(report, "SELECT * FROM read_parquet('REPORT/class_accuracy/*/*.parquet')"
        + " ORDER BY ALL");
    assertEquals(List.of("early-1", "early-2"), completeRuns(report));

    // A writer that dies with every table staged, before its manifest: nothing of it anywhere a reader looks.
    ReportCommit.commitStep = (runId, step) -> {
      if (step.equals("staged")) {
        throw new IllegalStateException("died at " + step);
      }
    };
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> write(report, "died-staged"));
    resetHook();
    assertEquals(early, tableFiles(report));
    assertEquals(List.of(), manifests(report));

    // The evaluate CLI in its own JVM, killed after two of the four renames: rejected and confusion are in place,
    // class_accuracy and runs not.
    kill(pausedChild(report, "killed-mid", "moved confusion"));
    Map<String, String> now = tableFiles(report);
    assertTrue(now.entrySet().containsAll(early.entrySet()), "earlier runs' files unchanged");
    assertTrue(now.keySet().stream().anyMatch(f -> f.startsWith("confusion/") && f.endsWith("/killed-mid.parquet")),
        "the kill landed mid-commit: " + now.keySet());
    assertEquals(1, manifests(report).size());
    assertEquals(List.of("early-1", "early-2"), completeRuns(report));
    assertEquals(List.of("0"), duckdb(report, "SELECT count(*) FROM read_parquet('REPORT/runs/*/*.parquet') r"
        + " JOIN read_parquet('REPORT/confusion/*/*.parquet') c USING (run_id) WHERE run_id NOT LIKE 'early%'"));
    assertEquals(earlyRows, duckdb(report, "SELECT ca.* FROM read_parquet('REPORT/class_accuracy/*/*.parquet') ca"
        + " JOIN read_parquet('REPORT/runs/*/*.parquet') r USING (run_id) ORDER BY ALL"));

    // The next run finishes the killed commit first (its writer is gone), then lands itself.
    write(report, "later");
    assertEquals(List.of("early-1", "early-2", "killed-mid", "later"), completeRuns(report));
    assertEquals(List.of(), manifests(report));
    assertTrue(tableFiles(report).entrySet().containsAll(early.entrySet()), "earlier runs' files unchanged");
  }

  // ---------------------------------------------------------------------------------------------------------
  // Several writers.

  @Test
  void aLiveWritersCommitIsNotTouchedByAnotherWriter() throws Exception {
    Path report = dir.resolve("report-interleaved");
    CountDownLatch paused = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ReportCommit.commitStep = (runId, step) -> {
      if (runId.equals("slow") && step.equals("moved confusion")) {
        paused.countDown();
        try {
          release.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> write(report, "slow"));
    assertTrue(paused.await(180, TimeUnit.SECONDS));
    write(report, "fast"); // starts by rolling forward abandoned commits: "slow" is not abandoned
    assertEquals(List.of("fast"), completeRuns(report));
    assertEquals(1, manifests(report).size(), "the slow writer's manifest is still its own");
    assertFalse(tableFiles(report).keySet().stream().anyMatch(f -> f.endsWith("/slow.parquet")
        && (f.startsWith("runs/") || f.startsWith("class_accuracy/"))), "nobody finished the slow commit for it");
    release.countDown();
    slow.get(120, TimeUnit.SECONDS);
    assertEquals(List.of("fast", "slow"), completeRuns(report));
    assertEquals(List.of(), manifests(report));
  }

  @Test
  void runsAtTheSameTimeAndOneAfterAnotherAllLandComplete() throws Exception {
    Path report = dir.resolve("report-concurrent");
    write(report, "seq-1");
    write(report, "seq-2");
    for (int round = 0; round < 2; round++) {
      CyclicBarrier start = new CyclicBarrier(2);
      List<CompletableFuture<Void>> both = new ArrayList<>();
      for (String id : new String[] {"par-" + round + "a", "par-" + round + "b"}) {
        both.add(CompletableFuture.runAsync(() -> {
          try {
            start.await(60, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          write(report, id);
        }));
      }
      for (CompletableFuture<Void> f : both) {
        f.get(300, TimeUnit.SECONDS);
      }
    }
    assertEquals(List.of("par-0a", "par-0b", "par-1a", "par-1b", "seq-1", "seq-2"), completeRuns(report));
    assertEquals(List.of(), manifests(report));
  }

  @Test
  void theSameRunIdReplacesItsRowsWhateverTheDate() throws Exception {
    Path report = dir.resolve("report-same-id");
    write(report, "other");
    Map<String, String> other = tableFiles(report);
    write(report, "nightly");
    write(report, "nightly", Instant.now(), Metric.L1);
    assertEquals(List.of("nightly", "other"), completeRuns(report));
    assertEquals(List.of("l1|2"), duckdb(report, "SELECT metric, count(*) FROM"
        + " read_parquet('REPORT/class_accuracy/*/*.parquet') WHERE run_id = 'nightly' GROUP BY 1"));

    // A retry on another day: the run moves to the new date partition, in every table.
    write(report, "dated", Instant.parse("2020-02-29T23:59:59Z"), Metric.L1, Metric.L2);
    write(report, "dated", Instant.parse("2020-03-01T00:00:01Z"), Metric.L1);
    assertEquals(List.of("dated", "nightly", "other"), completeRuns(report));
    assertEquals(List.of("class_accuracy/run_date=2020-03-01/dated.parquet",
        "confusion/run_date=2020-03-01/dated.parquet", "examples/run_date=2020-03-01/dated.parquet",
        "rejected/run_date=2020-03-01/dated.parquet",
        "runs/run_date=2020-03-01/dated.parquet"),
        tableFiles(report).keySet().stream().filter(f -> f.contains("dated")).toList());
    assertEquals(List.of("l1|3|3|2", "l1|7|3|3"), duckdb(report, "SELECT metric, label, total, correct FROM"
        + " read_parquet('REPORT/class_accuracy/*/*.parquet') WHERE run_id = 'dated' ORDER BY label"));
    assertTrue(tableFiles(report).entrySet().containsAll(other.entrySet()), "the other run is untouched");
  }

  // ---------------------------------------------------------------------------------------------------------
  // The way of stores without atomic rename (object stores), forced on this disk: files written once under their
  // final names, runs last.

  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} with this JVM's writes in the marker way ({@link org.pixelsimilarity.io.Store#COMMIT_KEY}). */
  static void withoutRenames(Body body) throws Exception {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.set(org.pixelsimilarity.io.Store.COMMIT_KEY, "marker");
    try {
      body.run();
    } finally {
      conf.unset(org.pixelsimilarity.io.Store.COMMIT_KEY);
    }
  }

  @Test
  void withoutRenamesAKilledDriverLeavesNoPartialRunAndTheNextWriterClearsIt() throws Exception {
    Path report = dir.resolve("report-marker-killed");
    withoutRenames(() -> write(report, "early"));
    Map<String, String> early = tableFiles(report);
    assertFalse(Files.exists(report.resolve(ReportCommit.STAGING)), "nothing staged: no renames");

    // The evaluate CLI in its own JVM, the marker way, killed with rejected and confusion written, runs not.
    kill(pausedChild(report, "killed-mid", "wrote confusion", "--conf",
        "spark.hadoop." + org.pixelsimilarity.io.Store.COMMIT_KEY + "=marker"));
    Map<String, String> now = tableFiles(report);
    assertTrue(now.keySet().stream().anyMatch(f -> f.startsWith("confusion/") && f.endsWith("/killed-mid.parquet")),
        "the kill landed mid-commit: " + now.keySet());
    assertFalse(now.keySet().stream().anyMatch(f -> f.startsWith("runs/") && f.contains("killed-mid")));
    assertEquals(List.of("early"), completeRuns(report), "a reader keyed on runs sees no row of the killed run");
    assertEquals(1, manifests(report).size());
    assertFalse(Files.exists(report.resolve(ReportCommit.STAGING)), "nothing staged: no renames");

    // The next writer settles the killed commit (its files deleted: it never reached runs), then lands itself.
    withoutRenames(() -> write(report, "later"));
    assertEquals(List.of("early", "later"), completeRuns(report));
    assertEquals(List.of(), manifests(report));
    Map<String, String> after = tableFiles(report);
    assertTrue(after.entrySet().containsAll(early.entrySet()), "earlier runs' files unchanged");
    assertFalse(after.keySet().stream().anyMatch(f -> f.contains("killed-mid")), after.keySet()::toString);
  }

  @Test
  void withoutRenamesTheSameIdReplacesAndAWriterFailingAfterRunsHasCommitted() throws Exception {
    Path report = dir.resolve("report-marker-ids");
    withoutRenames(() -> {
      write(report, "nightly");
      write(report, "other");
      Map<String, String> other = new TreeMap<>(tableFiles(report));
      other.keySet().removeIf(f -> !f.contains("/other.parquet"));
      write(report, "nightly", Instant.now(), Metric.L1);
      assertEquals(List.of("nightly", "other"), completeRuns(report), "replaced, not duplicated");
      assertEquals(List.of("4"), duckdb(report, "SELECT count(*) FROM read_parquet('REPORT/confusion/*/*.parquet')"
          + " WHERE run_id = 'nightly'"), "2x2 cells of L1 only");
      assertEquals(List.of("0"), duckdb(report, "SELECT count(*) FROM read_parquet('REPORT/class_accuracy/*/*.parquet')"
          + " WHERE run_id = 'nightly' AND metric = 'l2'"), "the new run's rows only (L1)");

      // Dies after runs is written: the run is committed; the next writer only removes the manifest.
      ReportCommit.commitStep = (runId, step) -> {
        if (step.equals("wrote runs")) {
          throw new IllegalStateException("died at " + step);
        }
      };
      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> write(report, "late"));
      // Dies between deleting the old run of its id and writing runs: that id has no run until written again.
      ReportCommit.commitStep = (runId, step) -> {
        if (step.equals("wrote class_accuracy")) {
          throw new IllegalStateException("died at " + step);
        }
      };
      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> write(report, "nightly"));
      resetHook();
      assertEquals(List.of("late", "other"), completeRuns(report));
      assertEquals(1, manifests(report).size(), "late's was settled by the nightly writer; nightly's is left");

      write(report, "next");
      assertEquals(List.of("late", "next", "other"), completeRuns(report));
      assertEquals(List.of(), manifests(report));
      Map<String, String> files = tableFiles(report);
      assertFalse(files.keySet().stream().anyMatch(f -> f.contains("/nightly.parquet")), files.keySet()::toString);
      assertTrue(files.entrySet().containsAll(other.entrySet()), "the other run's files unchanged");
    });
  }
}
