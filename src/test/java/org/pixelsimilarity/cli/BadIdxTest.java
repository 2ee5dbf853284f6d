package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;
import static org.pixelsimilarity.BadInputFixtures.logsOf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkTestSession;

/**
 * Broken IDX files, built byte by byte here. An IDX problem concerns the whole file, so it stops the job in every
 * read mode: exit 1, one line naming the file and what is wrong with it, no model written.
 */
class BadIdxTest {
  static final int N = 6;
  static final int SIDE = 4;
  static final int[] LABELS = {1, 2, 1, 2, 1, 2};

  @TempDir
  Path dir;

  @BeforeAll
  static void spark() {
    SparkTestSession.get();
  }

  /**
   * The images file: magic, count, rows, columns, then {@code images} images of label 1 (bright top) or 2 (bright
   * bottom), with random noise so that gzip cannot shrink them much.
   */
  static byte[] images(int magic, int count, int images) {
    ByteBuffer b = ByteBuffer.allocate(16 + images * SIDE * SIDE);
    b.putInt(magic).putInt(count).putInt(SIDE).putInt(SIDE);
    java.util.Random noise = new java.util.Random(42);
    for (int i = 0; i < images; i++) {
      for (int p = 0; p < SIDE * SIDE; p++) {
        boolean top = p < SIDE * SIDE / 2;
        b.put((byte) ((top == (LABELS[i % N] == 1) ? 200 : 0) + noise.nextInt(50)));
      }
    }
    return b.array();
  }

  static byte[] labels(int magic, int count) {
    ByteBuffer b = ByteBuffer.allocate(8 + count);
    b.putInt(magic).putInt(count);
    for (int i = 0; i < count; i++) {
      b.put((byte) LABELS[i % N]);
    }
    return b.array();
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }

  Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /** {@code train} on {@code images}: exit 1, one line with each part, and no model. */
  void refused(Path images, String... parts) {
    Path model = dir.resolve("model");
    assertOneLineError(cli("train", "--train", images.toString(), "--model", model.toString()), parts);
    assertFalse(Files.exists(model));
  }

  @Test
  void goodFilesTrain() throws IOException {
    Path images = write("t-images-idx3-ubyte.gz", gzip(images(0x803, N, N)));
    write("t-labels-idx1-ubyte", labels(0x801, N));
    Result r = cli("train", "--train", images.toString(), "--model", dir.resolve("m").toString());
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("6 images (1: 3, 2: 3), 0 rejected"), r.out());
  }

  @Test
  void wrongMagicNumbers() throws IOException {
    Path images = write("t-images-idx3-ubyte", images(0x802, N, N));
    Path labels = write("t-labels-idx1-ubyte", labels(0x801, N));
    refused(images, "error: " + images + ": magic number 0x00000802, expected 0x00000803 for IDX images");
    write("t-images-idx3-ubyte", images(0x803, N, N));
    write("t-labels-idx1-ubyte", labels(0x803, N));
    refused(images, "error: " + labels + ": magic number 0x00000803, expected 0x00000801 for IDX labels");
    write("t-labels-idx1-ubyte", labels(0x801, N));
    write("t-images-idx3-ubyte", gzip(images(0x803, N, N)));
    refused(images, "error: " + images + ": magic number 0x1F8B08", "it looks gzip-compressed: name it " + images
        + ".gz");
  }

  @Test
  void truncatedPlainFiles() throws IOException {
    Path images = write("t-images-idx3-ubyte", Arrays.copyOf(images(0x803, N, N), 16 + N * 16 - 5));
    Path labels = write("t-labels-idx1-ubyte", labels(0x801, N));
    refused(images, "error: " + images + ": truncated: header says 6 images of 4x4 (112 bytes), file has 107 bytes");
    write("t-images-idx3-ubyte", images(0x803, N, N));
    write("t-labels-idx1-ubyte", Arrays.copyOf(labels(0x801, N), 8 + N - 2));
    refused(images, "error: " + labels + ": truncated: header says 6 labels (14 bytes), file has 12 bytes");
    write("t-images-idx3-ubyte", new byte[] {0, 0, 8, 3, 0});
    refused(images, "error: " + images + ": truncated: the IDX header is incomplete");
  }

  @Test
  void countsThatDiffer() throws IOException {
    Path images = write("t-images-idx3-ubyte", images(0x803, N, N));
    Path labels = write("t-labels-idx1-ubyte", labels(0x801, N - 1));
    refused(images, "error: " + labels + ": has 5 labels but " + images + " has 6 images");
  }

  @Test
  void missingFiles() throws IOException {
    Path images = write("t-images-idx3-ubyte", images(0x803, N, N));
    refused(images, "error: " + images + ": labels file not found (looked for " + dir.resolve("t-labels-idx1-ubyte.gz")
        + " and ", "--train-idx-labels");
    Path missing = dir.resolve("u-images-idx3-ubyte");
    refused(missing, "error: " + missing + ": path does not exist");
  }

  @Test
  void gzipThatIsNotGzip() throws IOException {
    Path images = write("t-images-idx3-ubyte.gz", images(0x803, N, N));
    write("t-labels-idx1-ubyte", labels(0x801, N));
    refused(images, "error: " + images + ": not a gzip file (Not in GZIP format)");
  }

  /**
   * A gzip file's length says nothing about its content: only the task that streams it finds it short. That
   * must still be one line, and Spark must log no failed task and no stack trace for it.
   */
  @Test
  void truncatedGzipFoundByTheExecutorIsOneLineWithoutSparkTraces() throws IOException {
    byte[] whole = gzip(images(0x803, N, N));
    Path images = write("t-images-idx3-ubyte.gz", Arrays.copyOf(whole, whole.length / 2));
    write("t-labels-idx1-ubyte", labels(0x801, N));
    String logs = logsOf(() -> refused(images, "error: " + images + ": truncated: header says 6 images, data ends"
        + " in image "));
    assertFalse(logs.contains("Exception") || logs.contains("\tat "), logs);

    // Same for more images in the stream than the header declares.
    write("t-images-idx3-ubyte.gz", gzip(images(0x803, N - 1, N)));
    write("t-labels-idx1-ubyte", labels(0x801, N - 1));
    refused(images, "error: " + images + ": more data after the 5 images its header declares");
  }

  @Test
  void failfastAndDropmalformedAlike() throws IOException {
    Path images = write("t-images-idx3-ubyte", images(0x803, N, N));
    Path labels = write("t-labels-idx1-ubyte", labels(0x801, N + 1));
    for (String mode : new String[] {"failfast", "dropmalformed"}) {
      Result r = cli("train", "--train", images.toString(), "--model", dir.resolve("m").toString(), "--mode", mode,
          "--max-rejected-fraction", "1");
      assertOneLineError(r, labels + ": has 7 labels but");
    }
  }
}
