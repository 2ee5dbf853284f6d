package org.pixelsimilarity.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.cli.Sessions;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.scoring.Metric;

/**
 * The benchmark run by {@code jobs/bench.sh}: in this fresh JVM, the stages {@code start} (JVM launch to a ready
 * SparkSession), {@code train} (read + validate + fit + save the model) and {@code score} (read + validate +
 * score both metrics + count + write the report) over the N-image tables made by {@link BenchData}; the driver's
 * peak RSS; the arithmetic limit ({@link ArithmeticLimit}); then {@code end_to_end} as one fresh
 * {@code jobs/run-local.sh run} process over both tables, and over the bundled sample.
 *
 * <p>Arguments: {@code <images> <master> <data dir> <results dir>}. System property {@code bench.launchedAtMs}:
 * when the launcher started this JVM (epoch ms).
 */
public final class Bench {
  private static final int LIMIT_IMAGES = 200_000;

  private Bench() {}

  public static void main(String[] args) throws Exception {
    long images = Long.parseLong(args[0]);
    String master = args[1];
    Path data = Path.of(args[2]).toAbsolutePath();
    Path results = Path.of(args[3]);
    Path repo = Path.of("").toAbsolutePath();
    Path work = data.resolve("run");
    deleteTree(work);
    BenchReport report = new BenchReport(System.out, images, master);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    long launched = Long.getLong("bench.launchedAtMs", ManagementFactory.getRuntimeMXBean().getStartTime());
    SparkSession spark = Sessions.start(master, "WARN", Map.of()).spark();
    report.stage("start", 0, (System.currentTimeMillis() - launched) / 1e3, os.getProcessCpuTime() / 1e9);

    String train = data.resolve("train").toString();
    String valid = data.resolve("valid").toString();
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    Pipeline.Trained trained = Pipeline.train(spark, DatasetSpec.of("train", train),
        work.resolve("model").toString(), true, false);
    report.stage("train", images, (System.nanoTime() - t) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);

    cpu = os.getProcessCpuTime();
    t = System.nanoTime();
    Pipeline.Evaluated evaluated = Pipeline.evaluate(spark, trained.model(), trained.saved().dir(), train,
        DatasetSpec.of("valid", valid), work.resolve("report").toString(), null, EnumSet.allOf(Metric.class),
        null, 0);
    report.stage("score", images, (System.nanoTime() - t) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
    double scoreRate = images / ((System.nanoTime() - t) / 1e9);

    long rss = ChildRun.peakRss(Path.of("/proc/self/status"));
    report.value("driver_peak_rss_bytes", rss, BenchReport.gib(rss) + " (train and score stages, this JVM)");
    report.value("accuracy_l1", evaluated.run().accuracyL1(), fmt(evaluated.run().accuracyL1()));
    report.value("accuracy_l2", evaluated.run().accuracyL2(), fmt(evaluated.run().accuracyL2()));

    limit(spark, report, valid, trained, scoreRate);
    spark.stop();
    endToEnd(report, repo, master, train, valid, work, images);
    Path json = report.write(results);
    System.out.println("json=" + json);
  }

  private static void limit(SparkSession spark, BenchReport report, String valid, Pipeline.Trained trained,
      double scoreRate) {
    ArithmeticLimit limit = ArithmeticLimit.load(spark, valid, LIMIT_IMAGES, trained.model());
    ArithmeticLimit.Speed plain = limit.plainLoop(3);
    ArithmeticLimit.Speed kernel = limit.jobKernel(3);
    if (plain.checksum() != kernel.checksum()) {
      throw new IllegalStateException("the job's search and the plain loop disagree on " + limit.size() + " images");
    }
    ObjectNode n = report.node("arithmetic_limit");
    n.put("images_in_memory", limit.size());
    n.put("plain_double_loop_images_per_s", plain.imagesPerSecond());
    n.put("job_kernel_images_per_s", kernel.imagesPerSecond());
    n.put("score_stage_over_plain_loop", scoreRate / plain.imagesPerSecond());
    System.out.printf(Locale.ROOT, "limit=plain_double_loop threads=1 images=%d images_per_s=%.0f%n", limit.size(),
        plain.imagesPerSecond());
    System.out.printf(Locale.ROOT, "limit=job_kernel threads=1 images=%d images_per_s=%.0f (same predictions)%n",
        limit.size(), kernel.imagesPerSecond());
    System.out.printf(Locale.ROOT, "ratio=score_stage/plain_double_loop %.2f%n", scoreRate / plain.imagesPerSecond());
  }

  private static void endToEnd(BenchReport report, Path repo, String master, String train, String valid, Path work,
      long images) throws Exception {
    ChildRun.Result full = ChildRun.run(repo, List.of("jobs/run-local.sh", "run", "--master", master, "--train",
        train, "--valid", valid, "--report", work.resolve("e2e-report").toString()), work.resolve("end_to_end.log"));
    check(full, "end_to_end");
    report.stage("end_to_end", 2 * images, full.seconds(), -1);
    report.value("end_to_end_peak_rss_bytes", full.peakRssBytes(), BenchReport.gib(full.peakRssBytes()));
    ChildRun.Result sample = ChildRun.run(repo, List.of("jobs/run-local.sh", "run", "--master", master, "--train",
        "data/mnist_sample/train", "--valid", "data/mnist_sample/valid", "--report",
        work.resolve("sample-report").toString()), work.resolve("end_to_end_sample.log"));
    check(sample, "end_to_end_sample");
    report.stage("end_to_end_sample", sampleImages(repo), sample.seconds(), -1);
  }

  private static long sampleImages(Path repo) throws java.io.IOException {
    try (var files = Files.walk(repo.resolve("data/mnist_sample"))) {
      return files.filter(p -> p.toString().endsWith(".png")).count();
    }
  }

  private static void check(ChildRun.Result r, String what) throws Exception {
    if (r.exitCode() != 0) {
      throw new IllegalStateException(what + " failed (exit " + r.exitCode() + "): " + Files.readString(r.log()));
    }
  }

  private static String fmt(Double v) {
    return v == null ? "none" : String.format(Locale.ROOT, "%.4f", v);
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
