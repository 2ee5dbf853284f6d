package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.s3a.S3AFileStatus;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.SparkTestSession;

/**
 * The requests an image folder costs on S3 at scale (s3proxy through s3a): each label folder listed in pages
 * ({@code fs.s3a.paging.maximum} keys a page, set low here so that each folder takes several), each image read with
 * one GET and no HEAD. 2 labels of 600 images (the test tier's size: the folder bench stage {@code folder-s3}
 * does 100,000), written straight into s3proxy's backend folder ({@link S3Server#putStraight}); the model on the
 * local disk, so that every s3a request counted is the input's.
 */
@Tag("storage")
class S3FolderRequestsTest {
  private static final String BUCKET = "many-images";
  private static final int PER_LABEL = 600;
  private static final int PAGE = 250;
  private static SparkSession spark;
  private static S3Server s3;
  private static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTestSession.get();
    tmp = Files.createTempDirectory("pixel-similarity-s3-folder");
    s3 = S3Server.start(tmp.resolve("s3"));
    s3.createBucket(BUCKET);
    S3Stores.configure(hadoop(), s3, BUCKET);
    hadoop().set("fs.s3a.bucket." + BUCKET + ".paging.maximum", Integer.toString(PAGE));
    BadInputFixtures.dataset(tmp.resolve("local/train"), PER_LABEL, "3", "7");
    long t = System.nanoTime();
    assertEquals(2L * PER_LABEL, s3.putStraight(BUCKET, tmp.resolve("local"), ""));
    System.out.printf("S3FolderRequestsTest: %d files into the backend in %.2f s%n", 2 * PER_LABEL,
        (System.nanoTime() - t) / 1e9);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    org.apache.hadoop.fs.FileUtil.fullyDelete(tmp.toFile());
  }

  private static Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** Objects written straight into the backend list with their size and ETag (their MD5), as uploaded ones do. */
  @Test
  void objectsWrittenIntoTheBackendListAsUploadedOnes() throws Exception {
    FileSystem fs = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/").getFileSystem(hadoop());
    FileStatus[] sevens = fs.listStatus(new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/train/7"));
    assertEquals(PER_LABEL, sevens.length);
    Path local = tmp.resolve("local/train/7").resolve(sevens[0].getPath().getName());
    assertEquals(Files.size(local), sevens[0].getLen());
    String md5 = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("MD5").digest(Files.readAllBytes(local)));
    assertEquals(md5, ((S3AFileStatus) sevens[0]).getEtag().replace("\"", ""));
  }

  private static final String LIST = "object_list_request";
  /** A listing's pages after its first (s3a counts the first page of each listing as a {@value #LIST}). */
  private static final String NEXT_PAGE = "object_continue_list_request";
  private static final String GET = "action_http_get_request";
  private static final String HEAD = "action_http_head_request";

  /**
   * {@code train} over the bucket: one GET per image; each label folder listed once, in ceil(600 / 250) = 3 pages
   * (a first page and 2 more); the few other requests (the input's format and existence, the root folder's
   * listing: single pages) do not grow with the images.
   */
  @Test
  void eachLabelFolderIsListedInPagesAndEachImageReadWithOneGet() throws IOException {
    FileSystem fs = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/").getFileSystem(hadoop());
    Map<String, Long> before = Map.copyOf(IOStatisticsSupport.retrieveIOStatistics(fs).counters());
    long t = System.nanoTime();
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", "s3a://" + BUCKET + "/train", "--model",
        tmp.resolve("model").toString());
    double seconds = (System.nanoTime() - t) / 1e9;
    assertEquals(0, r.exit(), r::toString);
    Map<String, Long> after = IOStatisticsSupport.retrieveIOStatistics(fs).counters();
    java.util.function.ToLongFunction<String> sent = k -> after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L);
    long lists = sent.applyAsLong(LIST);
    long nextPages = sent.applyAsLong(NEXT_PAGE);
    long gets = sent.applyAsLong(GET);
    long heads = sent.applyAsLong(HEAD);
    System.out.printf("S3FolderRequestsTest: train over %d images in %.1f s: %d list (+ %d further pages), %d GET,"
        + " %d HEAD requests%n", 2 * PER_LABEL, seconds, lists, nextPages, gets, heads);
    assertEquals(2L * PER_LABEL, gets, "one GET per image");
    int pages = (PER_LABEL + PAGE - 1) / PAGE;
    assertEquals(2L * (pages - 1), nextPages, "each label folder listed once, in pages");
    assertTrue(lists >= 2 && lists <= 2 + 6, () -> lists + " listings");
    assertTrue(heads <= 6, () -> heads + " HEAD requests");
  }
}
