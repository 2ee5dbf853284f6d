package org.pixelsimilarity.data;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Height and width of every image of a dataset, in pixels. Printed and parsed as {@code HxW}, e.g. {@code 28x28}. */
public record Shape(int height, int width) implements Serializable {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

  public Shape {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("image shape must be positive, got " + height + "x" + width);
    }
  }

  public int pixels() {
    return height * width;
  }

  public static Shape parse(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("shape must look like 28x28 (height x width), got '" + text + "'");
    }
    return new Shape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  @Override
  public String toString() {
    return height + "x" + width;
  }
}
