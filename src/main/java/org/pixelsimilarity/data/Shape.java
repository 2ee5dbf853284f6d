package org.pixelsimilarity.data;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Height, width and channels of every image of a dataset: 1 channel (gray) or 3 (R, G, B). Printed and parsed as
 * {@code HxW} for gray, e.g. {@code 28x28}, and {@code HxWx3} for colour, e.g. {@code 32x32x3}; {@code HxWx1} is
 * read as gray.
 */
public record Shape(int height, int width, int channels) implements Serializable {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})(?:[xX](\\d))?");

  public Shape {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("image shape must be positive, got " + height + "x" + width);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("an image has 1 channel (gray) or 3 (RGB), got " + channels);
    }
    if ((long) height * width * channels > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("image shape " + height + "x" + width + (channels == 1 ? "" : "x" + channels)
          + " has more than 2^31 values");
    }
  }

  /** A gray shape. */
  public Shape(int height, int width) {
    this(height, width, 1);
  }

  /**
   * The bytes of one image: {@code height * width * channels}, row-major, a colour pixel's channels interleaved
   * ({@code R G B R G B ...}).
   */
  public int pixels() {
    return height * width * channels;
  }

  public boolean colour() {
    return channels == 3;
  }

  /** The same height and width with {@code c} channels. */
  public Shape withChannels(int c) {
    return c == channels ? this : new Shape(height, width, c);
  }

  public static Shape parse(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("shape must look like 28x28 (height x width) or 32x32x3 (height x width"
          + " x channels), got '" + text + "'");
    }
    int channels = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
    return new Shape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), channels);
  }

  @Override
  public String toString() {
    return height + "x" + width + (channels == 1 ? "" : "x" + channels);
  }
}
