package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.report.DuckDb;
import org.pixelsimilarity.report.ReportTables;

/**
 * Tables written from the driver read back as if Spark's own writer had written them: the same schema in Spark
 * (the report's schema constants, made nullable as Spark's file sources read every column), the same parquet
 * schema and Spark metadata in the footer, the same values, and run_at as the same instant in DuckDB.
 */
public class SmallTableTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private static scala.collection.immutable.Seq<Object> seq(Object... values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(values)).toList();
  }

  /** 2024-02-29 13:45:07.123456 UTC, microseconds since the epoch computed by hand. */
  private static final Instant RUN_AT = Instant.ofEpochSecond(1_709_214_307L, 123_456_000L);
  private static final long RUN_AT_MICROS = ((19_782L * 86_400 + 13 * 3600 + 45 * 60 + 7) * 1_000_000) + 123_456;

  private static Row runRow() {
    return RowFactory.create("run-1", Timestamp.from(RUN_AT), "abc123", null, "data/train", "data/valid", 1681L,
        421L, 420L, 1L, 2L, seq("3", "7"), seq("l1", "l2"), 0.9, 0.875, null, null, "0.1.0", "4.2.0",
        "local[2]", "pass", 0.5, null);
  }

  @Test
  void runAtIsTheInstantWrittenInDuckDb(@TempDir Path tmp) throws Exception {
    assertEquals(RUN_AT, Instant.parse("2024-02-29T13:45:07.123456Z"));
    Path dir = tmp.resolve("runs").resolve("run_date=2024-02-29");
    org.apache.hadoop.fs.Path file = SmallTable.write(SPARK, new org.apache.hadoop.fs.Path(dir.toUri()),
        ReportTables.RUNS_SCHEMA, List.of(runRow()));
    assertTrue(file.getName().startsWith("part-") && file.getName().endsWith(".parquet"), file::toString);
    try (DuckDb duck = new DuckDb(tmp)) {
      Object[] r = duck.rows("SELECT epoch_us(run_at), typeof(run_at), array_to_string(labels, ','), accuracy_l2,"
          + " train_images FROM " + duck.table("runs")).get(0);
      assertEquals(RUN_AT_MICROS, ((Number) r[0]).longValue());
      assertEquals("TIMESTAMP WITH TIME ZONE", r[1]);
      assertEquals("3,7", r[2]);
      assertEquals(null, r[3]);
      assertEquals(1681L, ((Number) r[4]).longValue());
    }
  }

  @Test
  void reportTablesReadBackLikeSparksOwnFiles(@TempDir Path tmp) throws IOException {
    assertSameAsSparksWriter(tmp.resolve("runs"), ReportTables.RUNS_SCHEMA, List.of(runRow()));
    assertSameAsSparksWriter(tmp.resolve("class_accuracy"), ReportTables.CLASS_ACCURACY_SCHEMA, List.of(
        RowFactory.create("run-1", "l1", "3", 207L, 177L, 177 / 207.0),
        RowFactory.create("run-1", "l1", "8", 0L, 0L, null)));
    assertSameAsSparksWriter(tmp.resolve("confusion"), ReportTables.CONFUSION_SCHEMA, List.of(
        RowFactory.create("run-1", "l2", "3", "3", 186L), RowFactory.create("run-1", "l2", "3", "7", 21L)));
    assertSameAsSparksWriter(tmp.resolve("rejected"), ReportTables.REJECTED_SCHEMA, List.of());
    assertSameAsSparksWriter(tmp.resolve("examples"), ReportTables.EXAMPLES_SCHEMA, List.of(
        RowFactory.create("run-1", "l1", "top_loss", "3", "7", "file:/d/a.png#2", 0.25, 0.5, 0.25,
            new byte[] {0, 1, (byte) 255, 7}, 2, 2),
        RowFactory.create("run-1", null, "ideal", "3", "3", null, null, null, null, new byte[] {9}, 1, 1)));
  }

  @Test
  void columnsAFileLacksReadAsNullOnTheDriverAsInSpark(@TempDir Path tmp) throws IOException {
    // A runs file from before the gate's columns: the last three columns of today's schema are missing.
    StructType old = new StructType(java.util.Arrays.copyOf(ReportTables.RUNS_SCHEMA.fields(),
        ReportTables.RUNS_SCHEMA.size() - 3));
    Row full = runRow();
    Object[] values = new Object[old.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = full.get(i);
    }
    Path dir = tmp.resolve("runs");
    org.apache.hadoop.fs.Path file = SmallTable.write(SPARK, new org.apache.hadoop.fs.Path(dir.toUri()), old,
        List.of(RowFactory.create(values)));
    List<Row> driver = SmallTable.read(SPARK, file, ReportTables.RUNS_SCHEMA);
    List<Row> spark = SPARK.read().schema(ReportTables.RUNS_SCHEMA).parquet(dir.toString()).collectAsList();
    assertEquals(values(spark), values(driver));
    Row r = driver.get(0);
    assertEquals("run-1", r.getAs("run_id"));
    assertEquals(RUN_AT, r.<Timestamp>getAs("run_at").toInstant());
    assertEquals(null, r.get(r.fieldIndex("gate")));
    assertEquals(null, r.get(r.fieldIndex("gate_max_drop")));
    assertEquals(List.of("3", "7"), r.getList(r.fieldIndex("labels")));
  }

  @Test
  void anEmptyDatasetIsWrittenWithoutASparkJob(@TempDir Path tmp) throws IOException {
    // Empty, but only a Spark job could find that out (a filter over a range): the count of 0 must be trusted.
    Dataset<Row> none = SPARK.range(10).filter("id < 0").selectExpr("'r' AS run_id", "'valid' AS dataset",
        "concat('img-', id) AS origin", "'not an image' AS reason");
    Dataset<Row> two = SPARK.createDataFrame(List.of(RowFactory.create("r", "valid", "a.png", "not an image"),
        RowFactory.create("r", "train", "b.png", "3x3, not 28x28")), ReportTables.REJECTED_SCHEMA);
    String group = "small-table-" + System.nanoTime();
    JobsOfGroup jobs = new JobsOfGroup(group);
    SPARK.sparkContext().addSparkListener(jobs);
    SPARK.sparkContext().setJobGroup(group, "SmallTableTest", false);
    try {
      SmallTable.write(SPARK, new org.apache.hadoop.fs.Path(tmp.resolve("none").toUri()), none, 0);
      assertEquals(0, jobs.started(), "no Spark job for an empty dataset");
      // The listener does see this dataset's jobs: counting it starts one.
      assertEquals(0, none.count());
      assertTrue(jobs.started() > 0, "counting the dataset is a Spark job");
      SmallTable.write(SPARK, new org.apache.hadoop.fs.Path(tmp.resolve("two").toUri()), two, 2);
    } finally {
      SPARK.sparkContext().clearJobGroup();
      SPARK.sparkContext().removeSparkListener(jobs);
    }
    assertEquals(0, SPARK.read().parquet(tmp.resolve("none").toString()).count());
    assertEquals(ReportTables.REJECTED_SCHEMA.fieldNames().length,
        SPARK.read().parquet(tmp.resolve("none").toString()).schema().size());
    assertEquals(List.of("a.png", "b.png"), SPARK.read().parquet(tmp.resolve("two").toString()).orderBy("origin")
        .collectAsList().stream().map(r -> r.getString(2)).toList());
    assertEquals(List.of("_SUCCESS", "part"), files(tmp.resolve("none")));
  }

  /** Counts the jobs started in one job group; {@link #started} first waits until the listener bus is drained. */
  static final class JobsOfGroup extends SparkListener {
    private final String group;
    private final AtomicInteger started = new AtomicInteger();

    JobsOfGroup(String group) {
      this.group = group;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      if (start.properties() != null && group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
        started.incrementAndGet();
      }
    }

    int started() {
      try {
        SPARK.sparkContext().listenerBus().waitUntilEmpty();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("Spark's listener bus did not drain", e);
      }
      return started.get();
    }
  }

  @Test
  void moreRowsThanTheBoundGoThroughSpark(@TempDir Path tmp) throws IOException {
    long n = SmallTable.MAX_ROWS + 1;
    Dataset<Row> many = SPARK.range(n).selectExpr("'valid' AS dataset", "concat('img-', id, '.png') AS origin",
        "'not an image' AS reason");
    // Given as the count, and given a count too small: both end with all rows in one file.
    SmallTable.write(SPARK, new org.apache.hadoop.fs.Path(tmp.resolve("counted").toUri()), many, n);
    SmallTable.write(SPARK, new org.apache.hadoop.fs.Path(tmp.resolve("hint").toUri()), many, 3);
    for (String d : new String[] {"counted", "hint"}) {
      Dataset<Row> back = SPARK.read().parquet(tmp.resolve(d).toString());
      assertEquals(n, back.count(), d);
      assertEquals(n, back.select("origin").distinct().count(), d);
      assertEquals(List.of("_SUCCESS", "part"), files(tmp.resolve(d)), d);
    }
  }

  /** The sorted file names of a folder, checksum files left out, data files shortened to "part". */
  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(f -> !f.endsWith(".crc"))
          .map(f -> f.startsWith("part-") && f.endsWith(".parquet") ? "part" : f).sorted().toList();
    }
  }

  /**
   * Writes {@code rows} with {@link SmallTable} and with Spark's writer (as the job did before, timestamps as
   * TIMESTAMP_MICROS) and checks that Spark reads both with {@code schema} made nullable, the same rows as given,
   * and that both files have the same parquet schema and Spark schema metadata.
   */
  public static void assertSameAsSparksWriter(Path tmp, StructType schema, List<Row> rows) throws IOException {
    Path ours = tmp.resolve("driver");
    Path spark = tmp.resolve("spark");
    SmallTable.write(SPARK, new org.apache.hadoop.fs.Path(ours.toUri()), schema, rows);
    SparkSession micros = SPARK.newSession();
    micros.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    micros.createDataFrame(rows, schema).coalesce(1).write().parquet(spark.toString());

    Dataset<Row> back = SPARK.read().parquet(ours.toString());
    assertEquals(nullable(schema), back.schema());
    assertEquals(SPARK.read().parquet(spark.toString()).schema(), back.schema());
    assertEquals(values(rows), values(back.collectAsList()));
    FileMetaData a = footer(ours);
    FileMetaData b = footer(spark);
    assertEquals(b.getSchema(), a.getSchema());
    assertEquals(b.getKeyValueMetaData().get(SPARK_SCHEMA_KEY), a.getKeyValueMetaData().get(SPARK_SCHEMA_KEY));
    assertEquals(files(spark), files(ours));
    // And the driver's reader gives the same rows back from both files.
    for (Path dir : List.of(ours, spark)) {
      List<Row> read = new ArrayList<>();
      try (Stream<Path> s = Files.list(dir)) {
        for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
          read.addAll(SmallTable.read(SPARK, new org.apache.hadoop.fs.Path(f.toUri()), schema));
        }
      }
      assertEquals(values(rows), values(read), dir::toString);
    }
  }

  /** What Spark's file sources make of a schema on reading: every column and array element nullable. */
  private static StructType nullable(StructType schema) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      out = out.add(f.name(), f.dataType() instanceof ArrayType a
          ? DataTypes.createArrayType(a.elementType(), true) : f.dataType(), true);
    }
    return out;
  }

  /** Rows as lists of comparable values: arrays as Java lists, timestamps as instants. */
  private static List<List<Object>> values(List<Row> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : rows) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        Object x = r.get(i);
        v.add(x instanceof scala.collection.Seq<?> s ? scala.jdk.javaapi.CollectionConverters.asJava(s)
            : x instanceof Timestamp t ? t.toInstant() : x instanceof byte[] b ? java.util.HexFormat.of().formatHex(b)
            : x);
      }
      out.add(v);
    }
    return out;
  }

  private static FileMetaData footer(Path dir) throws IOException {
    Path part;
    try (Stream<Path> s = Files.list(dir)) {
      part = s.filter(p -> p.getFileName().toString().startsWith("part-")
          && p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
      return r.getFooter().getFileMetaData();
    }
  }

  @Test
  void doublesSurviveBitForBit(@TempDir Path tmp) throws IOException {
    StructType schema = new StructType().add("mean", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    double[] m = {0.0, 1.0 / 3, 255.0 / 255, Math.nextUp(0.5), Double.MIN_VALUE};
    SmallTable.write(SPARK, new org.apache.hadoop.fs.Path(tmp.toUri()), schema,
        List.of(RowFactory.create(seq(m[0], m[1], m[2], m[3], m[4]))));
    List<Double> back = SPARK.read().parquet(tmp.toString()).first().getList(0);
    assertArrayEquals(m, back.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
