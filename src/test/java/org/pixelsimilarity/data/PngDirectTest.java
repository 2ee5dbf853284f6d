package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * The direct PNG path against ImageIO: on every file, {@link ImageDecoder#decode} (direct path first) gives what
 * {@link ImageDecoder#decodeWithImageIo} gives, the same pixels or the same rejection reason; the direct path
 * is taken for the simple files (else these tests would compare ImageIO with itself) and declines all others.
 */
class PngDirectTest {
  private static final int W = 13;
  private static final int H = 11;

  /** Random 8-bit samples (fixed seed): every filter type meets wrap-around, ties in Paeth, both halves. */
  private static int[] samples(int n, int max, long seed) {
    Random r = new Random(seed);
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = r.nextInt(max + 1);
    }
    return s;
  }

  private static TestPng gray8(int[] filters) {
    TestPng png = new TestPng(W, H, 0, samples(W * H, 255, 7));
    png.filters = filters;
    return png;
  }

  /** An 8-bit RGB file of random (so coloured) pixels. */
  private static TestPng rgb8(int[] filters) {
    TestPng png = new TestPng(W, H, 2, samples(3 * W * H, 255, 9));
    png.filters = filters;
    return png;
  }

  /** The outcome of a decoder: pixels as text with the shape, or the rejection reason. */
  private static String outcome(Decoder d, byte[] bytes) {
    try {
      ImageDecoder.Decoded r = d.decode(bytes);
      return r.height() + "x" + r.width() + "x" + r.channels() + " " + Arrays.toString(r.pixels());
    } catch (ImageDecoder.BadImage e) {
      return "rejected: " + e.getMessage();
    }
  }

  private interface Decoder {
    ImageDecoder.Decoded decode(byte[] b) throws ImageDecoder.BadImage;
  }

  private static void sameAsImageIo(byte[] bytes) {
    assertEquals(outcome(ImageDecoder::decodeWithImageIo, bytes), outcome(ImageDecoder::decode, bytes));
  }

  private static byte[] asUnsigned(int[] samples) {
    byte[] b = new byte[samples.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) samples[i];
    }
    return b;
  }

  @Test
  void eachFilterTypeAndAMixOfThemDecodeDirectlyToTheSamplesWritten() {
    int[][] filterSets = {{0}, {1}, {2}, {3}, {4}, {4, 3, 2, 1, 0}, {2, 4, 1, 3}};
    for (int[] filters : filterSets) {
      TestPng png = gray8(filters);
      byte[] bytes = png.bytes();
      ImageDecoder.Decoded direct = PngDirect.decode(bytes);
      assertNotNull(direct, "filters " + Arrays.toString(filters) + " take the direct path");
      assertEquals(H, direct.height());
      assertEquals(W, direct.width());
      assertArrayEquals(asUnsigned(png.samples), direct.pixels(), "filters " + Arrays.toString(filters));
      sameAsImageIo(bytes);
    }
  }

  @Test
  void paethTiesGoToLeftThenAboveAsTheSpecificationOrdersThem() {
    // Paeth's predictor is the neighbour nearest p = left + above - upper-left; ties go to left, then above.
    // Pixel (1,1): left 11, above 8, upper-left 10: p = 9, distances 2, 1, 1: above and upper-left tie: above (8).
    // Pixel (3,1): left 8, above 11, upper-left 10: p = 9, distances 1, 2, 1: left and upper-left tie: left (8).
    int[] samples = {10, 8, 10, 11, 11, 50, 8, 77};
    TestPng png = new TestPng(4, 2, 0, samples);
    png.filters = new int[] {4};
    ImageDecoder.Decoded direct = PngDirect.decode(png.bytes());
    assertNotNull(direct);
    assertArrayEquals(asUnsigned(samples), direct.pixels());
    sameAsImageIo(png.bytes());
    TestPng rgb = new TestPng(4, 2, 2, interleave(samples, -1));
    rgb.samples[0] = 9; // one coloured pixel keeps it a colour image
    rgb.filters = new int[] {4};
    assertArrayEquals(asUnsigned(rgb.samples), PngDirect.decode(rgb.bytes()).pixels());
    sameAsImageIo(rgb.bytes());
  }

  @Test
  void eightBitRgbDecodesDirectlyToTheInterleavedSamplesWritten() {
    int[][] filterSets = {{0}, {1}, {2}, {3}, {4}, {4, 3, 2, 1, 0}, {2, 4, 1, 3}};
    for (int[] filters : filterSets) {
      TestPng png = rgb8(filters);
      byte[] bytes = png.bytes();
      ImageDecoder.Decoded direct = PngDirect.decode(bytes);
      assertNotNull(direct, "RGB, filters " + Arrays.toString(filters) + " take the direct path");
      assertEquals(H, direct.height());
      assertEquals(W, direct.width());
      assertEquals(3, direct.channels());
      assertArrayEquals(asUnsigned(png.samples), direct.pixels(), "filters " + Arrays.toString(filters));
      sameAsImageIo(bytes);
    }
    // An RGB file whose pixels are all gray is a gray image, on both paths.
    TestPng grayInRgb = new TestPng(W, H, 2, interleave(samples(W * H, 255, 3), -1));
    grayInRgb.filters = new int[] {4, 3, 2, 1, 0};
    ImageDecoder.Decoded direct = PngDirect.decode(grayInRgb.bytes());
    assertEquals(1, direct.channels());
    assertArrayEquals(asUnsigned(samples(W * H, 255, 3)), direct.pixels());
    sameAsImageIo(grayInRgb.bytes());
    // A one-pixel-wide RGB image: filters "left" of the first pixel see zeros.
    TestPng narrow = new TestPng(1, 5, 2, samples(15, 255, 12));
    narrow.filters = new int[] {1, 3, 4, 2, 0};
    assertArrayEquals(asUnsigned(narrow.samples), PngDirect.decode(narrow.bytes()).pixels());
    sameAsImageIo(narrow.bytes());
  }

  @Test
  void zlibDataSplitOverManyIdatChunksDecodesDirectly() {
    for (int size : new int[] {1, 2, 7, 64}) {
      for (TestPng png : List.of(gray8(new int[] {4, 1, 2, 3, 0}), rgb8(new int[] {4, 1, 2, 3, 0}))) {
        png.idatSize = size;
        byte[] bytes = png.bytes();
        assertNotNull(PngDirect.decode(bytes), "IDAT chunks of " + size + " bytes");
        assertArrayEquals(asUnsigned(png.samples), PngDirect.decode(bytes).pixels());
        sameAsImageIo(bytes);
      }
    }
  }

  @Test
  void everyOtherKindOfPngGoesToImageIoAndDecodesAsImageIoDecodesIt() {
    List<TestPng> others = new java.util.ArrayList<>();
    TestPng adam7 = gray8(new int[] {0, 1, 2, 3, 4});
    adam7.adam7 = true;
    others.add(adam7);
    TestPng adam7Rgb = rgb8(new int[] {0, 1, 2, 3, 4});
    adam7Rgb.adam7 = true;
    others.add(adam7Rgb);
    for (int depth : new int[] {1, 2, 4, 16}) {
      TestPng g = new TestPng(W, H, 0, samples(W * H, (1 << depth) - 1, depth));
      g.bitDepth = depth;
      g.filters = new int[] {0, 1, 2, 3, 4};
      others.add(g);
    }
    int[] grays = samples(W * H, 255, 3);
    others.add(new TestPng(W, H, 4, interleave(grays, 255))); // gray+alpha, opaque: accepted
    others.add(new TestPng(W, H, 4, samples(2 * W * H, 255, 4))); // transparent: rejected
    TestPng rgb16 = new TestPng(W, H, 2, samples(3 * W * H, 65535, 5)); // RGB, 16 bits
    rgb16.bitDepth = 16;
    rgb16.filters = new int[] {0, 1, 2, 3, 4};
    others.add(rgb16);
    others.add(new TestPng(W, H, 6, samples(4 * W * H, 255, 6))); // RGBA, transparent: rejected
    others.add(new TestPng(W, H, 6, withOpaqueAlpha(samples(3 * W * H, 255, 6), 255))); // RGBA, opaque
    TestPng rgba16 = new TestPng(W, H, 6, withOpaqueAlpha(samples(3 * W * H, 65535, 6), 65535));
    rgba16.bitDepth = 16;
    others.add(rgba16);
    for (int depth : new int[] {1, 2, 4, 8}) {
      TestPng palette = new TestPng(W, H, 3, samples(W * H, depth == 1 ? 1 : 3, 8));
      palette.bitDepth = depth;
      palette.palette = new byte[] {0, 0, 0, 50, 60, 70, (byte) 200, (byte) 200, (byte) 200, 1, 2, 3};
      others.add(palette);
      TestPng opaqueTrns = new TestPng(W, H, 3, samples(W * H, depth == 1 ? 1 : 3, 8));
      opaqueTrns.bitDepth = depth;
      opaqueTrns.palette = palette.palette;
      opaqueTrns.extraChunks = new byte[][] {chunkBytes("tRNS", new byte[] {(byte) 255, (byte) 255})};
      others.add(opaqueTrns);
      TestPng translucent = new TestPng(W, H, 3, samples(W * H, depth == 1 ? 1 : 3, 8));
      translucent.bitDepth = depth;
      translucent.palette = palette.palette;
      translucent.extraChunks = new byte[][] {chunkBytes("tRNS", new byte[] {(byte) 255, (byte) 128})};
      others.add(translucent);
    }
    TestPng transparency = gray8(new int[] {0}); // a tRNS chunk makes one gray value transparent
    transparency.extraChunks = new byte[][] {chunkBytes("tRNS", new byte[] {0, (byte) transparency.samples[0]})};
    others.add(transparency);
    TestPng text = gray8(new int[] {1});
    text.extraChunks = new byte[][] {chunkBytes("tEXt", "Comment\0hello".getBytes())};
    others.add(text);
    for (TestPng png : others) {
      byte[] bytes = png.bytes();
      assertNull(PngDirect.decode(bytes), "type " + png.colourType + ", depth " + png.bitDepth + ", Adam7 "
          + png.adam7);
      sameAsImageIo(bytes);
    }
  }

  /** Gray values as gray+alpha ({@code alpha} ≥ 0) or RGB ({@code alpha} < 0) samples. */
  private static int[] interleave(int[] grays, int alpha) {
    int ch = alpha >= 0 ? 2 : 3;
    int[] s = new int[grays.length * ch];
    for (int i = 0; i < grays.length; i++) {
      for (int c = 0; c < ch; c++) {
        s[i * ch + c] = alpha >= 0 && c == 1 ? alpha : grays[i];
      }
    }
    return s;
  }

  /** RGB samples with an alpha sample of {@code alpha} after each pixel's three. */
  private static int[] withOpaqueAlpha(int[] rgb, int alpha) {
    int[] s = new int[rgb.length / 3 * 4];
    for (int i = 0; i < rgb.length / 3; i++) {
      System.arraycopy(rgb, 3 * i, s, 4 * i, 3);
      s[4 * i + 3] = alpha;
    }
    return s;
  }

  private static byte[] chunkBytes(String type, byte[] data) {
    byte[] c = new byte[4 + data.length];
    System.arraycopy(type.getBytes(), 0, c, 0, 4);
    System.arraycopy(data, 0, c, 4, data.length);
    return c;
  }

  @Test
  void everyTruncationPointOfAFileEndsAsWithImageIo() {
    everyTruncationPointEndsAsWithImageIo(gray8(new int[] {4, 3, 2, 1, 0}), 1);
  }

  @Test
  void everyTruncationPointOfAnRgbFileEndsAsWithImageIo() {
    everyTruncationPointEndsAsWithImageIo(rgb8(new int[] {4, 3, 2, 1, 0}), 3);
  }

  private static void everyTruncationPointEndsAsWithImageIo(TestPng png, int channels) {
    png.idatSize = 40; // several IDAT chunks, so cuts fall in chunk headers, data and CRCs
    byte[] whole = png.bytes();
    int iend = whole.length - 12;
    String accepted = outcome(ImageDecoder::decode, whole);
    assertEquals(H + "x" + W + "x" + channels + " " + Arrays.toString(asUnsigned(png.samples)), accepted);
    assertNotNull(PngDirect.decode(whole), "the whole file takes the direct path");
    for (int cut = 1; cut < whole.length; cut++) { // cut 0, the empty file, is refused before any decoding
      byte[] prefix = Arrays.copyOf(whole, cut);
      String got = outcome(ImageDecoder::decode, prefix);
      assertEquals(outcome(ImageDecoder::decodeWithImageIo, prefix), got, "cut at " + cut + " of " + whole.length);
      assertNull(PngDirect.decode(prefix), "a cut file never takes the direct path");
      if (cut < 8) { // not even the PNG signature
        assertTrue(got.startsWith("rejected: not an image"), "cut at " + cut + ": " + got);
      } else if (cut < 33 + 8 + 40) { // in IHDR or the first IDAT chunk: most rows are missing
        assertTrue(got.startsWith("rejected: corrupt or truncated image"), "cut at " + cut + ": " + got);
      } else if (cut < iend) { // rejected, or (zlib's checksum and CRCs cut, rows complete) the whole image
        assertTrue(got.startsWith("rejected: corrupt or truncated image") || got.equals(accepted), "cut " + cut);
      } else if (cut >= iend) { // only the end marker is missing: the pixels are all there
        assertEquals(accepted, got, "cut at " + cut);
      }
    }
  }

  @Test
  void damagedFilesEndAsWithImageIo() {
    byte[] whole = gray8(new int[] {4, 1}).bytes();
    Random r = new Random(11);
    for (byte[] file : List.of(whole, rgb8(new int[] {3, 4}).bytes())) {
      for (int i = 0; i < 300; i++) {
        byte[] bad = file.clone();
        int at = 8 + r.nextInt(file.length - 8);
        bad[at] ^= (byte) (1 + r.nextInt(255));
        sameAsImageIo(bad);
      }
    }
    TestPng badFilter = gray8(new int[] {0, 5}); // filter type 5 does not exist
    sameAsImageIo(badFilter.bytes());
    assertTrue(outcome(ImageDecoder::decode, badFilter.bytes()).startsWith("rejected: corrupt or truncated image"));
    ByteArrayOutputStream trailing = new ByteArrayOutputStream();
    trailing.writeBytes(whole);
    trailing.writeBytes(new byte[] {1, 2, 3});
    sameAsImageIo(trailing.toByteArray());
  }

  /** An 8-bit PNG file of IHDR, one IDAT chunk of {@code zlib} and IEND, every CRC correct. */
  private static byte[] pngFile(int w, int h, int colourType, byte[] zlib) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    TestPng.chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) colourType)
        .put((byte) 0).put((byte) 0).put((byte) 0).array());
    TestPng.chunk(out, "IDAT", zlib);
    TestPng.chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** {@code raw} as one zlib stream, with a preset dictionary when {@code dictionary} is not null. */
  private static byte[] zlib(byte[] raw, byte[] dictionary) {
    Deflater d = new Deflater();
    if (dictionary != null) {
      d.setDictionary(dictionary);
    }
    d.setInput(raw);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  @Test
  void aWrongCrcInAnyChunkSendsTheFileToImageIo() {
    // The direct path answers only for chunks whose CRC is right. Signature 8 bytes, IHDR 8 + 13 + CRC at 29..32,
    // then each IDAT chunk (idatSize 40: 12 + 40 bytes, its CRC the last 4) and IEND (CRC the last 4 bytes).
    TestPng png = gray8(new int[] {4, 1});
    png.idatSize = 40;
    byte[] whole = png.bytes();
    assertNotNull(PngDirect.decode(whole));
    for (int at : new int[] {29, 32, 33 + 48, 33 + 52 + 48, whole.length - 1}) {
      byte[] bad = whole.clone();
      bad[at] ^= 1;
      assertNull(PngDirect.decode(bad), "CRC byte " + at + " of " + whole.length);
      sameAsImageIo(bad);
    }
  }

  @Test
  void imagesOfNoRowsOrNoColumnsGoToImageIo() {
    // Width 0 with 3 rows: the zlib data is the 3 rows' filter bytes alone. Height 0: no data at all.
    byte[] noColumns = pngFile(0, 3, 0, zlib(new byte[3], null));
    assertNull(PngDirect.decode(noColumns));
    sameAsImageIo(noColumns);
    byte[] noRows = pngFile(3, 0, 0, zlib(new byte[0], null));
    assertNull(PngDirect.decode(noRows));
    sameAsImageIo(noRows);
    // The same with a row of three zeros is an ordinary 3x1 image.
    assertArrayEquals(new byte[3], PngDirect.decode(pngFile(3, 1, 0, zlib(new byte[4], null))).pixels());
  }

  @Test
  void aZlibStreamAskingForAPresetDictionaryGoesToImageIo() {
    // PNG forbids preset dictionaries; the inflater stops and asks for one (no output, no input taken).
    byte[] rows = new byte[2 * (2 + 1)];
    byte[] withDictionary = pngFile(2, 2, 0, zlib(rows, new byte[] {1, 2, 3, 4}));
    assertNull(PngDirect.decode(withDictionary));
    sameAsImageIo(withDictionary);
    assertArrayEquals(new byte[4], PngDirect.decode(pngFile(2, 2, 0, zlib(rows, null))).pixels());
  }

  @Test
  void theDirectPathTakesImagesOfUpTo2To24Pixels() {
    // 4096 x 4096 = 2^24 pixels, all 0: direct. 4097 x 4096, one column more: ImageIO's (not decoded here).
    ImageDecoder.Decoded largest = PngDirect.decode(pngFile(4096, 4096, 0, zlib(new byte[4096 * 4097], null)));
    assertNotNull(largest);
    assertEquals(4096, largest.width());
    assertEquals(4096 * 4096, largest.pixels().length);
    assertNull(PngDirect.decode(pngFile(4097, 4096, 0, zlib(new byte[4096 * 4098], null))));
  }

  @Test
  void everyBundledSampleImageDecodesDirectlyToImageIosPixels() throws IOException {
    Path sample = Path.of(System.getProperty("project.basedir", "."), "data", "mnist_sample");
    List<Path> files;
    try (Stream<Path> s = Files.walk(sample)) {
      files = s.filter(p -> p.toString().endsWith(".png")).toList();
    }
    assertTrue(files.size() > 2000, "the sample has its 2,102 images");
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      ImageDecoder.Decoded direct = PngDirect.decode(bytes);
      assertNotNull(direct, f + " takes the direct path");
      assertEquals(outcome(ImageDecoder::decodeWithImageIo, bytes), outcome(b -> direct, bytes), f.toString());
    }
  }
}
