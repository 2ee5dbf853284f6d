package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that runs on Spark: starts the session (or joins the one already running in this JVM), runs,
 * prints its summary, stops the session it started.
 */
abstract class SparkCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  /** The exit code after a run that completed: 0, or one a subcommand sets (the quality gate's). */
  int exitCode;

  /** Checks the options that picocli cannot, before Spark starts. */
  void check() {}

  abstract void run(SparkSession spark, PrintWriter out);

  @Override
  public Integer call() {
    try {
      check();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    long start = System.nanoTime();
    Sessions.Started started = Sessions.start(common.master, common.logLevel, common.conf);
    try {
      PrintWriter out = spec.commandLine().getOut();
      run(started.spark(), out);
      out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - start) / 1e9);
      out.flush();
      return exitCode;
    } finally {
      if (started.owned()) {
        started.spark().stop();
      }
    }
  }
}
