package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.JobException;

/**
 * The IDX core without Spark: the driver's header and length checks ({@link IdxReader#readHeader}, the labels file
 * beside the images) and an executor's range reader ({@link IdxRange}), on files built byte by byte here. The
 * same behaviour through Spark and the CLI is in {@code IdxReaderTest} and {@code BadIdxTest}.
 */
class IdxHeaderTest {
  private static final Configuration CONF = new Configuration();
  /** 6 images of 2x3; pixel j of image i = (60 * i + 45 * j) mod 256. */
  private static final int N = 6;
  private static final int[] LABELS = {5, 0, 255, 5, 9, 1};

  @TempDir
  Path dir;

  private static byte[] pixelsOf(int i) {
    byte[] px = new byte[6];
    for (int j = 0; j < 6; j++) {
      px[j] = (byte) ((60 * i + 45 * j) % 256);
    }
    return px;
  }

  private static byte[] images(int magic, int count, int rows, int cols, int stored) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    out.writeInt(count);
    out.writeInt(rows);
    out.writeInt(cols);
    for (int i = 0; i < stored; i++) {
      out.write(pixelsOf(i));
    }
    return bytes.toByteArray();
  }

  private static byte[] labels(int count, int stored) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(IdxReader.LABELS_MAGIC);
    out.writeInt(count);
    for (int i = 0; i < stored; i++) {
      out.writeByte(LABELS[i % LABELS.length]);
    }
    return bytes.toByteArray();
  }

  private String write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file))
        : Files.newOutputStream(file)) {
      out.write(bytes);
    }
    return file.toString();
  }

  private IdxReader.Header pair(String suffix) throws IOException {
    String img = write("t-images-idx3-ubyte" + suffix, images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
    String lab = write("t-labels-idx1-ubyte" + suffix, labels(N, N));
    return IdxReader.readHeader(img, lab, CONF);
  }

  private static List<Row> rows(IdxRange range) {
    List<Row> out = new ArrayList<>();
    while (range.hasNext()) {
      out.add(range.next());
    }
    assertFalse(range.hasNext());
    assertThrows(NoSuchElementException.class, range::next);
    return out;
  }

  private static void assertImages(List<Row> rows, IdxReader.Header h, int... indexes) {
    assertEquals(indexes.length, rows.size(), rows::toString);
    for (int k = 0; k < indexes.length; k++) {
      Row r = rows.get(k);
      int i = indexes[k];
      assertEquals(Integer.toString(LABELS[i]), r.getString(0));
      assertArrayEquals(pixelsOf(i), (byte[]) r.get(1));
      assertEquals(h.images() + "#" + i, r.getString(2));
      assertEquals(2, r.getInt(3));
      assertEquals(3, r.getInt(4));
      assertNull(r.get(5));
    }
  }

  @Test
  void headersOfPlainAndGzipFiles() throws IOException {
    for (String suffix : new String[] {"", ".gz"}) {
      IdxReader.Header h = pair(suffix);
      assertEquals(N, h.count());
      assertEquals(2, h.rows());
      assertEquals(3, h.cols());
      assertEquals(6, h.pixels());
      assertEquals(!suffix.isEmpty(), h.gzip());
    }
  }

  @Test
  void rangesReadTheirImagesExactlyFromPlainAndGzipFiles() throws IOException {
    for (String suffix : new String[] {"", ".gz"}) {
      IdxReader.Header h = pair(suffix);
      assertImages(rows(new IdxRange(h, 0, N, CONF, Set.of())), h, 0, 1, 2, 3, 4, 5);
      assertImages(rows(new IdxRange(h, 2, 4, CONF, Set.of())), h, 2, 3);
      assertImages(rows(new IdxRange(h, 4, N, CONF, Set.of())), h, 4, 5);
      assertImages(rows(new IdxRange(h, 0, N, CONF, Set.of("5", "1"))), h, 0, 3, 5);
      assertImages(rows(new IdxRange(h, 3, 3, CONF, Set.of())), h);
    }
  }

  @Test
  void anImagesFileAloneIsReadWithoutLabels() throws IOException {
    // No labels file (images to predict): the header names none, and each row has a null label.
    for (String suffix : new String[] {"", ".gz"}) {
      String img = write("alone-images-idx3-ubyte" + suffix, images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
      IdxReader.Header h = IdxReader.readHeader(img, null, CONF);
      assertNull(h.labels());
      assertEquals(N, h.count());
      assertEquals(img, h.origin());
      assertEquals(!suffix.isEmpty(), h.gzip());
      List<Row> rows = rows(new IdxRange(h, 1, 4, CONF, Set.of()));
      assertEquals(3, rows.size());
      for (int k = 0; k < 3; k++) {
        Row r = rows.get(k);
        assertNull(r.get(0));
        assertArrayEquals(pixelsOf(k + 1), (byte[]) r.get(1));
        assertEquals(img + "#" + (k + 1), r.getString(2));
        assertNull(r.get(5));
      }
    }
  }

  /** The one file-error row a range gives for a problem of a whole file. */
  private static String fileError(IdxRange range, String file) {
    List<Row> rows = rows(range);
    Row last = rows.get(rows.size() - 1);
    assertEquals(file, last.getString(2));
    assertNull(last.get(0));
    assertTrue(last.getString(5).startsWith(PixelTable.FILE_ERROR), last.getString(5));
    return last.getString(5).substring(PixelTable.FILE_ERROR.length());
  }

  @Test
  void gzipStreamsThatEndEarlyOrGoOnAreOneFileErrorRow() throws IOException {
    String img = write("short-images-idx3-ubyte.gz", images(IdxReader.IMAGES_MAGIC, N, 2, 3, 4));
    String lab = write("short-labels-idx1-ubyte.gz", labels(N, N));
    IdxReader.Header h = IdxReader.readHeader(img, lab, CONF);
    assertEquals("truncated: header says 6 images, data ends in image 4", fileError(new IdxRange(h, 0, N, CONF,
        Set.of()), img));

    String img2 = write("ok-images-idx3-ubyte.gz", images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
    String lab2 = write("short2-labels-idx1-ubyte.gz", labels(N, 3));
    IdxReader.Header h2 = IdxReader.readHeader(img2, lab2, CONF);
    assertEquals("truncated: header says 6 labels, data ends at label 3", fileError(new IdxRange(h2, 0, N, CONF,
        Set.of()), lab2));

    String img3 = write("long-images-idx3-ubyte.gz", images(IdxReader.IMAGES_MAGIC, N, 2, 3, N + 1));
    IdxReader.Header h3 = IdxReader.readHeader(img3, write("l3-labels-idx1-ubyte.gz", labels(N, N)), CONF);
    List<Row> all = rows(new IdxRange(h3, 0, N, CONF, Set.of()));
    assertEquals(N + 1, all.size());
    assertEquals("more data after the 6 images its header declares",
        all.get(N).getString(5).substring(PixelTable.FILE_ERROR.length()));
    String lab4 = write("l4-labels-idx1-ubyte.gz", labels(N, N + 2));
    IdxReader.Header h4 = IdxReader.readHeader(img2, lab4, CONF);
    assertEquals("more data after the 6 labels its header declares", fileError(new IdxRange(h4, 0, N, CONF,
        Set.of()), lab4));
    // A range that stops before the end does not look for what follows.
    assertEquals(2, rows(new IdxRange(h3, 0, 2, CONF, Set.of())).size());
  }

  @Test
  void plainImagesWithGzipLabelsAndAStreamCorruptInTheMiddle() throws IOException {
    // Plain images, gzip labels: the end check looks at the gzip file only.
    String img = write("mix-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
    String lab = write("mix-labels-idx1-ubyte.gz", labels(N, N + 1));
    IdxReader.Header h = IdxReader.readHeader(img, lab, CONF);
    assertEquals("more data after the 6 labels its header declares", fileError(new IdxRange(h, 0, N, CONF,
        Set.of()), lab));
    // A gzip images file with its compressed data damaged: the stream cannot be read on.
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(images(IdxReader.IMAGES_MAGIC, 200, 2, 3, 200));
    }
    byte[] damaged = gz.toByteArray();
    for (int i = 30; i < 40; i++) {
      damaged[i] = (byte) 0xff;
    }
    String bad = write("bad-images-idx3-ubyte.gz.raw", damaged);
    Path badGz = Files.move(Path.of(bad), dir.resolve("bad-images-idx3-ubyte.gz"));
    IdxReader.Header hb = new IdxReader.Header(badGz.toString(), write("b2-labels-idx1-ubyte", labels(200, 200)),
        200, 2, 3, true, badGz.toString());
    String reason = fileError(new IdxRange(hb, 0, 200, CONF, Set.of()), badGz.toString());
    assertTrue(reason.startsWith("cannot read image "), reason);
    // The same damage in a labels file.
    ByteArrayOutputStream lz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(lz)) {
      out.write(labels(2000, 2000));
    }
    byte[] badLabels = lz.toByteArray();
    for (int i = 20; i < 30; i++) {
      badLabels[i] = (byte) 0xff;
    }
    Path labelsGz = Files.move(Path.of(write("bl-labels-idx1-ubyte.gz.raw", badLabels)),
        dir.resolve("bl-labels-idx1-ubyte.gz"));
    String imagesOk = write("bl-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, 2000, 2, 3, 2000));
    IdxReader.Header hl = new IdxReader.Header(imagesOk, labelsGz.toString(), 2000, 2, 3, true, imagesOk);
    String labelReason = fileError(new IdxRange(hl, 0, 2000, CONF, Set.of()), labelsGz.toString());
    assertTrue(labelReason.startsWith("cannot read label "), labelReason);
  }

  @Test
  void aGzipFileWhoseTrailerDoesNotCheckOutIsOneFileErrorRow() throws IOException {
    // All images read, then the gzip trailer's CRC does not match: found by the end check.
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
    }
    byte[] bytes = gz.toByteArray();
    bytes[bytes.length - 8] ^= 0x01; // first byte of the CRC-32
    Path img = Files.move(Path.of(write("crc-images-idx3-ubyte.gz.raw", bytes)),
        dir.resolve("crc-images-idx3-ubyte.gz"));
    IdxReader.Header h = IdxReader.readHeader(img.toString(), write("crc-labels-idx1-ubyte", labels(N, N)), CONF);
    List<Row> all = rows(new IdxRange(h, 0, N, CONF, Set.of()));
    assertEquals(N + 1, all.size());
    String reason = all.get(N).getString(5).substring(PixelTable.FILE_ERROR.length());
    assertTrue(reason.startsWith("corrupt gzip stream after the last image: "), reason);
  }

  @Test
  void aRangeClosesItsFilesWhenDone() throws IOException {
    // Executors read thousands of ranges: each must close both files, also after a file error.
    Path fds = Path.of("/proc/self/fd");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "no /proc/self/fd here");
    for (String suffix : new String[] {"", ".gz"}) {
      IdxReader.Header h = pair(suffix);
      assertEquals(N, rows(new IdxRange(h, 0, N, CONF, Set.of())).size());
      assertEquals(0, openFiles(fds, h), "after a whole range" + suffix);
      IdxRange partly = new IdxRange(h, 0, N, CONF, Set.of());
      partly.next();
      assertTrue(openFiles(fds, h) > 0, "the listing sees open files");
      rows(partly);
      assertEquals(0, openFiles(fds, h), "after the rest" + suffix);
    }
    String img = write("short-images-idx3-ubyte.gz", images(IdxReader.IMAGES_MAGIC, N, 2, 3, 2));
    IdxReader.Header h = IdxReader.readHeader(img, write("short-labels-idx1-ubyte.gz", labels(N, N)), CONF);
    rows(new IdxRange(h, 0, N, CONF, Set.of()));
    assertEquals(0, openFiles(fds, h), "after a file error");
  }

  /** This process's open file descriptors on the header's two files. */
  private static long openFiles(Path fds, IdxReader.Header h) throws IOException {
    long n = 0;
    try (java.util.stream.Stream<Path> s = Files.list(fds)) {
      for (Path fd : s.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.equals(h.images()) || target.equals(h.labels())) {
            n++;
          }
        } catch (IOException | UnsupportedOperationException gone) {
          // closed meanwhile, or not a link
        }
      }
    }
    return n;
  }

  /**
   * A file gone between the driver's header read and the task's open is the store's failure, not the file's:
   * the task fails (Spark retries it), naming the file; no file error row.
   */
  @Test
  void aFileThatCannotBeOpenedFailsTheTaskNamingIt() throws IOException {
    IdxReader.Header h = pair("");
    String goneImages = dir.resolve("gone-images-idx3-ubyte").toString();
    IdxReader.Header gone = new IdxReader.Header(goneImages, h.labels(), N, 2, 3, false, goneImages);
    String m = assertThrows(JobException.class, () -> new IdxRange(gone, 0, N, CONF, Set.of())).getMessage();
    assertTrue(m.startsWith(goneImages + ": cannot read: ") && m.endsWith("(a storage error, not a bad file)"), m);
    String goneLabels = dir.resolve("gone-labels").toString();
    IdxReader.Header noLabels = new IdxReader.Header(h.images(), goneLabels, N, 2, 3, false, h.images());
    m = assertThrows(JobException.class, () -> new IdxRange(noLabels, 0, N, CONF, Set.of())).getMessage();
    assertTrue(m.startsWith(goneLabels + ": cannot read: ") && m.endsWith("(a storage error, not a bad file)"), m);
    // The images file, opened before the labels file failed, is closed again: a retried task leaks nothing.
    Path fds = Path.of("/proc/self/fd");
    if (Files.isDirectory(fds)) {
      assertEquals(0, openFiles(fds, noLabels), "the images file after the labels file failed to open");
    }
  }

  @Test
  void headerProblemsAreOneLineErrorsNamingTheFile() throws IOException {
    String lab = write("a-labels-idx1-ubyte", labels(N, N));
    String badMagic = write("m-images-idx3-ubyte", images(0x00000801, N, 2, 3, N));
    assertEquals(badMagic + ": magic number 0x00000801, expected 0x00000803 for IDX images (idx3 unsigned byte)",
        assertThrows(JobException.class, () -> IdxReader.readHeader(badMagic, lab, CONF)).getMessage());
    // gzip bytes under a plain name: the hint says to rename it.
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
    }
    String zipped = write("z-images-idx3-ubyte", gz.toByteArray());
    String msg = assertThrows(JobException.class, () -> IdxReader.readHeader(zipped, lab, CONF)).getMessage();
    assertTrue(msg.startsWith(zipped + ": magic number 0x1F8B08") && msg.endsWith("(it looks gzip-compressed: name"
        + " it " + zipped + ".gz)"), msg);
    String notGzip = write("p-images-idx3-ubyte.gz.raw", images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
    Path renamed = Files.move(Path.of(notGzip), dir.resolve("p-images-idx3-ubyte.gz"));
    assertTrue(assertThrows(JobException.class, () -> IdxReader.readHeader(renamed.toString(), lab, CONF))
        .getMessage().startsWith(renamed + ": not a gzip file ("));
    String shortHeader = write("s-images-idx3-ubyte", Arrays.copyOf(images(IdxReader.IMAGES_MAGIC, N, 2, 3, 0), 10));
    assertEquals(shortHeader + ": truncated: the IDX header is incomplete",
        assertThrows(JobException.class, () -> IdxReader.readHeader(shortHeader, lab, CONF)).getMessage());
    String missing = dir.resolve("none-images-idx3-ubyte").toString();
    assertEquals(missing + ": path does not exist",
        assertThrows(JobException.class, () -> IdxReader.readHeader(missing, lab, CONF)).getMessage());
  }

  @Test
  void countsShapesAndLengthsMustAgreeWithTheHeader() throws IOException {
    String lab = write("b-labels-idx1-ubyte", labels(N, N));
    String img = write("b-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
    String fewerLabels = write("c-labels-idx1-ubyte", labels(N - 1, N - 1));
    assertEquals(fewerLabels + ": has 5 labels but " + img + " has 6 images",
        assertThrows(JobException.class, () -> IdxReader.readHeader(img, fewerLabels, CONF)).getMessage());
    String zeroRows = write("d-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, N, 0, 3, 0));
    assertEquals(zeroRows + ": bad header: 6 images of 0x3",
        assertThrows(JobException.class, () -> IdxReader.readHeader(zeroRows, lab, CONF)).getMessage());
    String zeroCols = write("d2-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, N, 2, 0, 0));
    assertEquals(zeroCols + ": bad header: 6 images of 2x0",
        assertThrows(JobException.class, () -> IdxReader.readHeader(zeroCols, lab, CONF)).getMessage());
    String negative = write("d3-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, -1, 2, 3, 0));
    assertEquals(negative + ": bad header: -1 images of 2x3",
        assertThrows(JobException.class, () -> IdxReader.readHeader(negative, lab, CONF)).getMessage());
    String truncated = write("e-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, N, 2, 3, N - 1));
    assertEquals(truncated + ": truncated: header says 6 images of 2x3 (52 bytes), file has 46 bytes",
        assertThrows(JobException.class, () -> IdxReader.readHeader(truncated, lab, CONF)).getMessage());
    String extra = write("f-images-idx3-ubyte", Arrays.copyOf(images(IdxReader.IMAGES_MAGIC, N, 2, 3, N), 52 + 3));
    assertEquals(extra + ": 3 bytes after the 6 images of 2x3 its header declares",
        assertThrows(JobException.class, () -> IdxReader.readHeader(extra, lab, CONF)).getMessage());
    String extraLabels = write("g-labels-idx1-ubyte", Arrays.copyOf(labels(N, N), 8 + N + 1));
    assertEquals(extraLabels + ": 1 bytes after the 6 labels its header declares",
        assertThrows(JobException.class, () -> IdxReader.readHeader(img, extraLabels, CONF)).getMessage());
    String shortLabels = write("h-labels-idx1-ubyte", labels(N, N - 2));
    assertEquals(shortLabels + ": truncated: header says 6 labels (14 bytes), file has 12 bytes",
        assertThrows(JobException.class, () -> IdxReader.readHeader(img, shortLabels, CONF)).getMessage());
    // 1x1 images and an empty dataset are valid headers.
    String tiny = write("t1-images-idx3-ubyte", Arrays.copyOf(images(IdxReader.IMAGES_MAGIC, N, 1, 1, 0), 16 + N));
    IdxReader.Header one = IdxReader.readHeader(tiny, lab, CONF);
    assertEquals(1, one.pixels());
    assertEquals(N, one.count());
    String none = write("n-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, 0, 2, 3, 0));
    assertEquals(0, IdxReader.readHeader(none, write("n-labels-idx1-ubyte", labels(0, 0)), CONF).count());
  }

  @Test
  void theLabelsFileIsFoundBesideTheImagesPreferringGzip() throws IOException {
    String img = write("train-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, N, 2, 3, N));
    String msg = assertThrows(JobException.class, () -> IdxReader.labelsBeside(img, CONF)).getMessage();
    assertEquals(img + ": labels file not found (looked for " + dir.resolve("train-labels-idx1-ubyte.gz") + " and "
        + dir.resolve("train-labels-idx1-ubyte") + "); give the labels file with --train-idx-labels,"
        + " --valid-idx-labels or (ingest) --idx-labels", msg.replace("file:", ""));
    String plain = write("train-labels-idx1-ubyte", labels(N, N));
    assertTrue(IdxReader.labelsBeside(img, CONF).endsWith(plain));
    String gz = write("train-labels-idx1-ubyte.gz", labels(N, N));
    assertTrue(IdxReader.labelsBeside(img, CONF).endsWith(gz));
    assertTrue(IdxReader.labelsBeside(img + ".gz", CONF).endsWith(gz));
    String odd = dir.resolve("digits.bin").toString();
    assertTrue(assertThrows(JobException.class, () -> IdxReader.labelsBeside(odd, CONF)).getMessage()
        .startsWith(odd + ": cannot derive the labels file name"));
  }
}
