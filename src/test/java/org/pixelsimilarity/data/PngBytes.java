package org.pixelsimilarity.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG files byte by byte, from the PNG specification (signature, IHDR, optional PLTE, one IDAT of filter-0 scan
 * lines, IEND), so that tests can make layouts ImageIO's writer does not (1/2/4-bit grayscale, gray+alpha, a
 * palette) and files missing only their end marker, independently of the decoder under test.
 */
final class PngBytes {
  static final int GRAY = 0;
  static final int PALETTE = 3;
  static final int GRAY_ALPHA = 4;

  private PngBytes() {}

  /**
   * @param samples per pixel its samples in PNG order (gray; gray, alpha; or a palette index), row-major
   * @param palette RGB triples for {@link #PALETTE}, else null
   */
  static byte[] png(int width, int height, int bitDepth, int colourType, int[][] samples, int[] palette,
      boolean withEnd) {
    try {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(ihdr);
      h.writeInt(width);
      h.writeInt(height);
      h.write(new byte[] {(byte) bitDepth, (byte) colourType, 0, 0, 0});
      chunk(file, "IHDR", ihdr.toByteArray());
      if (palette != null) {
        byte[] p = new byte[palette.length];
        for (int i = 0; i < p.length; i++) {
          p[i] = (byte) palette[i];
        }
        chunk(file, "PLTE", p);
      }
      chunk(file, "IDAT", deflate(scanLines(width, height, bitDepth, samples)));
      if (withEnd) {
        chunk(file, "IEND", new byte[0]);
      }
      return file.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each row: filter byte 0, then the samples packed big-endian, most significant bits first. */
  private static byte[] scanLines(int width, int height, int bitDepth, int[][] samples) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int y = 0; y < height; y++) {
      out.write(0);
      int acc = 0;
      int bits = 0;
      for (int x = 0; x < width; x++) {
        for (int s : samples[y * width + x]) {
          if (bitDepth == 16) {
            out.write(s >>> 8);
            out.write(s & 0xff);
          } else {
            acc = (acc << bitDepth) | s;
            bits += bitDepth;
            if (bits == 8) {
              out.write(acc);
              acc = 0;
              bits = 0;
            }
          }
        }
      }
      if (bits > 0) {
        out.write(acc << (8 - bits));
      }
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] raw) {
    Deflater d = new Deflater();
    d.setInput(raw);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream file, String type, byte[] data) throws IOException {
    DataOutputStream out = new DataOutputStream(file);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
