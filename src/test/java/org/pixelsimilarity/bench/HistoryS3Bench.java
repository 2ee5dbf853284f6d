package org.pixelsimilarity.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.cli.Sessions;
import org.pixelsimilarity.storage.S3Server;

/**
 * {@link HistoryBench}'s long history on S3, run by {@code jobs/bench.sh --stages history-s3 [--runs N]}: the same
 * fabricated report folder of N nightly runs (made once, kept in {@code <work dir>/history-copies}, shared with the
 * {@code history} stage) put straight into the bucket folder of an s3proxy started as the storage tests start it
 * ({@link S3Server#putStraight}, untimed), reached through s3a. In one JVM, after an untimed evaluate into an empty
 * S3 report that warms the JIT: {@code history_s3_evaluate_first} (the first evaluate into the history: it writes
 * the summary of runs), then {@code history_s3_evaluate_empty} (into another empty S3 report) and
 * {@code history_s3_evaluate} (the next evaluate into the history), each with CPU seconds, s3a's requests and
 * the requests s3proxy served ({@link FolderS3Bench.Stages}; s3proxy logs each request: its log level is debug).
 *
 * <p>Arguments: {@code <runs> <master> <work dir> <results dir>}. Needs s3a on the classpath (jobs/bench.sh adds
 * the storage tier's jars) and target/s3proxy/s3proxy.jar.
 */
public final class HistoryS3Bench {
  private static final String BUCKET = FolderS3Bench.BUCKET;

  private HistoryS3Bench() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    String master = args[1];
    Path work = Path.of(args[2]).toAbsolutePath();
    BenchReport report = new BenchReport(System.out, runs, master);
    SparkSession spark = Sessions.start(master, "WARN", Map.of()).spark();
    HistoryBench.History made = HistoryBench.History.make(spark, runs, work);
    try (S3Server s3 = S3Server.startLoggingRequests(work.resolve("s3"))) {
      s3.createBucket(BUCKET);
      long t = System.nanoTime();
      long put = s3.putStraight(BUCKET, made.copies(), "history");
      Files.delete(s3.bucketFolder(BUCKET).resolve("history/_COMPLETE")); // the copies' marker, not a table
      report.value("history_s3_put_s", (System.nanoTime() - t) / 1e9, String.format(Locale.ROOT,
          "%.1f (%d files straight into s3proxy's bucket folder, untimed)", (System.nanoTime() - t) / 1e9, put - 1));
      FileSystem fs = FolderS3Bench.s3a(spark, s3, BUCKET);
      String base = "s3a://" + BUCKET + "/";
      FolderS3Bench.Stages stages = new FolderS3Bench.Stages(report, fs, 0, s3);
      HistoryBench.evaluate(spark, made.trained(), made.sample(), base + "empty-0");
      stages.run("history_s3_evaluate_first",
          () -> HistoryBench.evaluate(spark, made.trained(), made.sample(), base + "history"));
      stages.run("history_s3_evaluate_empty",
          () -> HistoryBench.evaluate(spark, made.trained(), made.sample(), base + "empty-1"));
      stages.run("history_s3_evaluate",
          () -> HistoryBench.evaluate(spark, made.trained(), made.sample(), base + "history"));
      spark.stop();
    }
    System.out.println("json=" + report.write(Path.of(args[3]), "history-s3-"));
  }
}
