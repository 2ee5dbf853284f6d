package org.pixelsimilarity.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pages' HTML: templates (resources beside this class) whose {@code {{name}}} slots are filled with
 * fragments, and the escaping and number formats every fragment uses.
 */
final class Html {
  private static final Pattern SLOT = Pattern.compile("\\{\\{([a-z_]+)}}");

  private Html() {}

  /** The template {@code name} with every slot replaced; a slot without a value is an error, not left blank. */
  static String fill(String name, Map<String, String> values) {
    String template = resource(name);
    values = new HashMap<>(values);
    values.putIfAbsent("style", resource("style.css"));
    Matcher m = SLOT.matcher(template);
    StringBuilder sb = new StringBuilder();
    int copied = 0;
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException("page template " + name + ": no value for {{" + m.group(1) + "}}");
      }
      // Appended as they are: Matcher.appendReplacement would scan every character of a value (pictures as data
      // URIs, hundreds of KB) for $ and \, enough work for the JIT to compile that scan during a JVM's first run.
      sb.append(template, copied, m.start()).append(v);
      copied = m.end();
    }
    sb.append(template, copied, template.length());
    return sb.toString();
  }

  private static String resource(String name) {
    try (InputStream in = Html.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("page resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String esc(Object text) {
    if (text == null) {
      return "";
    }
    String s = text.toString();
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A ratio as the summary prints it: four decimals, "-" when undefined. */
  static String ratio(Double v) {
    return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** A change, signed, with the class that colours it; empty when either side is missing. */
  static String delta(Double now, Double before) {
    if (now == null || before == null || now.isNaN() || before.isNaN()) {
      return "";
    }
    double d = now - before;
    String cls = d > 0 ? "up" : d < 0 ? "down" : "same";
    return String.format(Locale.ROOT, " <span class=\"delta %s\">%+.4f</span>", cls, d);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
