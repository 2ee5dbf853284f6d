package org.pixelsimilarity.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link Html#fill}: every slot of a template replaced by its value as it is, whatever characters it holds. */
class HtmlTest {
  private static String template(String name) throws IOException {
    try (InputStream in = Html.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void valuesGoInAsTheyAreDollarsAndBackslashesToo() throws IOException {
    for (String page : new String[] {"run.html", "index.html"}) {
      String template = template(page);
      Map<String, String> values = new HashMap<>();
      Matcher m = Pattern.compile("\\{\\{([a-z_]+)}}").matcher(template);
      while (m.find()) {
        values.put(m.group(1), "<b>$1 \\ " + m.group(1) + " $ \\\\</b>");
      }
      String expected = template;
      for (Map.Entry<String, String> e : values.entrySet()) {
        expected = expected.replace("{{" + e.getKey() + "}}", e.getValue());
      }
      String filled = Html.fill(page, values);
      assertEquals(expected, filled, page);
      assertFalse(filled.contains("{{"), page);
    }
  }

  @Test
  void aSlotWithoutAValueIsAnError() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Html.fill("index.html", Map.of()));
    assertEquals(true, e.getMessage().startsWith("page template index.html: no value for {{"), e.getMessage());
  }
}
