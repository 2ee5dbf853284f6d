package org.pixelsimilarity.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.cli.Sessions;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageFolderReader;
import org.pixelsimilarity.requests.TrainRequest;
import org.pixelsimilarity.storage.S3Server;
import org.pixelsimilarity.storage.S3Stores;

/**
 * The folder stages against S3, run by {@code jobs/bench.sh --stages folder-s3}: s3proxy (as the storage tests start
 * it, in a JVM of its own) serving the {@code train/} folder of {@link FolderTree}'s tree, put straight into its
 * backend's bucket folder ({@link S3Server#putStraight}, untimed), reached through s3a. In one JVM, the local
 * figures beside the S3 ones: {@code folder_list} and {@code folder_s3_list} (the driver's listing of
 * {@code train/}), {@code folder_train_stage} and {@code folder_s3_train_stage} (train: list + read + decode +
 * validate + sum; the model saved on the local disk), with s3a's requests per stage ({@link Stages}).
 *
 * <p>Arguments: {@code <images> <master> <tree dir> <results dir>}. Needs s3a on the classpath (jobs/bench.sh adds
 * the storage tier's jars) and target/s3proxy/s3proxy.jar.
 */
public final class FolderS3Bench {
  /** The bucket of the S3 benches. */
  static final String BUCKET = "bench";

  private FolderS3Bench() {}

  public static void main(String[] args) throws Exception {
    long images = Long.parseLong(args[0]);
    String master = args[1];
    Path tree = Path.of(args[2]).toAbsolutePath();
    Path work = Path.of("").toAbsolutePath().resolve("target/bench-data/folder-" + images + "-s3");
    Bench.deleteTree(work);
    long trainImages = FolderTree.trainImages(images);
    BenchReport report = new BenchReport(System.out, images, master);
    try (S3Server s3 = S3Server.start(work.resolve("s3"))) {
      s3.createBucket(BUCKET);
      long t = System.nanoTime();
      long put = s3.putStraight(BUCKET, tree.resolve("train"), "train");
      report.value("folder_s3_put_s", (System.nanoTime() - t) / 1e9, String.format(Locale.ROOT,
          "%.1f (%d files straight into s3proxy's bucket folder, untimed)", (System.nanoTime() - t) / 1e9, put));
      SparkSession spark = Sessions.start(master, "WARN", Map.of()).spark();
      FileSystem fs = s3a(spark, s3, BUCKET);
      String local = tree.resolve("train").toString();
      String remote = "s3a://" + BUCKET + "/train";
      Stages stages = new Stages(report, fs, trainImages, null);
      stages.run("folder_list", () -> ImageFolderReader.read(spark, local, Set.of()));
      stages.run("folder_s3_list", () -> ImageFolderReader.read(spark, remote, Set.of()));
      for (String[] s : List.of(new String[] {"folder_train_stage", local}, new String[] {"folder_s3_train_stage",
          remote})) {
        stages.run(s[0], () -> Pipeline.train(spark, new TrainRequest(DatasetSpec.of("train", s[1]),
            work.resolve("model-" + s[0]).toString(), true)));
      }
      spark.stop();
    }
    System.out.println("json=" + report.write(Path.of(args[3]), "folder-s3-"));
  }

  /** Sets the session's s3a settings for {@code bucket} of {@code s3}; returns the bucket's s3a file system. */
  static FileSystem s3a(SparkSession spark, S3Server s3, String bucket) throws java.io.IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    S3Stores.configure(conf, s3, bucket);
    conf.set("fs.s3a.bucket." + bucket + ".attempts.maximum", "5"); // the tests' 2 are for failing fast
    return new org.apache.hadoop.fs.Path("s3a://" + bucket + "/").getFileSystem(conf);
  }

  /**
   * Times a stage (wall and CPU seconds) and prints the s3a requests it sent: LIST, GET, HEAD, PUT, DELETE (one
   * object or many), COPY, all of them ({@code store_io_request}), and the files opened for reading
   * ({@code stream_read_opened}: s3a's default reader since Hadoop 3.5, the analytics accelerator, sends its GETs
   * outside s3a's counts, at least one per file opened); with {@code server} (null for none) also the requests
   * s3proxy served, by method ({@link S3Server#requests}).
   */
  record Stages(BenchReport report, FileSystem fs, long images, S3Server server) {
    void run(String name, Runnable stage) throws java.io.IOException {
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      Map<String, Long> served = server == null ? Map.of() : server.requests();
      Map<String, Long> before = Map.copyOf(IOStatisticsSupport.retrieveIOStatistics(fs).counters());
      long cpu = os.getProcessCpuTime();
      long t = System.nanoTime();
      stage.run();
      report.stage(name, images, (System.nanoTime() - t) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
      Map<String, Long> after = IOStatisticsSupport.retrieveIOStatistics(fs).counters();
      StringBuilder b = new StringBuilder();
      com.fasterxml.jackson.databind.node.ObjectNode counts = report.node(name + "_requests");
      for (String k : List.of("object_list_request", "object_continue_list_request", "action_http_get_request",
          "action_http_head_request", "object_put_request", "object_delete_request", "object_bulk_delete_request",
          "object_copy_requests", "store_io_request", "stream_read_opened")) {
        long d = after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L);
        b.append(k).append('=').append(d).append(' ');
        counts.put(k, d);
      }
      report.text(name + "_s3a_requests", b.toString().trim());
      if (server != null) {
        StringBuilder c = new StringBuilder();
        com.fasterxml.jackson.databind.node.ObjectNode byMethod = report.node(name + "_s3proxy_requests");
        server.requests().forEach((method, n) -> {
          long d = n - served.getOrDefault(method, 0L);
          c.append(method).append('=').append(d).append(' ');
          byMethod.put(method, d);
        });
        report.text(name + "_s3proxy_requests", c.toString().trim());
      }
    }
  }
}
