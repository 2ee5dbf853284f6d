package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.Scanned;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;

/**
 * The shape of the scoring scan's generated code ({@link EvaluationScan}): the per-row work (both UDFs) in a method
 * of its own, outside the method that loops over the parquet reader's column batches. Read from the code Spark
 * generated for the validation query of a parquet pixel table.
 */
class ScoringSplitTest {
  private static final IdealImages MODEL = new IdealImages(new Shape(1, 2), List.of("a", "b"), new long[] {1, 1},
      new double[][] {{0, 0}, {1, 1}});

  @TempDir
  Path tmp;

  /** The code of every whole-stage-generated stage of the queries a session ran while it listened. */
  private static final class Code implements QueryExecutionListener {
    final List<String> stages = new ArrayList<>();

    @Override
    public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
      stages.add(org.apache.spark.sql.execution.debug.package$.MODULE$.codegenString(qe.executedPlan()));
    }

    @Override
    public void onFailure(String funcName, QueryExecution qe, Exception exception) {
    }
  }

  @Test
  void theScoringIsCompiledOutsideTheLoopOverColumnBatches() throws TimeoutException {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create(i % 2 == 0 ? "a" : "b", new byte[] {(byte) (12 * i), (byte) (255 - 12 * i)},
          "img" + i, 1, 2));
    }
    String path = tmp.resolve("t").toString();
    PixelTable.write(spark.createDataFrame(rows, PixelTable.STORED).repartition(2), path, false);

    Code code = new Code();
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.listenerManager().register(code);
    try (EvaluationScan scan = new EvaluationScan(spark, MODEL);
        Scanned<EvaluationScan.Scored> set = ImageSets.read(spark, DatasetSpec.of("valid", path), MODEL.shape(),
            scan)) {
      assertEquals(20, set.set().imageCount());
      long[][] l1 = set.result().confusion().get(Metric.L1);
      assertEquals(20, l1[0][0] + l1[0][1] + l1[1][0] + l1[1][1], "the scan scored the images");
      assertFalse(set.result().examples().isEmpty(), "the same scan kept examples");
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(code);
    }

    List<String> scans = code.stages.stream().filter(c -> c.contains("report_example")).toList();
    assertEquals(1, scans.size(), "one query scores and keeps examples");
    String all = scans.get(0);
    assertTrue(all.contains("ColumnarToRow"), "the table is read as column batches");
    // Validation's grouping is ours (data/GroupedFold): the stage's rows go to it from processNext, which loops.
    String loop = method(all, "processNext");
    assertTrue(loop.contains("numRows()"), "this method loops over the column batches:\n" + loop);
    assertFalse(loop.contains("nearest_ideal_index"), "the scoring UDF is not in the loop's method:\n" + loop);
    assertFalse(loop.contains("report_example"), "the example UDF is not in the loop's method:\n" + loop);
    String perRow = method(all, "project_doConsume_0");
    assertTrue(perRow.contains("nearest_ideal_index") && perRow.contains("report_example"),
        "both UDFs in the per-row method:\n" + perRow);
  }

  /** The text of the generated method {@code name}, up to the next method. */
  private static String method(String code, String name) {
    int at = code.indexOf(" void " + name + "(");
    assertTrue(at >= 0, "no method " + name + " in:\n" + code);
    int end = code.indexOf("  private ", at + 1);
    int end2 = code.indexOf("  protected ", at + 1);
    int stop = end < 0 ? end2 : end2 < 0 ? end : Math.min(end, end2);
    return code.substring(at, stop < 0 ? code.length() : stop);
  }
}
