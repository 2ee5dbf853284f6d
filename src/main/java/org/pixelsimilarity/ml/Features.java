package org.pixelsimilarity.ml;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.data.Shape;

/**
 * The features column: our binary pixels ({@code height*width*channels} bytes, row-major, a colour pixel's
 * {@code R G B} together, 0..255), an MLlib {@code Vector} of the same values, or the struct column of Spark's own
 * image source ({@link SparkImageSource}), turned into those bytes so that all go through the job's one fit and
 * scoring code. The image shape of binary and Vector columns travels as column metadata ({@value #SHAPE}:
 * {@code {"height": h, "width": w}}, plus {@code "channels": 3} for colour), which {@link PixelImages} sets;
 * without it the shape is a gray square when the length is one, else one gray row. The image source's rows carry
 * their own shape.
 */
final class Features {
  /** The metadata key of the image shape. */
  static final String SHAPE = "image_shape";

  /** What a features column holds. */
  enum Kind { BINARY, VECTOR, IMAGE }

  private Features() {}

  /** The kind of the features column; any other type or a missing column is refused. */
  static Kind kind(StructType schema, String column) {
    StructField f = field(schema, column, "featuresCol");
    if (f.dataType().sameType(DataTypes.BinaryType)) {
      return Kind.BINARY;
    }
    if (f.dataType().sameType(SQLDataTypes.VectorType())) {
      return Kind.VECTOR;
    }
    if (SparkImageSource.isImage(f.dataType())) {
      return Kind.IMAGE;
    }
    throw new IllegalArgumentException("featuresCol '" + column + "' is " + f.dataType().simpleString()
        + "; expected binary (height*width*channels bytes, 0..255), an ML Vector of values 0..255 or the image"
        + " column of Spark's image source");
  }

  static StructField field(StructType schema, String column, String param) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(param + " '" + column + "' is not a column of " + schema.simpleString());
    }
    return schema.apply(column);
  }

  /** The shape in the column's metadata ({@code channels} 1 when absent), or null. */
  static Shape shape(StructField f) {
    Metadata m = f.metadata();
    if (!m.contains(SHAPE)) {
      return null;
    }
    Metadata s = m.getMetadata(SHAPE);
    try {
      return new Shape((int) s.getLong("height"), (int) s.getLong("width"),
          s.contains("channels") ? (int) s.getLong("channels") : 1);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("featuresCol '" + f.name() + "': its metadata " + SHAPE + ": "
          + e.getMessage(), e);
    }
  }

  /** The metadata that says a column holds images of {@code shape} (channels only when colour). */
  static Metadata metadata(Metadata base, Shape shape) {
    MetadataBuilder s = new MetadataBuilder().putLong("height", shape.height()).putLong("width", shape.width());
    if (shape.colour()) {
      s.putLong("channels", shape.channels());
    }
    return new MetadataBuilder().withMetadata(base).putMetadata(SHAPE, s.build()).build();
  }

  /** The shape of images of {@code length} bytes without metadata: a square when possible, else one row. */
  static Shape guess(int length) {
    int side = (int) Math.round(Math.sqrt(length));
    return side * side == length ? new Shape(side, side) : new Shape(1, length);
  }

  /**
   * The column as bytes: binary as it is, a Vector converted, image rows converted to {@code shape}. With a shape,
   * every image must have its values; without (binary and Vector only) the lengths are checked by the caller.
   */
  static Column bytes(StructType schema, String column, Shape shape) {
    Kind kind = kind(schema, column);
    int pixels = shape == null ? 0 : shape.pixels();
    if (kind == Kind.IMAGE) {
      return SparkImageSource.pixels(column, shape);
    }
    if (kind == Kind.VECTOR) {
      return functions.udf(new VectorBytes(column, pixels), DataTypes.BinaryType).withName("vector_to_pixels")
          .apply(col(column));
    }
    if (pixels > 0) {
      return functions.udf(new CheckedBytes(column, pixels), DataTypes.BinaryType).withName("checked_pixels")
          .apply(col(column));
    }
    return col(column);
  }

  static IllegalArgumentException wrongLength(String column, int length, int pixels) {
    return new IllegalArgumentException("featuresCol '" + column + "': an image of " + length
        + " values, the model's images have " + pixels);
  }

  /** Binary pixels of the model's length, else an IllegalArgumentException naming the column. */
  static final class CheckedBytes implements UDF1<byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final int pixels;

    CheckedBytes(String column, int pixels) {
      this.column = column;
      this.pixels = pixels;
    }

    @Override
    public byte[] call(byte[] image) {
      if (image != null && image.length != pixels) {
        throw wrongLength(column, image.length, pixels);
      }
      return image;
    }
  }

  /** A Vector of whole numbers 0..255 as bytes, else an IllegalArgumentException naming the column and value. */
  static final class VectorBytes implements UDF1<Vector, byte[]> {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final int pixels;

    VectorBytes(String column, int pixels) {
      this.column = column;
      this.pixels = pixels;
    }

    @Override
    public byte[] call(Vector v) {
      if (v == null) {
        return null;
      }
      if (pixels > 0 && v.size() != pixels) {
        throw wrongLength(column, v.size(), pixels);
      }
      double[] values = v.toArray();
      byte[] out = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        double d = values[i];
        if (!(d >= 0 && d <= 255 && d == Math.rint(d))) {
          throw new IllegalArgumentException("featuresCol '" + column + "': value " + d + " at index " + i
              + " is not a whole number 0..255 (pixel values)");
        }
        out[i] = (byte) d;
      }
      return out;
    }
  }
}
