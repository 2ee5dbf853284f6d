package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.SparkTestSession;

/**
 * S3 through s3a against s3proxy, where the store fails: objects gone after the listing, a missing bucket,
 * wrong credentials, an endpoint nobody listens on, a scheme without a connector. And the requests one image
 * costs. One s3proxy for the class; each test has a bucket of its own.
 */
@Tag("storage")
class S3FaultsTest {
  private static final int PER_LABEL = 40;
  private static SparkSession spark;
  private static S3Server s3;
  private static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTestSession.get();
    tmp = Files.createTempDirectory("pixel-similarity-s3-faults");
    s3 = S3Server.start(tmp.resolve("s3"));
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    org.apache.hadoop.fs.FileUtil.fullyDelete(tmp.toFile());
  }

  /** A bucket with {@code train/<label>/…png} and {@code valid/<label>/…png}, labels 3 and 7, made by the test. */
  private static String bucket(String name) throws Exception {
    s3.createBucket(name);
    S3Stores.configure(hadoop(), s3, name);
    Path local = tmp.resolve("local-" + name);
    BadInputFixtures.dataset(local.resolve("train"), PER_LABEL, "3", "7");
    BadInputFixtures.dataset(local.resolve("valid"), PER_LABEL, "3", "7");
    S3Stores.upload(hadoop(), local, "s3a://" + name);
    return "s3a://" + name;
  }

  private static Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /**
   * {@code train} over 2·40 and over 2·80 images: the difference in s3a's request counters (its IOStatistics) is
   * what 80 more images cost, whatever the listing and the model's save cost: one GET each and no HEAD (before
   * images were opened with the listing's status: a HEAD and a GET each).
   */
  @Test
  void oneGetPerImageAndNoHead() throws Exception {
    String b = "s3a://requests";
    s3.createBucket("requests");
    S3Stores.configure(hadoop(), s3, "requests");
    Path local = tmp.resolve("local-requests");
    BadInputFixtures.dataset(local.resolve("small"), PER_LABEL, "3", "7");
    BadInputFixtures.dataset(local.resolve("large"), 2 * PER_LABEL, "3", "7");
    S3Stores.upload(hadoop(), local, b);
    FileSystem fs = new org.apache.hadoop.fs.Path(b).getFileSystem(hadoop());
    Map<String, Long> small = requests(fs, b + "/small", b + "/model-small");
    Map<String, Long> large = requests(fs, b + "/large", b + "/model-large");
    System.out.println("s3a requests of train, 80 images: " + small + "; 160 images: " + large);
    long more = 2 * PER_LABEL;
    assertEquals(more, large.get(GET) - small.get(GET), () -> small + " / " + large);
    assertEquals(0, large.get(HEAD) - small.get(HEAD), () -> small + " / " + large);
  }

  private static final String GET = "action_http_get_request";
  private static final String HEAD = "action_http_head_request";

  /** The GETs and HEADs s3a sent during one {@code train}. */
  private static Map<String, Long> requests(FileSystem fs, String train, String model) {
    Map<String, Long> before = IOStatisticsSupport.retrieveIOStatistics(fs).counters();
    long get = before.getOrDefault(GET, 0L);
    long head = before.getOrDefault(HEAD, 0L);
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", train, "--model", model);
    assertEquals(0, r.exit(), r::toString);
    Map<String, Long> after = IOStatisticsSupport.retrieveIOStatistics(fs).counters();
    return Map.of(GET, after.get(GET) - get, HEAD, after.get(HEAD) - head);
  }

  @Test
  void objectsGoneAfterTheListingFailTheRunNamingTheObject() throws Exception {
    String b = bucket("vanishing");
    Path sevens = s3.bucketFolder("vanishing").resolve("valid/7");
    String model = b + "/model";
    assertEquals(0, BadInputFixtures.cli("train", "--train", b + "/train", "--model", model).exit());
    SparkListener deleter = new HdfsFaultsTest.JobStartAction(
        () -> org.apache.hadoop.fs.FileUtil.fullyDelete(sevens.toFile()));
    spark.sparkContext().addSparkListener(deleter);
    BadInputFixtures.Result r;
    try {
      r = BadInputFixtures.cli("evaluate", "--model", model, "--valid", b + "/valid", "--report", b + "/report",
          "--run-id", "gone");
    } finally {
      spark.sparkContext().removeSparkListener(deleter);
    }
    BadInputFixtures.assertOneLineError(r, b + "/valid/7/", "storage error, not a bad image");
    FileSystem fs = new org.apache.hadoop.fs.Path(b).getFileSystem(hadoop());
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(b + "/report/runs")), "no run in the report");
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(b + "/report/rejected")), "no rejected row");
  }

  @Test
  void aMissingBucketIsOneLine() {
    S3Stores.configure(hadoop(), s3, "no-such-bucket");
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", "s3a://no-such-bucket/train", "--model",
        "s3a://no-such-bucket/model");
    BadInputFixtures.assertOneLineError(r, "s3a://no-such-bucket/", "the bucket does not exist");
  }

  @Test
  void wrongCredentialsAreOneLine() throws Exception {
    String b = bucket("locked");
    hadoop().set("fs.s3a.bucket.locked.secret.key", "not-the-secret");
    try {
      BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", b + "/train", "--model", b + "/model");
      BadInputFixtures.assertOneLineError(r, b + "/", "access denied", "check the credentials");
    } finally {
      hadoop().set("fs.s3a.bucket.locked.secret.key", S3Server.SECRET_KEY);
    }
  }

  @Test
  void anEndpointNobodyListensOnIsOneLine() throws IOException {
    S3Stores.configure(hadoop(), s3, "unreachable");
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    hadoop().set("fs.s3a.bucket.unreachable.endpoint", "http://127.0.0.1:" + closed);
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", "s3a://unreachable/train", "--model",
        "s3a://unreachable/model");
    BadInputFixtures.assertOneLineError(r, "s3a://unreachable/", "cannot reach the store");
  }

  @Test
  void aSchemeWithoutAConnectorIsOneLine() {
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", "gs://some-bucket/train", "--model",
        "gs://some-bucket/model");
    BadInputFixtures.assertOneLineError(r, "gs://some-bucket/", "no connector for gs://");
  }
}
