package org.pixelsimilarity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.requests.IngestRequest;
import org.pixelsimilarity.requests.PredictRequest;
import org.pixelsimilarity.requests.TrainRequest;
import org.pixelsimilarity.scoring.Metric;

/**
 * docs/predict.md's "one scan": {@code predict} reads, validates, ranks and writes its input in one pass, measured
 * with a Spark listener around {@link Pipeline#predict} on the sample's valid images as a parquet table (so the
 * tasks' input metrics count image rows): every row is read once; only when images are set aside does one more
 * pass read the input, to list them in {@code _rejected/}.
 */
class PredictScanTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @TempDir
  static Path tmp;
  private static String valid;
  private static IdealImages model;

  /** What the tasks did: input rows and bytes read per stage, and the jobs started. */
  static final class Io extends SparkListener {
    final Map<Integer, Long> rowsByStage = new ConcurrentHashMap<>();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong jobs = new AtomicLong();

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      jobs.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.taskMetrics() != null) {
        rowsByStage.merge(end.stageId(), end.taskMetrics().inputMetrics().recordsRead(), Long::sum);
        bytesRead.addAndGet(end.taskMetrics().inputMetrics().bytesRead());
      }
    }

    long rowsRead() {
      return rowsByStage.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The input rows of the stages that read any, in stage order. */
    List<Long> scans() {
      return rowsByStage.entrySet().stream().filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    @Override
    public String toString() {
      return jobs + " jobs, " + rowsRead() + " input rows, " + bytesRead + " input bytes, by stage " + rowsByStage;
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
      drain();
      return io;
    } finally {
      SPARK.sparkContext().removeSparkListener(io);
    }
  }

  @BeforeAll
  static void sample() {
    valid = tmp.resolve("valid").toString();
    Pipeline.ingest(SPARK, new IngestRequest(DatasetSpec.of("input", MnistSample.valid()), valid, false));
    model = Pipeline.train(SPARK, new TrainRequest(DatasetSpec.of("train", MnistSample.train()), null, false))
        .model();
  }

  private static Pipeline.Predicted predict(String input, String output) {
    return Pipeline.predict(SPARK, new PredictRequest(model, DatasetSpec.of("input", input), output, false,
        "scan", EnumSet.allOf(Metric.class)));
  }

  @Test
  void theSampleIsReadOnce() {
    String out = tmp.resolve("predictions").toString();
    Pipeline.Predicted[] p = new Pipeline.Predicted[1];
    Io io = during(() -> p[0] = predict(valid, out));
    System.out.println("predict on the sample's 421 valid images (parquet): " + io);
    assertEquals(421, p[0].table().rows());
    assertEquals(List.of(421L), io.scans(), "stages that read input rows: " + io);
    assertEquals(421, SPARK.read().parquet(out).count());
  }

  @Test
  void imagesSetAsideAreListedInOneMorePass() {
    // The sample's 421 images and two 3x3 images, which the model (28x28) sets aside.
    Dataset<Row> table = SPARK.read().parquet(valid);
    Dataset<Row> small = SPARK.createDataFrame(List.of(
        RowFactory.create("3", new byte[9], "small-a", 3, 3), RowFactory.create("7", new byte[9], "small-b", 3, 3)),
        new StructType().add("label", DataTypes.StringType).add("pixels", DataTypes.BinaryType)
            .add("origin", DataTypes.StringType).add("height", DataTypes.IntegerType)
            .add("width", DataTypes.IntegerType));
    String input = tmp.resolve("with-small").toString();
    table.unionByName(small).coalesce(1).write().parquet(input);
    String out = tmp.resolve("predictions-with-small").toString();
    Pipeline.Predicted[] p = new Pipeline.Predicted[1];
    Io io = during(() -> p[0] = predict(input, out));
    System.out.println("predict on 421 + 2 images, 2 set aside (parquet): " + io);
    assertEquals(421, p[0].table().rows());
    assertEquals(2, p[0].input().rejected());
    // Then the checks read the rows found (kept in memory, counted as input too): a row or so, not a scan.
    assertEquals(List.of(423L, 423L), io.scans().stream().filter(n -> n >= 423).toList(),
        "the ranking scan, then the one that finds the 2: " + io);
    List<Row> rejected = SPARK.read().parquet(out + "/_rejected").orderBy("origin").collectAsList();
    assertEquals(2, rejected.size());
    assertEquals("small-a", rejected.get(0).getString(0));
    assertEquals("image is 3x3, expected 28x28 (the model's shape)", rejected.get(0).getString(1));
    assertEquals(0, SPARK.read().parquet(out).filter(col("origin").startsWith(lit("small"))).count());
  }
}
