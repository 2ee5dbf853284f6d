package org.pixelsimilarity.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.model.PixelSums;

/**
 * Colour models and colour images in the Spark ML API: binary pixels, Vectors and the rows of Spark's own image
 * source give the same model and the same predictions; the image source's rows are converted exactly (B G R to
 * R G B, gray rows to R = G = B) and its bad rows refused naming the origin.
 */
class ColourMlTest {
  static final SparkSession SPARK = SparkTestSession.get();
  static final Shape RGB_2X2 = new Shape(2, 2, 3);

  /** Ideal "red": a red image; ideal "blue": a blue image (each of one training image). */
  static IdealImages redAndBlue() {
    PixelSums sums = new PixelSums(RGB_2X2.pixels());
    sums.add("red", NearestIdealClassifierTest.bytes(new int[] {255, 0, 0, 255, 0, 0, 200, 0, 0, 255, 10, 0}));
    sums.add("blue", NearestIdealClassifierTest.bytes(new int[] {0, 0, 255, 0, 0, 255, 0, 0, 200, 0, 10, 255}));
    return IdealImages.fromSums(RGB_2X2, sums);
  }

  @Test
  void aColourModelSavedByTrainLoadsInTheMlApiAndBack(@TempDir Path tmp) throws Exception {
    IdealImages model = redAndBlue();
    String cli = tmp.resolve("cli").toString();
    ModelStore.save(SPARK, model, cli, "src", false, false);
    NearestIdealModel loaded = NearestIdealModel.load(cli);
    assertEquals(model, loaded.idealImages());
    assertEquals(RGB_2X2, loaded.idealImages().shape());
    String ml = tmp.resolve("ml").toString();
    loaded.write().save(ml);
    assertEquals(model, ModelStore.load(SPARK, ml));
    assertEquals(model, NearestIdealModel.load(ml).idealImages());
    assertTrue(Files.readString(tmp.resolve("ml/metadata/part-00000")).contains("\"channels\":3"));
  }

  @Test
  void metadataChannelsThatDisagreeWithTheModelAreRefused(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("m");
    ModelStore.save(SPARK, redAndBlue(), dir.toString(), "src", false, false);
    Path line = dir.resolve("metadata/part-00000");
    Files.writeString(line, Files.readString(line).replace("\"channels\":3", "\"channels\":1"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NearestIdealModel.load(dir.toString()));
    assertTrue(e.getMessage().contains("channels 1") && e.getMessage().contains("2x2x3"), e.getMessage());
  }

  private static final int SIDE = 4;

  /** A 4x4 PNG: TYPE_INT_RGB (3 channels), TYPE_INT_ARGB (4) or TYPE_BYTE_GRAY (1, argb's blue byte). */
  private static void png(Path file, int type, java.util.function.IntUnaryOperator argbOfPixel) throws IOException {
    BufferedImage img = new BufferedImage(SIDE, SIDE, type);
    for (int p = 0; p < SIDE * SIDE; p++) {
      int argb = argbOfPixel.applyAsInt(p);
      if (type == BufferedImage.TYPE_BYTE_GRAY) {
        img.getRaster().setSample(p % SIDE, p / SIDE, 0, argb & 0xff);
      } else {
        img.setRGB(p % SIDE, p / SIDE, argb);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  private static int rgb(int r, int g, int b) {
    return 0xFF000000 | r << 16 | g << 8 | b;
  }

  /** train/{red,blue}: RGB images; test/: RGB, an opaque RGBA and a gray PNG under each label. */
  private static Path folders(Path tmp) throws IOException {
    int t = BufferedImage.TYPE_INT_RGB;
    for (int i = 0; i < 3; i++) {
      int k = i;
      png(tmp.resolve("train/red/" + i + ".png"), t, p -> rgb(200 + k + p, 10 + p, 20 + k));
      png(tmp.resolve("train/blue/" + i + ".png"), t, p -> rgb(15 + p, 30 + k, 210 - p));
    }
    png(tmp.resolve("test/red/rgb.png"), t, p -> rgb(190 + p, 25, 30 + p));
    png(tmp.resolve("test/red/rgba.png"), BufferedImage.TYPE_INT_ARGB, p -> rgb(180, 40 + p, 35));
    png(tmp.resolve("test/red/gray.png"), BufferedImage.TYPE_BYTE_GRAY, p -> 90 + p);
    png(tmp.resolve("test/blue/rgb.png"), t, p -> rgb(20, 35 + p, 200 + p));
    png(tmp.resolve("test/blue/rgba.png"), BufferedImage.TYPE_INT_ARGB, p -> rgb(30 + p, 30, 190));
    png(tmp.resolve("test/blue/gray.png"), BufferedImage.TYPE_BYTE_GRAY, p -> 130 + p);
    return tmp;
  }

  /** Spark's image source over a folder tree, with the label the parent folder's name. */
  static Dataset<Row> imageSource(Path dir) {
    Dataset<Row> images = SPARK.read().format("image").option("dropInvalid", false)
        .option("recursiveFileLookup", true).load(dir.toString());
    return images.withColumn("label", functions.regexp_extract(functions.col("image.origin"), "/([^/]+)/[^/]+$",
        1));
  }

  /** file name (parent/name) -> the value of {@code column}. */
  private static Map<String, Object> byFile(Dataset<Row> rows, String origin, String column) {
    Map<String, Object> out = new TreeMap<>();
    for (Row r : rows.select(functions.col(origin), functions.col(column)).collectAsList()) {
      String o = r.getString(0);
      String[] parts = o.split("/");
      Object v = r.get(1);
      out.put(parts[parts.length - 2] + "/" + parts[parts.length - 1], v instanceof byte[] b ? box(b) : v);
    }
    return out;
  }

  private static List<Integer> box(byte[] b) {
    List<Integer> out = new java.util.ArrayList<>();
    for (byte x : b) {
      out.add(x & 0xff);
    }
    return out;
  }

  @Test
  void binaryVectorAndImageSourceGiveTheSameModelAndPredictions(@TempDir Path tmp) throws IOException {
    Path dir = folders(tmp);
    Dataset<Row> train = PixelImages.read(SPARK, dir.resolve("train").toString());
    Dataset<Row> binary = PixelImages.read(SPARK, dir.resolve("test").toString());
    assertEquals(new Shape(SIDE, SIDE, 3), Features.shape(binary.schema().apply("pixels")));
    Dataset<Row> vectors = binary.withColumn("pixels", functions.udf(
        (org.apache.spark.sql.api.java.UDF1<byte[], org.apache.spark.ml.linalg.Vector>) b -> Vectors.dense(
            box(b).stream().mapToDouble(Integer::doubleValue).toArray()), SQLDataTypes.VectorType())
        .apply(functions.col("pixels")), binary.schema().apply("pixels").metadata());
    Dataset<Row> images = imageSource(dir.resolve("test"));

    NearestIdealModel model = new NearestIdealClassifier().fit(train);
    NearestIdealModel fromImages = new NearestIdealClassifier().setFeaturesCol("image")
        .fit(imageSource(dir.resolve("train")));
    assertEquals(model.idealImages(), fromImages.idealImages(), "the same ideal images from Spark's image rows");
    assertEquals(new Shape(SIDE, SIDE, 3), model.idealImages().shape());

    // The image rows converted exactly: the same bytes as the job's own reader (gray rows as R = G = B).
    Map<String, Object> ours = byFile(binary, "origin", "pixels");
    Dataset<Row> converted = images.withColumn("converted", SparkImageSource.pixels("image", model.idealImages()
        .shape()));
    assertEquals(ours, byFile(converted, "image.origin", "converted"));
    assertEquals(List.of(90, 90, 90, 91, 91, 91), ((List<?>) ours.get("red/gray.png")).subList(0, 6));
    assertEquals(List.of(180, 40, 35, 180, 41, 35), ((List<?>) ours.get("red/rgba.png")).subList(0, 6));

    for (String metric : List.of("l1", "l2")) {
      model.setMetric(metric);
      Map<String, Object> expected = byFile(model.transform(binary), "origin", "predictedLabel");
      assertEquals(6, expected.size());
      for (String file : expected.keySet()) { // the colour images are near their class; gray ones anywhere
        assertTrue(file.endsWith("gray.png") ? expected.get(file) != null
            : expected.get(file).equals(file.substring(0, file.indexOf('/'))), file + ": " + expected.get(file));
      }
      assertEquals(expected, byFile(model.transform(vectors), "origin", "predictedLabel"), metric + " Vector");
      assertEquals(expected, byFile(model.setFeaturesCol("image").transform(images), "image.origin",
          "predictedLabel"), metric + " image source");
      model.setFeaturesCol("pixels");
    }
  }

  @Test
  void imageSourceRowsThatCannotBeReadAreRefusedNamingTheOrigin(@TempDir Path tmp) throws IOException {
    NearestIdealModel model = new NearestIdealModel("m", redAndBlue(), false).setFeaturesCol("image");
    // alpha 128 at pixel (1,0) of a 2x2 RGBA image
    png2x2(tmp.resolve("see-through/a.png"), new int[] {rgb(1, 2, 3), 0x80FFFFFF, rgb(1, 2, 3), rgb(1, 2, 3)});
    BadMlInputTest.failsInTheQuery(model.transform(imageSource(tmp.resolve("see-through"))), "featuresCol 'image'",
        "see-through/a.png", "pixel (1,0) alpha 128: transparent images are not read");

    Files.createDirectories(tmp.resolve("junk/x"));
    Files.writeString(tmp.resolve("junk/x/not-an-image.png"), "not a PNG");
    BadMlInputTest.failsInTheQuery(model.transform(imageSource(tmp.resolve("junk"))), "featuresCol 'image'",
        "not-an-image.png", "invalid row", "height -1");
    BadMlInputTest.refused(() -> new NearestIdealClassifier().setFeaturesCol("image")
        .fit(imageSource(tmp.resolve("junk"))), "not-an-image.png", "invalid row");

    StructType schema = new StructType().add("image", org.apache.spark.ml.image.ImageSchema.columnSchema());
    Row twoChannels = RowFactory.create(RowFactory.create("file:/made/two.png", 2, 2, 2, 0, new byte[8]));
    BadMlInputTest.failsInTheQuery(model.transform(SPARK.createDataFrame(List.of(twoChannels), schema)),
        "file:/made/two.png", "nChannels 2");

    NearestIdealModel gray = new NearestIdealModel("g", grayModel(), false).setFeaturesCol("image");
    Row colour = RowFactory.create(RowFactory.create("file:/made/colour.png", 2, 2, 3, 16, new byte[12]));
    BadMlInputTest.failsInTheQuery(gray.transform(SPARK.createDataFrame(List.of(colour), schema)),
        "file:/made/colour.png", "image is 2x2x3 (colour), the model's shape is 2x2 (gray)");
  }

  private static void png2x2(Path file, int[] argb) throws IOException {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 2, 2, argb, 0, 2);
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  private static IdealImages grayModel() {
    PixelSums sums = new PixelSums(4);
    sums.add("a", new byte[4]);
    sums.add("b", new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255});
    return IdealImages.fromSums(new Shape(2, 2), sums);
  }

  /**
   * Spark's own 16-bit trap (docs/spark-ml.md): its image source keeps the low byte of a 16-bit gray sample
   * (0x1234 = 4660 becomes 0x34 = 52), where the job's reader gives round(4660 / 257) = round(18.13) = 18.
   */
  @Test
  void sparksImageSourceKeepsTheLowByteOfSixteenBitGray(@TempDir Path tmp) throws IOException {
    int[] samples = new int[4];
    java.util.Arrays.fill(samples, 0x1234);
    org.pixelsimilarity.BadInputFixtures.gray16Png(tmp.resolve("a/x.png"), samples, 2);
    Row spark = imageSource(tmp).select("image.nChannels", "image.data").first();
    assertEquals(1, spark.getInt(0));
    assertEquals(List.of(52, 52, 52, 52), box(spark.getAs(1)));
    Row ours = PixelImages.read(SPARK, tmp.toString()).select("pixels").first();
    assertEquals(List.of(18, 18, 18, 18), box(ours.getAs(0)));
  }

  @Test
  void channelsInTheColumnMetadataOtherThanOneOrThreeAreRefused() {
    org.apache.spark.sql.types.Metadata shape = new org.apache.spark.sql.types.MetadataBuilder()
        .putLong("height", 2).putLong("width", 2).putLong("channels", 2).build();
    StructType schema = new StructType().add("pixels", DataTypes.BinaryType, true,
        new org.apache.spark.sql.types.MetadataBuilder().putMetadata(Features.SHAPE, shape).build());
    BadMlInputTest.refused(() -> new NearestIdealModel("m", redAndBlue(), false).transformSchema(schema),
        "featuresCol 'pixels': its metadata image_shape", "got 2");
    StructType colour = new StructType().add("pixels", DataTypes.BinaryType, true,
        Features.metadata(org.apache.spark.sql.types.Metadata.empty(), RGB_2X2));
    assertEquals(RGB_2X2, Features.shape(colour.apply("pixels")));
  }
}
