package org.pixelsimilarity.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.cli.Sessions;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.pages.Pages;
import org.pixelsimilarity.report.ReportCopies;
import org.pixelsimilarity.requests.EvaluateRequest;
import org.pixelsimilarity.requests.ReportSpec;
import org.pixelsimilarity.requests.TrainRequest;
import org.pixelsimilarity.scoring.Metric;

/**
 * A report folder with a long history, run by {@code jobs/bench.sh --stages history [--runs N]}: what a nightly
 * scheduled evaluation meets after N nights. One real run over the bundled sample is copied N times, one run per
 * day (its five table files, new run ids and dates), into a report folder (made once and kept in
 * {@code <work dir>/history-copies}, copied afresh for each bench); then, in this JVM:
 * <ul>
 *   <li>{@code history_evaluate}: {@code Pipeline.evaluate} of the sample's valid set into that folder (score,
 *       commit, the run's page and the index), against {@code history_evaluate_empty}, the same into an empty
 *       folder; each twice, the second pair reported (the first warms the JIT), and the first evaluate into the
 *       history as {@code history_evaluate_first} (the copies have no summary of runs yet: it reads every
 *       {@code runs} file once and writes the summary);
 *   <li>{@code history_rebuild}: {@code report --report DIR}'s work, every run's page and the index again.
 * </ul>
 * Arguments: {@code <runs> <master> <work dir> <results dir>}.
 */
public final class HistoryBench {
  private HistoryBench() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    String master = args[1];
    Path work = Path.of(args[2]).toAbsolutePath();
    Path results = Path.of(args[3]);
    BenchReport report = new BenchReport(System.out, runs, master);
    SparkSession spark = Sessions.start(master, "WARN", Map.of()).spark();
    History made = History.make(spark, runs, work);
    Pipeline.Trained trained = made.trained();
    String sample = made.sample();
    long t = System.nanoTime();
    Path history = work.resolve("history");
    copyTree(made.copies(), history);
    System.out.printf(Locale.ROOT, "history: %d runs copied into %s in %.1f s%n", runs, history,
        (System.nanoTime() - t) / 1e9);
    for (int round = 0; round < 2; round++) {
      Path empty = work.resolve("empty-" + round);
      timed(report, round, "history_evaluate_empty", () -> evaluate(spark, trained, sample, empty.toString()));
      timed(report, round == 0 ? 1 : round, round == 0 ? "history_evaluate_first" : "history_evaluate",
          () -> evaluate(spark, trained, sample, history.toString()));
    }
    int[] pages = new int[1];
    timed(report, 1, "history_rebuild", () -> pages[0] = Pages.rebuild(spark, history.toString()).size());
    report.value("history_rebuild_pages", pages[0], Integer.toString(pages[0]));
    spark.stop();
    System.out.println("json=" + report.write(results));
  }

  /**
   * A model trained on the sample and a report folder of {@code runs} nightly runs, {@code copies} (its tables and a
   * {@code _COMPLETE} marker, kept in {@code <work>/history-copies} and made only when missing); the rest of
   * {@code work} is emptied.
   */
  record History(Pipeline.Trained trained, String sample, Path copies) {
    static History make(SparkSession spark, int runs, Path work) throws java.io.IOException {
      Path copies = work.resolve("history-copies");
      try (java.util.stream.Stream<Path> left = Files.exists(work) ? Files.list(work)
          : java.util.stream.Stream.empty()) {
        for (Path p : left.filter(p -> !p.equals(copies)).toList()) {
          Bench.deleteTree(p);
        }
      }
      Files.createDirectories(work);
      String sample = Path.of("data/mnist_sample").toAbsolutePath().toString();
      Pipeline.Trained trained = Pipeline.train(spark, new TrainRequest(DatasetSpec.of("train", sample + "/train"),
          work.resolve("model").toString(), true));
      Path seed = work.resolve("seed");
      Pipeline.Evaluated first = evaluate(spark, trained, sample, seed.toString());
      long t = System.nanoTime();
      if (!Files.exists(copies.resolve("_COMPLETE"))) {
        Bench.deleteTree(copies);
        Instant newest = first.run().runAt().minus(Duration.ofDays(1));
        for (int i = 0; i < runs; i++) {
          ReportCopies.copyRun(spark, seed, first.run().runId(), copies,
              String.format(Locale.ROOT, "night-%05d", i), newest.minus(Duration.ofDays(runs - 1 - i)));
        }
        Files.createFile(copies.resolve("_COMPLETE"));
        System.out.printf(Locale.ROOT, "history: %d runs on %d days written in %.1f s (kept in %s)%n", runs, runs,
            (System.nanoTime() - t) / 1e9, copies);
      }
      return new History(trained, sample, copies);
    }
  }

  /** {@code Pipeline.evaluate} of the sample's valid set into report folder {@code reportDir} (any store). */
  static Pipeline.Evaluated evaluate(SparkSession spark, Pipeline.Trained trained, String sample,
      String reportDir) {
    return Pipeline.evaluate(spark, new EvaluateRequest(trained.model(), trained.saved().dir(),
        DatasetSpec.of("valid", sample + "/valid"),
        ReportSpec.of(reportDir, null, EnumSet.allOf(Metric.class))));
  }

  /** Copies the report folder {@code from} (its tables, not its {@code _COMPLETE} marker) into {@code to}. */
  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> all = Files.walk(from)) {
      for (Path p : all.sorted().toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else if (!p.getFileName().toString().equals("_COMPLETE")) {
          Files.copy(p, dest);
        }
      }
    }
  }

  /** Times {@code body} (wall and this process's CPU seconds); reports it only in the last round. */
  private static void timed(BenchReport report, int round, String stage, Runnable body) {
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    body.run();
    double seconds = (System.nanoTime() - t) / 1e9;
    if (round == 1) {
      report.stage(stage, 0, seconds, (os.getProcessCpuTime() - cpu) / 1e9);
    }
  }
}
