package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.SparkTestSession;

/**
 * {@code jobs/submit.sh --master yarn} against Hadoop's MiniYARNCluster ({@link MiniYarn}), in client and in
 * cluster deploy mode, with the Spark home the build makes ({@code target/spark-home}, spark-yarn included) and the
 * job's jar shipped by spark-submit. Each application's end is read from the ResourceManager; each report is
 * compared with the same command's in local mode, and its correct counts with MnistSample's plain-Java reference.
 */
@Tag("storage")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnSubmitTest {
  private static final String[] VARYING = {"run_at", "run_date", "app_version", "spark_version", "master"};

  private MiniYarn yarn;
  private Path tmp;
  private Path confDir;
  private Path appJar;
  private SparkSession spark;

  @BeforeAll
  void startYarn() throws Exception {
    long t0 = System.nanoTime();
    spark = SparkTestSession.get();
    tmp = Files.createTempDirectory("pixel-similarity-yarn");
    yarn = MiniYarn.start();
    confDir = tmp.resolve("hadoop-conf");
    yarn.writeConfDir(confDir);
    appJar = AppJar.write(tmp.resolve("pixel-similarity.jar"));
    System.out.printf(Locale.ROOT, "YarnSubmitTest: YARN up in %.1f s%n", seconds(t0));
  }

  @AfterAll
  void stopYarn() {
    try {
      if (yarn != null) {
        yarn.close();
      }
    } finally {
      org.apache.hadoop.fs.FileUtil.fullyDelete(tmp.toFile());
    }
  }

  @Test
  @Order(1)
  void clusterModeSucceedsInOneAttempt() throws Exception {
    YarnRun r = YarnRun.submit(this, "cluster-ok", "cluster", 2, false, sampleRun(tmp.resolve("cluster-ok")));
    assertEquals(0, r.exit(), r::toString);
    assertEnded(r, YarnApplicationState.FINISHED, FinalApplicationStatus.SUCCEEDED);
    // The console summary is the driver's stdout: in cluster mode the application master's container log.
    String amOut = Files.readString(r.amContainer().resolve("stdout"));
    assertTrue(amOut.contains("report file:" + tmp.resolve("cluster-ok/report")) && amOut.contains("done in"),
        amOut);
    assertReferenceCounts("cluster-ok");
  }

  @Test
  @Order(2)
  void clientModeSurvivesAnExecutorKilledMidStage() throws Exception {
    YarnRun r = YarnRun.submit(this, "client-kill", "client", 2, true, sampleRun(tmp.resolve("client-kill")));
    assertEquals(0, r.exit(), r::toString);
    assertEnded(r, YarnApplicationState.FINISHED, FinalApplicationStatus.SUCCEEDED);
    assertTrue(r.killedExecutorId() != null, () -> "no executor was seen running a task to kill\n" + r);
    assertFalse(ProcessHandle.of(r.killedPid()).map(ProcessHandle::isAlive).orElse(false));
    // The driver (spark-submit's JVM in client mode) lost the executor with the task it ran, and ran it again.
    assertTrue(r.err().contains("Lost executor " + r.killedExecutorId()) && r.err().contains("ExecutorLostFailure"),
        r::toString);
    assertTrue(r.out().contains("done in"), r::toString);
    assertReferenceCounts("client-kill");
    // The same rows as the run without a kill (cluster mode above; one SparkContext each, same images).
    String here = tmp.resolve("client-kill").toString();
    String before = tmp.resolve("cluster-ok").toString();
    assertTrue(Files.isDirectory(Path.of(before, "report/runs")), "the cluster-mode run left no report");
    for (String table : List.of("runs", "class_accuracy", "confusion", "examples", "rejected")) {
      String[] drop = table.equals("runs") ? VARYING : new String[] {"run_date"};
      assertEquals(StoreRuns.table(spark, before, before + "/report/" + table, drop),
          StoreRuns.table(spark, here, here + "/report/" + table, drop), table);
    }
  }

  @Test
  @Order(3)
  void clientModeFailureIsTheJobsExitCodeAndFailed() throws Exception {
    Path base = tmp.resolve("client-bad");
    String missing = tmp.resolve("no-such-folder").toString();
    YarnRun r = YarnRun.submit(this, "client-bad", "client", 1, false, "run", "--train", missing, "--valid",
        MnistSample.valid(), "--report", base.resolve("report").toString());
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("error: ") && l.contains(missing)), r::toString);
    assertEnded(r, YarnApplicationState.FINISHED, FinalApplicationStatus.FAILED);
    assertFalse(Files.exists(base.resolve("report/runs")));
  }

  @Test
  @Order(4)
  void clusterModeGateFailureIsFailedOnceAndWrittenOnce() throws Exception {
    Path base = tmp.resolve("cluster-gate");
    List<String> args = new ArrayList<>(List.of(sampleRun(base)));
    args.addAll(List.of("--min-accuracy", "1.0"));
    YarnRun r = YarnRun.submit(this, "cluster-gate", "cluster", 1, false, args.toArray(String[]::new));
    // spark-submit only sees YARN's final status: any failure of the application is its exit 1.
    assertEquals(1, r.exit(), r::toString);
    assertEnded(r, YarnApplicationState.FINISHED, FinalApplicationStatus.FAILED);
    String amErr = Files.readString(r.amContainer().resolve("stderr"));
    assertTrue(amErr.contains("quality gate failed (exit 3): run yarn"), amErr);
    // Written whole, once: one attempt, so no second run of the job into the same report.
    List<Row> runs = spark.read().parquet(base.resolve("report/runs").toString()).collectAsList();
    assertEquals(1, runs.size(), runs::toString);
    assertReferenceCounts("cluster-gate");
  }

  /** Ended in {@code state} with {@code status}, after exactly one attempt. */
  private void assertEnded(YarnRun r, YarnApplicationState state, FinalApplicationStatus status) throws Exception {
    ApplicationReport app = r.app();
    String what = app.getApplicationId() + " " + app.getYarnApplicationState() + "/"
        + app.getFinalApplicationStatus() + " " + app.getDiagnostics() + "\n" + r;
    assertEquals(state, app.getYarnApplicationState(), what);
    assertEquals(status, app.getFinalApplicationStatus(), what);
    assertEquals(1, yarn.attempts(app), what);
  }

  /** The run in {@code name}: per-class totals and correct counts of MnistSample's plain-Java reference. */
  private void assertReferenceCounts(String name) {
    String here = tmp.resolve(name).toString();
    MnistSample.Reference ref = MnistSample.reference();
    for (String label : MnistSample.LABELS) {
      List<Row> rows = spark.read().parquet(here + "/report/class_accuracy").where("label = '" + label + "'")
          .orderBy("metric").collectAsList();
      assertEquals(ref.validCounts().get(label).longValue(), rows.get(0).<Long>getAs("total"), label);
      assertEquals(ref.correctL1().get(label).longValue(), rows.get(0).<Long>getAs("correct"), label + " l1");
      assertEquals(ref.correctL2().get(label).longValue(), rows.get(1).<Long>getAs("correct"), label + " l2");
    }
  }

  private static String[] sampleRun(Path base) {
    return new String[] {"run", "--train", MnistSample.train(), "--valid", MnistSample.valid(), "--report",
        base.resolve("report").toString(), "--run-id", "yarn"};
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  MiniYarn yarn() {
    return yarn;
  }

  Path confDir() {
    return confDir;
  }

  Path appJar() {
    return appJar;
  }

  Path tmp() {
    return tmp;
  }

  static void sleep(long millis) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(millis);
  }

  static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
