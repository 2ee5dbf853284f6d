package org.pixelsimilarity.data;

import java.io.IOException;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.parquet.ParquetReadSupport;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.io.Store;

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
 * <p>Files are made by {@link Store#create}: on the local file system with {@code java.nio}, not through Hadoop's
 * local file system: without Hadoop's native library (the usual case for a local run) that sets the permissions of
 * every file and folder it creates by starting a {@code chmod} process, eight per table here (data file, its
 * {@code .crc}, the marker, its {@code .crc}, the folders), ~0.1 s per table. Under the usual umask the files get
 * the same permissions (0644, folders 0755); the {@code .crc} side files are left out, readers do not need them.
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
    Store store = Store.of(dir, conf);
    Path file = new Path(dir, "part-00000-" + UUID.randomUUID() + "-c000.snappy.parquet");
    try (OutputStream out = store.create(file)) {
      writeRows(out, conf, schema, rows.iterator());
    }
    store.create(new Path(dir, SUCCESS)).close();
    return file;
  }

  /**
   * Writes {@code rows} as the one parquet file {@code file} (no folder of its own), whole or not at all
   * ({@link Store#writeWhole}): a reader sees the old file, or none, until the new one is complete.
   */
  public static void writeFile(SparkSession spark, Store store, Path file, StructType schema, Iterator<Row> rows)
      throws IOException {
    Configuration conf = writeConf(spark, schema);
    store.writeWhole(file, out -> writeRows(out, conf, schema, rows));
  }

  private static void writeRows(OutputStream stream, Configuration conf, StructType schema, Iterator<Row> rows)
      throws IOException {
    scala.Function1<Object, Object> toCatalyst = CatalystTypeConverters.createToCatalystConverter(schema);
    try (ParquetWriter<InternalRow> out = new Builder(new StreamFile(stream)).withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.CREATE).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      while (rows.hasNext()) {
        out.write((InternalRow) toCatalyst.apply(rows.next()));
      }
    }
  }

  /** A parquet output file over a stream already open (closed with the parquet writer), buffered. */
  private static final class StreamFile implements OutputFile {
    private final OutputStream out;

    StreamFile(OutputStream out) {
      this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
      return new PositionOutputStream() {
        private long pos;

        @Override
        public long getPos() {
          return pos;
        }

        @Override
        public void write(int b) throws IOException {
          buffered.write(b);
          pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          buffered.write(b, off, len);
          pos += len;
        }

        @Override
        public void flush() throws IOException {
          buffered.flush();
        }

        @Override
        public void close() throws IOException {
          buffered.close();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
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
    Store.withoutChecksumFiles(rows.coalesce(1).write()).parquet(dir.toString());
  }

  /**
   * Reads one parquet file on the driver, without a Spark job, handing each row (in {@code schema}, the columns
   * the file lacks as null: files written before a column existed) to {@code each}. The rows go through Spark's
   * own {@link ParquetReadSupport} (the row-based reader of its parquet data source) and its converters, so a value
   * reads back as {@code spark.read().schema(schema).parquet(file)} gives it. Streams: a large file is never held.
   * For a report's own small files: a Spark job over a few small files costs 50–100 ms of planning and scheduling,
   * this ~1 ms.
   */
  public static void read(SparkSession spark, Path file, StructType schema, Consumer<Row> each) throws IOException {
    reader(spark, schema).read(file, each);
  }

  /**
   * A reader of files in {@code schema}, as {@link #read(SparkSession, Path, StructType, Consumer)} reads them, for
   * many files: the settings are copied from the session once. Safe to use from several threads at once.
   */
  public static Reader reader(SparkSession spark, StructType schema) {
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    conf.set(ParquetReadSupport.SPARK_ROW_REQUESTED_SCHEMA(), schema.json());
    // The session's values of the settings Spark's reader copies into its Hadoop configuration (some are read
    // without a default there).
    for (String key : new String[] {SQLConf.CASE_SENSITIVE().key(), SQLConf.PARQUET_BINARY_AS_STRING().key(),
        SQLConf.PARQUET_INT96_AS_TIMESTAMP().key(), SQLConf.PARQUET_INFER_TIMESTAMP_NTZ_ENABLED().key(),
        SQLConf.LEGACY_PARQUET_NANOS_AS_LONG().key(), SQLConf.PARQUET_FIELD_ID_READ_ENABLED().key(),
        SQLConf.IGNORE_MISSING_PARQUET_FIELD_ID().key(), SQLConf.PARQUET_IGNORE_VARIANT_ANNOTATION().key(),
        SQLConf.LEGACY_PARQUET_RETURN_NULL_STRUCT_IF_ALL_FIELDS_MISSING().key(),
        SQLConf.NESTED_SCHEMA_PRUNING_ENABLED().key(), SQLConf.VARIANT_ALLOW_READING_SHREDDED().key()}) {
      conf.set(key, spark.conf().get(key));
    }
    return new Reader(conf, CatalystTypeConverters.createToScalaConverter(schema));
  }

  /** See {@link #reader}. */
  public static final class Reader {
    private final Configuration conf;
    private final scala.Function1<Object, Object> toRow;

    private Reader(Configuration conf, scala.Function1<Object, Object> toRow) {
      this.conf = conf;
      this.toRow = toRow;
    }

    /** Hands each row of {@code file} to {@code each}, streamed. */
    public void read(Path file, Consumer<Row> each) throws IOException {
      read(HadoopInputFile.fromPath(file, conf), each);
    }

    /**
     * {@link #read(Path, Consumer)} of a file whose status a listing or lookup already has: no second lookup of
     * it (on an object store a HEAD request; parquet opens it with the status, so s3a sends the GET alone).
     */
    public void read(FileStatus file, Consumer<Row> each) throws IOException {
      read(HadoopInputFile.fromStatus(file, conf), each);
    }

    private void read(InputFile in, Consumer<Row> each) throws IOException {
      try (ParquetReader<InternalRow> reader = new ReadBuilder(in).withConf(conf).build()) {
        for (InternalRow r = reader.read(); r != null; r = reader.read()) {
          each.accept((Row) toRow.apply(r));
        }
      }
    }

    /** Every row of {@code file}. */
    public List<Row> read(Path file) throws IOException {
      List<Row> rows = new ArrayList<>();
      read(file, rows::add);
      return rows;
    }
  }

  /** {@link #read(SparkSession, Path, StructType, Consumer)} into a list. */
  public static List<Row> read(SparkSession spark, Path file, StructType schema) throws IOException {
    return reader(spark, schema).read(file);
  }

  /** parquet-hadoop's reader of InternalRows through Spark's read support. */
  private static final class ReadBuilder extends ParquetReader.Builder<InternalRow> {
    ReadBuilder(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<InternalRow> getReadSupport() {
      return new ParquetReadSupport();
    }
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
    Builder(OutputFile file) {
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
