package org.pixelsimilarity.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.data.Channels;
import org.pixelsimilarity.data.Shape;

/**
 * The struct column of Spark's own image source ({@code spark.read().format("image")}: {@code origin, height,
 * width, nChannels, mode, data}) as our pixels. Spark stores {@code data} row-major with each pixel's channels
 * together in OpenCV's order: 1 (gray), 3 ({@code B G R}) or 4 ({@code B G R A}). Converted exactly: gray stays
 * gray, {@code B G R} becomes {@code R G B}, {@code B G R A} becomes {@code R G B} when every alpha is 255. An
 * invalid row (height -1: Spark could not decode the file, kept when {@code dropInvalid} is false), a channel count
 * other than 1, 3 or 4, a translucent pixel, a colour image for a gray model or an image of another height and
 * width than the model's are refused with an {@link IllegalArgumentException} naming the column and the origin.
 */
final class SparkImageSource {
  private static final List<String> FIELDS = List.of("origin", "height", "width", "nChannels", "mode", "data");

  private SparkImageSource() {}

  /** True for the struct Spark's image source gives (the six fields by name; data binary). */
  static boolean isImage(DataType type) {
    return type instanceof StructType s && Arrays.asList(s.fieldNames()).containsAll(FIELDS)
        && s.apply("data").dataType().sameType(DataTypes.BinaryType);
  }

  /**
   * The shape of the images of {@code column}, in one aggregation: every valid row's height and width, 3 channels
   * when any row has colour (3 or 4 channels; gray rows then become R = G = B), else 1. Refused naming the column:
   * an invalid row (with its origin), images of different heights or widths, no image.
   */
  static Shape shape(Dataset<Row> data, String column) {
    Column height = col(column).getField("height");
    Column width = col(column).getField("width");
    Column colour = when(col(column).getField("nChannels").equalTo(lit(1)), lit(1)).otherwise(lit(3));
    Row r = data.agg(min(height), max(height), min(width), max(width), max(colour),
        min_by(col(column).getField("origin"), height)).first();
    if (r.isNullAt(0)) {
      throw new IllegalArgumentException("featuresCol '" + column + "': no images");
    }
    if (r.getInt(0) < 0) {
      throw invalid(column, r.getString(5));
    }
    if (r.getInt(0) != r.getInt(1) || r.getInt(2) != r.getInt(3)) {
      throw new IllegalArgumentException("featuresCol '" + column + "': images of " + r.getInt(0) + "x"
          + r.getInt(2) + " and " + r.getInt(1) + "x" + r.getInt(3) + "; all must have one height and width");
    }
    return new Shape(r.getInt(0), r.getInt(2), r.getInt(4));
  }

  static IllegalArgumentException invalid(String column, String origin) {
    return new IllegalArgumentException("featuresCol '" + column + "': " + origin + " is an invalid row of Spark's"
        + " image source (height -1: Spark could not decode the file)");
  }

  /** Image rows to our pixels of {@code shape} (null rows and null data stay null). */
  static Column pixels(String column, Shape shape) {
    return org.apache.spark.sql.functions.udf(new ToPixels(column, shape), DataTypes.BinaryType)
        .withName("image_to_pixels").apply(col(column));
  }

  /** One image row to our pixels. */
  static final class ToPixels implements UDF1<Row, byte[]> {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final Shape shape;

    ToPixels(String column, Shape shape) {
      this.column = column;
      this.shape = shape;
    }

    @Override
    public byte[] call(Row image) {
      if (image == null || image.isNullAt(image.fieldIndex("data"))) {
        return null;
      }
      String origin = image.getAs("origin");
      int h = image.<Integer>getAs("height");
      int w = image.<Integer>getAs("width");
      int n = image.<Integer>getAs("nChannels");
      byte[] data = image.getAs("data");
      if (h < 0) {
        throw invalid(column, origin);
      }
      if (n != 1 && n != 3 && n != 4) {
        throw refused(origin, "nChannels " + n + "; 1 (gray), 3 (BGR) or 4 (BGRA) are read");
      }
      if (data.length != h * w * n) {
        throw refused(origin, data.length + " bytes of data, " + h + "x" + w + "x" + n + " needs " + h * w * n);
      }
      if (h != shape.height() || w != shape.width()) {
        throw refused(origin, "image is " + h + "x" + w + ", the model's are " + shape.height() + "x"
            + shape.width());
      }
      if (n == 1) {
        return shape.colour() ? Channels.toColour(data) : data;
      }
      if (!shape.colour()) {
        throw refused(origin, "image is " + h + "x" + w + "x3 (colour), the model's shape is " + shape
            + " (gray); convert the images to gray first");
      }
      return rgb(data, n, w, origin);
    }

    /** {@code B G R} or opaque {@code B G R A} pixels to {@code R G B}. */
    private byte[] rgb(byte[] data, int n, int w, String origin) {
      byte[] out = new byte[data.length / n * 3];
      for (int i = 0, j = 0; j < out.length; i += n, j += 3) {
        if (n == 4 && data[i + 3] != (byte) 255) {
          int p = i / 4;
          throw refused(origin, "pixel (" + p % w + "," + p / w + ") alpha " + (data[i + 3] & 0xff)
              + ": transparent images are not read");
        }
        out[j] = data[i + 2];
        out[j + 1] = data[i + 1];
        out[j + 2] = data[i];
      }
      return out;
    }

    private IllegalArgumentException refused(String origin, String reason) {
      return new IllegalArgumentException("featuresCol '" + column + "': " + origin + ": " + reason);
    }
  }
}
