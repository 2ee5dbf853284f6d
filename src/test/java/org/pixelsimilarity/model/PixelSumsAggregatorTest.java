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

/** The fit's UDAF sums bytes exactly, skips null images and gives the same sums under any partitioning. */
class PixelSumsAggregatorTest {

  @Test
  void partialSumsAreFoldedBeforeTheyOverflow() {
    // One pixel of 255, added 2^23 + 5 times: the 32-bit partial sum would pass 2^31 without folding.
    PixelSumsAggregator.Sums s = new PixelSumsAggregator.Sums();
    byte[] image = {(byte) 255};
    long n = PixelAdd.MAX_PENDING + 5L;
    for (long i = 0; i < n; i++) {
      s.add(image);
    }
    assertEquals(n, s.getCount());
    assertArrayEquals(new long[] {255L * n}, s.getSums());
  }

  @Test
  void addMatchesAPlainLoopForOddSizes() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int pixels : new int[] {1, 9, 784, 1001}) {
      PixelSumsAggregator.Sums s = new PixelSumsAggregator.Sums();
      long[] expected = new long[pixels];
      for (int t = 0; t < 300; t++) {
        byte[] image = new byte[pixels];
        for (int i = 0; i < pixels; i++) {
          image[i] = (byte) r.nextInt(256);
          expected[i] += image[i] & 0xff;
        }
        s.add(image);
      }
      assertArrayEquals(expected, s.getSums(), pixels + " pixels");
    }
  }

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
