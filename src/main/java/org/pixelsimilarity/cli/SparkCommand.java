package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.report.QualityGate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that runs on Spark: starts the session (or joins the one already running in this JVM), runs,
 * prints its summary, stops the session it started, and returns the exit code its {@link #run} returned. Every
 * subcommand inherits this class's {@code @Command} attributes: -h/--help and -V/--version, which prints what the
 * top-level --version prints.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = PixelSimilarityCli.Version.class)
abstract class SparkCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  /** Checks the options that picocli cannot, before Spark starts. */
  void check() {}

  /** Runs the subcommand, printing its summary on {@code out}; returns the exit code of a run that completed. */
  abstract int run(SparkSession spark, PrintWriter out);

  @Override
  public Integer call() {
    try {
      check();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    long start = System.nanoTime();
    Sessions.Started started = Sessions.start(common.master, common.logLevel, common.conf);
    int code = CommandLine.ExitCode.SOFTWARE; // a run that throws exits 1
    try {
      PrintWriter out = spec.commandLine().getOut();
      code = run(started.spark(), out);
      out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - start) / 1e9);
      out.flush();
      return code;
    } finally {
      if (started.owned()) {
        // Stopped with the exit code, which Spark hands to the cluster manager: on YARN in client mode the
        // application master then ends FAILED for a non-zero code, not SUCCEEDED as after a plain stop().
        started.spark().sparkContext().stop(code);
      }
    }
  }

  /**
   * The exit code of an evaluation: {@link QualityGate#EXIT_FAILED}, with one line on stderr, when the run failed
   * its quality gate (it is written all the same); else 0.
   */
  int exitCode(Pipeline.Evaluated e) {
    Optional<QualityGate.Verdict> verdict = e.verdict();
    if (verdict.isEmpty() || verdict.get().passed()) {
      return CommandLine.ExitCode.OK;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(ConsoleSummary.gateFailed(e.run().runId(), verdict.get()));
    err.flush();
    return QualityGate.EXIT_FAILED;
  }
}
