package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.model.IdealImages;

/**
 * Colour datasets end to end through the readers and validation: 2x2 PNGs written byte by byte ({@link TestPng}),
 * gray and colour mixed, read with {@code --channels auto}, 1 and 3, against a model's shape, from parquet with a
 * {@code channels} column, and fitted. Every expected value is worked out here by hand.
 */
class ColourDatasetTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  // Label a: one colour image and one gray one; label b: two colour images. Pixels row-major (R, G, B).
  private static final int[] A1 = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30};
  private static final int[] A2_GRAY = {0, 128, 255, 7};
  private static final int[] B1 = {0, 0, 250, 0, 52, 184, 2, 0, 0, 100, 100, 100};
  private static final int[] B2 = {20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240};

  @TempDir
  static Path root;

  @BeforeAll
  static void writeImages() throws IOException {
    write("mixed/a/a1.png", 2, A1);
    write("mixed/a/a2.png", 0, A2_GRAY);
    write("mixed/b/b1.png", 2, B1);
    write("mixed/b/b2.png", 2, B2);
    write("gray/a/a2.png", 0, A2_GRAY);
    write("gray/b/b.png", 0, new int[] {1, 2, 3, 4});
  }

  private static void write(String name, int colourType, int[] samples) throws IOException {
    Path f = root.resolve(name);
    Files.createDirectories(f.getParent());
    TestPng png = new TestPng(2, 2, colourType, samples);
    png.filters = new int[] {1, 4};
    Files.write(f, png.bytes());
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  /** Pixels by file name. */
  private static Map<String, byte[]> byName(ImageSet set) {
    Map<String, byte[]> out = new HashMap<>();
    for (Row r : set.images().collectAsList()) {
      String origin = r.getString(2);
      out.put(origin.substring(origin.lastIndexOf('/') + 1), (byte[]) r.get(1));
    }
    return out;
  }

  private static DatasetSpec mixed() {
    return DatasetSpec.of("train", root.resolve("mixed").toString()).withMode(ReadMode.FAILFAST);
  }

  @Test
  void autoReadsColourWhenAnyImageHasItAndExpandsTheGrayOnes() {
    try (ImageSet set = ImageSets.read(SPARK, mixed(), null)) {
      assertEquals(new Shape(2, 2, 3), set.shape());
      assertEquals(Map.of("a", 2L, "b", 2L), set.countsByLabel());
      Map<String, byte[]> images = byName(set);
      assertArrayEquals(bytes(A1), images.get("a1.png"));
      assertArrayEquals(bytes(0, 0, 0, 128, 128, 128, 255, 255, 255, 7, 7, 7), images.get("a2.png"));
      assertArrayEquals(bytes(B2), images.get("b2.png"));
    }
  }

  @Test
  void channelsOneConvertsColourAsPilsConvertL() {
    // L = (19595 R + 38470 G + 7471 B + 32768) >> 16, pixel by pixel (ChannelsTest works the first ones out):
    // a1: 76, 150, 29, 124. b1: 28 (0.114 * 250 = 28.5 in decimal weights, 28 in PIL's), 52 (an exact half, up),
    // 1, 100. b2: (20,40,60): 391,900 + 1,538,800 + 448,260 + 32,768 = 2,411,728, / 65536 = 36.8 -> 36;
    // (80,100,120): 1,567,600 + 3,847,000 + 896,520 + 32,768 = 6,343,888 -> 96.8 -> 96;
    // (140,160,180): 2,743,300 + 6,155,200 + 1,344,780 + 32,768 = 10,276,048 -> 156.8 -> 156;
    // (200,220,240): 3,919,000 + 8,463,400 + 1,793,040 + 32,768 = 14,208,208 -> 216.8 -> 216.
    try (ImageSet set = ImageSets.read(SPARK, mixed().withChannels(Channels.GRAY), null)) {
      assertEquals(new Shape(2, 2), set.shape());
      Map<String, byte[]> images = byName(set);
      assertArrayEquals(bytes(76, 150, 29, 124), images.get("a1.png"));
      assertArrayEquals(bytes(A2_GRAY), images.get("a2.png"));
      assertArrayEquals(bytes(28, 52, 1, 100), images.get("b1.png"));
      assertArrayEquals(bytes(36, 96, 156, 216), images.get("b2.png"));
    }
  }

  @Test
  void aGrayFolderIsGrayInAutoAndColourWithChannelsThree() {
    DatasetSpec gray = DatasetSpec.of("train", root.resolve("gray").toString());
    try (ImageSet set = ImageSets.read(SPARK, gray, null)) {
      assertEquals(new Shape(2, 2), set.shape());
      assertArrayEquals(bytes(A2_GRAY), byName(set).get("a2.png"));
    }
    try (ImageSet set = ImageSets.read(SPARK, gray.withChannels(Channels.COLOUR), null)) {
      assertEquals(new Shape(2, 2, 3), set.shape());
      assertArrayEquals(bytes(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4), byName(set).get("b.png"));
    }
  }

  @Test
  void againstAModelGrayExpandsForColourAndColourIsRefusedForGray() {
    DatasetSpec gray = DatasetSpec.of("valid", root.resolve("gray").toString());
    try (ImageSet set = ImageSets.read(SPARK, gray, new Shape(2, 2, 3))) {
      assertEquals(new Shape(2, 2, 3), set.shape());
      assertEquals(2, set.imageCount());
      assertArrayEquals(bytes(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4), byName(set).get("b.png"));
    }
    JobException e = assertThrows(JobException.class, () -> ImageSets.read(SPARK, mixed(), new Shape(2, 2)));
    assertTrue(e.getMessage().matches(".*/mixed/[ab]/[ab][12]\\.png: image is 2x2x3 \\(colour\\), the model's shape"
        + " is 2x2 \\(gray\\); --channels 1 converts colour images to gray \\(as PIL's convert\\(\"L\"\\)\\)"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    // --channels 1 against the gray model: converted, scored.
    try (ImageSet set = ImageSets.read(SPARK, mixed().withChannels(Channels.GRAY), new Shape(2, 2))) {
      assertEquals(4, set.imageCount());
    }
    JobException flag = assertThrows(JobException.class,
        () -> ImageSets.read(SPARK, gray.withChannels(Channels.COLOUR), new Shape(2, 2)));
    assertEquals(root.resolve("gray") + ": --channels 3 reads colour images, the model's are 2x2 (gray); leave out"
        + " --channels to read them as the model's", flag.getMessage());
  }

  @Test
  void theFitIsThePerChannelMeanWithGrayImagesAsREqualsGEqualsB() {
    // Label a = a1 and a2 (gray 0, 128, 255, 7 as R = G = B): sums per value, then / (255 * 2 images) = / 510.
    // pixel 0: (255+0, 0+0, 0+0) = (255, 0, 0); pixel 1: (0+128, 255+128, 0+128) = (128, 383, 128);
    // pixel 2: (0+255, 0+255, 255+255) = (255, 255, 510); pixel 3: (10+7, 200+7, 30+7) = (17, 207, 37).
    // Label b = b1 + b2: (20, 40, 310), (80, 152, 304), (142, 160, 180), (300, 320, 340).
    long[] sumsA = {255, 0, 0, 128, 383, 128, 255, 255, 510, 17, 207, 37};
    long[] sumsB = {20, 40, 310, 80, 152, 304, 142, 160, 180, 300, 320, 340};
    try (Scanned<org.pixelsimilarity.model.PixelSums> scanned = ImageSets.read(SPARK, mixed(), null,
        IdealImages.fitPass())) {
      ImageSet set = scanned.set();
      IdealImages model = IdealImages.fit(scanned);
      assertEquals(new Shape(2, 2, 3), model.shape());
      assertEquals(List.of("a", "b"), model.labels());
      for (int i = 0; i < 12; i++) {
        assertEquals(sumsA[i] / 510.0, model.mean("a")[i], "a " + i);
        assertEquals(sumsB[i] / 510.0, model.mean("b")[i], "b " + i);
      }
      // The same model from the expanded images themselves.
      assertEquals(model, IdealImages.fit(set.images(), set.shape()));
    }
  }

  @Test
  void aParquetChannelsColumnGivesTheShapeAndADisagreeingOneIsARejection(@TempDir Path tmp) {
    StructType schema = new StructType().add("label", DataTypes.StringType).add("pixels", DataTypes.BinaryType)
        .add("origin", DataTypes.StringType).add("height", DataTypes.IntegerType)
        .add("width", DataTypes.IntegerType).add("channels", DataTypes.IntegerType);
    List<Row> rows = List.of(
        RowFactory.create("a", bytes(A1), "colour", 2, 2, 3),
        RowFactory.create("b", bytes(A2_GRAY), "gray", 2, 2, 1),
        RowFactory.create("b", bytes(B2), "colour-b", 2, 2, 3),
        RowFactory.create("a", bytes(A2_GRAY), "says-colour", 2, 2, 3),
        RowFactory.create("a", bytes(B1), "says-two", 2, 2, 2),
        RowFactory.create("a", bytes(B1), "says-null", 2, 2, null));
    String table = tmp.resolve("t.parquet").toString();
    SPARK.createDataFrame(rows, schema).coalesce(1).write().parquet(table);
    try (ImageSet set = ImageSets.read(SPARK, DatasetSpec.of("train", table).withMaxRejectedFraction(0.5), null)) {
      assertEquals(new Shape(2, 2, 3), set.shape());
      assertEquals(Map.of("a", 1L, "b", 2L), set.countsByLabel());
      assertArrayEquals(bytes(0, 0, 0, 128, 128, 128, 255, 255, 255, 7, 7, 7), byName(set).get("gray"));
      Map<String, String> reasons = new HashMap<>();
      set.rejected().collectAsList().forEach(r -> reasons.put(r.getString(0), r.getString(1)));
      assertEquals(Map.of(
          "says-colour", "pixels has 4 bytes, expected 2x2x3 = 12 (column channels says 3)",
          "says-two", "column channels is 2, expected 1 (gray) or 3 (RGB)",
          "says-null", "column channels is null, expected 1 (gray) or 3 (RGB)"), reasons);
    }
  }

  @Test
  void ingestWritesTheChannelsColumnForColourAndReadsBackTheSamePixels(@TempDir Path tmp) {
    String table = tmp.resolve("colour.parquet-table").toString();
    Pipeline.Ingested ingested = Pipeline.ingest(SPARK,
        new org.pixelsimilarity.requests.IngestRequest(mixed(), table, false));
    assertEquals("2x2x3", ingested.shape());
    assertEquals(List.of("label", "pixels", "origin", "height", "width", "channels"),
        List.of(SPARK.read().parquet(table).schema().fieldNames()));
    try (ImageSet fromFolder = ImageSets.read(SPARK, mixed(), null);
        ImageSet fromTable = ImageSets.read(SPARK, DatasetSpec.of("train", table), null)) {
      assertEquals(new Shape(2, 2, 3), fromTable.shape());
      Map<String, byte[]> expected = byName(fromFolder);
      Map<String, byte[]> actual = byName(fromTable);
      assertEquals(expected.keySet(), actual.keySet());
      expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
    }
  }
}
