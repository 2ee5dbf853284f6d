package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.SparkTestSession;

/**
 * The folder reader on PNGs that ImageIO writes in the test: {@code <root>/<label>/<image>}, all 2 rows x 3
 * columns.
 */
class ImageFolderReaderTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final int H = 2;
  private static final int W = 3;

  /** 8-bit gray, row-major. */
  private static final int[] GRAY8 = {0, 1, 127, 128, 200, 255};
  /** 16-bit gray samples and what they must become: round(v / 257), never the low (or high) byte. */
  private static final int[] GRAY16 = {0, 128, 129, 51528, 0x12FF, 65535};
  // 128/257 = 0.498 -> 0; 129/257 = 0.502 -> 1; 51528 = 0xC948, /257 = 200.498 -> 200 (low byte 72, high 201);
  // 0x12FF = 4863, /257 = 18.92 -> 19 (low byte 255, high 18); 65535/257 = 255.
  private static final int[] GRAY16_EXPECTED = {0, 0, 1, 200, 19, 255};
  /** An RGB picture whose pixels all have R = G = B. */
  private static final int[] RGB_GRAYS = {9, 80, 160, 33, 0, 254};

  @TempDir
  static Path root;

  @BeforeAll
  static void writeImages() throws IOException {
    BufferedImage g8 = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
    g8.getRaster().setPixels(0, 0, W, H, GRAY8);
    png(g8, "a/gray8.png");

    BufferedImage rgb = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < RGB_GRAYS.length; i++) {
      int v = RGB_GRAYS[i];
      rgb.setRGB(i % W, i / W, (v << 16) | (v << 8) | v);
    }
    png(rgb, "a/rgb-gray.png");

    BufferedImage g16 = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setPixels(0, 0, W, H, GRAY16);
    png(g16, "b/gray16.png");

    BufferedImage translucent = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
    for (int i = 0; i < W * H; i++) {
      translucent.setRGB(i % W, i / W, 0xff505050);
    }
    translucent.setRGB(1, 0, (128 << 24) | (10 << 16) | (20 << 8) | 30);
    png(translucent, "c/translucent.png");
  }

  private static void png(BufferedImage image, String name) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(image, "png", file.toFile()));
  }

  /** PNG IHDR: bit depth is byte 24 of the file, colour type byte 25 (0 gray, 2 RGB). */
  private static int[] bitDepthAndColourType(String name) throws IOException {
    byte[] b = Files.readAllBytes(root.resolve(name));
    return new int[] {b[24], b[25]};
  }

  private static Map<String, Row> byFile(ImageSet set) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : set.images().collectAsList()) {
      String origin = r.getString(2);
      out.put(origin.substring(origin.lastIndexOf('/', origin.lastIndexOf('/') - 1) + 1), r);
    }
    return out;
  }

  private static byte[] bytes(int[] values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void aBadReadConcurrencyFailsNamingTheSetting() {
    for (String bad : new String[] {"0", "-3", "many", "2.5"}) {
      SPARK.conf().set(ImageRows.CONCURRENCY, bad);
      try {
        JobException e = assertThrows(JobException.class, () -> ImageFolderReader.read(SPARK, root.toString(),
            Set.of()));
        assertEquals("spark.pixelsimilarity.read.concurrency: must be a whole number of files, 1 or more, got '"
            + bad + "'", e.getMessage());
      } finally {
        SPARK.conf().unset(ImageRows.CONCURRENCY);
      }
    }
  }

  @Test
  void theTestFilesAreWhatTheyClaim() throws IOException {
    assertArrayEquals(new int[] {8, 0}, bitDepthAndColourType("a/gray8.png"));
    assertArrayEquals(new int[] {16, 0}, bitDepthAndColourType("b/gray16.png"));
    assertArrayEquals(new int[] {8, 2}, bitDepthAndColourType("a/rgb-gray.png"));
    boolean lowByteDiffers = false;
    for (int i = 0; i < GRAY16.length; i++) {
      lowByteDiffers |= (GRAY16[i] & 0xff) != GRAY16_EXPECTED[i];
    }
    assertTrue(lowByteDiffers, "the 16-bit image must tell round(v/257) from the low byte");
  }

  @Test
  void readsGrayExactlyConverts16BitAndGrayRgbAndLabelsByFolder() {
    DatasetSpec spec = DatasetSpec.of("train", root.toString()).withMaxRejectedFraction(0.5);
    try (ImageSet set = ImageSets.read(SPARK, spec, null)) {
      assertEquals(InputFormat.FOLDER, set.format());
      assertEquals(new Shape(H, W), set.shape());
      assertEquals(Map.of("a", 2L, "b", 1L), set.countsByLabel());
      Map<String, Row> images = byFile(set);
      assertEquals(Set.of("a/gray8.png", "a/rgb-gray.png", "b/gray16.png"), images.keySet());
      assertEquals("a", images.get("a/gray8.png").getString(0));
      assertArrayEquals(bytes(GRAY8), (byte[]) images.get("a/gray8.png").get(1));
      assertEquals("a", images.get("a/rgb-gray.png").getString(0));
      assertArrayEquals(bytes(RGB_GRAYS), (byte[]) images.get("a/rgb-gray.png").get(1));
      assertEquals("b", images.get("b/gray16.png").getString(0));
      byte[] g16 = (byte[]) images.get("b/gray16.png").get(1);
      assertArrayEquals(bytes(GRAY16_EXPECTED), g16);
      assertNotEquals(72, g16[3] & 0xff, "the low byte of 51528 would be 72");
    }
  }

  @Test
  void aTranslucentPixelRejectsTheImageNamingThePixel() {
    DatasetSpec spec = DatasetSpec.of("train", root.toString()).withMaxRejectedFraction(0.5);
    try (ImageSet set = ImageSets.read(SPARK, spec, null)) {
      assertEquals(1, set.rejectedCount());
      List<Row> rejected = set.rejected().collectAsList();
      assertEquals(1, rejected.size());
      assertTrue(rejected.get(0).getString(0).endsWith("/c/translucent.png"), rejected.get(0).getString(0));
      assertEquals("RGBA image: pixel (1,0) alpha 128: transparent images are not read",
          rejected.get(0).getString(1));
    }
  }

  @Test
  void failFastStopsAtTheTranslucentImageWithItsName() {
    DatasetSpec spec = DatasetSpec.of("train", root.toString()).withMode(ReadMode.FAILFAST);
    JobException e = assertThrows(JobException.class, () -> ImageSets.read(SPARK, spec, null));
    assertTrue(e.getMessage().matches(".*/c/translucent\\.png: RGBA image: pixel \\(1,0\\) alpha 128: transparent"
        + " images are not read.*"), e.getMessage());
  }

  @Test
  void tooManyRejectedImagesStopTheRun() {
    // 1 of 4 images rejected is 25%, over the default 1%.
    JobException e = assertThrows(JobException.class,
        () -> ImageSets.read(SPARK, DatasetSpec.of("train", root.toString()), null));
    assertTrue(e.getMessage().contains("1 of 4 images rejected"), e.getMessage());
  }

  @Test
  void labelsFilterReadsOnlyThoseFolders() {
    DatasetSpec spec = DatasetSpec.of("train", root.toString()).withLabels(Set.of("a", "b"))
        .withMode(ReadMode.FAILFAST);
    try (ImageSet set = ImageSets.read(SPARK, spec, null)) {
      assertEquals(Map.of("a", 2L, "b", 1L), set.countsByLabel());
      assertEquals(0, set.rejectedCount());
    }
    DatasetSpec onlyA = DatasetSpec.of("train", root.toString()).withLabels(Set.of("a", "zzz"));
    try (ImageSet set = ImageSets.read(SPARK, onlyA, null)) {
      assertEquals(Map.of("a", 2L), set.countsByLabel());
    }
  }

  @Test
  void aFileThatIsNoImageIsRejectedWithAReason(@TempDir Path other) throws IOException {
    Files.createDirectories(other.resolve("x"));
    Files.copy(root.resolve("a/gray8.png"), other.resolve("x/ok.png"));
    Files.writeString(other.resolve("x/notes.png"), "not a picture");
    DatasetSpec spec = DatasetSpec.of("train", other.toString()).withMaxRejectedFraction(0.5);
    try (ImageSet set = ImageSets.read(SPARK, spec, null)) {
      assertEquals(Map.of("x", 1L), set.countsByLabel());
      Row r = set.rejected().first();
      assertTrue(r.getString(0).endsWith("/x/notes.png"), r.getString(0));
      assertTrue(r.getString(1).startsWith("not an image"), r.getString(1));
    }
  }
}
