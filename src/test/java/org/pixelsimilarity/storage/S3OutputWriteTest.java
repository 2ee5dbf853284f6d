package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.ParquetPixelReader;
import org.pixelsimilarity.io.CommittedFiles;

/**
 * {@code predict --output} and {@code ingest --output} on S3 (s3proxy through s3a) write each data byte once: no
 * copy request, and the bytes s3a uploads (its IOStatistics) are the bytes the output holds in s3proxy's
 * filesystem backend (measured on disk, not through s3a), where Spark's default committer, measured the same way on
 * the same rows, uploads them once and copies them twice. The tables are complete (one row per input image) and a
 * reader keyed on the marker reads the files it lists, not a stray file a late task attempt would leave beside them.
 * Inputs and model on the local disk: only the outputs are on S3.
 */
@Tag("storage")
class S3OutputWriteTest {
  private static final String BUCKET = "output-writes";
  private static SparkSession spark;
  private static S3Server s3;
  private static Path tmp;
  private static String model;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTestSession.get();
    tmp = Files.createTempDirectory("pixel-similarity-s3-writes");
    s3 = S3Server.start(tmp.resolve("s3"));
    s3.createBucket(BUCKET);
    S3Stores.configure(hadoop(), s3, BUCKET);
    model = tmp.resolve("model").toString();
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", MnistSample.train(), "--model", model);
    assertEquals(0, r.exit(), r::toString);
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

  private static final String COPIES = "object_copy_requests";
  private static final String COPIED_BYTES = "files_copied_bytes";
  private static final String PUT_BYTES = "object_put_bytes";
  private static final Set<String> SHOWN = Set.of(COPIES, COPIED_BYTES, PUT_BYTES, "object_put_request",
      "object_delete_request", "object_bulk_delete_request", "object_list_request", "action_http_head_request",
      "action_http_get_request");

  /** What s3a did (its counters, those of {@link #SHOWN}) while {@code action} ran. */
  private static Map<String, Long> counting(Runnable action) throws IOException {
    FileSystem fs = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/").getFileSystem(hadoop());
    Map<String, Long> before = Map.copyOf(IOStatisticsSupport.retrieveIOStatistics(fs).counters());
    action.run();
    Map<String, Long> after = IOStatisticsSupport.retrieveIOStatistics(fs).counters();
    Map<String, Long> d = new LinkedHashMap<>();
    for (String k : SHOWN.stream().sorted().toList()) {
      d.put(k, after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L));
    }
    return d;
  }

  /** The bytes of the objects under {@code folder} of the bucket, as s3proxy's backend holds them on disk. */
  private static long bytesOnDisk(String folder) throws IOException {
    try (Stream<Path> files = Files.walk(s3.bucketFolder(BUCKET).resolve(folder))) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Bytes written to the store (uploaded + copied by the server) per byte of the output. */
  private static double written(Map<String, Long> requests, String folder) throws IOException {
    long out = bytesOnDisk(folder);
    double ratio = (requests.get(PUT_BYTES) + requests.get(COPIED_BYTES)) / (double) out;
    System.out.printf("s3 %s: %,d bytes of output, %.3f bytes written per byte; s3a: %s%n", folder, out, ratio,
        requests);
    return ratio;
  }

  @Test
  void predictWritesEachByteOnceAndOneRowPerImage() throws IOException {
    String out = "s3a://" + BUCKET + "/predictions";
    Map<String, Long> requests = counting(() -> {
      BadInputFixtures.Result r = BadInputFixtures.cli("predict", "--model", model, "--input", MnistSample.valid(),
          "--output", out);
      assertEquals(0, r.exit(), r::toString);
    });
    assertEquals(0, requests.get(COPIES), requests::toString);
    double ratio = written(requests, "predictions");
    // the data files once, plus the writer's note (deleted) and markers of a few hundred bytes
    assertTrue(ratio >= 1 && ratio < 1.05, () -> ratio + " " + requests);
    int images = MnistSample.reference().validCounts().values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(images, spark.read().parquet(out).count());
    assertEquals(images, spark.read().parquet(listed(out)).select("origin").distinct().count());
  }

  /** The files the output's marker lists (a reader keyed on the marker). */
  private static String[] listed(String out) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(out);
    String[] files = CommittedFiles.toRead(org.pixelsimilarity.io.Store.of(p, hadoop()), p);
    assertTrue(files.length >= 1 && !files[0].equals(out), () -> out + ": no files in its marker");
    return files;
  }

  @Test
  void ingestWritesEachByteOnceWhereSparksCommitterCopiesTwice() throws IOException {
    String table = "s3a://" + BUCKET + "/ingested";
    Map<String, Long> requests = counting(() -> {
      BadInputFixtures.Result r = BadInputFixtures.cli("ingest", "--input", MnistSample.train(), "--output", table);
      assertEquals(0, r.exit(), r::toString);
    });
    assertEquals(0, requests.get(COPIES), requests::toString);
    double ratio = written(requests, "ingested");
    assertTrue(ratio >= 1 && ratio < 1.05, () -> ratio + " " + requests);
    int images = MnistSample.reference().trainCounts().values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(images, ParquetPixelReader.read(spark, table, null, Set.of()).count());

    // The same rows through Spark's default committer, as predict and ingest wrote them before: every file
    // uploaded once under _temporary/, then copied at the task's commit and again at the job's.
    String plain = "s3a://" + BUCKET + "/default-committer";
    Map<String, Long> before = counting(() -> spark.read().parquet(table).write().parquet(plain));
    double ratioBefore = written(before, "default-committer");
    assertTrue(before.get(COPIES) > 0 && ratioBefore > 2.5, () -> ratioBefore + " " + before);

    // A file a late task attempt would leave beside the table: not in the marker's list, so not read.
    FileSystem fs = new org.apache.hadoop.fs.Path(table).getFileSystem(hadoop());
    String first = listed(table)[0];
    org.apache.hadoop.fs.FileUtil.copy(fs, new org.apache.hadoop.fs.Path(first), fs,
        new org.apache.hadoop.fs.Path(table + "/part-00000-late-attempt.parquet"), false, hadoop());
    assertTrue(spark.read().parquet(table).count() > images, "the stray file is there");
    assertEquals(images, ParquetPixelReader.read(spark, table, null, Set.of()).count());
  }
}
