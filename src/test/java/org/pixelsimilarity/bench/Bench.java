package org.pixelsimilarity.bench;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.cli.Sessions;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.Labelling;
import org.pixelsimilarity.ml.NearestIdealClassifier;
import org.pixelsimilarity.ml.NearestIdealModel;
import org.pixelsimilarity.requests.EvaluateRequest;
import org.pixelsimilarity.requests.PredictRequest;
import org.pixelsimilarity.requests.ReportSpec;
import org.pixelsimilarity.requests.TrainRequest;
import org.pixelsimilarity.scoring.Metric;

/**
 * The benchmark run by {@code jobs/bench.sh}: in this fresh JVM, the stages {@code start} (JVM launch to a ready
 * SparkSession), {@code train} (read + validate + fit + save the model) and {@code score} (read + validate +
 * score both metrics + count + write the report) over the N-image table made by {@link BenchData}, {@code predict}
 * (read + validate + rank both metrics + write the predictions table, one row per image) and its time over
 * score's, then all three again ({@code train_again}, {@code score_again}, {@code predict_again}: the same work in
 * a JVM whose JIT has compiled it), then the Spark ML face over the same table ({@code ml_fit}:
 * {@code NearestIdealClassifier.fit} + save; {@code ml_transform}: transform + {@code MulticlassClassificationEvaluator}
 * accuracy, metric l1; both again as {@code ml_fit_again}, {@code ml_transform_again}); for each of the five a
 * {@code first_query=} line (first and again seconds, their ratio, the JIT's CPU seconds in each); the driver's peak RSS; the
 * arithmetic limit ({@link ArithmeticLimit}); then {@code end_to_end} as one fresh {@code jobs/run-local.sh run}
 * process (train and valid = the table), and over the bundled sample.
 *
 * <p>Arguments: {@code <images> <master> <data dir> <results dir>}. System property {@code bench.launchedAtMs}:
 * when the launcher started this JVM (epoch ms).
 */
public final class Bench {
  private static final int LIMIT_IMAGES = 100_000;

  private final BenchReport report;
  private final SparkSession spark;
  private final String table;
  private final Path work;
  private final long images;
  private final ThreadCpu threads;
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private Bench(BenchReport report, SparkSession spark, String table, Path work, long images, ThreadCpu threads) {
    this.report = report;
    this.spark = spark;
    this.table = table;
    this.work = work;
    this.images = images;
    this.threads = threads;
  }

  public static void main(String[] args) throws Exception {
    long images = Long.parseLong(args[0]);
    String master = args[1];
    Path data = Path.of(args[2]).toAbsolutePath();
    Path results = Path.of(args[3]);
    Path work = data.resolve("run");
    deleteTree(work);
    BenchReport report = new BenchReport(System.out, images, master);
    ThreadCpu threads = new ThreadCpu();
    long launched = Long.getLong("bench.launchedAtMs", ManagementFactory.getRuntimeMXBean().getStartTime());
    SparkSession spark = Sessions.start(master, "WARN", Map.of()).spark();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    report.stage("start", 0, (System.currentTimeMillis() - launched) / 1e3, os.getProcessCpuTime() / 1e9);
    report.text("start_cpu_by_thread", threads.sinceLast());

    Bench bench = new Bench(report, spark, data.resolve(BenchData.TABLE).toString(), work, images, threads);
    Pipeline.Trained trained = bench.train("train");
    Pipeline.Evaluated evaluated = bench.score("score", trained);
    double coldScore = bench.lastRate;
    double scoreSeconds = bench.lastSeconds;
    bench.predict("predict", trained);
    report.value("predict_over_score", bench.lastSeconds / scoreSeconds,
        String.format(Locale.ROOT, "%.2f (time of predict / time of score)", bench.lastSeconds / scoreSeconds));
    report.value("accuracy_l1", evaluated.run().accuracy(Metric.L1), fmt(evaluated.run().accuracy(Metric.L1)));
    report.value("accuracy_l2", evaluated.run().accuracy(Metric.L2), fmt(evaluated.run().accuracy(Metric.L2)));
    // The same two stages again in this JVM: what they cost once the JIT has compiled the hot code.
    bench.score("score_again", bench.train("train_again"));
    double warmScore = bench.lastRate;
    double scoreAgainSeconds = bench.lastSeconds;
    bench.predict("predict_again", trained);
    report.value("predict_again_over_score_again", bench.lastSeconds / scoreAgainSeconds,
        String.format(Locale.ROOT, "%.2f", bench.lastSeconds / scoreAgainSeconds));
    // The Spark ML face over the same table, twice as well: its queries are new to this JVM the first time.
    bench.mlTransform("ml_transform", bench.mlFit("ml_fit"), evaluated.run().accuracy(Metric.L1));
    bench.mlTransform("ml_transform_again", bench.mlFit("ml_fit_again"), evaluated.run().accuracy(Metric.L1));
    for (String stage : List.of("train", "score", "predict", "ml_fit", "ml_transform")) {
      double[] first = bench.timed.get(stage);
      double[] again = bench.timed.get(stage + "_again");
      report.firstAgain(stage, first[0], again[0], first[1], again[1]);
    }
    long rss = ChildRun.peakRss(Path.of("/proc/self/status"));
    report.value("driver_peak_rss_bytes", rss, BenchReport.gib(rss) + " (all stages above, this JVM)");

    bench.limit(trained, coldScore, warmScore);
    spark.stop();
    if (!Boolean.getBoolean("bench.skipEndToEnd")) {
      endToEnd(report, Path.of("").toAbsolutePath(), master, bench.table, work, images);
    }
    System.out.println("json=" + report.write(results));
  }

  private double lastRate;
  private double lastSeconds;
  /** Per stage: seconds and the JIT compiler threads' CPU seconds. */
  private final Map<String, double[]> timed = new java.util.HashMap<>();

  private Pipeline.Trained train(String stage) {
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    Pipeline.Trained trained = Pipeline.train(spark, new TrainRequest(DatasetSpec.of("train", table),
        work.resolve("model-" + stage).toString(), true));
    done(stage, t, cpu);
    return trained;
  }

  private Pipeline.Evaluated score(String stage, Pipeline.Trained trained) {
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    Pipeline.Evaluated evaluated = Pipeline.evaluate(spark, new EvaluateRequest(trained.model(),
        trained.saved().dir(), DatasetSpec.of("valid", table),
        ReportSpec.of(work.resolve("report").toString(), null, EnumSet.allOf(Metric.class))));
    done(stage, t, cpu);
    return evaluated;
  }

  /** Read + validate + rank (both metrics) + write the predictions table of every image, replacing the last one. */
  private void predict(String stage, Pipeline.Trained trained) {
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    Pipeline.predict(spark, new PredictRequest(trained.model(),
        DatasetSpec.of("input", table).withLabelling(Labelling.OPTIONAL), work.resolve("predictions").toString(), true,
        null, EnumSet.allOf(Metric.class)));
    done(stage, t, cpu);
  }

  /** The table as a Spark ML user reads it: numeric labels (3.0, 7.0), the pixels column as features. */
  private Dataset<Row> mlTable() {
    return spark.read().parquet(table).select(col("label").cast("double").as("labelValue"), col("pixels"));
  }

  private NearestIdealModel mlFit(String stage) throws java.io.IOException {
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    NearestIdealModel model = new NearestIdealClassifier().setLabelCol("labelValue").fit(mlTable());
    model.write().overwrite().save(work.resolve("model-" + stage).toString());
    done(stage, t, cpu);
    return model;
  }

  /** Fails the bench when the ML face's accuracy differs from the job's (the same table, the same scoring). */
  private void mlTransform(String stage, NearestIdealModel model, double jobAccuracy) {
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    double accuracy = new MulticlassClassificationEvaluator().setLabelCol("labelValue").setMetricName("accuracy")
        .evaluate(model.transform(mlTable()));
    done(stage, t, cpu);
    report.value(stage + "_accuracy_l1", accuracy, fmt(accuracy));
    if (Math.abs(accuracy - jobAccuracy) > 1e-12) {
      throw new IllegalStateException(stage + ": accuracy " + accuracy + ", the job's score stage " + jobAccuracy);
    }
  }

  private void done(String stage, long startNanos, long startCpu) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    lastSeconds = seconds;
    lastRate = images / seconds;
    report.stage(stage, images, seconds, (os.getProcessCpuTime() - startCpu) / 1e9);
    Map<String, Double> by = threads.sinceLastByKind();
    timed.put(stage, new double[] {seconds, by.get("jit")});
    report.text(stage + "_cpu_by_thread", ThreadCpu.format(by));
  }

  private void limit(Pipeline.Trained trained, double coldScore, double warmScore) {
    ArithmeticLimit limit = ArithmeticLimit.load(spark, table, LIMIT_IMAGES, trained.model());
    ArithmeticLimit.Speed plain = limit.plainLoop(3);
    ArithmeticLimit.Speed kernel = limit.jobKernel(3);
    if (plain.checksum() != kernel.checksum()) {
      throw new IllegalStateException("the job's search and the plain loop disagree on " + limit.size() + " images");
    }
    ObjectNode n = report.node("arithmetic_limit");
    n.put("images_in_memory", limit.size());
    n.put("plain_double_loop_images_per_s", plain.imagesPerSecond());
    n.put("job_kernel_images_per_s", kernel.imagesPerSecond());
    n.put("score_over_plain_loop", coldScore / plain.imagesPerSecond());
    n.put("score_again_over_plain_loop", warmScore / plain.imagesPerSecond());
    System.out.printf(Locale.ROOT, "limit=plain_double_loop threads=1 images=%d images_per_s=%.0f%n", limit.size(),
        plain.imagesPerSecond());
    System.out.printf(Locale.ROOT, "limit=job_kernel threads=1 images=%d images_per_s=%.0f (same predictions)%n",
        limit.size(), kernel.imagesPerSecond());
    System.out.printf(Locale.ROOT, "ratio=score/plain_double_loop %.2f  score_again/plain_double_loop %.2f%n",
        coldScore / plain.imagesPerSecond(), warmScore / plain.imagesPerSecond());
  }

  private static void endToEnd(BenchReport report, Path repo, String master, String table, Path work,
      long images) throws Exception {
    ChildRun.Result full = ChildRun.run(repo, List.of("jobs/run-local.sh", "run", "--master", master, "--train",
        table, "--valid", table, "--report", work.resolve("e2e-report").toString()), work.resolve("end_to_end.log"));
    check(full, "end_to_end");
    report.stage("end_to_end", 2 * images, full.seconds(), -1);
    report.value("end_to_end_peak_rss_bytes", full.peakRssBytes(), BenchReport.gib(full.peakRssBytes()));
    ChildRun.Result sample = ChildRun.run(repo, List.of("jobs/run-local.sh", "run", "--master", master, "--train",
        "data/mnist_sample/train", "--valid", "data/mnist_sample/valid", "--report",
        work.resolve("sample-report").toString()), work.resolve("end_to_end_sample.log"));
    check(sample, "end_to_end_sample");
    report.stage("end_to_end_sample", sampleImages(repo), sample.seconds(), -1);
    report.value("end_to_end_sample_peak_rss_bytes", sample.peakRssBytes(), BenchReport.gib(sample.peakRssBytes()));
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
