package org.pixelsimilarity.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG encoder written for the tests, straight from the PNG specification, so that the decoder is checked
 * against files whose every choice is known: colour type and bit depth, the filter type of each row, Adam7
 * interlacing, how the zlib stream is split into IDAT chunks, extra chunks.
 */
final class TestPng {
  /** Adam7 passes: x start, y start, x step, y step. */
  private static final int[][] ADAM7 = {
      {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

  int width;
  int height;
  int bitDepth = 8;
  int colourType;
  boolean adam7;
  /** Samples per pixel, row-major: {@code samples[(y * width + x) * channels + c]}. */
  int[] samples;
  /** Filter type of row i is {@code filters[i % filters.length]}. */
  int[] filters = {0};
  /** Bytes of zlib data per IDAT chunk. */
  int idatSize = Integer.MAX_VALUE;
  /** Raw chunks (type + data) written after IHDR. */
  byte[][] extraChunks = {};
  byte[] palette;
  /** False to leave out the IEND chunk (a file cut just before its end marker). */
  boolean end = true;

  TestPng(int width, int height, int colourType, int[] samples) {
    this.width = width;
    this.height = height;
    this.colourType = colourType;
    this.samples = samples;
  }

  /**
   * A PNG of per-pixel samples ({@code samples[pixel]} = gray; gray, alpha; or a palette index), row-major, filter
   * type 0; {@code palette} RGB triples for colour type 3, else null; {@code withEnd} false leaves out IEND.
   */
  static byte[] png(int width, int height, int bitDepth, int colourType, int[][] samples, int[] palette,
      boolean withEnd) {
    TestPng png = new TestPng(width, height, colourType,
        java.util.Arrays.stream(samples).flatMapToInt(java.util.Arrays::stream).toArray());
    png.bitDepth = bitDepth;
    png.end = withEnd;
    if (palette != null) {
      png.palette = new byte[palette.length];
      for (int i = 0; i < palette.length; i++) {
        png.palette[i] = (byte) palette[i];
      }
    }
    return png.bytes();
  }

  int channels() {
    return switch (colourType) {
      case 0, 3 -> 1;
      case 4 -> 2;
      case 2 -> 3;
      case 6 -> 4;
      default -> throw new IllegalArgumentException("colour type " + colourType);
    };
  }

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) (adam7 ? 1 : 0));
    chunk(out, "IHDR", ihdr.array());
    if (palette != null) {
      chunk(out, "PLTE", palette);
    }
    for (byte[] c : extraChunks) {
      chunk(out, new String(c, 0, 4, StandardCharsets.ISO_8859_1), java.util.Arrays.copyOfRange(c, 4, c.length));
    }
    byte[] z = deflate(adam7 ? interlacedRows() : filteredRows(0, 0, 1, 1));
    for (int i = 0; i < z.length; i += idatSize) {
      chunk(out, "IDAT", java.util.Arrays.copyOfRange(z, i, (int) Math.min(z.length, (long) i + idatSize)));
    }
    if (end) {
      chunk(out, "IEND", new byte[0]);
    }
    return out.toByteArray();
  }

  private byte[] interlacedRows() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int[] p : ADAM7) {
      all.writeBytes(filteredRows(p[0], p[1], p[2], p[3]));
    }
    return all.toByteArray();
  }

  /** The filtered scanlines of the sub-image x0 + i·dx, y0 + j·dy (the whole image for 0, 0, 1, 1). */
  private byte[] filteredRows(int x0, int y0, int dx, int dy) {
    int w = width <= x0 ? 0 : (width - x0 + dx - 1) / dx;
    int h = height <= y0 ? 0 : (height - y0 + dy - 1) / dy;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (w == 0 || h == 0) {
      return new byte[0];
    }
    int bpp = Math.max(1, channels() * bitDepth / 8);
    byte[] prior = new byte[(w * channels() * bitDepth + 7) / 8];
    for (int j = 0; j < h; j++) {
      byte[] row = packRow(x0, y0 + j * dy, dx, w);
      int f = filters[j % filters.length];
      out.write(f);
      for (int i = 0; i < row.length; i++) {
        int a = i >= bpp ? row[i - bpp] & 0xff : 0;
        int b = prior[i] & 0xff;
        int c = i >= bpp ? prior[i - bpp] & 0xff : 0;
        int predicted = switch (f) {
          case 0 -> 0;
          case 1 -> a;
          case 2 -> b;
          case 3 -> (a + b) / 2;
          case 4 -> paeth(a, b, c);
          default -> 0; // an invalid filter type, written on purpose
        };
        out.write((row[i] - predicted) & 0xff);
      }
      prior = row;
    }
    return out.toByteArray();
  }

  /** The PNG specification's Paeth predictor, as written there. */
  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    if (pa <= pb && pa <= pc) {
      return a;
    }
    return pb <= pc ? b : c;
  }

  /** Samples of one row, packed big-endian at the bit depth (high bits first for depths below 8). */
  private byte[] packRow(int x0, int y, int dx, int w) {
    int ch = channels();
    byte[] row = new byte[(w * ch * bitDepth + 7) / 8];
    int bit = 0;
    for (int i = 0; i < w; i++) {
      for (int c = 0; c < ch; c++) {
        int v = samples[(y * width + x0 + i * dx) * ch + c];
        if (bitDepth == 16) {
          row[bit / 8] = (byte) (v >> 8);
          row[bit / 8 + 1] = (byte) v;
        } else {
          row[bit / 8] |= (byte) (v << (8 - bitDepth - bit % 8));
        }
        bit += bitDepth;
      }
    }
    return row;
  }

  private static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(6);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
