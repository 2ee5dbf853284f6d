package org.pixelsimilarity.data;

import java.util.Locale;
import java.util.regex.Pattern;

/** The three on-disk forms a dataset can take. */
public enum InputFormat {
  /** {@code <dir>/<label>/<image>}: one folder per label, any image format ImageIO reads. */
  FOLDER,
  /** MNIST's IDX files: {@code …-images-idx3-ubyte[.gz]} with its {@code …-labels-idx1-ubyte[.gz]} beside it. */
  IDX,
  /** A parquet pixel table (label string, pixels binary, origin string[, height, width int]), e.g. from ingest. */
  PARQUET;

  static final Pattern IDX_IMAGES = Pattern.compile(".*idx3-ubyte(\\.gz)?$");

  public static InputFormat parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("format must be auto, folder, idx or parquet, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
