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
 * The features column: our binary pixels ({@code height*width} bytes, row-major, 0..255) or an MLlib
 * {@code Vector} of the same values, turned into those bytes so that both go through the job's one fit and
 * scoring code. The image shape travels as column metadata ({@value #SHAPE}: {@code {"height": h, "width": w}}),
 * which {@link PixelImages} sets; without it the shape is a square when the length is one, else one row.
 */
final class Features {
  /** The metadata key of the image shape. */
  static final String SHAPE = "image_shape";

  private Features() {}

  /** True for a Vector column, false for binary; any other type or a missing column is refused. */
  static boolean isVector(StructType schema, String column) {
    StructField f = field(schema, column, "featuresCol");
    if (f.dataType().sameType(DataTypes.BinaryType)) {
      return false;
    }
    if (f.dataType().sameType(SQLDataTypes.VectorType())) {
      return true;
    }
    throw new IllegalArgumentException("featuresCol '" + column + "' is " + f.dataType().simpleString()
        + "; expected binary (height*width bytes, 0..255) or an ML Vector of values 0..255");
  }

  static StructField field(StructType schema, String column, String param) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(param + " '" + column + "' is not a column of " + schema.simpleString());
    }
    return schema.apply(column);
  }

  /** The shape in the column's metadata, or null. */
  static Shape shape(StructField f) {
    Metadata m = f.metadata();
    if (!m.contains(SHAPE)) {
      return null;
    }
    Metadata s = m.getMetadata(SHAPE);
    return new Shape((int) s.getLong("height"), (int) s.getLong("width"));
  }

  /** The metadata that says a column holds images of {@code shape}. */
  static Metadata metadata(Metadata base, Shape shape) {
    Metadata s = new MetadataBuilder().putLong("height", shape.height()).putLong("width", shape.width()).build();
    return new MetadataBuilder().withMetadata(base).putMetadata(SHAPE, s).build();
  }

  /** The shape of images of {@code length} bytes without metadata: a square when possible, else one row. */
  static Shape guess(int length) {
    int side = (int) Math.round(Math.sqrt(length));
    return side * side == length ? new Shape(side, side) : new Shape(1, length);
  }

  /**
   * The column as bytes: binary as it is, a Vector converted. With {@code pixels > 0} every image must have that
   * many; with 0 the lengths are checked by the caller.
   */
  static Column bytes(StructType schema, String column, int pixels) {
    if (isVector(schema, column)) {
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
              + " is not a whole number 0..255 (pixels are gray levels)");
        }
        out[i] = (byte) d;
      }
      return out;
    }
  }
}
