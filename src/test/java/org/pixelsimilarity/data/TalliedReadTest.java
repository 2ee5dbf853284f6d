package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.SparkTestSession;

/**
 * {@link TalliedRead} on hand-made decoded rows against a colour 2x2 model: the rows its filter keeps and the
 * counts validation gets from the job are those worked out here from validation's rules (decoded without error,
 * the model's height and width, its channels or gray), and the checks on them are validation's.
 */
class TalliedReadTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final Shape COLOUR = new Shape(2, 2, 3);

  /** Decoded rows: label, pixels, origin, height, width, error. */
  private static Dataset<Row> decoded() {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create("a", new byte[12], "colour-a", 2, 2, null)); // 2x2x3: kept
    rows.add(RowFactory.create("a", new byte[12], "colour-a2", 2, 2, null)); // kept
    rows.add(RowFactory.create("b", new byte[4], "gray-b", 2, 2, null)); // 2x2 gray in a colour set: kept, R = G = B
    rows.add(RowFactory.create(null, new byte[12], "unlabelled", 2, 2, null)); // kept, no label
    rows.add(RowFactory.create("a", new byte[9], "big-a", 3, 3, null)); // 3x3: set aside
    rows.add(RowFactory.create("b", null, "broken-b", null, null, "not an image")); // set aside
    return SPARK.createDataFrame(rows, PixelTable.DECODED).repartition(2);
  }

  private static TalliedRead read(DatasetSpec spec) {
    return new TalliedRead(spec, InputFormat.PARQUET, decoded(), COLOUR, List.of(), List.of());
  }

  @Test
  void keepsWhatValidationAcceptsAndCountsEveryRow() {
    try (TalliedRead read = read(DatasetSpec.of("input", "hand-made").withMaxRejectedFraction(0.5))) {
      Map<String, Integer> kept = new TreeMap<>();
      for (Row r : read.images().collectAsList()) {
        kept.put(r.getString(2), r.<byte[]>getAs(PixelTable.PIXELS).length);
      }
      assertEquals(Map.of("colour-a", 12, "colour-a2", 12, "gray-b", 12, "unlabelled", 12), kept,
          "the colour set's images, gray ones as R = G = B");
      ImageSet set = read.validated();
      assertEquals(Map.of("a", 2L, "b", 1L), set.countsByLabel());
      assertEquals(1, set.unlabelledCount());
      assertEquals(4, set.imageCount());
      assertEquals(2, set.rejectedCount());
      List<Row> rejected = set.rejected().orderBy("origin").collectAsList();
      assertEquals("big-a", rejected.get(0).getString(0));
      assertEquals("image is 3x3, expected 2x2x3 (the model's shape)", rejected.get(0).getString(1));
      assertEquals("broken-b", rejected.get(1).getString(0));
      assertEquals("not an image", rejected.get(1).getString(1));
    }
  }

  @Test
  void theChecksAreValidationsOnTheJobsCounts() {
    try (TalliedRead read = read(DatasetSpec.of("input", "hand-made"))) {
      assertEquals(4, read.images().collectAsList().size());
      JobException e = assertThrows(JobException.class, read::validated);
      assertEquals("input hand-made: 2 of 6 images rejected (33.33%), more than the allowed 1.00%"
          + " (--max-rejected-fraction 0.01); first: big-a: image is 3x3, expected 2x2x3 (the model's shape)",
          e.getMessage());
    }
    try (TalliedRead read = read(DatasetSpec.of("input", "hand-made").withMode(ReadMode.FAILFAST))) {
      read.images().collectAsList();
      JobException e = assertThrows(JobException.class, read::validated);
      assertTrue(e.getMessage().startsWith("big-a: image is 3x3, expected 2x2x3 (the model's shape)"
          + " (--mode failfast"), e.getMessage());
    }
  }
}
