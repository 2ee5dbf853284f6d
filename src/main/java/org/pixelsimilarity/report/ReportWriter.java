package org.pixelsimilarity.report;

import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.scoring.Metric;

/**
 * Step 5, report tables: appends one run to {@code runs}, {@code class_accuracy}, {@code confusion} and
 * {@code rejected}, all or nothing.
 *
 * <p>How: each table of the run is written by Spark into {@code <report>/_staging/<uuid>/}, invisible to
 * readers of the tables. A manifest listing the moves is then written to {@code <report>/_commits/}, and the
 * files are renamed into {@code <table>/run_date=<date>/<run_id>.parquet}, {@code runs} last. A reader that takes
 * a run from {@code runs} therefore finds all its rows. A writer killed between manifest and last rename leaves a
 * manifest behind that the next writer of the same report folder finishes first ("roll forward"); one killed
 * earlier leaves only staging files, which no reader sees and which are swept after a day.
 *
 * <p>The same {@code run_id} again replaces that run's files (in whatever date partition they are): scheduled
 * runs retried with the same id never duplicate rows. Runs with different ids touch different files, so
 * concurrent writers do not collide.
 */
public final class ReportWriter {
  /** Run ids become file names: letters, digits, '.', '_' and '-', starting with a letter or digit. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final String STAGING = "_staging";
  static final String COMMITS = "_commits";
  private static final long STALE_STAGING_MS = 24L * 3600 * 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportWriter() {}

  /** Where a run landed: table name to the file written. */
  public record Written(String root, Map<String, String> files) {}

  public static void checkRunId(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run id must be 1-128 characters of letters, digits, '.', '_', '-',"
          + " starting with a letter or digit, got '" + runId + "'");
    }
  }

  /**
   * Writes one run.
   *
   * @param rejected (dataset, origin, reason) rows of the images set aside in this run
   */
  public static Written write(SparkSession spark, String reportDir, RunRecord run, Evaluation eval,
      Dataset<Row> rejected) {
    checkRunId(run.runId());
    Path root = new Path(reportDir);
    String date = run.runAt().atZone(ZoneOffset.UTC).toLocalDate().toString();
    String uuid = UUID.randomUUID().toString();
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      root = fs.makeQualified(root);
      recover(fs, root);
      Path staging = new Path(new Path(root, STAGING), uuid);
      Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
      tables.put(ReportTables.REJECTED, rejected.select(lit(run.runId()).as("run_id"), rejected.col("dataset"),
          rejected.col("origin"), rejected.col("reason")));
      tables.put(ReportTables.CONFUSION, local(spark, confusionRows(run.runId(), eval),
          ReportTables.CONFUSION_SCHEMA));
      tables.put(ReportTables.CLASS_ACCURACY, local(spark, classAccuracyRows(run.runId(), eval),
          ReportTables.CLASS_ACCURACY_SCHEMA));
      tables.put(ReportTables.RUNS, local(spark, List.of(runRow(run)), ReportTables.RUNS_SCHEMA));
      String oldTimestampType = spark.conf().get("spark.sql.parquet.outputTimestampType");
      spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
      try {
        for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) {
          t.getValue().coalesce(1).write().parquet(new Path(staging, t.getKey()).toString());
        }
      } finally {
        spark.conf().set("spark.sql.parquet.outputTimestampType", oldTimestampType);
      }

      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("run_id", run.runId());
      manifest.put("staging", staging.toString());
      ArrayNode old = manifest.putArray("delete");
      ArrayNode moves = manifest.putArray("moves");
      Map<String, String> files = new LinkedHashMap<>();
      for (String table : new String[] {ReportTables.RUNS, ReportTables.CLASS_ACCURACY, ReportTables.CONFUSION,
          ReportTables.REJECTED}) {
        for (Path p : existingFiles(fs, new Path(root, table), run.runId())) {
          old.add(p.toString());
        }
      }
      for (String table : ReportTables.ALL) {
        Path from = singlePartFile(fs, new Path(staging, table));
        Path to = new Path(new Path(new Path(root, table), "run_date=" + date), run.runId() + ".parquet");
        moves.addObject().put("from", from.toString()).put("to", to.toString());
        files.put(table, to.toString());
      }
      Path commits = new Path(root, COMMITS);
      fs.mkdirs(commits);
      Path manifestFile = new Path(commits, uuid + ".json");
      Path tmp = new Path(commits, "." + uuid + ".json.tmp");
      try (OutputStream out = fs.create(tmp, false)) {
        JSON.writeValue(out, manifest);
      }
      if (!fs.rename(tmp, manifestFile)) {
        throw new IOException("could not rename " + tmp + " to " + manifestFile);
      }
      apply(fs, manifestFile, manifest);
      return new Written(root.toString(), files);
    } catch (IOException e) {
      throw new JobException(reportDir + ": cannot write the report: " + e.getMessage(), e);
    }
  }

  private static Dataset<Row> local(SparkSession spark, List<Row> rows, StructType schema) {
    return spark.createDataFrame(rows, schema);
  }

  /** Finishes every commit a killed writer left half done. Safe to run any number of times, also concurrently. */
  public static void recover(FileSystem fs, Path root) throws IOException {
    Path commits = new Path(root, COMMITS);
    if (fs.exists(commits)) {
      for (FileStatus s : fs.listStatus(commits)) {
        if (s.getPath().getName().endsWith(".json") && !s.getPath().getName().startsWith(".")) {
          JsonNode manifest;
          try (InputStream in = fs.open(s.getPath())) {
            manifest = JSON.readTree(in);
          } catch (FileNotFoundException gone) {
            continue; // finished by its own writer meanwhile
          }
          apply(fs, s.getPath(), manifest);
        }
      }
    }
    Path staging = new Path(root, STAGING);
    if (fs.exists(staging)) {
      long now = System.currentTimeMillis();
      for (FileStatus s : fs.listStatus(staging)) {
        if (now - s.getModificationTime() > STALE_STAGING_MS) {
          fs.delete(s.getPath(), true);
        }
      }
    }
  }

  /**
   * Carries out a manifest; every step can be repeated. The old files of the run id are deleted first (the
   * {@code runs} file first of all), except one that a finished move has already replaced; then each staged file
   * is moved into place, {@code runs} last.
   */
  static void apply(FileSystem fs, Path manifestFile, JsonNode manifest) throws IOException {
    List<String[]> moves = new ArrayList<>();
    manifest.path("moves").forEach(m -> moves.add(new String[] {m.path("from").asText(), m.path("to").asText()}));
    Map<String, Boolean> doneDest = new LinkedHashMap<>();
    for (String[] m : moves) {
      doneDest.put(m[1], !fs.exists(new Path(m[0])));
    }
    for (JsonNode old : manifest.path("delete")) {
      if (!doneDest.getOrDefault(old.asText(), false)) {
        fs.delete(new Path(old.asText()), false);
      }
    }
    for (String[] m : moves) {
      Path from = new Path(m[0]);
      Path to = new Path(m[1]);
      if (!fs.exists(from)) {
        continue;
      }
      fs.mkdirs(to.getParent());
      fs.delete(to, false);
      if (!fs.rename(from, to) && fs.exists(from)) {
        throw new IOException("could not rename " + from + " to " + to);
      }
    }
    fs.delete(new Path(manifest.path("staging").asText()), true);
    fs.delete(manifestFile, false);
  }

  private static List<Path> existingFiles(FileSystem fs, Path table, String runId) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!fs.exists(table)) {
      return out;
    }
    for (FileStatus partition : fs.listStatus(table)) {
      if (partition.isDirectory() && partition.getPath().getName().startsWith("run_date=")) {
        Path f = new Path(partition.getPath(), runId + ".parquet");
        if (fs.exists(f)) {
          out.add(f);
        }
      }
    }
    return out;
  }

  private static Path singlePartFile(FileSystem fs, Path dir) throws IOException {
    List<Path> parts = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.startsWith("part-") && name.endsWith(".parquet")) {
        parts.add(s.getPath());
      }
    }
    if (parts.size() != 1) {
      throw new IOException(dir + ": expected one staged parquet file, found " + parts.size());
    }
    return parts.get(0);
  }

  static Row runRow(RunRecord r) {
    return RowFactory.create(r.runId(), Timestamp.from(r.runAt()), r.modelId(), r.modelPath(), r.trainPath(),
        r.validPath(), r.trainImages(), r.validImages(), r.scoredImages(), r.unknownLabelImages(),
        r.rejectedImages(), toSeq(r.labels()), toSeq(r.metrics()), r.accuracyL1(), r.macroAccuracyL1(),
        r.accuracyL2(), r.macroAccuracyL2(), r.appVersion(), r.sparkVersion(), r.master());
  }

  private static scala.collection.immutable.Seq<String> toSeq(List<String> values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(values).toList();
  }

  static List<Row> classAccuracyRows(String runId, Evaluation eval) {
    List<Row> rows = new ArrayList<>();
    for (Metric m : eval.metrics()) {
      for (Evaluation.ClassAccuracy c : eval.perClass(m)) {
        rows.add(RowFactory.create(runId, m.key(), c.label(), c.total(), c.correct(),
            Double.isNaN(c.accuracy()) ? null : c.accuracy()));
      }
    }
    return rows;
  }

  static List<Row> confusionRows(String runId, Evaluation eval) {
    List<Row> rows = new ArrayList<>();
    for (Metric m : eval.metrics()) {
      long[][] c = eval.confusion(m);
      for (int a = 0; a < c.length; a++) {
        for (int p = 0; p < c.length; p++) {
          rows.add(RowFactory.create(runId, m.key(), eval.labels().get(a), eval.labels().get(p), c[a][p]));
        }
      }
    }
    return rows;
  }
}
