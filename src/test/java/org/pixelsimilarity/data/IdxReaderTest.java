package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.SparkTestSession;

/** IDX files built byte by byte in the test, as MNIST distributes them: plain and gzipped. */
class IdxReaderTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  /** 5 images of 3x2; pixel j of image i = (40 * i + 50 * j) mod 256 (so some bytes are over 127). */
  private static final int N = 5;
  private static final int ROWS = 3;
  private static final int COLS = 2;
  /** Unsigned label bytes; 200 checks that labels are read unsigned. */
  private static final int[] LABELS = {7, 3, 0, 200, 3};

  @TempDir
  Path dir;

  private static byte[] pixelsOf(int i, int n) {
    byte[] px = new byte[n];
    for (int j = 0; j < n; j++) {
      px[j] = (byte) ((40 * i + 50 * j) % 256);
    }
    return px;
  }

  static byte[] imagesFile(int count, int rows, int cols, int magic) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    out.writeInt(count);
    out.writeInt(rows);
    out.writeInt(cols);
    for (int i = 0; i < count; i++) {
      out.write(pixelsOf(i, rows * cols));
    }
    return bytes.toByteArray();
  }

  static byte[] labelsFile(int[] labels) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000801);
    out.writeInt(labels.length);
    for (int l : labels) {
      out.writeByte(l);
    }
    return bytes.toByteArray();
  }

  private static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes);
    }
    return file;
  }

  private static void assertFiveImages(ImageSet set, Path images) {
    assertEquals(InputFormat.IDX, set.format());
    assertEquals(new Shape(ROWS, COLS), set.shape());
    assertEquals(Map.of("0", 1L, "3", 2L, "7", 1L, "200", 1L), set.countsByLabel());
    assertEquals(List.of("0", "3", "7", "200"), List.copyOf(set.countsByLabel().keySet()), "label order");
    List<Row> rows = set.images().collectAsList();
    assertEquals(N, rows.size());
    Map<String, Row> byOrigin = new HashMap<>();
    rows.forEach(r -> byOrigin.put(r.getString(2), r));
    for (int i = 0; i < N; i++) {
      Row r = byOrigin.get("file:" + images + "#" + i);
      assertTrue(r != null, "no image with origin file:" + images + "#" + i + " in " + byOrigin.keySet());
      assertEquals(Integer.toString(LABELS[i]), r.getString(0));
      assertArrayEquals(pixelsOf(i, ROWS * COLS), (byte[]) r.get(1), "pixels of image " + i);
    }
    assertEquals(0, set.rejectedCount());
  }

  @Test
  void plainFilesWithTheLabelsFileFoundBeside() throws IOException {
    Path images = write(dir.resolve("train-images-idx3-ubyte"), imagesFile(N, ROWS, COLS, 0x803), false);
    write(dir.resolve("train-labels-idx1-ubyte"), labelsFile(LABELS), false);
    try (ImageSet set = ImageSets.read(SPARK, DatasetSpec.of("train", images.toString()), null)) {
      assertFiveImages(set, images);
    }
  }

  @Test
  void gzippedFiles() throws IOException {
    Path images = write(dir.resolve("t10k-images-idx3-ubyte.gz"), imagesFile(N, ROWS, COLS, 0x803), true);
    write(dir.resolve("t10k-labels-idx1-ubyte.gz"), labelsFile(LABELS), true);
    try (ImageSet set = ImageSets.read(SPARK, DatasetSpec.of("valid", images.toString()), null)) {
      assertFiveImages(set, images);
    }
  }

  @Test
  void plainImagesWithGzippedLabelsBeside() throws IOException {
    Path images = write(dir.resolve("train-images-idx3-ubyte"), imagesFile(N, ROWS, COLS, 0x803), false);
    write(dir.resolve("train-labels-idx1-ubyte.gz"), labelsFile(LABELS), true);
    try (ImageSet set = ImageSets.read(SPARK, DatasetSpec.of("train", images.toString()), null)) {
      assertFiveImages(set, images);
    }
  }

  @Test
  void labelsFileGivenExplicitly() throws IOException {
    Path images = write(dir.resolve("digits-idx3-ubyte"), imagesFile(N, ROWS, COLS, 0x803), false);
    Path labels = write(dir.resolve("my-answers.bin"), labelsFile(LABELS), false);
    DatasetSpec spec = new DatasetSpec("train", new DatasetSpec.Source(images.toString(), null, labels.toString()),
        Set.of(), Labelling.REQUIRED, DatasetSpec.Form.FROM_DATA, new DatasetSpec.Strictness(ReadMode.FAILFAST, 0));
    try (ImageSet set = ImageSets.read(SPARK, spec, null)) {
      assertFiveImages(set, images);
    }
  }

  @Test
  void labelsFilterKeepsOnlyThoseLabels() throws IOException {
    Path images = write(dir.resolve("train-images-idx3-ubyte"), imagesFile(N, ROWS, COLS, 0x803), false);
    write(dir.resolve("train-labels-idx1-ubyte"), labelsFile(LABELS), false);
    DatasetSpec spec = DatasetSpec.of("train", images.toString()).withLabels(Set.of("3", "7"));
    try (ImageSet set = ImageSets.read(SPARK, spec, null)) {
      assertEquals(Map.of("3", 2L, "7", 1L), set.countsByLabel());
      assertEquals(Set.of("file:" + images + "#0", "file:" + images + "#1", "file:" + images + "#4"),
          Set.copyOf(set.images().select("origin").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()));
    }
  }

  @Test
  void manyRangesYieldEveryImageExactlyOnce() throws IOException {
    int n = 1000;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
    }
    Path images = write(dir.resolve("big-images-idx3-ubyte"), imagesFile(n, 4, 4, 0x803), false);
    write(dir.resolve("big-labels-idx1-ubyte"), labelsFile(labels), false);
    // 37 images of 16 bytes per range -> ceil(1000 / 37) = 28 ranges of ceil(1000 / 28) = 36 images.
    Dataset<Row> df = IdxReader.read(SPARK, images.toString(), null, Set.of(), 16 * 37);
    assertEquals(28, df.javaRDD().getNumPartitions());
    List<Row> rows = df.collectAsList();
    assertEquals(n, rows.size());
    Map<String, Row> byOrigin = new HashMap<>();
    for (Row r : rows) {
      assertTrue(byOrigin.put(r.getString(2), r) == null, "image read twice: " + r.getString(2));
    }
    for (int i = 0; i < n; i++) {
      Row r = byOrigin.get("file:" + images + "#" + i);
      assertEquals(Integer.toString(i % 10), r.getString(0));
      assertArrayEquals(pixelsOf(i, 16), (byte[]) r.get(1), "pixels of image " + i);
      assertEquals(4, r.getInt(3));
      assertEquals(4, r.getInt(4));
    }
  }

  @Test
  void wrongMagicNamesTheFile() throws IOException {
    Path images = write(dir.resolve("x-images-idx3-ubyte"), imagesFile(N, ROWS, COLS, 0x801), false);
    write(dir.resolve("x-labels-idx1-ubyte"), labelsFile(LABELS), false);
    JobException e = assertThrows(JobException.class,
        () -> ImageSets.read(SPARK, DatasetSpec.of("train", images.toString()), null));
    assertTrue(e.getMessage().startsWith(images.toString()) && e.getMessage().contains("magic number 0x00000801"),
        e.getMessage());
  }

  @Test
  void countsThatDifferNameBothFiles() throws IOException {
    Path images = write(dir.resolve("x-images-idx3-ubyte"), imagesFile(N, ROWS, COLS, 0x803), false);
    Path labels = write(dir.resolve("x-labels-idx1-ubyte"), labelsFile(new int[] {1, 2, 3}), false);
    JobException e = assertThrows(JobException.class,
        () -> ImageSets.read(SPARK, DatasetSpec.of("train", images.toString()), null));
    assertTrue(e.getMessage().contains(labels.toString()) && e.getMessage().contains("3 labels")
        && e.getMessage().contains("5 images"), e.getMessage());
  }

  @Test
  void truncatedImagesFile() throws IOException {
    byte[] full = imagesFile(N, ROWS, COLS, 0x803);
    Path images = write(dir.resolve("x-images-idx3-ubyte"), java.util.Arrays.copyOf(full, full.length - 1), false);
    write(dir.resolve("x-labels-idx1-ubyte"), labelsFile(LABELS), false);
    JobException e = assertThrows(JobException.class,
        () -> ImageSets.read(SPARK, DatasetSpec.of("train", images.toString()), null));
    assertTrue(e.getMessage().startsWith(images.toString()) && e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void truncatedGzipImagesFileFailsWhileReading() throws IOException {
    // A gzip file's length says nothing about its content: the shortfall shows only when a task reads it.
    byte[] full = imagesFile(N, ROWS, COLS, 0x803);
    Path images = write(dir.resolve("x-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(full, full.length - 4),
        true);
    write(dir.resolve("x-labels-idx1-ubyte.gz"), labelsFile(LABELS), true);
    JobException e = assertThrows(JobException.class,
        () -> ImageSets.read(SPARK, DatasetSpec.of("train", images.toString()), null));
    assertTrue(e.getMessage().startsWith(images.toString()) && e.getMessage().contains("truncated")
        && e.getMessage().contains("image 4"), e.getMessage());
  }

  @Test
  void missingLabelsFileSaysWhereItLooked() throws IOException {
    Path images = write(dir.resolve("x-images-idx3-ubyte"), imagesFile(N, ROWS, COLS, 0x803), false);
    JobException e = assertThrows(JobException.class,
        () -> ImageSets.read(SPARK, DatasetSpec.of("train", images.toString()), null));
    assertTrue(e.getMessage().contains("x-labels-idx1-ubyte") && e.getMessage().contains("not found"),
        e.getMessage());
  }
}
