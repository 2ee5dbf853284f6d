package org.pixelsimilarity.model;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.pixelsimilarity.data.Shape;

/**
 * Ideal images as PNG pictures a person can look at: 8-bit gray or 8-bit RGB (colour models), each pixel drawn as
 * a square block, one file per label named by {@link #fileNames}.
 */
public final class Pictures {
  /** Longest file-safe part of a name (file names are limited to 255 bytes). */
  private static final int MAX_SAFE = 100;

  private Pictures() {}

  /**
   * The picture file of each label, in the order given: {@code ideal-<label>.png} when the label is file-safe
   * (letters, digits, '.', '_', '-'; at most 100 characters) and no other label of the model maps to the same name
   * in any letter case; otherwise {@code ideal-<safe>-<hash>.png}, with the unsafe characters of the label replaced
   * by '_' and the first 8 hex digits of the SHA-256 of the label (UTF-8), so that distinct labels never share a
   * file, also on a file system that ignores case ({@code a:b} and {@code a_b} both get a hash:
   * {@code ideal-a_b-<hash of a:b>.png}, {@code ideal-a_b-<hash of a_b>.png}). A name that still collides (a hash
   * collision) gets the label's index too. model.json maps each label to its file ({@code pictures_by_label}).
   */
  public static List<String> fileNames(List<String> labels) {
    List<String> names = new ArrayList<>();
    Map<String, Integer> uses = new HashMap<>();
    for (String label : labels) {
      uses.merge(safe(label).toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    for (String label : labels) {
      String safe = safe(label);
      boolean plain = safe.equals(label) && uses.get(safe.toLowerCase(Locale.ROOT)) == 1;
      names.add(plain ? "ideal-" + safe + ".png" : "ideal-" + safe + "-" + hash(label) + ".png");
    }
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < names.size(); k++) {
      if (!seen.add(names.get(k).toLowerCase(Locale.ROOT))) {
        String name = names.get(k).replaceFirst("\\.png$", "-" + k + ".png");
        names.set(k, name);
        seen.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  private static String safe(String label) {
    String safe = label.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.length() > MAX_SAFE ? safe.substring(0, MAX_SAFE) : safe;
  }

  private static String hash(String label) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A scale that makes the picture at least 280 pixels on its shorter side (10× for MNIST). */
  public static int upscaleFor(Shape shape) {
    return Math.max(1, (280 + Math.min(shape.height(), shape.width()) - 1) / Math.min(shape.height(), shape.width()));
  }

  /**
   * Means on the 0..1 scale to a PNG, {@code round(mean * 255)} per value, upscaled by {@code scale}: 8-bit gray
   * for a gray shape, 8-bit RGB for a colour one (the means interleaved {@code R G B} per pixel, as the model keeps
   * them).
   */
  public static void writePng(double[] means, Shape shape, int scale, OutputStream out) throws IOException {
    int c = shape.channels();
    if (means.length != shape.pixels()) {
      throw new IllegalArgumentException(means.length + " means for a " + shape + " image of " + shape.pixels());
    }
    BufferedImage img = new BufferedImage(shape.width() * scale, shape.height() * scale,
        c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    WritableRaster r = img.getRaster(); // bands in R, G, B order for TYPE_3BYTE_BGR too
    int[] block = new int[scale * scale];
    for (int y = 0; y < shape.height(); y++) {
      for (int x = 0; x < shape.width(); x++) {
        for (int b = 0; b < c; b++) {
          Arrays.fill(block, toByte(means[(y * shape.width() + x) * c + b]));
          r.setSamples(x * scale, y * scale, scale, scale, b, block);
        }
      }
    }
    if (!ImageIO.write(img, "png", out)) {
      throw new IOException("no PNG writer available");
    }
  }

  /** {@code round(mean * 255)}, the mean first held to 0..1. */
  private static int toByte(double mean) {
    return (int) Math.round(Math.min(1.0, Math.max(0.0, mean)) * 255);
  }
}
