package org.pixelsimilarity.pages;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Images inline in a page: grayscale bytes (or colours) to a PNG data URI at their own size; the page scales them
 * up with {@code image-rendering: pixelated}, so a 28×28 image costs a few hundred bytes, not a 280×280 picture.
 */
final class Png {
  private Png() {}

  /** Gray bytes, or interleaved {@code R G B} bytes (3 per pixel), to a PNG data URI at their own size. */
  static String dataUri(byte[] pixels, int height, int width) {
    if (pixels.length == 3 * height * width) {
      int[] rgb = new int[height * width];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (pixels[3 * i] & 0xff) << 16 | (pixels[3 * i + 1] & 0xff) << 8 | (pixels[3 * i + 2] & 0xff);
      }
      return rgbDataUri(rgb, height, width);
    }
    if (pixels.length != height * width) {
      throw new IllegalArgumentException("an image of " + pixels.length + " bytes is not " + height + "x" + width);
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setDataElements(0, 0, width, height, pixels);
    return dataUri(img);
  }

  /** Colours ({@code 0xRRGGBB}, row after row) to a PNG data URI at their own size. */
  static String rgbDataUri(int[] rgb, int height, int width) {
    if (rgb.length != height * width) {
      throw new IllegalArgumentException("an image of " + rgb.length + " colours is not " + height + "x" + width);
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, width, height, rgb, 0, width);
    return dataUri(img);
  }

  private static String dataUri(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
  }
}
