package org.pixelsimilarity.data;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The direct path for the common image file: an 8-bit gray or RGB, non-interlaced PNG of just IHDR, IDAT and
 * IEND chunks (what PIL, ImageIO and most MNIST- or CIFAR-style writers produce), inflated with one reused
 * {@link Inflater} and unfiltered straight into the pixel array (an RGB file whose pixels are all gray becomes a
 * gray image, as on ImageIO's path: {@link ImageDecoder.Decoded#ofRgb}). ImageIO, for the same file, builds a
 * reader, an image input stream, a {@code BufferedImage} and its raster; this takes 11–16 µs of CPU per file
 * against ImageIO's 58–220 (docs/performance.md, "What makes it fast").
 *
 * <p>It answers only when it is sure of the answer: a well-formed file, every chunk complete with a correct CRC,
 * one complete zlib stream holding exactly the pixel rows, valid filter types. Everything else (other colour
 * types and depths, Adam7, palettes, transparency chunks, any other chunk, any damage or truncation) returns
 * {@code null} and goes to ImageIO, the exact path, so pixels and rejection reasons are ImageIO's on every file
 * ({@code PngDirectTest} checks both on generated files and every truncation point of a gray and an RGB one).
 *
 * <p>One instance per thread: it keeps its {@code Inflater} and CRC between files.
 */
final class PngDirect {
  private static final long SIGNATURE = 0x89504E470D0A1A0AL;
  private static final int IHDR = 0x49484452;
  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454E44;
  /** Larger images are rare among small images; ImageIO handles them (and their memory checks). */
  private static final int MAX_PIXELS = 1 << 24;

  private static final ThreadLocal<PngDirect> PER_THREAD = ThreadLocal.withInitial(PngDirect::new);

  private final Inflater inflater = new Inflater();
  private final CRC32 crc = new CRC32();

  private PngDirect() {}

  /** The decoded image, or {@code null} when this is not a sound 8-bit gray or RGB PNG of the simple kind. */
  static ImageDecoder.Decoded decode(byte[] b) {
    return PER_THREAD.get().tryDecode(b);
  }

  private ImageDecoder.Decoded tryDecode(byte[] b) {
    if (b.length < 8 + 25 + 12 + 12 || readLong(b, 0) != SIGNATURE || readInt(b, 8) != 13
        || readInt(b, 12) != IHDR || !crcOk(b, 8, 13)) {
      return null;
    }
    int w = readInt(b, 16);
    int h = readInt(b, 20);
    // bit depth 8, colour type 0 (gray) or 2 (RGB), compression 0, filter method 0, no interlace
    if (w <= 0 || h <= 0 || (long) w * h > MAX_PIXELS || b[24] != 8 || (b[25] != 0 && b[25] != 2) || b[26] != 0
        || b[27] != 0 || b[28] != 0) {
      return null;
    }
    int channels = b[25] == 0 ? 1 : 3;
    byte[] raw = inflateIdat(b, 33, h * (w * channels + 1));
    byte[] pixels = raw == null ? null : channels == 1 ? unfilterGray(raw, h, w) : unfilter(raw, h, w * 3, 3);
    if (pixels == null) {
      return null;
    }
    return channels == 1 ? new ImageDecoder.Decoded(h, w, pixels) : ImageDecoder.Decoded.ofRgb(h, w, pixels);
  }

  /**
   * The inflated IDAT data, exactly {@code size} bytes from one complete zlib stream, when the chunks from
   * {@code pos} are IDAT+ then IEND, each complete with its CRC, and nothing follows; else {@code null}.
   */
  private byte[] inflateIdat(byte[] b, int pos, int size) {
    byte[] raw = new byte[size + 1]; // one spare byte: more data than the rows hold is not the simple case
    int got = 0;
    inflater.reset();
    try {
      while (true) {
        if (pos + 12 > b.length) {
          return null;
        }
        int len = readInt(b, pos);
        int type = readInt(b, pos + 4);
        if (len < 0 || len > b.length - pos - 12 || !crcOk(b, pos, len)) {
          return null;
        }
        if (type == IEND) {
          boolean whole = len == 0 && pos + 12 == b.length && got == size && inflater.finished()
              && inflater.getRemaining() == 0;
          return whole ? raw : null;
        }
        if (type != IDAT || len == 0 || inflater.finished()) {
          return null;
        }
        inflater.setInput(b, pos + 8, len);
        while (!inflater.needsInput() && !inflater.finished()) {
          int n = inflater.inflate(raw, got, raw.length - got);
          got += n;
          if (got > size || (n == 0 && !inflater.needsInput() && !inflater.finished())) {
            return null; // too much data, or a preset dictionary
          }
        }
        pos += 12 + len;
      }
    } catch (DataFormatException e) {
      return null;
    }
  }

  /**
   * Undoes the five PNG filter types on rows of {@code row} bytes, {@code bpp} bytes a pixel (the distance to the
   * byte "to the left"), into row-major bytes; {@code null} on another filter type.
   */
  private static byte[] unfilter(byte[] raw, int h, int row, int bpp) {
    byte[] out = new byte[h * row];
    for (int y = 0; y < h; y++) {
      int in = y * (row + 1) + 1;
      int o = y * row;
      int up = o - row; // the row above in out; row 0 sees zeros
      switch (raw[in - 1]) {
        case 0 -> System.arraycopy(raw, in, out, o, row);
        case 1 -> {
          System.arraycopy(raw, in, out, o, Math.min(bpp, row));
          for (int x = bpp; x < row; x++) {
            out[o + x] = (byte) (raw[in + x] + out[o + x - bpp]);
          }
        }
        case 2 -> {
          if (y == 0) {
            System.arraycopy(raw, in, out, o, row);
          } else {
            for (int x = 0; x < row; x++) {
              out[o + x] = (byte) (raw[in + x] + out[up + x]);
            }
          }
        }
        case 3 -> {
          for (int x = 0; x < row; x++) {
            int left = x < bpp ? 0 : out[o + x - bpp] & 0xff;
            int above = y == 0 ? 0 : out[up + x] & 0xff;
            out[o + x] = (byte) (raw[in + x] + ((left + above) >>> 1));
          }
        }
        case 4 -> {
          for (int x = 0; x < row; x++) {
            int left = x < bpp ? 0 : out[o + x - bpp] & 0xff;
            int above = y == 0 ? 0 : out[up + x] & 0xff;
            int upLeft = x < bpp || y == 0 ? 0 : out[up + x - bpp] & 0xff;
            out[o + x] = (byte) (raw[in + x] + paeth(left, above, upLeft));
          }
        }
        default -> {
          return null;
        }
      }
    }
    return out;
  }

  /**
   * Undoes the five PNG filter types on gray rows (one byte per pixel) into row-major pixels; {@code null} on
   * another type. The gray case of {@link #unfilter(byte[], int, int, int)}, kept apart for the common file: the
   * left neighbour stays in a register instead of being read back from the row just written.
   */
  private static byte[] unfilterGray(byte[] raw, int h, int w) {
    byte[] out = new byte[h * w];
    for (int y = 0; y < h; y++) {
      int in = y * (w + 1) + 1;
      int o = y * w;
      int up = o - w; // the row above in out; row 0 sees zeros
      switch (raw[in - 1]) {
        case 0 -> System.arraycopy(raw, in, out, o, w);
        case 1 -> {
          int left = 0;
          for (int x = 0; x < w; x++) {
            left = (raw[in + x] + left) & 0xff;
            out[o + x] = (byte) left;
          }
        }
        case 2 -> {
          if (y == 0) {
            System.arraycopy(raw, in, out, o, w);
          } else {
            for (int x = 0; x < w; x++) {
              out[o + x] = (byte) (raw[in + x] + out[up + x]);
            }
          }
        }
        case 3 -> {
          int left = 0;
          for (int x = 0; x < w; x++) {
            int above = y == 0 ? 0 : out[up + x] & 0xff;
            left = (raw[in + x] + ((left + above) >>> 1)) & 0xff;
            out[o + x] = (byte) left;
          }
        }
        case 4 -> {
          int left = 0;
          int upLeft = 0;
          for (int x = 0; x < w; x++) {
            int above = y == 0 ? 0 : out[up + x] & 0xff;
            left = (raw[in + x] + paeth(left, above, upLeft)) & 0xff;
            out[o + x] = (byte) left;
            upLeft = above;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return out;
  }

  /** The PNG Paeth predictor: whichever of left, above and upper-left is closest to left + above − upper-left. */
  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
  }

  /** The CRC of the chunk at {@code pos} (over type and data) matches the one stored after its data. */
  private boolean crcOk(byte[] b, int pos, int len) {
    crc.reset();
    crc.update(b, pos + 4, len + 4);
    return (int) crc.getValue() == readInt(b, pos + 8 + len);
  }

  private static int readInt(byte[] b, int i) {
    return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
  }

  private static long readLong(byte[] b, int i) {
    return (long) readInt(b, i) << 32 | (readInt(b, i + 4) & 0xffffffffL);
  }
}
