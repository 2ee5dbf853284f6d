package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.SparkTestSession;

/**
 * HDFS (MiniDFSCluster) where it fails: files deleted after the listing, a report folder this user may not write,
 * a NameNode address nobody answers at. One cluster for the class.
 */
@Tag("storage")
class HdfsFaultsTest {
  private static SparkSession spark;
  private static MiniHdfs hdfs;
  private static Path tmp;
  private static String base;
  private static FileSystem fs;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkTestSession.get();
    tmp = Files.createTempDirectory("pixel-similarity-hdfs-faults");
    hdfs = MiniHdfs.start(tmp.resolve("hdfs"));
    String user = UserGroupInformation.getCurrentUser().getShortUserName();
    hdfs.mkdirAs("/jobs", user, (short) 0755);
    hdfs.mkdirAs("/locked", MiniHdfs.SUPERUSER, (short) 0755);
    base = hdfs.uri() + "/jobs";
    fs = new org.apache.hadoop.fs.Path(base).getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path local = tmp.resolve("local");
    BadInputFixtures.dataset(local.resolve("train"), 30, "3", "7");
    BadInputFixtures.dataset(local.resolve("valid"), 30, "3", "7");
    StoreRuns.upload(fs, local, base);
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.close();
    }
    org.apache.hadoop.fs.FileUtil.fullyDelete(tmp.toFile());
  }

  @Test
  void filesGoneAfterTheListingFailTheRunNamingTheFile() throws Exception {
    org.apache.hadoop.fs.Path sevens = new org.apache.hadoop.fs.Path(base + "/gone/valid/7");
    org.apache.hadoop.fs.FileUtil.copy(fs, new org.apache.hadoop.fs.Path(base + "/valid"), fs,
        new org.apache.hadoop.fs.Path(base + "/gone/valid"), false, spark.sparkContext().hadoopConfiguration());
    String model = base + "/gone/model";
    assertEquals(0, BadInputFixtures.cli("train", "--train", base + "/train", "--model", model).exit());
    SparkListener deleter = new JobStartAction(() -> fs.delete(sevens, true));
    spark.sparkContext().addSparkListener(deleter);
    BadInputFixtures.Result r;
    try {
      r = BadInputFixtures.cli("evaluate", "--model", model, "--valid", base + "/gone/valid", "--report",
          base + "/gone/report", "--run-id", "gone");
    } finally {
      spark.sparkContext().removeSparkListener(deleter);
    }
    BadInputFixtures.assertOneLineError(r, base + "/gone/valid/7/", "storage error, not a bad image");
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(base + "/gone/report/runs")), "no run in the report");
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(base + "/gone/report/rejected")), "no rejected row");
  }

  @Test
  void aReportFolderThisUserMayNotWriteIsOneLine() throws IOException {
    String report = hdfs.uri() + "/locked/report";
    BadInputFixtures.Result r = BadInputFixtures.cli("run", "--train", base + "/train", "--valid", base + "/valid",
        "--report", report, "--run-id", "locked");
    BadInputFixtures.assertOneLineError(r, report, "permission denied");
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(report)));
  }

  @Test
  void aNameNodeNobodyAnswersAtIsOneLine() throws IOException {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String train = "hdfs://127.0.0.1:" + closed + "/data/train";
    long t0 = System.nanoTime();
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", train, "--model",
        tmp.resolve("model-unreachable").toString());
    System.out.printf("unreachable NameNode: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    BadInputFixtures.assertOneLineError(r, train, "cannot reach the store");
    assertTrue(Files.notExists(tmp.resolve("model-unreachable")));
    assertEquals(1, r.exit());
  }

  /**
   * Runs an action once, when the first Spark job that scans an image folder starts: after the driver listed the
   * folder, before the tasks read most of it (the action runs on the listener thread, the tasks read on theirs).
   */
  static final class JobStartAction extends SparkListener {
    interface Action {
      void run() throws Exception;
    }

    private final Action action;
    private boolean done;

    JobStartAction(Action action) {
      this.action = action;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      boolean scan = scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos()).stream()
          .flatMap(stage -> scala.jdk.javaapi.CollectionConverters.asJava(stage.rddInfos()).stream())
          .anyMatch(rdd -> rdd.callSite().contains("ImageFolderReader"));
      if (scan && !done) {
        done = true;
        try {
          action.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
