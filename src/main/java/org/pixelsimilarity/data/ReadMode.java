package org.pixelsimilarity.data;

import java.util.Locale;

/**
 * What to do with an image that cannot be used (undecodable, colour, another shape, null pixels...), in
 * the vocabulary of Spark's own readers for malformed input.
 */
public enum ReadMode {
  /** The first bad image stops the job with one line naming the file and the reason. */
  FAILFAST,
  /**
   * Bad images are left out, each listed with its reason in the {@code rejected} report table and counted in
   * {@code runs}; the run still fails when the rejected fraction exceeds the configured maximum.
   */
  DROPMALFORMED;

  public static ReadMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mode must be failfast or dropmalformed, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
