package org.pixelsimilarity.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.Shape;

/** Save and load a model; its metadata, its pictures, and what happens when someone edits it. */
class ModelStoreTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final Shape MNIST = new Shape(28, 28);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The 0..255 value ideal "3" has at pixel i: its one image has v3(i), so mean*255 = v3(i). */
  private static int v3(int i) {
    return (i * 7) % 256;
  }

  /** Ideal "7" is the mean of v7(i) and v7(i) + 2, i.e. v7(i) + 1 (an integer, so no rounding tie). */
  private static int v7(int i) {
    return (i * 3) % 250;
  }

  private static IdealImages model() {
    PixelSums sums = new PixelSums(MNIST.pixels());
    byte[] a = new byte[MNIST.pixels()];
    byte[] b = new byte[MNIST.pixels()];
    byte[] c = new byte[MNIST.pixels()];
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) v3(i);
      b[i] = (byte) v7(i);
      c[i] = (byte) (v7(i) + 2);
    }
    sums.add("3", a);
    sums.add("7", b);
    sums.add("7", c);
    return IdealImages.fromSums(MNIST, sums);
  }

  @Test
  void saveThenLoadGivesTheSameModel(@TempDir Path tmp) throws IOException {
    IdealImages model = model();
    String dir = tmp.resolve("models/m1").toString();
    ModelStore.Saved saved = ModelStore.save(SPARK, model, dir, "somewhere/train", false, false);
    assertFalse(saved.reused());
    IdealImages loaded = ModelStore.load(SPARK, dir);
    assertEquals(model, loaded);
    assertEquals(model.id(), loaded.id());
    assertArrayEquals(model.mean("7"), loaded.mean("7"));
    try (Stream<Path> files = Files.list(tmp.resolve("models"))) {
      assertEquals(List.of("m1"), files.map(p -> p.getFileName().toString()).toList(), "no temporary folder left");
    }
  }

  @Test
  void metadataDescribesTheModel(@TempDir Path tmp) throws IOException {
    IdealImages model = model();
    Path dir = tmp.resolve("m");
    ModelStore.save(SPARK, model, dir.toString(), "somewhere/train", false, false);
    JsonNode meta = JSON.readTree(dir.resolve("model.json").toFile());
    assertEquals("pixel-similarity-model", meta.path("format").asText());
    assertEquals(2, meta.path("format_version").asInt());
    assertEquals(model.id(), meta.path("model_id").asText());
    assertEquals(List.of("3", "7"), List.of(meta.path("labels").get(0).asText(), meta.path("labels").get(1).asText()));
    assertEquals(1, meta.path("counts").path("3").asLong());
    assertEquals(2, meta.path("counts").path("7").asLong());
    assertEquals(28, meta.path("height").asInt());
    assertEquals(28, meta.path("width").asInt());
    assertEquals("somewhere/train", meta.path("source").asText());
    Instant created = Instant.parse(meta.path("created_at").asText());
    assertTrue(Math.abs(created.toEpochMilli() - System.currentTimeMillis()) < 600_000, created.toString());
    assertFalse(meta.path("app_version").asText().isEmpty());
    assertEquals("ideal-3.png", meta.path("pictures").get(0).asText());
    assertEquals("ideal-7.png", meta.path("pictures").get(1).asText());
    assertEquals(List.of("label", "count", "height", "width", "mean"),
        List.of(SPARK.read().parquet(dir.resolve("data").toString()).schema().fieldNames()));
  }

  @Test
  void picturesAreTheMeansUpscaledTenTimes(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("m");
    ModelStore.Saved saved = ModelStore.save(SPARK, model(), dir.toString(), "src", false, false);
    assertEquals(2, saved.pictures().size());
    for (String label : List.of("3", "7")) {
      BufferedImage img = ImageIO.read(dir.resolve("ideal-" + label + ".png").toFile());
      assertEquals(280, img.getWidth());
      assertEquals(280, img.getHeight());
      assertEquals(1, img.getRaster().getNumBands());
      for (int y = 0; y < 280; y++) {
        for (int x = 0; x < 280; x++) {
          int i = (y / 10) * 28 + x / 10;
          int expected = label.equals("3") ? v3(i) : v7(i) + 1;
          assertEquals(expected, img.getRaster().getSample(x, y, 0), label + " at " + x + "," + y);
        }
      }
    }
  }

  /**
   * A 2x2x3 model: label "g" the mean of three images, so its means are thirds; its picture holds round(mean*255)
   * per channel (worked by hand below), R G B in that order, upscaled 140 times to 280x280.
   */
  @Test
  void aColourModelsPicturesAreRgbRoundedMeans(@TempDir Path tmp) throws IOException {
    Shape shape = new Shape(2, 2, 3);
    PixelSums sums = new PixelSums(shape.pixels());
    sums.add("g", bytes(0, 2, 200, 10, 10, 10, 100, 50, 0, 255, 255, 0));
    sums.add("g", bytes(0, 2, 201, 11, 10, 10, 100, 50, 0, 255, 254, 0));
    sums.add("g", bytes(1, 3, 201, 12, 10, 13, 101, 52, 0, 255, 254, 3));
    sums.add("r", bytes(255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30));
    IdealImages model = IdealImages.fromSums(shape, sums);
    // sums of "g": 1 7 602 | 33 30 33 | 301 152 0 | 765 763 3; / 3 = 0.33 2.33 200.67 | 11 10 11 | 100.33 50.67 0
    // | 255 254.33 1, rounded:
    int[][] expected = {{0, 2, 201, 11, 10, 11, 100, 51, 0, 255, 254, 1},
        {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30}};
    Path dir = tmp.resolve("m");
    ModelStore.save(SPARK, model, dir.toString(), "src", false, false);
    List<String> labels = List.of("g", "r");
    for (int k = 0; k < 2; k++) {
      BufferedImage img = ImageIO.read(dir.resolve("ideal-" + labels.get(k) + ".png").toFile());
      assertEquals(280, img.getWidth());
      assertEquals(280, img.getHeight());
      assertEquals(3, img.getRaster().getNumBands());
      for (int y = 0; y < 280; y += 7) {
        for (int x = 0; x < 280; x += 7) {
          int p = 3 * ((y / 140) * 2 + x / 140);
          int rgb = img.getRGB(x, y);
          int[] e = expected[k];
          assertEquals(e[p] << 16 | e[p + 1] << 8 | e[p + 2], rgb & 0xffffff, labels.get(k) + " at " + x + "," + y);
        }
      }
    }
    assertEquals(3, JSON.readTree(dir.resolve("model.json").toFile()).path("channels").asInt());
    String line = Files.readString(dir.resolve("metadata/part-00000"));
    assertEquals(3, JSON.readTree(line).path(SparkMlMetadata.CHANNELS).asInt(), line);
    assertEquals(model, ModelStore.load(SPARK, dir.toString()));
  }

  /** A gray model's Spark ML metadata line has no channels field (as before colour). */
  @Test
  void aGrayModelsMetadataLineHasNoChannels(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("m");
    ModelStore.save(SPARK, model(), dir.toString(), "src", false, false);
    assertTrue(JSON.readTree(Files.readString(dir.resolve("metadata/part-00000"))).path("channels").isMissingNode());
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void anExistingModelIsKeptUnlessAskedOtherwise(@TempDir Path tmp) {
    String dir = tmp.resolve("m").toString();
    ModelStore.save(SPARK, model(), dir, "src", false, false);
    JobException e = assertThrows(JobException.class, () -> ModelStore.save(SPARK, model(), dir, "src", false, false));
    assertTrue(e.getMessage().startsWith(dir) && e.getMessage().contains("--overwrite"), e.getMessage());
    assertTrue(ModelStore.save(SPARK, model(), dir, "src", false, true).reused(), "same id, kept");
    assertFalse(ModelStore.save(SPARK, model(), dir, "src", true, false).reused());
    assertEquals(model(), ModelStore.load(SPARK, dir));
  }

  @Test
  void editedMetadataIsRefusedNamingTheFolder(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("edited");
    ModelStore.save(SPARK, model(), dir.toString(), "src", false, false);
    Path json = dir.resolve("model.json");
    ObjectNode meta = (ObjectNode) JSON.readTree(json.toFile());
    meta.put("model_id", "0123456789abcdef");
    JSON.writeValue(json.toFile(), meta);
    JobException e = assertThrows(JobException.class, () -> ModelStore.load(SPARK, dir.toString()));
    assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("0123456789abcdef"),
        e.getMessage());

    meta.put("model_id", model().id());
    meta.putArray("labels").add("3").add("8");
    JSON.writeValue(json.toFile(), meta);
    JobException labels = assertThrows(JobException.class, () -> ModelStore.load(SPARK, dir.toString()));
    assertTrue(labels.getMessage().startsWith(dir.toString()) && labels.getMessage().contains("labels"),
        labels.getMessage());
  }

  @Test
  void missingFolderOrNotAModel(@TempDir Path tmp) throws IOException {
    String none = tmp.resolve("none").toString();
    JobException e = assertThrows(JobException.class, () -> ModelStore.load(SPARK, none));
    assertTrue(e.getMessage().startsWith(none) && e.getMessage().contains("does not exist"), e.getMessage());
    Files.createDirectories(tmp.resolve("empty"));
    JobException notModel = assertThrows(JobException.class,
        () -> ModelStore.load(SPARK, tmp.resolve("empty").toString()));
    assertTrue(notModel.getMessage().contains("not a model folder"), notModel.getMessage());
  }

  @Test
  void idealImagesTableReadsBackLikeSparksOwnFile(@TempDir Path tmp) throws IOException {
    IdealImages m = model();
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (int k = 0; k < m.labels().size(); k++) {
      List<Object> mean = java.util.Arrays.stream(m.means()[k]).boxed().map(v -> (Object) v).toList();
      rows.add(org.apache.spark.sql.RowFactory.create(m.labels().get(k), m.counts()[k], 28, 28,
          scala.jdk.javaapi.CollectionConverters.asScala(mean).toList()));
    }
    org.pixelsimilarity.data.SmallTableTest.assertSameAsSparksWriter(tmp, ModelStore.SCHEMA, rows);
  }

  @Test
  void sparkMlMetadataIsOneJsonLineNamingTheModelClass(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("m");
    ModelStore.save(SPARK, model(), dir.toString(), "src", false, false);
    List<String> lines = Files.readAllLines(dir.resolve("metadata/part-00000"));
    assertEquals(1, lines.size());
    JsonNode meta = JSON.readTree(lines.get(0));
    assertEquals("org.pixelsimilarity.ml.NearestIdealModel", meta.path("class").asText());
    assertEquals("NearestIdealClassifier_" + model().id(), meta.path("uid").asText());
    assertEquals(SPARK.version(), meta.path("sparkVersion").asText());
    assertTrue(Math.abs(meta.path("timestamp").asLong() - System.currentTimeMillis()) < 600_000);
    assertTrue(meta.path("paramMap").isObject() && meta.path("paramMap").isEmpty());
    assertTrue(meta.path("defaultParamMap").isObject() && meta.path("defaultParamMap").isEmpty());
    assertEquals("string", meta.path("labelType").asText());
    assertTrue(Files.exists(dir.resolve("metadata/_SUCCESS")));
  }

  @Test
  void noHadoopChecksumFilesInTheModelFolder(@TempDir Path tmp) throws IOException {
    Path small = tmp.resolve("small");
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> two = SPARK.sql(
        "SELECT concat('img-', id) AS origin, 'bad' AS reason FROM range(2)");
    ModelStore.save(SPARK, ModelFolder.trained(model(), "src", two, 2), small.toString(), false, false);
    // More rejected rows than SmallTable collects: Spark's own writer, which leaves .crc files behind.
    long many = org.pixelsimilarity.data.SmallTable.MAX_ROWS + 1;
    Path big = tmp.resolve("big");
    ModelStore.save(SPARK, ModelFolder.trained(model(), "src", SPARK.sql(
        "SELECT concat('img-', id) AS origin, 'bad' AS reason FROM range(" + many + ")"), many), big.toString(),
        false, false);
    for (Path dir : List.of(small, big)) {
      try (Stream<Path> files = Files.walk(dir)) {
        List<String> crc = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".crc")).toList();
        assertEquals(List.of(), crc, dir.toString());
      }
      assertTrue(Files.exists(dir.resolve("rejected/_SUCCESS")), dir.toString());
    }
    assertEquals(many, SPARK.read().parquet(big.resolve("rejected").toString()).count());
  }

  @Test
  void aModelOfFormatVersionOneStillLoads(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("v1");
    ModelStore.save(SPARK, model(), dir.toString(), "src", false, false);
    Files.move(dir.resolve("data"), dir.resolve("ideal_images"));
    try (Stream<Path> meta = Files.walk(dir.resolve("metadata"))) {
      for (Path p : meta.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Path json = dir.resolve("model.json");
    ObjectNode meta = (ObjectNode) JSON.readTree(json.toFile());
    meta.put("format_version", 1);
    JSON.writeValue(json.toFile(), meta);
    assertEquals(model(), ModelStore.load(SPARK, dir.toString()));
  }

  /**
   * The way of stores without atomic rename, forced on this disk: the model is written in place with model.json and
   * the marker last; a folder a killed writer left (its note, no marker) is never loaded, and the next train into it
   * replaces it without --overwrite.
   */
  @Test
  void withoutRenamesAModelIsMarkedCompleteLast(@TempDir Path tmp) throws Exception {
    org.apache.hadoop.conf.Configuration conf = SPARK.sparkContext().hadoopConfiguration();
    conf.set(org.pixelsimilarity.io.Store.COMMIT_KEY, "marker");
    try {
      Path dir = tmp.resolve("m");
      ModelStore.beforeMove = d -> {
        assertTrue(Files.exists(dir.resolve("model.json")), "written in place");
        JobException e = assertThrows(JobException.class, () -> ModelStore.load(SPARK, dir.toString()));
        assertTrue(e.getMessage().contains("not a complete model"), e.getMessage());
      };
      ModelStore.save(SPARK, model(), dir.toString(), "src", false, false);
      ModelStore.beforeMove = d -> { };
      assertTrue(Files.exists(dir.resolve(org.pixelsimilarity.io.FolderOutput.COMMITTED)));
      assertEquals(model(), ModelStore.load(SPARK, dir.toString()));

      // What a writer killed before the marker leaves: its note naming a process that has ended, no marker.
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      Files.delete(dir.resolve(org.pixelsimilarity.io.FolderOutput.COMMITTED));
      Files.writeString(dir.resolve(org.pixelsimilarity.io.FolderOutput.PENDING), "{\"host\":\""
          + org.pixelsimilarity.io.WriterNote.HOST + "\",\"pid\":" + gone.pid() + "}");
      JobException e = assertThrows(JobException.class, () -> ModelStore.load(SPARK, dir.toString()));
      assertTrue(e.getMessage().contains("not a complete model"), e.getMessage());
      ModelStore.save(SPARK, model(), dir.toString(), "src", false, false);
      assertEquals(model(), ModelStore.load(SPARK, dir.toString()));
      assertFalse(Files.exists(dir.resolve(org.pixelsimilarity.io.FolderOutput.PENDING)));
    } finally {
      conf.unset(org.pixelsimilarity.io.Store.COMMIT_KEY);
      ModelStore.beforeMove = d -> { };
    }
  }
}
