package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;

/**
 * {@code predict} on tiny hand-made 2x2 images against a hand-made model, in every input layout, with bad input in
 * both read modes and {@code --overwrite}.
 *
 * <p>The model: "a" = 1,0,0,0; "b" = 0.5 everywhere; "c" = 0,0,0,0.25. Distances worked out by hand:
 * <ul>
 *   <li>image 0,0,0,0: L1 to a 1/4, b 2/4, c 0.25/4 = 0.0625, so c then a; L2 to a sqrt(1/4) = 0.5, b
 *       sqrt(4 * 0.25 / 4) = 0.5, c sqrt(0.0625 / 4) = 0.125, so c then a (a and b tie; a comes first).
 *   <li>image 255,0,0,0 (= a): L1 to a 0, b 0.5, c (1 + 0.25) / 4 = 0.3125, so a then c; L2 to a 0, b 0.5,
 *       c sqrt(1.0625 / 4), so a then b.
 * </ul>
 */
class PredictCommandTest {
  private static final int[] ZERO = {0, 0, 0, 0};
  private static final int[] A = {255, 0, 0, 0};
  private static SparkSession spark;
  private static String model;

  @TempDir
  static Path shared;

  @BeforeAll
  static void model() {
    spark = SparkTestSession.get();
    IdealImages m = new IdealImages(new Shape(2, 2), List.of("a", "b", "c"), new long[] {1, 1, 1},
        new double[][] {{1, 0, 0, 0}, {0.5, 0.5, 0.5, 0.5}, {0, 0, 0, 0.25}});
    model = ModelStore.save(spark, m, shared.resolve("model").toString(), "hand-made", false, false).dir();
  }

  private static Path png(Path file, int[] px) throws IOException {
    return BadInputFixtures.grayPng(file, px, 2);
  }

  /** The output's rows by origin, read with Spark. */
  private static Map<String, Row> rows(Path out) {
    Map<String, Row> byOrigin = new java.util.TreeMap<>();
    for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
      byOrigin.put(r.getString(r.fieldIndex("origin")), r);
    }
    return byOrigin;
  }

  private static void assertZero(Row r) {
    assertEquals("c", r.getAs("l1_prediction"));
    assertEquals(0.0625, (double) r.getAs("l1_distance"));
    assertEquals("a", r.getAs("l1_runner_up"));
    assertEquals(0.25, (double) r.getAs("l1_runner_up_distance"));
    assertEquals("c", r.getAs("l2_prediction"));
    assertEquals(0.125, (double) r.getAs("l2_distance"));
    assertEquals("a", r.getAs("l2_runner_up"), "a and b tie at 0.5: the earlier label");
    assertEquals(0.5, (double) r.getAs("l2_runner_up_distance"));
  }

  private static void assertA(Row r) {
    assertEquals("a", r.getAs("l1_prediction"));
    assertEquals(0.0, (double) r.getAs("l1_distance"));
    assertEquals("c", r.getAs("l1_runner_up"));
    assertEquals(0.3125, (double) r.getAs("l1_runner_up_distance"));
    assertEquals("a", r.getAs("l2_prediction"));
    assertEquals(0.0, (double) r.getAs("l2_distance"));
    assertEquals("b", r.getAs("l2_runner_up"));
    assertEquals(0.5, (double) r.getAs("l2_runner_up_distance"));
  }

  @Test
  void folderTreeOfUnlabelledImages(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    Path zero = png(in.resolve("2026-11-30/zero.png"), ZERO);
    Path a = png(in.resolve("2026-11-30/batch 2/a.png"), A);
    Path top = png(in.resolve("top.png"), ZERO);
    Files.writeString(in.resolve(".DS_Store"), "not data");
    Path out = tmp.resolve("out");
    BadInputFixtures.Result r = cli("predict", "--model", model, "--input", in.toString(), "--output",
        out.toString(), "--run-id", "p1");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("input  " + in + ": 3 images, 0 rejected"), r.out());
    assertTrue(r.out().contains("predicted by L1: a: 1, c: 2"), r.out());
    assertTrue(r.out().contains("predicted by L2: a: 1, c: 2"), r.out());
    assertTrue(r.out().contains("skipped 1 hidden file(s)/folder(s): .DS_Store"), r.out());
    Map<String, Row> rows = rows(out);
    assertEquals(3, rows.size());
    assertZero(rows.get("file:" + zero));
    assertZero(rows.get("file:" + top));
    Row ra = rows.get("file:" + a);
    assertA(ra);
    assertNull(ra.getAs("label"));
    assertEquals("p1", ra.getAs("run_id"));
    assertEquals(ModelStore.load(spark, model).id(), ra.getAs("model_id"));
    try (var left = Files.list(tmp)) {
      assertEquals(List.of("in", "out"), left.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary folder is left beside the output");
    }
  }

  @Test
  void labelFoldersAreCarriedAlong(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    png(in.resolve("c/1.png"), ZERO);
    png(in.resolve("a/1.png"), A);
    Path out = tmp.resolve("out");
    BadInputFixtures.Result r = cli("predict", "--model", model, "--input", in.toString(), "--output",
        out.toString(), "--label-folders", "--metric", "l1");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("labels of their own: a: 1, c: 1"), r.out());
    List<Row> rows = spark.read().parquet(out.toString()).orderBy("label").collectAsList();
    assertEquals(List.of("origin", "label", "l1_prediction", "l1_distance", "l1_runner_up", "l1_runner_up_distance",
        "run_id", "model_id"), List.of(rows.get(0).schema().fieldNames()), "only the metric asked");
    assertEquals("a", rows.get(0).getAs("label"));
    assertEquals("a", rows.get(0).getAs("l1_prediction"));
    assertEquals("c", rows.get(1).getAs("label"));
    assertEquals("c", rows.get(1).getAs("l1_prediction"));
  }

  /** An IDX images file of the given images (2x2), and its labels file when {@code labels} is not null. */
  private static Path idx(Path dir, int[][] images, int[] labels) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("new-images-idx3-ubyte");
    try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(file))) {
      o.writeInt(0x803);
      o.writeInt(images.length);
      o.writeInt(2);
      o.writeInt(2);
      for (int[] im : images) {
        for (int v : im) {
          o.writeByte(v);
        }
      }
    }
    if (labels != null) {
      try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(dir.resolve("new-labels-idx1-ubyte")))) {
        o.writeInt(0x801);
        o.writeInt(labels.length);
        for (int v : labels) {
          o.writeByte(v);
        }
      }
    }
    return file;
  }

  @Test
  void idxWithoutAndWithLabels(@TempDir Path tmp) throws IOException {
    Path file = idx(tmp.resolve("bare"), new int[][] {A, ZERO}, null);
    Path out = tmp.resolve("out");
    BadInputFixtures.Result r = cli("predict", "--model", model, "--input", file.toString(), "--output",
        out.toString());
    assertEquals(0, r.exit(), r::toString);
    Map<String, Row> rows = rows(out);
    assertEquals(List.of("file:" + file + "#0", "file:" + file + "#1"), new ArrayList<>(rows.keySet()));
    assertA(rows.get("file:" + file + "#0"));
    assertZero(rows.get("file:" + file + "#1"));
    assertNull(rows.get("file:" + file + "#0").getAs("label"));

    Path labelled = idx(tmp.resolve("labelled"), new int[][] {A, ZERO}, new int[] {7, 3});
    Path out2 = tmp.resolve("out2");
    r = cli("predict", "--model", model, "--input", labelled.toString(), "--output", out2.toString());
    assertEquals(0, r.exit(), r::toString);
    rows = rows(out2);
    assertEquals("7", rows.get("file:" + labelled + "#0").getAs("label"));
    assertEquals("3", rows.get("file:" + labelled + "#1").getAs("label"));
    assertA(rows.get("file:" + labelled + "#0"));
  }

  @Test
  void parquetWithoutLabelColumn(@TempDir Path tmp) {
    StructType schema = new StructType().add("pixels", DataTypes.BinaryType, true)
        .add("origin", DataTypes.StringType, true);
    List<Row> data = List.of(RowFactory.create(new byte[] {(byte) 255, 0, 0, 0}, "cam1/a"),
        RowFactory.create(new byte[4], "cam1/zero"));
    String table = tmp.resolve("table").toString();
    spark.createDataFrame(data, schema).coalesce(1).write().parquet(table);
    Path out = tmp.resolve("out");
    BadInputFixtures.Result r = cli("predict", "--model", model, "--input", table, "--output", out.toString());
    assertEquals(0, r.exit(), r::toString);
    Map<String, Row> rows = rows(out);
    assertA(rows.get("cam1/a"));
    assertZero(rows.get("cam1/zero"));
    assertNull(rows.get("cam1/a").getAs("label"));
  }

  @Test
  void badImagesInBothModes(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    png(in.resolve("good1.png"), ZERO);
    png(in.resolve("good2.png"), A);
    png(in.resolve("good3.png"), A);
    Path corrupt = in.resolve("broken.png");
    Files.writeString(corrupt, "not an image at all");
    Path big = BadInputFixtures.grayPng(in.resolve("big.png"), new int[9], 3);
    Path out = tmp.resolve("out");
    assertOneLineError(cli("predict", "--model", model, "--input", in.toString(), "--output", out.toString(),
        "--mode", "failfast"), big.toString(), "image is 3x3, expected 2x2 (the model's shape)", "--mode failfast");
    assertFalse(Files.exists(out), "a failed run writes no output");
    assertOneLineError(cli("predict", "--model", model, "--input", in.toString(), "--output", out.toString()),
        "2 of 5 images rejected (40.00%), more than the allowed 1.00%");
    assertFalse(Files.exists(out));

    BadInputFixtures.Result r = cli("predict", "--model", model, "--input", in.toString(), "--output",
        out.toString(), "--max-rejected-fraction", "0.5");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains(": 3 images, 2 rejected (listed in file:" + out + "/_rejected)"), r.out());
    assertEquals(3, rows(out).size(), "the rejected list is not part of the table");
    List<Row> rejected = spark.read().parquet(out.resolve("_rejected").toString()).orderBy("origin")
        .collectAsList();
    assertEquals(2, rejected.size());
    assertEquals("file:" + big, rejected.get(0).getString(0));
    assertTrue(rejected.get(0).getString(1).contains("image is 3x3, expected 2x2"), rejected.get(0).getString(1));
    assertEquals("file:" + corrupt, rejected.get(1).getString(0));
    assertTrue(rejected.get(1).getString(1).startsWith("not an image"), rejected.get(1).getString(1));
  }

  /** What {@code tmp} holds besides {@code in}: the output and anything a writer left beside it. */
  private static List<String> besideInput(Path tmp) throws IOException {
    try (var left = Files.list(tmp)) {
      return left.map(p -> p.getFileName().toString()).filter(n -> !n.equals("in")).sorted().toList();
    }
  }

  /**
   * Bad input that the scan which ranks and writes finds (a whole-file error; a parquet data file that breaks
   * mid-scan): the one line a validation scan gives, and neither the output nor a hidden folder beside it.
   */
  @Test
  void badInputFoundWhileRankingLeavesNothing(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    png(in.resolve("zero.png"), ZERO);
    Path colour = BadInputFixtures.colourPng(in.resolve("colour.png"), new int[] {0xFFC83214, 0xFF000000,
        0xFF000000, 0xFF000000}, 2, false);
    Path out = tmp.resolve("out");
    assertOneLineError(cli("predict", "--model", model, "--input", in.toString(), "--output", out.toString(),
        "--max-rejected-fraction", "0.9"), "file:" + colour + ": image is 2x2x3 (colour), the model's shape is 2x2"
        + " (gray); --channels 1 converts colour images to gray");
    assertEquals(List.of(), besideInput(tmp), "nothing written");

    StructType schema = new StructType().add("pixels", DataTypes.BinaryType, true)
        .add("origin", DataTypes.StringType, true);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      data.add(RowFactory.create(new byte[4], "row" + i));
    }
    Path table = in.resolve("table");
    spark.createDataFrame(data, schema).repartition(2).write().parquet(table.toString());
    List<Path> parts;
    try (var files = Files.list(table)) {
      parts = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    Path cut = parts.get(1);
    byte[] bytes = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Files.deleteIfExists(cut.resolveSibling("." + cut.getFileName() + ".crc"));
    assertOneLineError(cli("predict", "--model", model, "--input", table.toString(), "--output", out.toString()),
        "file:" + cut + ": corrupt or unreadable parquet data file: ");
    assertEquals(List.of(), besideInput(tmp), "nothing written");
  }

  @Test
  void existingOutputIsKeptUnlessOverwrite(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    png(in.resolve("zero.png"), ZERO);
    Path out = tmp.resolve("out");
    assertEquals(0, cli("predict", "--model", model, "--input", in.toString(), "--output", out.toString(),
        "--run-id", "first").exit());
    Map<String, String> before = BadInputFixtures.snapshot(out);
    assertOneLineError(cli("predict", "--model", model, "--input", in.toString(), "--output", out.toString(),
        "--run-id", "second"), out + ": already exists; pass --overwrite to replace it");
    assertEquals(before, BadInputFixtures.snapshot(out), "the existing output is untouched");
    BadInputFixtures.Result r = cli("predict", "--model", model, "--input", in.toString(), "--output",
        out.toString(), "--run-id", "second", "--overwrite");
    assertEquals(0, r.exit(), r::toString);
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(1, rows.size());
    assertEquals("second", rows.get(0).getAs("run_id"));
  }

  /**
   * The way of stores without atomic rename, forced on this disk: the table is written in place (nothing hidden
   * beside it), marked complete last, and replaced with --overwrite the same way.
   */
  @Test
  void withoutRenamesTheTableIsWrittenInPlaceAndMarkedLast(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in");
    png(in.resolve("zero.png"), ZERO);
    java.nio.file.Files.write(in.resolve("bad.png"), new byte[] {1, 2, 3});
    Path out = tmp.resolve("o/out");
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.set(org.pixelsimilarity.io.Store.COMMIT_KEY, "marker");
    try {
      for (String id : new String[] {"first", "second"}) {
        BadInputFixtures.Result r = cli("predict", "--model", model, "--input", in.toString(), "--output",
            out.toString(), "--run-id", id, "--overwrite", "--max-rejected-fraction", "0.6");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(java.nio.file.Files.exists(out.resolve(org.pixelsimilarity.io.FolderOutput.COMMITTED)));
        assertFalse(java.nio.file.Files.exists(out.resolve(org.pixelsimilarity.io.FolderOutput.PENDING)));
        try (java.util.stream.Stream<Path> beside = java.nio.file.Files.list(tmp.resolve("o"))) {
          assertEquals(List.of("out"), beside.map(p -> p.getFileName().toString()).toList());
        }
        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(1, rows.size());
        assertEquals(id, rows.get(0).getAs("run_id"));
        assertEquals(1, spark.read().parquet(out.resolve("_rejected").toString()).count());
      }
    } finally {
      conf.unset(org.pixelsimilarity.io.Store.COMMIT_KEY);
    }
  }

  @Test
  void usage() {
    BadInputFixtures.Result help = cli("predict", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("--label-folders") && help.out().contains("--mode"), help.out());
    BadInputFixtures.Result labels = cli("predict", "--model", "m", "--input", "i", "--output", "o", "--labels",
        "3,7");
    assertEquals(2, labels.exit());
    assertTrue(labels.err().contains("--labels does not apply to predict"), labels.err());
    assertEquals(2, cli("predict", "--model", "m", "--input", "i").exit(), "--output is required");
  }
}
