package org.pixelsimilarity.model;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.ImageIO;
import org.pixelsimilarity.data.Shape;

/** Ideal images as PNG pictures a person can look at: 8-bit gray, each pixel drawn as a square block. */
public final class Pictures {
  private Pictures() {}

  /** A scale that makes the picture at least 280 pixels on its shorter side (10× for MNIST). */
  public static int upscaleFor(Shape shape) {
    return Math.max(1, (280 + Math.min(shape.height(), shape.width()) - 1) / Math.min(shape.height(), shape.width()));
  }

  /** Means on the 0..1 scale to a gray PNG, {@code round(mean * 255)} per pixel, upscaled by {@code scale}. */
  public static void writePng(double[] means, Shape shape, int scale, OutputStream out) throws IOException {
    BufferedImage img = new BufferedImage(shape.width() * scale, shape.height() * scale, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = img.getRaster();
    int[] block = new int[scale * scale];
    for (int y = 0; y < shape.height(); y++) {
      for (int x = 0; x < shape.width(); x++) {
        int v = (int) Math.round(Math.min(1.0, Math.max(0.0, means[y * shape.width() + x])) * 255);
        java.util.Arrays.fill(block, v);
        r.setSamples(x * scale, y * scale, scale, scale, 0, block);
      }
    }
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("no PNG writer available");
    }
  }
}
