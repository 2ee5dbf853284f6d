package org.pixelsimilarity.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.cli.Sessions;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageFolderReader;
import org.pixelsimilarity.requests.TrainRequest;

/**
 * The folder benchmark run by {@code jobs/bench.sh} over the PNG tree of {@link FolderTree}. First, as fresh
 * {@code jobs/run-local.sh} processes (what a user waits for, JVM start included): {@code folder_train} (train
 * from {@code train/}), {@code folder_run} (train + valid folders end to end) and {@code folder_ingest} (
 * {@code train/} to a parquet pixel table), each with wall time, CPU seconds, peak RSS and the time to its first
 * task. Then in this one JVM: {@code folder_list} (listing {@code train/} alone), {@code folder_train_stage} (the
 * train stage as the first query of a JVM: list + decode + validate + sum + save; the decode rate) and
 * {@code folder_train_stage_again} (the same with the JIT warm), their {@code first_query=} line (ratio, the
 * JIT's CPU seconds in each), with the driver's peak RSS.
 *
 * <p>Arguments: {@code <images> <master> <tree dir> <results dir>}. System property {@code bench.folderStages}: a
 * comma-separated subset of the stages to run (default all), for runs at 1M where each stage takes minutes.
 */
public final class FolderBench {
  private final BenchReport report;
  private final Path repo = Path.of("").toAbsolutePath();
  private final String master;
  private final Path tree;
  private final Path work;
  private final long images;
  private final long trainImages;

  private FolderBench(BenchReport report, String master, Path tree, long images) {
    this.report = report;
    this.master = master;
    this.tree = tree;
    // Beside the tree, not in it: the tree may be shared (a symlink), the runs' output is this checkout's.
    this.work = repo.resolve("target/bench-data/folder-" + images + "-run");
    this.images = images;
    this.trainImages = FolderTree.trainImages(images);
  }

  public static void main(String[] args) throws Exception {
    long images = Long.parseLong(args[0]);
    Path tree = Path.of(args[2]).toAbsolutePath();
    BenchReport report = new BenchReport(System.out, images, args[1]);
    FolderBench bench = new FolderBench(report, args[1], tree, images);
    Bench.deleteTree(bench.work);
    bench.processes();
    bench.inThisJvm();
    Path json = report.write(Path.of(args[3]));
    Path named = json.resolveSibling("folder-" + json.getFileName());
    Files.move(json, named);
    System.out.println("json=" + named);
  }

  private void processes() throws Exception {
    String train = tree.resolve("train").toString();
    child("folder_train", trainImages, "train", "--train", train, "--model", work.resolve("model").toString(),
        "--overwrite");
    child("folder_run", images, "run", "--train", train, "--valid", tree.resolve("valid").toString(), "--report",
        work.resolve("report").toString());
    child("folder_ingest", trainImages, "ingest", "--input", train, "--output", work.resolve("table").toString(),
        "--overwrite");
  }

  private static boolean wanted(String stage) {
    String only = System.getProperty("bench.folderStages", "");
    return only.isBlank() || java.util.Arrays.asList(only.split(",")).contains(stage);
  }

  private void child(String stage, long n, String... args) throws Exception {
    if (!wanted(stage)) {
      return;
    }
    ChildRun.Result r = job(repo, master, work.resolve(stage + ".log"), args);
    report.stage(stage, n, r.seconds(), r.cpuSeconds());
    report.value(stage + "_peak_rss_bytes", r.peakRssBytes(), BenchReport.gib(r.peakRssBytes()));
    double firstTask = firstTaskSeconds(r.log());
    report.value(stage + "_first_task_s", firstTask, String.format(java.util.Locale.ROOT, "%.3f", firstTask)
        + " (JVM launch to the first task)");
  }

  /**
   * One {@code jobs/run-local.sh <args> --master <master>} process with the first-task listener, its output in
   * {@code log}; fails with the log when the job does.
   */
  static ChildRun.Result job(Path repo, String master, Path log, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("jobs/run-local.sh"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--master", master, "--conf", "spark.extraListeners=" + FirstTask.class.getName()));
    ChildRun.Result r = ChildRun.run(repo, cmd, log,
        Map.of("PS_CLASSPATH", System.getenv().getOrDefault("PS_CLASSPATH", "target/test-classes")));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(log.getFileName() + " failed (exit " + r.exitCode() + "): "
          + Files.readString(r.log()));
    }
    return r;
  }

  private static double firstTaskSeconds(Path log) throws IOException {
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith(FirstTask.KEY)) {
        return Long.parseLong(line.substring(FirstTask.KEY.length()).trim()) / 1e3;
      }
    }
    return -1;
  }

  private void inThisJvm() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    SparkSession spark = Sessions.start(master, "WARN", Map.of()).spark();
    AtomicLong firstTask = new AtomicLong();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskStart(SparkListenerTaskStart start) {
        firstTask.compareAndSet(0, start.taskInfo().launchTime());
      }
    });
    String train = tree.resolve("train").toString();
    ThreadCpu threads = new ThreadCpu();
    Map<String, double[]> timed = new java.util.HashMap<>();
    if (wanted("folder_list")) {
      long cpu = os.getProcessCpuTime();
      long t = System.nanoTime();
      ImageFolderReader.read(spark, train, Set.of());
      report.stage("folder_list", trainImages, (System.nanoTime() - t) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
    }
    for (String stage : List.of("folder_train_stage", "folder_train_stage_again")) {
      if (!wanted(stage)) {
        continue;
      }
      firstTask.set(0);
      threads.sinceLast();
      long wall = System.currentTimeMillis();
      long cpu = os.getProcessCpuTime();
      long t = System.nanoTime();
      Pipeline.train(spark, new TrainRequest(DatasetSpec.of("train", train), work.resolve("model-" + stage).toString(),
          true));
      double seconds = (System.nanoTime() - t) / 1e9;
      report.stage(stage, trainImages, seconds, (os.getProcessCpuTime() - cpu) / 1e9);
      timed.put(stage, new double[] {seconds, threads.sinceLastByKind().get("jit")});
      report.value(stage + "_first_task_s", (firstTask.get() - wall) / 1e3,
          String.format(java.util.Locale.ROOT, "%.3f (stage start to its first task)", (firstTask.get() - wall) / 1e3));
    }
    if (timed.size() == 2) {
      double[] first = timed.get("folder_train_stage");
      double[] again = timed.get("folder_train_stage_again");
      report.firstAgain("folder_train_stage", first[0], again[0], first[1], again[1]);
    }
    long rss = ChildRun.peakRss(Path.of("/proc/self/status"));
    report.value("folder_driver_peak_rss_bytes", rss, BenchReport.gib(rss) + " (the stages in this JVM)");
    spark.stop();
  }
}
