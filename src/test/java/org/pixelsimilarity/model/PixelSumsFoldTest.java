package org.pixelsimilarity.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.GroupedFold;

/**
 * The fit's fold in Spark ({@link GroupedFold} with {@link PixelSumsFold}) sums bytes exactly, counts rows with null
 * pixels without summing them, keeps groups of several keys apart and gives the same sums under any partitioning.
 * Expected values are plain Java loops over the same rows. The sums without Spark are in {@link PixelSumsTest}.
 */
class PixelSumsFoldTest {
  private static final StructType SCHEMA = new StructType().add("label", DataTypes.StringType)
      .add("height", DataTypes.IntegerType).add("pixels", DataTypes.BinaryType);

  /** A plain group: rows, images and their sums. */
  private static final class Expected {
    long rows;
    long images;
    long[] sums;
  }

  @Test
  void groupSumsAreExactUnderAnyPartitioningWithNullPixelsAndMixedGroups() {
    SparkSession spark = SparkTestSession.get();
    SplittableRandom r = new SplittableRandom(3);
    List<Row> rows = new ArrayList<>();
    Map<List<Object>, Expected> expected = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      // Labels "a", "b", null and "a-long-label-of-more-than-eight-bytes"; two "heights" with images of 3 and 5
      // bytes; every 11th row has null pixels.
      String label = switch (i % 4) {
        case 0 -> "a";
        case 1 -> "b";
        case 2 -> i % 8 == 2 ? null : "a";
        default -> "a-long-label-of-more-than-eight-bytes";
      };
      int height = r.nextInt(3) == 0 ? 5 : 3;
      byte[] px = null;
      if (i % 11 != 0) {
        px = new byte[height];
        for (int p = 0; p < height; p++) {
          px[p] = (byte) r.nextInt(256);
        }
      }
      rows.add(RowFactory.create(label, height, px));
      Expected e = expected.computeIfAbsent(Arrays.asList(label, height), k -> new Expected());
      e.rows++;
      if (px != null) {
        e.images++;
        if (e.sums == null) {
          e.sums = new long[height];
        }
        for (int p = 0; p < height; p++) {
          e.sums[p] += px[p] & 0xff;
        }
      }
    }
    assertEquals(8, expected.size());
    for (int partitions : new int[] {1, 3, 16}) {
      Dataset<Row> df = spark.createDataFrame(rows, SCHEMA).repartition(partitions);
      List<GroupedFold.Group<PixelSumsFold.Sums>> groups = GroupedFold.of(df, List.of(col("label"),
          col("height")), new PixelSumsFold(col("pixels")));
      assertEquals(expected.size(), groups.size(), partitions + " partitions");
      for (GroupedFold.Group<PixelSumsFold.Sums> g : groups) {
        List<Object> key = Arrays.asList(g.key().get(0), g.key().get(1));
        Expected e = expected.get(key);
        String where = key + ", " + partitions + " partitions";
        assertEquals(e.rows, g.rows(), where);
        assertEquals(e.images, g.state().getCount(), where);
        assertArrayEquals(e.sums, g.state().getSums(), where);
      }
    }
  }

  @Test
  void pixelsOfRowsSkippedByAColumnAreCountedAsRowsOnly() {
    // The fit pass's input: when(ok, pixels), so the rows of a group that has errors count but add nothing.
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = List.of(RowFactory.create("a", 1, new byte[] {1, 2, 3}),
        RowFactory.create("a", 1, new byte[] {(byte) 255, 0, 7}), RowFactory.create("a", 0, new byte[] {9, 9, 9}),
        RowFactory.create("b", 1, new byte[] {4, 5, 6}));
    List<GroupedFold.Group<PixelSumsFold.Sums>> groups = GroupedFold.of(spark.createDataFrame(rows, SCHEMA),
        List.of(col("label")), new PixelSumsFold(when(col("height").equalTo(1), col("pixels"))));
    Map<String, GroupedFold.Group<PixelSumsFold.Sums>> byLabel = new HashMap<>();
    groups.forEach(g -> byLabel.put(g.key().getString(0), g));
    assertEquals(3, byLabel.get("a").rows());
    assertEquals(2, byLabel.get("a").state().getCount());
    assertArrayEquals(new long[] {256, 2, 10}, byLabel.get("a").state().getSums());
    assertEquals(1, byLabel.get("b").rows());
    assertArrayEquals(new long[] {4, 5, 6}, byLabel.get("b").state().getSums());
  }

  @Test
  void anEmptyDatasetHasNoGroups() {
    SparkSession spark = SparkTestSession.get();
    assertTrue(GroupedFold.of(spark.createDataFrame(List.of(), SCHEMA), List.of(col("label")),
        new PixelSumsFold(col("pixels"))).isEmpty());
  }

  @Test
  void aFinishedStateTravelsWholeWithKryoToo() {
    // Spark serializes task results with its configured serializer; Kryo ignores writeObject and the transient
    // 32-bit partial sums, so the fold settles them when a partition ends (GroupedFold calls finish).
    PixelSumsFold fold = new PixelSumsFold(col("pixels"));
    PixelSumsFold.Sums sums = fold.zero();
    sums.add(new byte[] {1, (byte) 200});
    sums.add(new byte[] {10, 20});
    fold.finish(sums);
    org.apache.spark.serializer.SerializerInstance kryo =
        new org.apache.spark.serializer.KryoSerializer(new org.apache.spark.SparkConf()).newInstance();
    scala.reflect.ClassTag<PixelSumsFold.Sums> tag = scala.reflect.ClassTag$.MODULE$.apply(PixelSumsFold.Sums.class);
    PixelSumsFold.Sums read = kryo.deserialize(kryo.serialize(sums, tag), tag);
    assertEquals(2, read.getCount());
    assertArrayEquals(new long[] {11, 220}, read.getSums());
  }

  @Test
  void addsPixelsFromUnsafeRowsInPlaceAndFromOtherRows() {
    // In an UnsafeRow the pixels lie after the fixed-length part and the label's bytes: an offset into its buffer.
    StructType schema = new StructType().add("label", DataTypes.StringType).add("pixels", DataTypes.BinaryType);
    UnsafeProjection toUnsafe = UnsafeProjection.create(schema);
    PixelSumsFold fold = new PixelSumsFold(col("pixels"));
    PixelSumsFold.Sums sums = fold.zero();
    InternalRow generic = new GenericInternalRow(new Object[] {UTF8String.fromString("seven"),
        new byte[] {1, 2, (byte) 200, 4}});
    UnsafeRow unsafe = toUnsafe.apply(generic).copy();
    assertTrue(unsafe.getBaseObject() instanceof byte[]);
    fold.add(sums, unsafe, 1);
    fold.add(sums, generic, 1);
    fold.add(sums, new GenericInternalRow(new Object[] {UTF8String.fromString("x"), null}), 1);
    fold.add(sums, toUnsafe.apply(new GenericInternalRow(new Object[] {null, new byte[] {10, 0, 0, (byte) 255}})), 1);
    assertEquals(3, sums.getCount());
    assertArrayEquals(new long[] {12, 4, 400, 263}, sums.getSums());
  }
}
