package org.pixelsimilarity.data;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;

/** Label order and parsing. Labels sort numerically when both are whole numbers ("2" before "10"), else as text. */
public final class Labels {
  public static final Comparator<String> ORDER = (Comparator<String> & java.io.Serializable) Labels::compare;

  private Labels() {}

  static int compare(String a, String b) {
    boolean an = isNumber(a);
    boolean bn = isNumber(b);
    if (an && bn) {
      int c = new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
      return c != 0 ? c : a.compareTo(b);
    }
    if (an != bn) {
      return an ? -1 : 1;
    }
    return a.compareTo(b);
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 30) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** "3,7" to {3, 7}; blank = all labels (empty set). */
  public static Set<String> parseList(String text) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",", -1)) {
      String l = part.trim();
      if (l.isEmpty()) {
        throw new IllegalArgumentException("labels must be a comma-separated list like 3,7, got '" + text + "'");
      }
      if (!out.add(l)) {
        throw new IllegalArgumentException("label '" + l + "' is listed twice in '" + text + "'");
      }
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException("at least two labels are needed to compare, got '" + text + "'");
    }
    return out;
  }
}
