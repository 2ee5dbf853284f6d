package org.pixelsimilarity.data;

import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The channels a dataset is read with ({@code --channels auto|1|3}) and the two conversions between gray and
 * colour pixels.
 *
 * <ul>
 *   <li>{@link #AUTO}: 3 when any accepted image of the dataset has colour, else 1; gray images of a colour
 *       dataset become R = G = B (lossless), a colour image is never made gray.
 *   <li>{@link #GRAY}: colour images are converted to gray exactly as PIL's {@code Image.convert("L")}
 *       ({@link #luma}).
 *   <li>{@link #COLOUR}: gray images become R = G = B.
 * </ul>
 */
public enum Channels {
  AUTO(0), GRAY(1), COLOUR(3);

  private final int count;

  Channels(int count) {
    this.count = count;
  }

  /** 1 or 3; 0 for {@link #AUTO}, decided by the data. */
  public int count() {
    return count;
  }

  /** {@code auto}, {@code 1} or {@code 3}. */
  public static Channels parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "1" -> GRAY;
      case "3" -> COLOUR;
      default -> throw new IllegalArgumentException("channels must be auto, 1 (gray) or 3 (RGB), got '" + text + "'");
    };
  }

  @Override
  public String toString() {
    return this == AUTO ? "auto" : Integer.toString(count);
  }

  /**
   * The gray value of a colour pixel as PIL computes it ({@code L24} in Pillow's {@code libImaging/Convert.c}):
   * ITU-R 601-2 luma {@code L = R·299/1000 + G·587/1000 + B·114/1000} in 16-bit fixed point, the weights
   * {@code 19595, 38470, 7471} (they sum to 65536), plus one half ({@code 0x8000}) and cut to the integer below:
   * {@code (19595 R + 38470 G + 7471 B + 32768) >> 16}, i.e. rounded to nearest with halves going up.
   */
  public static int luma(int r, int g, int b) {
    return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
  }

  /** Interleaved {@code R G B} bytes to gray bytes by {@link #luma}. */
  public static byte[] toGray(byte[] rgb) {
    byte[] gray = new byte[rgb.length / 3];
    for (int i = 0, j = 0; i < gray.length; i++, j += 3) {
      gray[i] = (byte) luma(rgb[j] & 0xff, rgb[j + 1] & 0xff, rgb[j + 2] & 0xff);
    }
    return gray;
  }

  /** Gray bytes to interleaved {@code R G B} bytes with R = G = B. */
  public static byte[] toColour(byte[] gray) {
    byte[] rgb = new byte[gray.length * 3];
    for (int i = 0, j = 0; i < gray.length; i++, j += 3) {
      rgb[j] = gray[i];
      rgb[j + 1] = gray[i];
      rgb[j + 2] = gray[i];
    }
    return rgb;
  }

  /**
   * {@code pixels} of {@code from} channels (1 or 3) as {@code to} channels: unchanged, {@link #toGray} or
   * {@link #toColour}; null stays null.
   */
  public static byte[] convert(byte[] pixels, int from, int to) {
    if (pixels == null || from == to) {
      return pixels;
    }
    return to == 1 ? toGray(pixels) : toColour(pixels);
  }

  /**
   * The {@code pixels} of decoded rows as {@code to} channels: rows of other channels converted ({@link #convert}),
   * the others (and rows without pixels) as they are.
   */
  static Column pixelsAs(int to) {
    UserDefinedFunction convert = functions.udf(
        (UDF2<byte[], Integer, byte[]>) (pixels, from) -> convert(pixels, from, to), DataTypes.BinaryType);
    Column from = PixelTable.channels();
    return functions.when(from.notEqual(functions.lit(to)), convert.apply(functions.col(PixelTable.PIXELS), from))
        .otherwise(functions.col(PixelTable.PIXELS));
  }

  /** True when some pixel of interleaved {@code R G B} bytes is not gray (R, G, B not all equal). */
  static boolean anyColour(byte[] rgb) {
    for (int j = 0; j < rgb.length; j += 3) {
      if (rgb[j] != rgb[j + 1] || rgb[j + 1] != rgb[j + 2]) {
        return true;
      }
    }
    return false;
  }

  /** The red bytes of interleaved {@code R G B} bytes whose pixels are all gray: the gray image, losslessly. */
  static byte[] grayOf(byte[] rgb) {
    byte[] gray = new byte[rgb.length / 3];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = rgb[3 * i];
    }
    return gray;
  }
}
