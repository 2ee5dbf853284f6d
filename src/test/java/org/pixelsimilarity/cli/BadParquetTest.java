package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkTestSession;

/** Parquet pixel tables with a missing column, null or short pixels, columns of the wrong type. */
class BadParquetTest {
  static final StructType TABLE = new StructType()
      .add("label", DataTypes.StringType)
      .add("pixels", DataTypes.BinaryType)
      .add("origin", DataTypes.StringType)
      .add("height", DataTypes.IntegerType)
      .add("width", DataTypes.IntegerType);

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void spark() {
    spark = SparkTestSession.get();
  }

  /** 2x2 images: label "a" bright on top, "b" bright below. */
  static byte[] pixels(String label, int i) {
    int top = label.equals("a") ? 200 : 10;
    int bottom = 210 - top;
    return new byte[] {(byte) (top + i), (byte) (top + i), (byte) (bottom + i), (byte) (bottom + i)};
  }

  static List<Row> goodRows(int perLabel) {
    List<Row> rows = new ArrayList<>();
    for (String l : new String[] {"a", "b"}) {
      for (int i = 0; i < perLabel; i++) {
        rows.add(RowFactory.create(l, pixels(l, i), l + "-" + i, 2, 2));
      }
    }
    return rows;
  }

  static Path table(String name, List<Row> rows, StructType schema) {
    Path p = dir.resolve(name);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(p.toString());
    return p;
  }

  static void refused(Path table, String... parts) {
    Path model = dir.resolve("never");
    assertOneLineError(cli("train", "--train", table.toString(), "--model", model.toString()), parts);
    assertFalse(Files.exists(model));
  }

  @Test
  void missingPixelsColumn() {
    Path t = table("no-pixels", List.of(RowFactory.create("a", "x")), new StructType()
        .add("label", DataTypes.StringType).add("data", DataTypes.StringType));
    refused(t, "error: " + t + ": no column pixels (a pixel table has label string, pixels binary, origin string;"
        + " columns found: label, data)");
  }

  @Test
  void wrongColumnTypes() {
    Path pixelsAsText = table("pixels-string", List.of(RowFactory.create("a", "0,1,2,3")), new StructType()
        .add("label", DataTypes.StringType).add("pixels", DataTypes.StringType));
    refused(pixelsAsText, pixelsAsText + ": column pixels is string, expected binary");
    Path labelAsDouble = table("label-double", List.of(RowFactory.create(1.5, new byte[4])), new StructType()
        .add("label", DataTypes.DoubleType).add("pixels", DataTypes.BinaryType));
    refused(labelAsDouble, labelAsDouble + ": column label is double, expected string");
    Path heightAsText = table("height-string", List.of(RowFactory.create("a", new byte[4], "2", "2")),
        new StructType().add("label", DataTypes.StringType).add("pixels", DataTypes.BinaryType)
            .add("height", DataTypes.StringType).add("width", DataTypes.StringType));
    refused(heightAsText, heightAsText + ": column height is string, expected int");
  }

  @Test
  void nullAndShortPixelsAreRejectedOrStopTheJob() throws Exception {
    List<Row> rows = goodRows(8);
    rows.add(RowFactory.create("a", null, "null-pixels", 2, 2));
    rows.add(RowFactory.create("b", new byte[] {1, 2, 3}, "short-pixels", 2, 2));
    rows.add(RowFactory.create(null, pixels("a", 9), "null-label", 2, 2));
    Path t = table("holes", rows, TABLE);

    Path model = dir.resolve("never");
    assertOneLineError(cli("train", "--train", t.toString(), "--model", model.toString(), "--mode", "failfast"),
        "error: null-label: label is null");
    assertOneLineError(cli("train", "--train", t.toString(), "--model", model.toString()),
        "train " + t + ": 3 of 19 images rejected (15.79%), more than the allowed 1.00%");
    assertFalse(Files.exists(model));

    // ingest sets them aside in <output>/_rejected; the table itself holds the 16 good images.
    Path out = dir.resolve("ingested");
    Result r = cli("ingest", "--input", t.toString(), "--output", out.toString(), "--max-rejected-fraction", "0.2");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("16 images of 2x2, 3 rejected (listed in " + out + "/_rejected)"), r.out());
    List<String> rejected = new ArrayList<>();
    for (Row x : spark.read().parquet(out.resolve("_rejected").toString()).orderBy("origin").collectAsList()) {
      rejected.add(x.getString(0) + ": " + x.getString(1));
    }
    assertEquals(List.of("null-label: label is null", "null-pixels: pixels is null",
        "short-pixels: pixels has 3 bytes, expected 2x2 = 4"), rejected);
    assertEquals(16, spark.read().parquet(out.toString()).count());
    assertOneLineError(cli("ingest", "--input", t.toString(), "--output", out.toString(), "--max-rejected-fraction",
        "0.2"), out + ": already exists; pass --overwrite to replace it");
  }

  @Test
  void withoutShapeColumnsPixelsMustMakeASquare() {
    List<Row> rows = new ArrayList<>();
    for (Row g : goodRows(10)) {
      rows.add(RowFactory.create(g.get(0), g.get(1)));
    }
    rows.add(RowFactory.create("a", new byte[5]));
    Path t = table("no-shape", rows, new StructType().add("label", DataTypes.StringType)
        .add("pixels", DataTypes.BinaryType));
    Result r = cli("train", "--train", t.toString(), "--model", dir.resolve("m-no-shape").toString(), "--mode",
        "failfast");
    // Without an origin column, the origin is the parquet file and the row's position.
    assertOneLineError(r, t + "/part-", ".parquet#", ": pixels has 5 bytes, not a square image; give the shape"
        + " with --shape HxW");
  }

  /**
   * A data file that the driver never opens (the schema comes from another file's footer) and that breaks only
   * when an executor scans it: a cut file (no footer) and a file whose first page header is overwritten. Both
   * must end as the one line naming that file, like every other bad input.
   */
  @Test
  void corruptDataFileFoundMidScanIsOneLineNamingTheFile() throws Exception {
    for (String damage : new String[] {"cut", "page-header"}) {
      Path t = dir.resolve("corrupt-" + damage);
      spark.createDataFrame(goodRows(40), TABLE).repartition(2).write().parquet(t.toString());
      List<Path> parts;
      try (var s = Files.list(t)) {
        parts = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
      }
      assertEquals(2, parts.size());
      Path bad = parts.get(1);
      byte[] bytes = Files.readAllBytes(bad);
      if (damage.equals("cut")) {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
      } else {
        java.util.Arrays.fill(bytes, 4, 24, (byte) 0xff); // the first page header follows the 4-byte magic "PAR1"
      }
      Files.write(bad, bytes);
      // Spark skips files starting with '.' or '_' and would otherwise check a .crc file beside it.
      Files.deleteIfExists(bad.resolveSibling("." + bad.getFileName() + ".crc"));
      refused(t, "error: file:" + bad + ": corrupt or unreadable parquet data file: ");
    }
  }
}
