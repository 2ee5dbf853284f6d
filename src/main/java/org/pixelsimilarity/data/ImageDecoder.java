package org.pixelsimilarity.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Turns the bytes of one image file into 0..255 pixels, gray or colour, or says why it cannot.
 *
 * <p>The rules (docs/inputs.md, the pixel rules of "Image folders"):
 * <ul>
 *   <li>8-bit channels are used as they are; 1, 2 and 4-bit gray is scaled to 0..255
 *       ({@code v * 255 / (2^bits - 1)}, exact); 16-bit channels become {@code round(v / 257)}, the nearest 8-bit
 *       value (never the low byte).
 *   <li>Palette images expand through their palette (and its transparency, tRNS).
 *   <li>An alpha channel must be fully opaque: any transparent pixel rejects the image, naming the pixel.
 *   <li>An image has colour (3 channels, interleaved {@code R G B}) when some pixel has R, G, B not all equal;
 *       an RGB, RGBA or palette file whose pixels are all gray is a gray image (1 channel), losslessly. The
 *       dataset's channels are decided later, in validation ({@link Channels}).
 * </ul>
 *
 * <p>Most files are 8-bit gray or RGB PNGs; {@link PngDirect} decodes those directly (same pixels, a fraction of
 * the CPU) and hands everything else, including any damaged file, to ImageIO.
 */
public final class ImageDecoder {
  static {
    ImageIO.setUseCache(false);
  }

  private ImageDecoder() {}

  /**
   * A decoded image: row-major bytes, {@code channels} (1 or 3) per pixel, a colour pixel's interleaved
   * {@code R G B}.
   */
  public record Decoded(int height, int width, int channels, byte[] pixels) {
    /** A gray image. */
    public Decoded(int height, int width, byte[] pixels) {
      this(height, width, 1, pixels);
    }

    /** Interleaved {@code R G B} bytes: a colour image, or a gray one when every pixel is gray. */
    static Decoded ofRgb(int height, int width, byte[] rgb) {
      return Channels.anyColour(rgb) ? new Decoded(height, width, 3, rgb)
          : new Decoded(height, width, 1, Channels.grayOf(rgb));
    }
  }

  /** Why an image cannot be used; the message is the reason alone, without the file name. */
  public static final class BadImage extends Exception {
    private static final long serialVersionUID = 1L;

    public BadImage(String reason) {
      super(reason, null, false, false);
    }
  }

  public static Decoded decode(byte[] bytes) throws BadImage {
    if (bytes.length == 0) {
      throw new BadImage("empty file (0 bytes)");
    }
    Decoded direct = PngDirect.decode(bytes);
    if (direct != null) {
      return direct;
    }
    return decodeWithImageIo(bytes);
  }

  /** The exact path for every file: ImageIO, then the rules above. {@link PngDirect} answers the same, faster. */
  static Decoded decodeWithImageIo(byte[] bytes) throws BadImage {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new BadImage("corrupt or truncated image: " + describe(e));
    }
    if (image == null) {
      throw new BadImage("not an image (no ImageIO reader recognises its " + bytes.length + " bytes)");
    }
    return toPixels(image);
  }

  static Decoded toPixels(BufferedImage image) throws BadImage {
    int h = image.getHeight();
    int w = image.getWidth();
    Raster raster = image.getRaster();
    ColorModel cm = image.getColorModel();
    if (cm instanceof ComponentColorModel && raster.getNumBands() == 1) {
      return fromGray(raster, h, w);
    }
    if (cm instanceof ComponentColorModel && raster.getNumBands() == 2 && cm.hasAlpha()) {
      return fromGrayAlpha(raster, h, w);
    }
    if (cm instanceof IndexColorModel palette) {
      return fromPalette(raster, palette, h, w);
    }
    if ((raster.getNumBands() == 3 || raster.getNumBands() == 4 && cm.hasAlpha())
        && cm.getColorSpace().getType() == ColorSpace.TYPE_RGB) {
      return fromRgb(raster, cm.hasAlpha(), h, w);
    }
    throw new BadImage("unsupported image layout (" + raster.getNumBands() + " bands, "
        + cm.getClass().getSimpleName() + ")");
  }

  private static Decoded fromGray(Raster raster, int h, int w) throws BadImage {
    int bits = raster.getSampleModel().getSampleSize(0);
    if (bits > 16) {
      throw new BadImage("grayscale image with " + bits + "-bit samples; 1 to 16 bits are supported");
    }
    int max = (1 << bits) - 1;
    byte[] out = new byte[h * w];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (byte) scale(row[x], max);
      }
    }
    return new Decoded(h, w, out);
  }

  private static Decoded fromGrayAlpha(Raster raster, int h, int w) throws BadImage {
    int max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
    int maxAlpha = (1 << raster.getSampleModel().getSampleSize(1)) - 1;
    byte[] out = new byte[h * w];
    int[] px = new int[2];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.getPixel(x, y, px);
        if (px[1] != maxAlpha) {
          throw new BadImage("gray+alpha image has a transparent pixel at (" + x + "," + y + ")"
              + "; only fully opaque images are read");
        }
        out[y * w + x] = (byte) scale(px[0], max);
      }
    }
    return new Decoded(h, w, out);
  }

  /** Pixels of a palette image: each index through the palette, whose alpha must be opaque where used. */
  private static Decoded fromPalette(Raster raster, IndexColorModel palette, int h, int w) throws BadImage {
    byte[] rgb = new byte[h * w * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int i = row[x];
        opaque("palette", x, y, palette.getAlpha(i), 255);
        int o = (y * w + x) * 3;
        rgb[o] = (byte) palette.getRed(i);
        rgb[o + 1] = (byte) palette.getGreen(i);
        rgb[o + 2] = (byte) palette.getBlue(i);
      }
    }
    return Decoded.ofRgb(h, w, rgb);
  }

  /** Pixels of an RGB or RGBA raster (bands R, G, B and alpha) of 1 to 16 bits a sample, scaled to 0..255. */
  private static Decoded fromRgb(Raster raster, boolean alpha, int h, int w) throws BadImage {
    int bands = raster.getNumBands();
    int bits = raster.getSampleModel().getSampleSize(0);
    for (int b = 1; b < bands; b++) {
      bits = Math.max(bits, raster.getSampleModel().getSampleSize(b));
    }
    if (bits > 16) {
      throw new BadImage("colour image with " + bits + "-bit samples; 1 to 16 bits are supported");
    }
    int[] max = new int[bands];
    for (int b = 0; b < bands; b++) {
      max[b] = (1 << raster.getSampleModel().getSampleSize(b)) - 1;
    }
    String kind = alpha ? "RGBA" : "RGB";
    byte[] rgb = new byte[h * w * 3];
    int[] px = new int[bands];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.getPixel(x, y, px);
        if (alpha) {
          opaque(kind, x, y, px[3], max[3]);
        }
        int o = (y * w + x) * 3;
        rgb[o] = (byte) scale(px[0], max[0]);
        rgb[o + 1] = (byte) scale(px[1], max[1]);
        rgb[o + 2] = (byte) scale(px[2], max[2]);
      }
    }
    return Decoded.ofRgb(h, w, rgb);
  }

  /** Rejects a pixel whose alpha sample is below its largest value {@code max} (fully opaque). */
  private static void opaque(String kind, int x, int y, int alpha, int max) throws BadImage {
    if (alpha != max) {
      throw new BadImage(kind + " image: pixel (" + x + "," + y + ") alpha " + alpha + (max == 255 ? "" : " of "
          + max) + ": transparent images are not read");
    }
  }

  /** A sample of {@code max = 2^bits - 1} scale to 0..255, rounded to nearest (exact for 8 bits). */
  static int scale(int v, int max) {
    if (max == 255) {
      return v;
    }
    return (int) ((v * 255L * 2 + max) / (2L * max));
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append(" (").append(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()).append(')');
    }
    return sb.toString().replace('\n', ' ');
  }
}
