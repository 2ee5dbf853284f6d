package org.pixelsimilarity.data;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a table of a few rows held by the driver (a report table, a model's ideal images) as one parquet file in
 * a folder, straight from the driver: no Spark job, so none of the fixed cost of one (planning, code generation,
 * a task, the output committer), which was 0.2-0.6 s per table on a cold JVM, five tables per run.
 *
 * <p>The file is what Spark's own parquet writer makes of the same rows: the rows go through Spark's
 * {@link ParquetWriteSupport} (the write support Spark's parquet data source uses, configured from the session's
 * SQL settings), so the parquet schema, the Spark schema kept in the footer, and the values are the same, and
 * {@code spark.read().parquet(folder)} gives back the same {@code StructType} as for files of Spark's writer.
 * Timestamps are written as {@code TIMESTAMP_MICROS} (UTC-adjusted), which every parquet reader (DuckDB too)
 * reads as an instant. The folder gets one {@code part-….snappy.parquet} file and an empty {@code _SUCCESS} marker,
 * as from Spark's writer, so code that takes the one data file of a staged folder does not see a difference.
 *
 * <p>In the data package because it is a table format like {@link PixelTable}, used by both the model store and
 * the report writer.
 */
public final class SmallTable {
  /**
   * The most rows {@link #write(SparkSession, Path, Dataset, long)} collects to the driver. Rejected-image rows are
   * two short strings (~200 bytes as Java objects with a typical path), so 100,000 rows are ~20 MB of driver heap,
   * well inside the job's 512 MB default, and write in well under a second; more go through Spark's writer,
   * whose fixed cost is then small next to the work.
   */
  public static final int MAX_ROWS = 100_000;
  /** The marker Spark's committer leaves in a finished output folder. */
  public static final String SUCCESS = "_SUCCESS";

  private SmallTable() {}

  /**
   * Writes {@code rows} (each in {@code schema}'s column order) as {@code dir/part-<uuid>.snappy.parquet} plus
   * {@code dir/_SUCCESS}; creates {@code dir}, which must not already hold a table.
   *
   * @return the parquet file written
   */
  public static Path write(SparkSession spark, Path dir, StructType schema, List<Row> rows) throws IOException {
    Configuration conf = writeConf(spark, schema);
    FileSystem fs = dir.getFileSystem(conf);
    fs.mkdirs(dir);
    Path file = new Path(dir, "part-00000-" + UUID.randomUUID() + "-c000.snappy.parquet");
    scala.Function1<Object, Object> toCatalyst = CatalystTypeConverters.createToCatalystConverter(schema);
    try (ParquetWriter<InternalRow> out = new Builder(HadoopOutputFile.fromPath(file, conf)).withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.CREATE).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (Row r : rows) {
        out.write((InternalRow) toCatalyst.apply(r));
      }
    }
    fs.create(new Path(dir, SUCCESS), false).close();
    return file;
  }

  /**
   * Writes a dataset of {@code count} rows into {@code dir}: from the driver (see {@link #write(SparkSession, Path,
   * StructType, List)}) when it has at most {@link #MAX_ROWS} rows, without any Spark job when {@code count} is 0;
   * otherwise with Spark's writer as one file. {@code count} must be the dataset's row count when it is 0; a larger
   * count is only a hint (the rows collected are checked against the bound).
   */
  public static void write(SparkSession spark, Path dir, Dataset<Row> rows, long count) throws IOException {
    if (count <= MAX_ROWS) {
      List<Row> collected = count == 0 ? List.of() : rows.limit(MAX_ROWS + 1).collectAsList();
      if (collected.size() <= MAX_ROWS) {
        write(spark, dir, rows.schema(), collected);
        return;
      }
    }
    rows.coalesce(1).write().parquet(dir.toString());
  }

  /**
   * The Hadoop settings Spark's parquet writer would run with: the schema, and the session's values of the SQL
   * settings {@link ParquetWriteSupport} reads (Spark's data source copies them the same way), except timestamps,
   * always {@code TIMESTAMP_MICROS}.
   */
  private static Configuration writeConf(SparkSession spark, StructType schema) {
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    ParquetWriteSupport.setSchema(schema, conf);
    for (String key : new String[] {SQLConf.PARQUET_WRITE_LEGACY_FORMAT().key(),
        SQLConf.PARQUET_FIELD_ID_WRITE_ENABLED().key(), SQLConf.LEGACY_PARQUET_NANOS_AS_LONG().key(),
        SQLConf.PARQUET_ANNOTATE_VARIANT_LOGICAL_TYPE().key()}) {
      conf.set(key, spark.conf().get(key));
    }
    conf.set(SQLConf.PARQUET_OUTPUT_TIMESTAMP_TYPE().key(), "TIMESTAMP_MICROS");
    return conf;
  }

  /** parquet-hadoop's writer of InternalRows through Spark's write support. */
  private static final class Builder extends ParquetWriter.Builder<InternalRow, Builder> {
    Builder(org.apache.parquet.io.OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<InternalRow> getWriteSupport(Configuration conf) {
      return new ParquetWriteSupport();
    }
  }
}
