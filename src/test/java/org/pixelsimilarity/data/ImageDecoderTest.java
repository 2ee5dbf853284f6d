package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.data.TestPng.png;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The image rules of docs/inputs.md, gray and colour, without Spark: PNG files built byte by byte ({@link TestPng}), expected
 * pixels from the rule's formula computed here ({@code v * 255 / (2^bits - 1)} exact for 1, 2, 4 bits;
 * {@code round(v / 257)} for 16).
 */
class ImageDecoderTest {
  private static final int GRAY = 0;
  private static final int PALETTE = 3;
  private static final int GRAY_ALPHA = 4;

  /** One sample per pixel. */
  private static int[][] gray(int... v) {
    int[][] s = new int[v.length][];
    for (int i = 0; i < v.length; i++) {
      s[i] = new int[] {v[i]};
    }
    return s;
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void eightBitGrayIsUsedAsItIs() throws Exception {
    int[] v = {0, 1, 127, 128, 200, 254, 255, 3};
    ImageDecoder.Decoded d = ImageDecoder.decode(png(4, 2, 8, GRAY, gray(v), null, true));
    assertEquals(2, d.height());
    assertEquals(4, d.width());
    assertArrayEquals(bytes(v), d.pixels());
  }

  @Test
  void oneTwoAndFourBitGrayAreScaledExactly() throws Exception {
    for (int bits : new int[] {1, 2, 4}) {
      int max = (1 << bits) - 1;
      // Every value of the depth, over a width that leaves a partly filled last byte in each row.
      int width = max + 2;
      int[] v = new int[width * 2];
      int[] expected = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (i * 7) % (max + 1);
        expected[i] = v[i] * (255 / max); // 255 / 1, 255 / 3, 255 / 15 are whole: the scaling is exact
      }
      ImageDecoder.Decoded d = ImageDecoder.decode(png(width, 2, bits, GRAY, gray(v), null, true));
      assertEquals(width, d.width(), bits + " bits");
      assertArrayEquals(bytes(expected), d.pixels(), bits + " bits");
    }
  }

  @Test
  void sixteenBitGrayRoundsToTheNearestByteNotTheLowByte() throws Exception {
    // 385 / 257 = 1.498 -> 1, 386 / 257 = 1.502 -> 2, 65406 / 257 = 254.498 -> 254; 0x01FF's low byte would be
    // 255, its nearest byte is 2.
    int[] v = {0, 128, 129, 385, 386, 0x01FF, 65535, 65406};
    ImageDecoder.Decoded d = ImageDecoder.decode(png(4, 2, 16, GRAY, gray(v), null, true));
    int[] expected = Arrays.stream(v).map(x -> (int) Math.round(x / 257.0)).toArray();
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 255, 254}, expected, "hand check of the rule");
    assertArrayEquals(bytes(expected), d.pixels());
  }

  @Test
  void sampleScalingFollowsTheFormulaForEveryDepth() {
    for (int bits = 1; bits <= 16; bits++) {
      int max = (1 << bits) - 1;
      for (int v = 0; v <= max; v += bits > 10 ? 7 : 1) {
        assertEquals(Math.round(v * 255.0 / max), ImageDecoder.scale(v, max), bits + " bits, " + v);
      }
      assertEquals(255, ImageDecoder.scale(max, max), bits + " bits, max");
    }
  }

  @Test
  void grayWithOpaqueAlphaIsReadAndATransparentPixelIsNamed() throws Exception {
    int[][] opaque = {{10, 255}, {20, 255}, {30, 255}, {40, 255}};
    assertArrayEquals(bytes(10, 20, 30, 40), ImageDecoder.decode(png(2, 2, 8, GRAY_ALPHA, opaque, null, true))
        .pixels());
    // 8-bit gray values are the bytes themselves, at the top of the range too.
    int[][] bright = {{250, 255}, {255, 255}, {0, 255}, {128, 255}};
    assertArrayEquals(bytes(250, 255, 0, 128), ImageDecoder.decode(png(2, 2, 8, GRAY_ALPHA, bright, null, true))
        .pixels());
    int[][] seeThrough = {{10, 255}, {20, 255}, {30, 254}, {40, 255}};
    ImageDecoder.BadImage e = assertThrows(ImageDecoder.BadImage.class,
        () -> ImageDecoder.decode(png(2, 2, 8, GRAY_ALPHA, seeThrough, null, true)));
    assertEquals("gray+alpha image has a transparent pixel at (0,1); only fully opaque images are read",
        e.getMessage());
  }

  @Test
  void paletteImagesExpandThroughTheirPaletteToGrayOrColour() throws Exception {
    // Entry 2 is coloured but unused in the first image: only the pixels count, and all its pixels are gray.
    int[] palette = {0, 0, 0, 90, 90, 90, 255, 0, 0, 255, 255, 255};
    ImageDecoder.Decoded d = ImageDecoder.decode(png(3, 1, 8, PALETTE, gray(3, 1, 0), palette, true));
    assertEquals(1, d.channels());
    assertArrayEquals(bytes(255, 90, 0), d.pixels());
    // One red pixel: a colour image, every pixel as R, G, B.
    ImageDecoder.Decoded c = ImageDecoder.decode(png(3, 1, 8, PALETTE, gray(3, 2, 0), palette, true));
    assertEquals(3, c.channels());
    assertArrayEquals(bytes(255, 255, 255, 255, 0, 0, 0, 0, 0), c.pixels());
    // 2-bit indices, the same palette.
    ImageDecoder.Decoded c2 = ImageDecoder.decode(png(3, 1, 2, PALETTE, gray(2, 1, 3), palette, true));
    assertArrayEquals(bytes(255, 0, 0, 90, 90, 90, 255, 255, 255), c2.pixels());
  }

  @Test
  void aPaletteTransparencyChunkIsReadAndATranslucentPixelIsNamed() throws Exception {
    int[] palette = {0, 0, 0, 90, 90, 90, 255, 0, 0};
    // tRNS: entry 0 opaque, entry 1 alpha 128, entry 2 (not listed) opaque.
    TestPng png = new TestPng(3, 2, PALETTE, new int[] {0, 2, 2, 2, 0, 0});
    png.palette = new byte[palette.length];
    for (int i = 0; i < palette.length; i++) {
      png.palette[i] = (byte) palette[i];
    }
    png.extraChunks = new byte[][] {trns((byte) 255, (byte) 128)};
    assertArrayEquals(bytes(0, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0),
        ImageDecoder.decode(png.bytes()).pixels(), "entry 1 unused: opaque");
    png.samples = new int[] {0, 2, 2, 2, 1, 0};
    assertEquals("palette image: pixel (1,1) alpha 128: transparent images are not read",
        assertThrows(ImageDecoder.BadImage.class, () -> ImageDecoder.decode(png.bytes())).getMessage());
  }

  private static byte[] trns(byte... alphas) {
    byte[] c = new byte[4 + alphas.length];
    System.arraycopy("tRNS".getBytes(), 0, c, 0, 4);
    System.arraycopy(alphas, 0, c, 4, alphas.length);
    return c;
  }

  @Test
  void rgbAndRgbaPngsAreReadInColourAndSixteenBitsRounded() throws Exception {
    int[][] rgb = {{255, 0, 0}, {0, 128, 0}, {1, 2, 3}, {9, 9, 9}};
    ImageDecoder.Decoded d = ImageDecoder.decode(png(2, 2, 8, 2, rgb, null, true));
    assertEquals(3, d.channels());
    assertArrayEquals(bytes(255, 0, 0, 0, 128, 0, 1, 2, 3, 9, 9, 9), d.pixels());
    // 16 bits: round(v / 257). 385 / 257 = 1.498 -> 1; 386 -> 1.502 -> 2; 0x01FF = 511 -> 1.988 -> 2 (low byte
    // 255); 65535 -> 255; 65406 -> 254.498 -> 254; 128 -> 0.498 -> 0; 129 -> 0.502 -> 1.
    int[][] deep = {{385, 386, 0x01FF}, {65535, 65406, 0}, {128, 129, 257}, {0, 0, 0}};
    ImageDecoder.Decoded d16 = ImageDecoder.decode(png(2, 2, 16, 2, deep, null, true));
    assertArrayEquals(bytes(1, 2, 2, 255, 254, 0, 0, 1, 1, 0, 0, 0), d16.pixels());
    // RGBA, opaque: the alpha is dropped.
    int[][] rgba = {{255, 0, 0, 255}, {0, 128, 0, 255}};
    assertArrayEquals(bytes(255, 0, 0, 0, 128, 0), ImageDecoder.decode(png(2, 1, 8, 6, rgba, null, true))
        .pixels());
    int[][] seeThrough = {{255, 0, 0, 255}, {0, 128, 0, 128}};
    assertEquals("RGBA image: pixel (1,0) alpha 128: transparent images are not read",
        assertThrows(ImageDecoder.BadImage.class, () -> ImageDecoder.decode(png(2, 1, 8, 6, seeThrough, null,
            true))).getMessage());
    int[][] seeThrough16 = {{255, 0, 0, 65535}, {0, 128, 0, 65534}};
    assertEquals("RGBA image: pixel (1,0) alpha 65534 of 65535: transparent images are not read",
        assertThrows(ImageDecoder.BadImage.class, () -> ImageDecoder.decode(png(2, 1, 16, 6, seeThrough16, null,
            true))).getMessage());
  }

  @Test
  void anAdam7RgbPngIsReadInTheOrderOfItsRows() throws Exception {
    int w = 9;
    int h = 10;
    int[] samples = new int[w * h * 3];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (i * 29 + 3) % 256;
    }
    TestPng png = new TestPng(w, h, 2, samples);
    png.adam7 = true;
    png.filters = new int[] {0, 1, 2, 3, 4};
    ImageDecoder.Decoded d = ImageDecoder.decode(png.bytes());
    assertEquals(3, d.channels());
    assertArrayEquals(bytes(samples), d.pixels());
  }

  @Test
  void anRgbImageWhoseEveryPixelIsGrayIsAGrayImage() throws Exception {
    int[][] rgb = {{7, 7, 7}, {200, 200, 200}};
    ImageDecoder.Decoded d = ImageDecoder.decode(png(2, 1, 8, 2, rgb, null, true));
    assertEquals(1, d.channels());
    assertArrayEquals(bytes(7, 200), d.pixels());
    int[][] rgba16 = {{257, 257, 257, 65535}, {514, 514, 514, 65535}};
    ImageDecoder.Decoded g = ImageDecoder.decode(png(2, 1, 16, 6, rgba16, null, true));
    assertEquals(1, g.channels());
    assertArrayEquals(bytes(1, 2), g.pixels());
  }

  @Test
  void aPngMissingOnlyItsEndMarkerIsReadAndACutInThePixelsIsNot() throws Exception {
    int[] v = new int[64];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i * 37) % 256;
    }
    byte[] noEnd = png(8, 8, 8, GRAY, gray(v), null, false);
    assertArrayEquals(bytes(v), ImageDecoder.decode(noEnd).pixels());
    byte[] cut = Arrays.copyOf(noEnd, noEnd.length - 10);
    ImageDecoder.BadImage e = assertThrows(ImageDecoder.BadImage.class, () -> ImageDecoder.decode(cut));
    // The reader's message and its cause's, on one line.
    assertEquals("corrupt or truncated image: Error reading PNG image data (Unexpected end of ZLIB input stream)",
        e.getMessage());
  }

  @Test
  void emptyAndUnknownFilesSayWhy() {
    assertEquals("empty file (0 bytes)", assertThrows(ImageDecoder.BadImage.class,
        () -> ImageDecoder.decode(new byte[0])).getMessage());
    assertEquals("not an image (no ImageIO reader recognises its 5 bytes)", assertThrows(
        ImageDecoder.BadImage.class, () -> ImageDecoder.decode(bytes(1, 2, 3, 4, 5))).getMessage());
  }

  @Test
  void rgbAndRgbaRastersAreReadInColourAndATransparentPixelIsNamed() throws Exception {
    BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, 0x505050);
    rgb.setRGB(1, 0, 0xfefefe);
    assertArrayEquals(bytes(0x50, 0xfe), ImageDecoder.toPixels(rgb).pixels());
    assertEquals(1, ImageDecoder.toPixels(rgb).channels());
    rgb.setRGB(1, 0, 0xfefeff);
    assertEquals(3, ImageDecoder.toPixels(rgb).channels());
    assertArrayEquals(bytes(0x50, 0x50, 0x50, 0xfe, 0xfe, 0xff), ImageDecoder.toPixels(rgb).pixels());
    BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0x102030);
    assertArrayEquals(bytes(0x10, 0x20, 0x30), ImageDecoder.toPixels(bgr).pixels(), "bands are R, G, B");
    BufferedImage rgba = new BufferedImage(1, 2, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0xff101010);
    rgba.setRGB(0, 1, 0xfe101010);
    assertEquals("RGBA image: pixel (0,1) alpha 254: transparent images are not read",
        assertThrows(ImageDecoder.BadImage.class, () -> ImageDecoder.toPixels(rgba)).getMessage());
    rgba.setRGB(0, 1, 0xff203040);
    assertArrayEquals(bytes(0x10, 0x10, 0x10, 0x20, 0x30, 0x40), ImageDecoder.toPixels(rgba).pixels());
  }

  @Test
  void grayRastersOf16BitsAreScaledAndDeeperOnesRefused() throws Exception {
    // (PNGs of 1, 2 and 4-bit gray reach the decoder as gray palettes, tested above with real files.)
    assertArrayEquals(bytes(0, 0, 1, 255), ImageDecoder.toPixels(grayImage(16, 0, 128, 129, 65535)).pixels());
    assertEquals("grayscale image with 32-bit samples; 1 to 16 bits are supported",
        assertThrows(ImageDecoder.BadImage.class, () -> ImageDecoder.toPixels(grayImage(32, 0, 1, 2)))
            .getMessage());
  }

  @Test
  void aColourRasterWithOneBandDeeperThan16BitsIsRefused() {
    // Packed RGB with masks of 4, 8 and 20 bits: the red band is shallow, the blue one too deep for the rule.
    DirectColorModel cm = new DirectColorModel(32, 0x0000000F, 0x00000FF0, 0xFFFFF000);
    BufferedImage image = new BufferedImage(cm, cm.createCompatibleWritableRaster(1, 1), false, null);
    assertEquals("colour image with 20-bit samples; 1 to 16 bits are supported",
        assertThrows(ImageDecoder.BadImage.class, () -> ImageDecoder.toPixels(image)).getMessage());
  }

  /** A one-row grayscale image with {@code bits}-bit samples in a component colour model. */
  private static BufferedImage grayImage(int bits, int... samples) {
    int type = bits <= 8 ? DataBuffer.TYPE_BYTE : bits <= 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_INT;
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        new int[] {bits}, false, false, java.awt.Transparency.OPAQUE, type);
    WritableRaster raster = cm.createCompatibleWritableRaster(samples.length, 1);
    raster.setPixels(0, 0, samples.length, 1, samples);
    return new BufferedImage(cm, raster, false, null);
  }
}
