package org.pixelsimilarity.storage;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * A listener for a child JVM's job ({@code --conf spark.extraListeners=org.pixelsimilarity.storage.ScanMarker}):
 * prints {@value #STARTED} on stderr when the first Spark job that scans an image folder starts (the driver has
 * listed it; the tasks read it), and {@value #ENDED} when that job ends, so that a test knows which phase it kills.
 */
public final class ScanMarker extends SparkListener {
  static final String STARTED = "pixelsimilarity-test: scan started";
  static final String ENDED = "pixelsimilarity-test: scan ended";
  private volatile int scanJob = -1;

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    boolean scan = scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos()).stream()
        .flatMap(stage -> scala.jdk.javaapi.CollectionConverters.asJava(stage.rddInfos()).stream())
        .anyMatch(rdd -> rdd.callSite().contains("ImageFolderReader"));
    if (scan && scanJob < 0) {
      scanJob = start.jobId();
      System.err.println(STARTED);
      System.err.flush();
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    if (end.jobId() == scanJob) {
      System.err.println(ENDED);
      System.err.flush();
    }
  }
}
