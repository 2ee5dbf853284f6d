package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.requests.IngestRequest;
import org.pixelsimilarity.requests.ReportSpec;
import org.pixelsimilarity.requests.RunRequest;
import org.pixelsimilarity.scoring.Metric;

/**
 * docs/performance.md's "one scan per dataset" and "no cache of decoded images when a pass does the work",
 * measured with a Spark listener around a whole {@code run}: the rows its tasks read from parquet input, and the
 * RDD blocks it stores.
 */
class OneScanTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  /** What the tasks of an action did; {@link #drained} waits until the listener bus has delivered everything. */
  static final class Io extends SparkListener {
    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong rddBlocks = new AtomicLong();
    /** Input records read per stage. */
    final java.util.Map<Integer, Long> byStage = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.taskMetrics() != null) {
        long n = end.taskMetrics().inputMetrics().recordsRead();
        recordsRead.addAndGet(n);
        byStage.merge(end.stageId(), n, Long::sum);
      }
    }

    @Override
    public void onBlockUpdated(SparkListenerBlockUpdated update) {
      if (update.blockUpdatedInfo().blockId().isRDD()) {
        rddBlocks.incrementAndGet();
      }
    }

    Io drained() {
      drain();
      return this;
    }
  }

  private static void drain() {
    try {
      SPARK.sparkContext().listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
  }

  private static Io during(Runnable action) {
    Io io = new Io();
    drain();
    SPARK.sparkContext().addSparkListener(io);
    try {
      action.run();
      return io.drained();
    } finally {
      SPARK.sparkContext().removeSparkListener(io);
    }
  }

  @Test
  void aRunReadsEachParquetRowOnce(@TempDir Path tmp) {
    String train = tmp.resolve("train").toString();
    String valid = tmp.resolve("valid").toString();
    Pipeline.ingest(SPARK, new IngestRequest(DatasetSpec.of("input", MnistSample.train()), train, false));
    Pipeline.ingest(SPARK, new IngestRequest(DatasetSpec.of("input", MnistSample.valid()), valid, false));
    Io io = during(() -> Pipeline.run(SPARK, new RunRequest(DatasetSpec.of("train", train),
        DatasetSpec.of("valid", valid), null, false,
        ReportSpec.of(tmp.resolve("report").toString(), "one-scan", EnumSet.allOf(Metric.class)))));
    // 1,681 training and 421 validation images: read, validated, fitted or scored in one scan each. The run's
    // pages then read the report's small tables (a few dozen rows): no other stage reads as many as 421 rows.
    List<Long> scans = io.byStage.values().stream().filter(n -> n >= 421).sorted().toList();
    assertEquals(List.of(421L, 1681L), scans, "stages that read the images: " + io.byStage);
    assertEquals(0, io.rddBlocks.get(), "nothing cached");
  }

  @Test
  void aRunOnImageFoldersCachesNoDecodedImages(@TempDir Path tmp) {
    Io io = during(() -> Pipeline.run(SPARK, new RunRequest(DatasetSpec.of("train", MnistSample.train()),
        DatasetSpec.of("valid", MnistSample.valid()), null, false,
        ReportSpec.of(tmp.resolve("report").toString(), "no-cache", EnumSet.allOf(Metric.class)))));
    assertEquals(0, io.rddBlocks.get(), "RDD blocks stored during the run");
    // The listener does see a cache: reading without a pass keeps the decoded images.
    Io cached = during(() -> {
      try (ImageSet set = ImageSets.read(SPARK, DatasetSpec.of("valid", MnistSample.valid()), null)) {
        assertEquals(421, set.imageCount());
      }
    });
    assertTrue(cached.rddBlocks.get() > 0, "a read without a pass caches the decoded images");
  }
}
