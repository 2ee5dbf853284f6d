package org.pixelsimilarity.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Prints when the first task of the JVM started, in ms after the JVM's launch, as {@code bench_first_task_ms=<t>}
 * on stderr: for a folder, the time spent before any image is decoded (JVM and Spark start, listing, planning).
 * Given to the timed job processes with {@code --conf spark.extraListeners=org.pixelsimilarity.bench.FirstTask}.
 */
public final class FirstTask extends SparkListener {
  static final String KEY = "bench_first_task_ms=";

  private final AtomicBoolean seen = new AtomicBoolean();

  @Override
  public void onTaskStart(SparkListenerTaskStart start) {
    if (seen.compareAndSet(false, true)) {
      long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
      System.err.println(KEY + (start.taskInfo().launchTime() - jvmStart));
    }
  }
}
