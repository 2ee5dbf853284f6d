package org.pixelsimilarity.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Turns the bytes of one image file into grayscale 0..255 pixels, or says why it cannot.
 *
 * <p>The rules (README "Image formats"):
 * <ul>
 *   <li>8-bit grayscale: used as it is.
 *   <li>1, 2 and 4-bit grayscale: scaled to 0..255 ({@code v * 255 / (2^bits - 1)}, exact).
 *   <li>16-bit grayscale: {@code round(v / 257)}, the nearest 8-bit value (never the low byte).
 *   <li>RGB, RGBA, gray+alpha and palette images: accepted only when every pixel is gray (R = G = B) and fully
 *       opaque, which loses nothing; any coloured or transparent pixel rejects the image, naming the pixel.
 * </ul>
 *
 * <p>Most files are 8-bit grayscale PNGs; {@link PngGray8} decodes those directly (same pixels, a fraction of
 * the CPU) and hands everything else, including any damaged file, to ImageIO.
 */
public final class ImageDecoder {
  static {
    ImageIO.setUseCache(false);
  }

  private ImageDecoder() {}

  /** A decoded image: row-major gray bytes. */
  public record Decoded(int height, int width, byte[] pixels) {}

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
    Decoded direct = PngGray8.decode(bytes);
    if (direct != null) {
      return direct;
    }
    return decodeWithImageIo(bytes);
  }

  /** The exact path for every file: ImageIO, then the rules above. {@link PngGray8} answers the same, faster. */
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
    return toGray(image);
  }

  static Decoded toGray(BufferedImage image) throws BadImage {
    int h = image.getHeight();
    int w = image.getWidth();
    Raster raster = image.getRaster();
    ColorModel cm = image.getColorModel();
    byte[] out = new byte[h * w];
    if (cm instanceof ComponentColorModel && raster.getNumBands() == 1) {
      int bits = raster.getSampleModel().getSampleSize(0);
      if (bits > 16) {
        throw new BadImage("grayscale image with " + bits + "-bit samples; 1 to 16 bits are supported");
      }
      int max = (1 << bits) - 1;
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (byte) scale(row[x], max);
        }
      }
      return new Decoded(h, w, out);
    }
    if (cm instanceof ComponentColorModel && raster.getNumBands() == 2 && cm.hasAlpha()) {
      int bits = raster.getSampleModel().getSampleSize(0);
      int max = (1 << bits) - 1;
      int[] px = new int[2];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          raster.getPixel(x, y, px);
          if (px[1] != max) {
            throw new BadImage("gray+alpha image has a transparent pixel at (" + x + "," + y + ")"
                + "; only fully opaque images are read");
          }
          out[y * w + x] = (byte) scale(px[0], max);
        }
      }
      return new Decoded(h, w, out);
    }
    if (cm instanceof IndexColorModel || raster.getNumBands() >= 3) {
      if (cm.getComponentSize(0) > 8) {
        throw new BadImage("colour image with " + cm.getComponentSize(0) + "-bit samples; only grayscale is read");
      }
      String kind = cm instanceof IndexColorModel ? "palette" : (cm.hasAlpha() ? "RGBA" : "RGB");
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = image.getRGB(x, y);
          int a = argb >>> 24;
          int r = (argb >> 16) & 0xff;
          int g = (argb >> 8) & 0xff;
          int b = argb & 0xff;
          if (a != 0xff) {
            throw new BadImage(kind + " image has a transparent pixel at (" + x + "," + y + ")"
                + "; only fully opaque grayscale images are read");
          }
          if (r != g || g != b) {
            throw new BadImage(kind + " colour image: pixel (" + x + "," + y + ") is (" + r + "," + g + "," + b
                + "); only grayscale images are read (convert with e.g. ImageMagick -colorspace Gray)");
          }
          out[y * w + x] = (byte) r;
        }
      }
      return new Decoded(h, w, out);
    }
    throw new BadImage("unsupported image layout (" + raster.getNumBands() + " bands, "
        + cm.getClass().getSimpleName() + ")");
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
