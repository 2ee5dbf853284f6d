package org.pixelsimilarity.model;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.SparkTestSession;

/**
 * The fit's UDAF in Spark sums bytes exactly, skips null images and gives the same sums under any partitioning.
 * The sums without Spark (folding, merging, each add implementation) are in {@link PixelSumsTest}.
 */
class PixelSumsAggregatorTest {

  @Test
  void groupSumsInSparkAreExactAndIgnoreNulls() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType().add("label", DataTypes.StringType).add("pixels", DataTypes.BinaryType);
    List<Row> rows = new ArrayList<>();
    Map<String, long[]> expected = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      String label = i % 3 == 0 ? "a" : "b";
      byte[] px = {(byte) (i % 256), (byte) (255 - i % 256), (byte) 7};
      rows.add(RowFactory.create(label, px));
      long[] e = expected.computeIfAbsent(label, k -> new long[3]);
      for (int p = 0; p < 3; p++) {
        e[p] += px[p] & 0xff;
      }
      counts.merge(label, 1L, Long::sum);
    }
    rows.add(RowFactory.create("a", null));
    for (int partitions : new int[] {1, 7}) {
      Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(partitions);
      List<Row> out = df.groupBy(col("label"))
          .agg(PixelSumsAggregator.udaf().apply(col("pixels")).as("s")).collectAsList();
      assertEquals(2, out.size());
      for (Row r : out) {
        Row s = r.getStruct(1);
        String label = r.getString(0);
        assertEquals(counts.get(label), s.getLong(s.fieldIndex("count")), label);
        List<Long> sums = s.getList(s.fieldIndex("sums"));
        assertArrayEquals(expected.get(label), sums.stream().mapToLong(Long::longValue).toArray(), label);
      }
    }
  }
}
