package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;
import static org.pixelsimilarity.BadInputFixtures.dataset;
import static org.pixelsimilarity.BadInputFixtures.grayPng;
import static org.pixelsimilarity.BadInputFixtures.pixels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;

/**
 * What docs/inputs.md and docs/bad-input.md promise about reading, through the command line: the IDX labels
 * flags, {@code --format} and the "cannot tell its format" error, the shape most images have and its tie-break,
 * parquet tables without a label column, with wrong origin/width types or needing {@code --shape}, and the
 * {@code spark.pixelsimilarity.maxRejectedFraction} conf that a flag overrides.
 */
class DocumentedInputsTest {
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void spark() {
    spark = SparkTestSession.get();
  }

  /** IDX images file of {@code n} 2x2 images: label 1 bright on the left column, 2 on the right. */
  private static byte[] idxImages(int n) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + 4 * n);
    b.putInt(0x803).putInt(n).putInt(2).putInt(2);
    for (int i = 0; i < n; i++) {
      int left = i % 2 == 0 ? 200 : 10;
      int right = 210 - left;
      b.put((byte) left).put((byte) right).put((byte) left).put((byte) right);
    }
    return b.array();
  }

  private static byte[] idxLabels(int n) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + n);
    b.putInt(0x801).putInt(n);
    for (int i = 0; i < n; i++) {
      b.put((byte) (i % 2 == 0 ? 1 : 2));
    }
    return b.array();
  }

  private static IdealImages load(Path model) {
    return ModelStore.load(spark, model.toString());
  }

  @Test
  void idxLabelsFilesGivenByFlag() throws IOException {
    // Names from which no labels file can be derived: without the flags each read is an error.
    Path idx = Files.createDirectories(dir.resolve("idx"));
    Path train = Files.write(idx.resolve("train-images-idx3-ubyte"), idxImages(6));
    Path trainLabels = Files.write(idx.resolve("my-train-tags.bin"), idxLabels(6));
    Path valid = Files.write(idx.resolve("valid-images-idx3-ubyte"), idxImages(4));
    Path validLabels = Files.write(idx.resolve("my-valid-tags.bin"), idxLabels(4));
    assertOneLineError(cli("train", "--train", train.toString(), "--model", dir.resolve("m-none").toString()),
        train + ": labels file not found", "--train-idx-labels");

    Path model = dir.resolve("m-idx");
    Result trained = cli("train", "--train", train.toString(), "--train-idx-labels", trainLabels.toString(),
        "--model", model.toString());
    assertEquals(0, trained.exit(), trained::toString);
    assertEquals(List.of(3L, 3L), Arrays.stream(load(model).counts()).boxed().toList());
    // Image 0 (label 1) is 200,10,200,10: the ideal "1" is exactly that, scaled.
    assertArrayEquals(new double[] {200 / 255.0, 10 / 255.0, 200 / 255.0, 10 / 255.0}, load(model).mean("1"));

    Result evaluated = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(),
        "--valid-idx-labels", validLabels.toString(), "--report", dir.resolve("r-idx").toString());
    assertEquals(0, evaluated.exit(), evaluated::toString);
    assertTrue(evaluated.out().contains("4 images, 4 scored"), evaluated.out());

    Result run = cli("run", "--train", train.toString(), "--train-idx-labels", trainLabels.toString(), "--valid",
        valid.toString(), "--valid-idx-labels", validLabels.toString(), "--report", dir.resolve("r-run").toString());
    assertEquals(0, run.exit(), run::toString);

    Path table = dir.resolve("ingested-idx");
    Result ingested = cli("ingest", "--input", valid.toString(), "--idx-labels", validLabels.toString(),
        "--output", table.toString());
    assertEquals(0, ingested.exit(), ingested::toString);
    assertEquals(List.of("1", "1", "2", "2"), spark.read().parquet(table.toString()).orderBy("label")
        .collectAsList().stream().map(r -> r.getString(0)).toList());
  }

  @Test
  void formatForcesTheReaderWhereThePathDoesNotTell() throws IOException {
    Path idx = Files.createDirectories(dir.resolve("odd-names"));
    Path images = Files.write(idx.resolve("digits.bin"), idxImages(6));
    Path labels = Files.write(idx.resolve("tags.bin"), idxLabels(6));
    assertOneLineError(cli("train", "--train", images.toString(), "--train-idx-labels", labels.toString(),
        "--model", dir.resolve("m-never").toString()), images + ": cannot tell its format", "give it with --format");
    Result r = cli("train", "--train", images.toString(), "--train-idx-labels", labels.toString(), "--format", "idx",
        "--model", dir.resolve("m-forced").toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("1", "2"), load(dir.resolve("m-forced")).labels());
    // A folder of images forced to be read as parquet is read as parquet: an error naming the path.
    Path folder = dataset(dir.resolve("as-parquet"), 2, "3", "7");
    assertOneLineError(cli("train", "--train", folder.toString(), "--format", "parquet", "--model",
        dir.resolve("m-never").toString()), folder + ": cannot read as a parquet pixel table");
    assertFalse(Files.exists(dir.resolve("m-never")));
  }

  @Test
  void theShapeMostImagesHaveWinsAndTiesGoToTheSmallerShape() throws IOException {
    // 8x8: 3 images; 4x4: 3 images; a tie, so the smaller shape (4x4) is the dataset's, the 8x8 ones rejected.
    Path tie = dataset(dir.resolve("tie"), 2, "3", "7");
    grayPng(tie.resolve("3/small-0.png"), pixels("3", 0, 4), 4);
    grayPng(tie.resolve("7/small-0.png"), pixels("7", 0, 4), 4);
    grayPng(tie.resolve("7/small-1.png"), pixels("7", 1, 4), 4);
    Files.delete(tie.resolve("7/001.png"));
    Result r = cli("train", "--train", tie.toString(), "--model", dir.resolve("m-tie").toString(),
        "--max-rejected-fraction", "0.5");
    assertEquals(0, r.exit(), r::toString);
    IdealImages m = load(dir.resolve("m-tie"));
    assertEquals(new Shape(4, 4), m.shape());
    assertEquals(List.of(1L, 2L), Arrays.stream(m.counts()).boxed().toList());
    // Same pixel count, 2x8 against 8x2: the smaller height wins the tie.
    Path flat = Files.createDirectories(dir.resolve("flat"));
    for (String label : List.of("3", "7")) {
      writeGray(flat.resolve(label + "/wide.png"), 8, 2, label.equals("3") ? 50 : 150);
      writeGray(flat.resolve(label + "/tall.png"), 2, 8, label.equals("3") ? 60 : 160);
    }
    Result f = cli("train", "--train", flat.toString(), "--model", dir.resolve("m-flat").toString(),
        "--max-rejected-fraction", "0.5");
    assertEquals(0, f.exit(), f::toString);
    assertEquals(new Shape(2, 8), load(dir.resolve("m-flat")).shape());
    assertEquals(50 / 255.0, load(dir.resolve("m-flat")).mean("3")[0]);
    // No tie: the 8x8 majority wins over a smaller shape.
    Path most = dataset(dir.resolve("most"), 3, "3", "7");
    grayPng(most.resolve("3/small.png"), pixels("3", 0, 4), 4);
    Result mo = cli("train", "--train", most.toString(), "--model", dir.resolve("m-most").toString(),
        "--max-rejected-fraction", "0.5");
    assertEquals(0, mo.exit(), mo::toString);
    assertEquals(new Shape(8, 8), load(dir.resolve("m-most")).shape());
  }

  /** A {@code width x height} 8-bit gray PNG of one value. */
  private static void writeGray(Path file, int width, int height, int value) throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    int[] px = new int[width * height];
    Arrays.fill(px, value);
    img.getRaster().setPixels(0, 0, width, height, px);
    Files.createDirectories(file.getParent());
    javax.imageio.ImageIO.write(img, "png", file.toFile());
  }

  private static Path table(String name, List<Row> rows, StructType schema) {
    Path p = dir.resolve(name);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(p.toString());
    return p;
  }

  @Test
  void parquetTablesWithMissingOrMistypedColumns() {
    Path noLabel = table("no-label", List.of(RowFactory.create(new byte[4], "o")), new StructType()
        .add("pixels", DataTypes.BinaryType).add("origin", DataTypes.StringType));
    assertOneLineError(cli("train", "--train", noLabel.toString(), "--model", dir.resolve("m-never").toString()),
        noLabel + ": no column label (a pixel table has label string, pixels binary, origin string; columns"
            + " found: pixels, origin)");
    Path intOrigin = table("int-origin", List.of(RowFactory.create("a", new byte[4], 7)), new StructType()
        .add("label", DataTypes.StringType).add("pixels", DataTypes.BinaryType).add("origin", DataTypes.IntegerType));
    assertOneLineError(cli("train", "--train", intOrigin.toString(), "--model", dir.resolve("m-never").toString()),
        intOrigin + ": column origin is int, expected string");
    Path textWidth = table("text-width", List.of(RowFactory.create("a", new byte[4], 2, "2")), new StructType()
        .add("label", DataTypes.StringType).add("pixels", DataTypes.BinaryType)
        .add("height", DataTypes.IntegerType).add("width", DataTypes.StringType));
    assertOneLineError(cli("train", "--train", textWidth.toString(), "--model", dir.resolve("m-never").toString()),
        textWidth + ": column width is string, expected int");
    assertFalse(Files.exists(dir.resolve("m-never")));
  }

  @Test
  void shapeFlagGivesTheShapeOfATableWithoutOne() {
    // 2x3 images, not square: only --shape says what they are. Label "a" bright in the top row.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(RowFactory.create("a", new byte[] {(byte) 200, (byte) 200, (byte) 200, 0, 0, (byte) i}));
      rows.add(RowFactory.create("b", new byte[] {0, 0, (byte) i, (byte) 200, (byte) 200, (byte) 200}));
    }
    Path t = table("two-by-three", rows, new StructType().add("label", DataTypes.StringType)
        .add("pixels", DataTypes.BinaryType));
    assertOneLineError(cli("train", "--train", t.toString(), "--model", dir.resolve("m-never").toString(),
        "--mode", "failfast"), "pixels has 6 bytes, not a square image; give the shape with --shape HxW");
    Result r = cli("train", "--train", t.toString(), "--model", dir.resolve("m-2x3").toString(), "--shape", "2x3");
    assertEquals(0, r.exit(), r::toString);
    IdealImages m = load(dir.resolve("m-2x3"));
    assertEquals(new Shape(2, 3), m.shape());
    // Last pixel of "a": (0 + 1 + 2 + 3) / (255 * 4).
    assertArrayEquals(new double[] {200 / 255.0, 200 / 255.0, 200 / 255.0, 0, 0, 6 / (255.0 * 4)}, m.mean("a"));
  }

  @Test
  void maxRejectedFractionFromTheConfAndAFlagWinsOverIt() throws IOException {
    // 1 broken file in 11: 9.09% rejected.
    Path messy = dataset(dir.resolve("messy"), 5, "3", "7");
    Files.write(messy.resolve("7/broken.png"), new byte[] {1, 2, 3});
    String conf = ReadOptions.MAX_REJECTED_KEY;
    assertOneLineError(cli("train", "--train", messy.toString(), "--model", dir.resolve("m-never").toString()),
        "1 of 11 images rejected (9.09%), more than the allowed 1.00%");
    Result byConf = cli("train", "--train", messy.toString(), "--model", dir.resolve("m-conf").toString(),
        "--conf", conf + "=0.1");
    assertEquals(0, byConf.exit(), byConf::toString);
    assertOneLineError(cli("train", "--train", messy.toString(), "--model", dir.resolve("m-never").toString(),
        "--conf", conf + "=0.5", "--max-rejected-fraction", "0.05"), "more than the allowed 5.00%");
    Result flagAllows = cli("train", "--train", messy.toString(), "--model", dir.resolve("m-flag").toString(),
        "--conf", conf + "=0", "--max-rejected-fraction", "0.1");
    assertEquals(0, flagAllows.exit(), flagAllows::toString);
    assertOneLineError(cli("train", "--train", messy.toString(), "--model", dir.resolve("m-never").toString(),
        "--conf", conf + "=lots"), "conf " + conf + "=lots: ");
    assertFalse(Files.exists(dir.resolve("m-never")));
  }
}
