package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.io.CommittedFiles;
import org.pixelsimilarity.io.Store;

/**
 * Reads a parquet pixel table: {@code label} (string; integer labels are read as decimal strings),
 * {@code pixels} (binary), and optionally {@code origin} (string), {@code height}/{@code width} (int) and
 * {@code channels} (int: 1 gray, 3 RGB; a table without it is gray). The shape comes from {@code --shape}, else
 * the height/width (and channels) columns, else a square root of the pixel count over the channels.
 * No decoding: everything stays a column expression, so the scan remains columnar.
 */
public final class ParquetPixelReader {
  private ParquetPixelReader() {}

  public static Dataset<Row> read(SparkSession spark, String path, Shape shape, Set<String> keep) {
    return read(spark, path, shape, keep, true);
  }

  /**
   * As {@link #read(SparkSession, String, Shape, Set)}; with {@code labelsRequired} false a table without a
   * {@code label} column is read with null labels, and a null label is no reason to reject an image.
   */
  public static Dataset<Row> read(SparkSession spark, String path, Shape shape, Set<String> keep,
      boolean labelsRequired) {
    Dataset<Row> df;
    try {
      // a table of ours on an object store: the files its marker lists (FolderOutput)
      df = spark.read().parquet(CommittedFiles.toRead(Store.of(spark, new Path(path)), new Path(path)));
    } catch (JobException e) {
      throw e;
    } catch (Exception e) {
      String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new JobException(path + ": cannot read as a parquet pixel table: " + reason, e);
    }
    StructType schema = df.schema();
    requireColumn(path, schema, PixelTable.PIXELS, DataTypes.BinaryType);
    boolean hasLabel = labelsRequired || has(schema, PixelTable.LABEL);
    if (hasLabel) {
      DataType labelType = requireColumn(path, schema, PixelTable.LABEL, null);
      if (!(labelType.equals(DataTypes.StringType) || labelType instanceof IntegralType)) {
        throw new JobException(path + ": column label is " + labelType.simpleString() + ", expected string");
      }
    }
    boolean hasOrigin = has(schema, PixelTable.ORIGIN);
    if (hasOrigin) {
      requireColumn(path, schema, PixelTable.ORIGIN, DataTypes.StringType);
    }
    boolean hasShape = has(schema, PixelTable.HEIGHT) && has(schema, PixelTable.WIDTH);
    boolean hasChannels = has(schema, PixelTable.CHANNELS);
    for (String c : new String[] {PixelTable.HEIGHT, PixelTable.WIDTH, PixelTable.CHANNELS}) {
      DataType t = has(schema, c) ? schema.apply(c).dataType() : null;
      if ((hasShape || c.equals(PixelTable.CHANNELS)) && t != null && !(t instanceof IntegralType)) {
        throw new JobException(path + ": column " + c + " is " + t.simpleString() + ", expected int");
      }
    }

    Column label = hasLabel ? col(PixelTable.LABEL).cast(DataTypes.StringType) : lit(null).cast(DataTypes.StringType);
    Column pixels = col(PixelTable.PIXELS);
    // Without an origin, the file and the row's index in it (Spark's hidden _metadata columns): deterministic
    // expressions, so Spark evaluates them only where a query reads the origin. (input_file_name() and
    // monotonically_increasing_id() are not: Spark computed them for every row, even where the origin was never
    // read, ~0.07 µs a row; and the id depended on the partitioning.)
    Column fallback = concat(df.col("_metadata.file_path"), lit("#"), df.col("_metadata.row_index"));
    // Reading the fallback's columns costs even where no row needs them (~0.13 µs of CPU a row in the scoring
    // scan), so a table whose footers show no null origin reads its origin column alone.
    Column origin = !hasOrigin ? fallback
        : mayHoldNull(spark, df.inputFiles(), PixelTable.ORIGIN) ? coalesce(col(PixelTable.ORIGIN), fallback)
        : col(PixelTable.ORIGIN);
    Column len = length(pixels);
    Column[] shapeColumns = shape != null ? declared(shape, len)
        : shapeColumns(hasShape, hasChannels ? col(PixelTable.CHANNELS).cast(DataTypes.IntegerType) : null, len);
    Column height = shapeColumns[0];
    Column width = shapeColumns[1];
    Column shapeError = shapeColumns[2];
    Column error = labelsRequired
        ? when(label.isNull(), lit("label is null")).when(pixels.isNull(), lit("pixels is null")).otherwise(shapeError)
        : when(pixels.isNull(), lit("pixels is null")).otherwise(shapeError);
    Dataset<Row> decoded = df.select(
        label.as(PixelTable.LABEL),
        pixels.as(PixelTable.PIXELS),
        origin.as(PixelTable.ORIGIN),
        height.as(PixelTable.HEIGHT),
        width.as(PixelTable.WIDTH),
        error.as(PixelTable.ERROR));
    if (!keep.isEmpty()) {
      decoded = decoded.filter(col(PixelTable.LABEL).isNull()
          .or(col(PixelTable.LABEL).isin(keep.toArray())));
    }
    return decoded;
  }

  /** Height, width and the shape's error for {@code --shape}: the pixels must be {@code shape.pixels()} bytes. */
  private static Column[] declared(Shape shape, Column len) {
    return new Column[] {lit(shape.height()), lit(shape.width()), when(len.notEqual(lit(shape.pixels())),
        concat(lit("pixels has "), len.cast("string"), lit(" bytes, expected " + shape + " = " + shape.pixels())))};
  }

  /**
   * Height, width and the shape's error from the height/width columns ({@code hasShape}), else a square root of
   * the pixel count; {@code channels} is the channels column, null without one (gray). A channels value other
   * than 1 or 3, or one that disagrees with the pixel length, is the row's error, naming the column.
   */
  private static Column[] shapeColumns(boolean hasShape, Column channels, Column len) {
    Column c = channels == null ? lit(1) : channels;
    Column badChannels = channels == null ? lit(false) : channels.isNull().or(not(channels.isin(1, 3)));
    Column channelsError = channels == null ? lit(null) : concat(lit("column channels is "),
        coalesce(channels.cast("string"), lit("null")), lit(", expected 1 (gray) or 3 (RGB)"));
    if (hasShape) {
      Column height = col(PixelTable.HEIGHT).cast(DataTypes.IntegerType);
      Column width = col(PixelTable.WIDTH).cast(DataTypes.IntegerType);
      Column size = height.multiply(width).multiply(c);
      Column expected = concat(height.cast("string"), lit("x"), width.cast("string"),
          channels == null ? lit("") : when(c.equalTo(3), lit("x3")).otherwise(lit("")), lit(" = "),
          size.cast("string"));
      Column error = when(height.isNull().or(width.isNull()), lit("height or width is null"))
          .when(badChannels, channelsError)
          .when(len.notEqual(size), concat(lit("pixels has "), len.cast("string"), lit(" bytes, expected "),
              channels == null ? expected : concat(expected, lit(" (column channels says "), c.cast("string"),
                  lit(")"))));
      return new Column[] {height, width, error};
    }
    Column side = floor(sqrt(len.divide(c))).cast(DataTypes.IntegerType);
    Column error = when(badChannels, channelsError)
        .when(side.multiply(side).multiply(c).notEqual(len), concat(lit("pixels has "), len.cast("string"),
            lit(" bytes, not a square image" + (channels == null ? "; give the shape with --shape HxW"
                : " of its channels; give the shape with --shape HxWxC"))));
    return new Column[] {side, side, error};
  }

  /** Above this many files the footers are not read: the column is taken to hold nulls. */
  static final int MAX_FOOTERS = 4096;

  /**
   * False only when every file's footer shows that {@code column} holds no null: a required column, or null counts
   * of 0 in the statistics of all its row groups. Footers only (no data), read on the driver a few at a time; a
   * footer that cannot be read, or lacks statistics, counts as "may hold nulls" (the scan reports broken files).
   */
  static boolean mayHoldNull(SparkSession spark, String[] files, String column) {
    if (files.length > MAX_FOOTERS) {
      return true;
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    // One set of read options for all files: building them from a new Hadoop Configuration parses the
    // *-default.xml and *-site.xml resources again (~30 ms a file).
    ParquetMetadataConverter converter = new ParquetMetadataConverter(HadoopReadOptions.builder(conf).build());
    // Read a few at a time (IoTasks): footer reads are blocking I/O, on HDFS or S3 a round trip each.
    try {
      return IoTasks.inOrder("pixel-similarity-footers", java.util.Arrays.asList(files),
          f -> mayHoldNull(f, conf, converter, column)).contains(true);
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * The footer is read once and decoded without its row groups first: a required column (what {@code ingest}
   * writes) is settled by the schema. Decoding every row group's column metadata of every file on the driver was
   * enough to make the JIT compile parquet's metadata reader during a JVM's first evaluate (~0.2 s of C2); only a
   * column that may be null needs the row groups' statistics.
   */
  private static boolean mayHoldNull(String file, Configuration conf, ParquetMetadataConverter converter,
      String column) {
    try {
      byte[] footer = footer(HadoopInputFile.fromPath(new Path(file), conf));
      MessageType schema = converter.readParquetMetadata(new ByteArrayInputStream(footer),
          ParquetMetadataConverter.SKIP_ROW_GROUPS).getFileMetaData().getSchema();
      if (!schema.containsField(column)) {
        return true;
      }
      if (schema.getType(column).isRepetition(org.apache.parquet.schema.Type.Repetition.REQUIRED)) {
        return false;
      }
      ParquetMetadata whole = converter.readParquetMetadata(new ByteArrayInputStream(footer),
          ParquetMetadataConverter.NO_FILTER);
      for (BlockMetaData block : whole.getBlocks()) {
        for (ColumnChunkMetaData c : block.getColumns()) {
          if (c.getPath().size() == 1 && c.getPath().toArray()[0].equals(column)) {
            Statistics<?> st = c.getStatistics();
            if (st == null || !st.isNumNullsSet() || st.getNumNulls() != 0) {
              return true;
            }
          }
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /**
   * The serialized footer of a parquet file: {@code <footer><length, 4 bytes little-endian>PAR1} at its end. An
   * encrypted footer ({@code PARE}) or a file too short is an IOException (so "may hold nulls").
   */
  static byte[] footer(InputFile file) throws IOException {
    long length = file.getLength();
    if (length < 12) {
      throw new IOException(file + ": " + length + " bytes, too short for a parquet file");
    }
    try (SeekableInputStream in = file.newStream()) {
      byte[] tail = new byte[8];
      in.seek(length - 8);
      in.readFully(tail);
      if (!"PAR1".equals(new String(tail, 4, 4, StandardCharsets.US_ASCII))) {
        throw new IOException(file + ": no plain parquet footer");
      }
      int size = (tail[0] & 0xff) | (tail[1] & 0xff) << 8 | (tail[2] & 0xff) << 16 | (tail[3] & 0xff) << 24;
      if (size <= 0 || size > length - 12) {
        throw new IOException(file + ": footer length " + size + " in a file of " + length + " bytes");
      }
      byte[] footer = new byte[size];
      in.seek(length - 8 - size);
      in.readFully(footer);
      return footer;
    }
  }

  private static boolean has(StructType schema, String name) {
    return java.util.Arrays.asList(schema.fieldNames()).contains(name);
  }

  private static DataType requireColumn(String path, StructType schema, String name, DataType type) {
    if (!has(schema, name)) {
      throw new JobException(path + ": no column " + name + " (a pixel table has label string, pixels binary,"
          + " origin string; columns found: " + String.join(", ", schema.fieldNames()) + ")");
    }
    StructField f = schema.apply(name);
    if (type != null && !f.dataType().equals(type)) {
      throw new JobException(path + ": column " + name + " is " + f.dataType().simpleString() + ", expected "
          + type.simpleString());
    }
    return f.dataType();
  }
}
