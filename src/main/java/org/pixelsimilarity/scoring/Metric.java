package org.pixelsimilarity.scoring;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The two distances of the book. */
public enum Metric {
  /** Mean absolute difference: {@code mean |x - m|}. */
  L1,
  /** Root mean squared difference: {@code sqrt(mean (x - m)^2)}. */
  L2;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** "l1", "l2" or "both". */
  public static Set<Metric> parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "l1" -> EnumSet.of(L1);
      case "l2" -> EnumSet.of(L2);
      case "both" -> EnumSet.of(L1, L2);
      default -> throw new IllegalArgumentException("metric must be l1, l2 or both, got '" + text + "'");
    };
  }

  @Override
  public String toString() {
    return key();
  }
}
