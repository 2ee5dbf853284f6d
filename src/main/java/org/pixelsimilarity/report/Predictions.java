package org.pixelsimilarity.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.Labels;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.SmallTable;
import org.pixelsimilarity.io.FolderOutput;
import org.pixelsimilarity.scoring.Metric;
import org.pixelsimilarity.scoring.BroadcastIdeals;

/**
 * The output of {@code predict}: a parquet table, one row per image ({@code origin}, {@code label}, the
 * {@link BroadcastIdeals#RANKING} columns of the metrics asked, {@code run_id}, {@code model_id}), written by the
 * executors (nothing is collected) into a {@link FolderOutput}, committed when complete (renamed into place, or
 * marked), with
 * the images set aside listed in {@code <output>/_rejected/} (origin, reason), which readers of the table skip like
 * any '_' folder.
 */
public final class Predictions {
  public static final String RUN_ID = "run_id";
  public static final String MODEL_ID = "model_id";
  /** The folder inside the output that lists the images set aside. */
  public static final String REJECTED = "_rejected";

  private Predictions() {}

  /**
   * What was written.
   *
   * @param rows rows of the table, read back from the written files
   * @param byPrediction per metric asked, rows per predicted label in {@link Labels#ORDER}
   * @param rejectedTable the {@value #REJECTED} folder, null when no image was set aside
   */
  public record Written(String output, long rows, Map<Metric, Map<String, Long>> byPrediction,
      String rejectedTable) {}

  /**
   * Writes {@code ranked} ({@link BroadcastIdeals#rank} rows with {@code run_id} and {@code model_id}) and the rejected
   * list, counts the predictions in the written files, and moves the table into place.
   *
   * @param input the images read: {@code ranked} has a row for each it accepted (checked against the written
   *     table); its (origin, reason) rows of the images set aside are listed in the table's {@value #REJECTED}
   */
  public static Written write(SparkSession spark, FolderOutput out, Dataset<Row> ranked, Set<Metric> metrics,
      ImageSet input) {
    long images = input.imageCount();
    Dataset<Row> rejected = input.rejected();
    long rejectedCount = input.rejectedCount();
    try {
      String tmp = out.dir().toString();
      // append: the folder is a fresh hidden one, or (marker way) the target holding only the writer's note
      DataFrameWriter<Row> writer = ranked.write().mode("append");
      for (String c : ranked.columns()) {
        if (c.equals(PixelTable.ORIGIN) || c.endsWith("distance")) {
          // Distinct in every row: a dictionary only costs time. Measured on 1M images (warm, 2 cores, rank +
          // write): 6.1 -> 4.9 CPU-s.
          writer = writer.option("parquet.enable.dictionary#" + c, "false");
        }
      }
      writer.parquet(tmp);
      String rejectedTable = null;
      if (rejectedCount > 0) {
        SmallTable.write(spark, new Path(out.dir(), REJECTED), rejected.select("origin", "reason"), rejectedCount);
        rejectedTable = new Path(out.target(), REJECTED).toString();
      }
      Map<Metric, Map<String, Long>> byPrediction = new EnumMap<>(Metric.class);
      long rows = count(spark.read().parquet(tmp), metrics, byPrediction);
      if (rows != images) {
        throw new IllegalStateException(tmp + ": " + rows + " rows written for " + images + " images");
      }
      out.commit();
      return new Written(out.target().toString(), rows, byPrediction, rejectedTable);
    } catch (IOException e) {
      throw new JobException(out.target() + ": cannot write the predictions: " + e.getMessage(), e);
    }
  }

  /**
   * Rows per predicted label of each metric, from the prediction columns of the written table alone (a scan of a
   * few short columns, not of the images); returns the number of rows.
   */
  private static long count(Dataset<Row> table, Set<Metric> metrics, Map<Metric, Map<String, Long>> into) {
    List<Column> keys = new ArrayList<>();
    List<Metric> asked = new ArrayList<>();
    for (Metric m : Metric.values()) {
      if (metrics.contains(m)) {
        keys.add(col(BroadcastIdeals.prediction(m)));
        asked.add(m);
        into.put(m, new TreeMap<>(Labels.ORDER));
      }
    }
    long rows = 0;
    for (Row g : table.groupBy(keys.toArray(new Column[0])).count().collectAsList()) {
      long n = g.getLong(asked.size());
      rows += n;
      for (int i = 0; i < asked.size(); i++) {
        into.get(asked.get(i)).merge(g.getString(i), n, Long::sum);
      }
    }
    return rows;
  }
}
