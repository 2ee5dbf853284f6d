package org.pixelsimilarity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark jobs an action started, seen by a listener. Exact, not a matter of timing: every job's start event is
 * posted before the job runs, so before the action returns, and the listener bus is drained before counting.
 * Jobs of other threads do not count: the action runs in a job group of its own (Spark passes it on to the
 * threads that run a query's jobs).
 */
public final class SparkJobs {
  private SparkJobs() {}

  /** The start time (ms since the epoch) of each job the action started, in order. */
  public static List<Long> startedDuring(SparkSession spark, Runnable action) {
    String group = "spark-jobs-" + System.nanoTime();
    List<Long> starts = Collections.synchronizedList(new ArrayList<>());
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        if (start.properties() != null && group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
          starts.add(start.time());
        }
      }
    };
    spark.sparkContext().addSparkListener(listener);
    spark.sparkContext().setJobGroup(group, "SparkJobs", false);
    try {
      action.run();
    } finally {
      spark.sparkContext().clearJobGroup();
      try {
        spark.sparkContext().listenerBus().waitUntilEmpty();
      } catch (TimeoutException e) {
        throw new IllegalStateException("Spark's listener bus did not drain", e);
      } finally {
        spark.sparkContext().removeSparkListener(listener);
      }
    }
    return List.copyOf(starts);
  }
}
