package org.pixelsimilarity.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.cli.Sessions;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.requests.EvaluateRequest;
import org.pixelsimilarity.requests.ReportSpec;
import org.pixelsimilarity.requests.TrainRequest;
import org.pixelsimilarity.scoring.Metric;

/**
 * The train and score stages' spread over JVMs, run by {@code jobs/bench.sh --stages spread --jvms N}: one JVM is
 * one run: the train stage twice ({@code train_first}, the stage as a scheduled {@code train} meets it, and
 * {@code train_second}), then the score stage twice ({@code score_first}, the JVM's first evaluate, and
 * {@code score_second}); {@code jobs/bench.sh} starts N of them one after the other and then prints the median,
 * the least and the most of each stage, and of each JVM's first over second. The first query of a JVM varies by
 * ±15% and more on a 2-core machine (when the JIT compiles the scan loop against when the first tasks end), so one
 * run cannot tell a 10% change apart.
 *
 * <p>Arguments: {@code <table> <master> <work dir> <results file>} for one run, appending
 * {@code stage seconds cpu_seconds tasks_cpu jit_cpu} lines; {@code summary <results file>} for the medians.
 */
public final class ScoreSpread {
  private static final String[] STAGES = {"train_first", "train_second", "score_first", "score_second"};

  private ScoreSpread() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("summary")) {
      summary(Path.of(args[1]));
      return;
    }
    String table = args[0];
    Path work = Path.of(args[2]).toAbsolutePath();
    Path results = Path.of(args[3]);
    Bench.deleteTree(work);
    SparkSession spark = Sessions.start(args[1], "WARN", Map.of()).spark();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadCpu threads = new ThreadCpu();
    Pipeline.Trained trained = null;
    for (String stage : STAGES) {
      threads.sinceLast();
      long startUptime = ManagementFactory.getRuntimeMXBean().getUptime();
      long cpu = os.getProcessCpuTime();
      long t = System.nanoTime();
      if (stage.startsWith("train")) {
        trained = Pipeline.train(spark, new TrainRequest(DatasetSpec.of("train", table),
            work.resolve("model").toString(), true));
      } else {
        Pipeline.evaluate(spark, new EvaluateRequest(trained.model(), trained.saved().dir(),
            DatasetSpec.of("valid", table), ReportSpec.of(work.resolve("report").toString(), null,
            EnumSet.allOf(Metric.class))));
      }
      double seconds = (System.nanoTime() - t) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
      Map<String, Double> by = threads.sinceLastByKind();
      String line = String.format(Locale.ROOT, "%s %.3f %.2f %.1f %.1f", stage, seconds, cpuSeconds,
          by.get("tasks"), by.get("jit"));
      // The JVM's uptime at the stage's start and end: the clock of -Xlog and -XX:+LogCompilation's stamps.
      System.out.printf(Locale.ROOT, "stage=%s seconds=%.3f cpu_s=%.2f tasks_cpu_s=%.1f jit_cpu_s=%.1f gc_cpu_s=%.1f"
          + " uptime_s=%.3f-%.3f%n", stage, seconds, cpuSeconds, by.get("tasks"), by.get("jit"), by.get("gc"),
          startUptime / 1e3, ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
      Files.writeString(results, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    spark.stop();
  }

  private static void summary(Path results) throws java.io.IOException {
    Map<String, List<double[]>> by = new TreeMap<>();
    for (String line : Files.readAllLines(results)) {
      String[] f = line.trim().split(" ");
      if (f.length == 5) {
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
          v[i] = Double.parseDouble(f[i + 1]);
        }
        by.computeIfAbsent(f[0], k -> new ArrayList<>()).add(v);
      }
    }
    by.forEach((stage, runs) -> System.out.printf(Locale.ROOT,
        "stage=%s jvms=%d median_seconds=%.2f min_seconds=%.2f max_seconds=%.2f median_cpu_s=%.2f"
            + " median_tasks_cpu_s=%.1f median_jit_cpu_s=%.1f%n",
        stage, runs.size(), median(runs, 0), runs.stream().mapToDouble(v -> v[0]).min().orElse(0),
        runs.stream().mapToDouble(v -> v[0]).max().orElse(0), median(runs, 1), median(runs, 2), median(runs, 3)));
    for (String kind : new String[] {"train", "score"}) {
      ratios(kind, by.getOrDefault(kind + "_first", List.of()), by.getOrDefault(kind + "_second", List.of()));
    }
  }

  /**
   * {@code ratio=<kind> jvms=N median=… min=… max=…}: each JVM's first over its second (the i-th lines of each,
   * written by one JVM), in wall and in CPU seconds.
   */
  private static void ratios(String kind, List<double[]> first, List<double[]> second) {
    int n = Math.min(first.size(), second.size());
    if (n == 0) {
      return;
    }
    List<double[]> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      r.add(new double[] {first.get(i)[0] / second.get(i)[0], first.get(i)[1] / second.get(i)[1]});
    }
    System.out.printf(Locale.ROOT, "ratio=%s_first/%s_second jvms=%d median=%.2f min=%.2f max=%.2f"
        + " median_cpu=%.2f%n", kind, kind, n, median(r, 0), r.stream().mapToDouble(v -> v[0]).min().orElse(0),
        r.stream().mapToDouble(v -> v[0]).max().orElse(0), median(r, 1));
  }

  private static double median(List<double[]> runs, int at) {
    double[] v = runs.stream().mapToDouble(r -> r[at]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
