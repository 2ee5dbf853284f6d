package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.requests.IngestRequest;

/** Parquet pixel tables: what ingest writes reads back to the same pixels per origin. */
class ParquetPixelReaderTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  private static Map<String, Row> byOrigin(ImageSet set) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : set.images().collectAsList()) {
      out.put(r.getString(2), r);
    }
    return out;
  }

  @Test
  void ingestedFolderReadsBackIdentically(@TempDir Path tmp) {
    String folder = SparkTestSession.repo().resolve("data/mnist_sample/valid").toString();
    String table = tmp.resolve("valid.parquet-table").toString();
    Pipeline.Ingested ingested = Pipeline.ingest(SPARK, new IngestRequest(DatasetSpec.of("input", folder), table,
        false));
    assertEquals(207 + 214, ingested.input().images());
    assertEquals("28x28", ingested.shape());
    assertEquals(List.of("label", "pixels", "origin", "height", "width"),
        List.of(SPARK.read().parquet(table).schema().fieldNames()));

    try (ImageSet fromFolder = ImageSets.read(SPARK, DatasetSpec.of("valid", folder), null);
        ImageSet fromTable = ImageSets.read(SPARK, DatasetSpec.of("valid", table), null)) {
      assertEquals(InputFormat.PARQUET, fromTable.format());
      assertEquals(new Shape(28, 28), fromTable.shape());
      assertEquals(fromFolder.countsByLabel(), fromTable.countsByLabel());
      Map<String, Row> expected = byOrigin(fromFolder);
      Map<String, Row> actual = byOrigin(fromTable);
      assertEquals(421, expected.size());
      assertEquals(expected.keySet(), actual.keySet());
      for (Map.Entry<String, Row> e : expected.entrySet()) {
        Row got = actual.get(e.getKey());
        assertEquals(e.getValue().getString(0), got.getString(0), e.getKey());
        assertArrayEquals((byte[]) e.getValue().get(1), (byte[]) got.get(1), e.getKey());
      }
    }
  }

  /** The one parquet data file Spark wrote into {@code dir}. */
  private static String dataFile(Path dir) {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
      List<String> parts = s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("part-") && n.endsWith(".parquet")).toList();
      assertEquals(1, parts.size(), parts::toString);
      return parts.get(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void integerLabelsAndNoShapeColumns(@TempDir Path tmp) {
    // A table made elsewhere: label int, pixels of 4 bytes (a 2x2 square), no origin, no height/width.
    StructType schema = new StructType().add("label", DataTypes.IntegerType).add("pixels", DataTypes.BinaryType);
    List<Row> rows = List.of(RowFactory.create(3, new byte[] {1, 2, 3, 4}),
        RowFactory.create(10, new byte[] {5, 6, 7, (byte) 200}));
    String table = tmp.resolve("t").toString();
    SPARK.createDataFrame(rows, schema).coalesce(1).write().parquet(table);
    try (ImageSet set = ImageSets.read(SPARK, DatasetSpec.of("train", table), null)) {
      assertEquals(new Shape(2, 2), set.shape());
      assertEquals(List.of("3", "10"), List.copyOf(set.countsByLabel().keySet()));
      Map<String, byte[]> byLabel = new HashMap<>();
      Map<String, String> origins = new HashMap<>();
      for (Row r : set.images().collectAsList()) {
        byLabel.put(r.getString(0), (byte[]) r.get(1));
        origins.put(r.getString(0), r.getString(2));
      }
      assertArrayEquals(new byte[] {5, 6, 7, (byte) 200}, byLabel.get("10"));
      // No origin column: the data file's URI and the row's index in that file, from 0.
      String part = dataFile(tmp.resolve("t"));
      assertTrue(origins.get("3").startsWith("file:") && origins.get("3").endsWith("/t/" + part + "#0"),
          origins::toString);
      assertTrue(origins.get("10").endsWith("/t/" + part + "#1"), origins::toString);
    }
  }

  @Test
  void footersTellWhetherTheOriginMayBeNull(@TempDir Path tmp) {
    StructType nullable = new StructType().add("origin", DataTypes.StringType, true);
    StructType required = new StructType().add("origin", DataTypes.StringType, false);
    StructType other = new StructType().add("label", DataTypes.StringType, true);
    write(tmp.resolve("full"), nullable, RowFactory.create("a.png"), RowFactory.create("b.png"));
    write(tmp.resolve("holed"), nullable, RowFactory.create("a.png"), RowFactory.create((Object) null));
    write(tmp.resolve("required"), required, RowFactory.create("a.png"));
    write(tmp.resolve("without"), other, RowFactory.create("x"));
    assertFalse(mayHoldNull(tmp, "full"), "optional column, null count 0 in every row group");
    assertTrue(mayHoldNull(tmp, "holed"), "a null in the statistics");
    assertFalse(mayHoldNull(tmp, "required"), "a required column holds no null");
    assertTrue(mayHoldNull(tmp, "without"), "a file without the column: all null there");
    assertTrue(mayHoldNull(tmp, "full", "holed"), "one file with a null is enough");
    assertTrue(ParquetPixelReader.mayHoldNull(SPARK, new String[] {tmp.resolve("nothing.parquet").toUri().toString()},
        "origin"), "an unreadable footer: assume nulls, the scan reports the file");
    // Ends like a parquet file, but its footer length points before the file's start.
    byte[] bogus = "PAR1 four bytes of a footer that is not there \u0000\u0000\u0001\u0000PAR1"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Path junk = tmp.resolve("junk.parquet");
    try {
      java.nio.file.Files.write(junk, bogus);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertTrue(ParquetPixelReader.mayHoldNull(SPARK, new String[] {junk.toUri().toString()}, "origin"),
        "a footer length beyond the file: assume nulls");
  }

  private static void write(Path dir, StructType schema, Row... rows) {
    SPARK.createDataFrame(List.of(rows), schema).coalesce(1).write().parquet(dir.toString());
  }

  private static boolean mayHoldNull(Path tmp, String... tables) {
    List<String> files = new java.util.ArrayList<>();
    for (String t : tables) {
      files.add(tmp.resolve(t).resolve(dataFile(tmp.resolve(t))).toUri().toString());
    }
    return ParquetPixelReader.mayHoldNull(SPARK, files.toArray(new String[0]), "origin");
  }

  @Test
  void aNullOriginFallsBackToTheFileAndRowIndex(@TempDir Path tmp) {
    StructType schema = new StructType().add("label", DataTypes.StringType).add("pixels", DataTypes.BinaryType)
        .add("origin", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create("a", new byte[] {1}, "kept.png"),
        RowFactory.create("b", new byte[] {2}, null), RowFactory.create("c", new byte[] {3}, "also.png"));
    String table = tmp.resolve("t").toString();
    SPARK.createDataFrame(rows, schema).coalesce(1).write().parquet(table);
    try (ImageSet set = ImageSets.read(SPARK, DatasetSpec.of("train", table), null)) {
      Map<String, String> origins = new HashMap<>();
      for (Row r : set.images().collectAsList()) {
        origins.put(r.getString(0), r.getString(2));
      }
      assertEquals("kept.png", origins.get("a"));
      assertTrue(origins.get("b").endsWith("/t/" + dataFile(tmp.resolve("t")) + "#1"), origins::toString);
      assertEquals("also.png", origins.get("c"));
    }
  }
}
