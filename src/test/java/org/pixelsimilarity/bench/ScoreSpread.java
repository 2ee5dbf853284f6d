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
 * The score stage's spread over JVMs, run by {@code jobs/bench.sh --stages spread --jvms N}: one JVM is one run
 * (train once, then the score stage twice: {@code score_first}, the stage as a scheduled {@code run} meets it, and
 * {@code score_second}); {@code jobs/bench.sh} starts N of them one after the other and then prints the median,
 * the least and the most of each stage. The first score of a JVM varies by ±15% on a 2-core machine (when the
 * JIT compiles the scan loop against when the first tasks end), so one run cannot tell a 10% change apart.
 *
 * <p>Arguments: {@code <table> <master> <work dir> <results file>} for one run, appending
 * {@code stage seconds cpu_seconds tasks_cpu jit_cpu} lines; {@code summary <results file>} for the medians.
 */
public final class ScoreSpread {
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
    Pipeline.Trained trained = Pipeline.train(spark, new TrainRequest(DatasetSpec.of("train", table),
        work.resolve("model").toString(), true));
    ThreadCpu threads = new ThreadCpu();
    for (String stage : new String[] {"score_first", "score_second"}) {
      threads.sinceLast();
      long cpu = os.getProcessCpuTime();
      long t = System.nanoTime();
      Pipeline.evaluate(spark, new EvaluateRequest(trained.model(), trained.saved().dir(),
          DatasetSpec.of("valid", table), ReportSpec.of(work.resolve("report").toString(), null,
          EnumSet.allOf(Metric.class))));
      double seconds = (System.nanoTime() - t) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
      Map<String, Double> by = parse(threads.sinceLast());
      String line = String.format(Locale.ROOT, "%s %.3f %.2f %.1f %.1f", stage, seconds, cpuSeconds,
          by.getOrDefault("tasks", 0.0), by.getOrDefault("jit", 0.0));
      System.out.printf(Locale.ROOT, "stage=%s seconds=%.3f cpu_s=%.2f tasks_cpu_s=%.1f jit_cpu_s=%.1f%n", stage,
          seconds, cpuSeconds, by.getOrDefault("tasks", 0.0), by.getOrDefault("jit", 0.0));
      Files.writeString(results, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    spark.stop();
  }

  private static Map<String, Double> parse(String kinds) {
    Map<String, Double> by = new TreeMap<>();
    for (String kv : kinds.split(" ")) {
      String[] p = kv.split("=");
      by.put(p[0], Double.parseDouble(p[1]));
    }
    return by;
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
  }

  private static double median(List<double[]> runs, int at) {
    double[] v = runs.stream().mapToDouble(r -> r[at]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
