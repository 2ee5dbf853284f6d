package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.BadInputFixtures;

/**
 * What the documented readers of a report folder on a store see (docs/report-tables.md): Spark and DuckDB keyed on
 * {@code runs}, and the index page. Each reader must find every run it lists complete: per run, labels × metrics
 * {@code class_accuracy} rows, labels² × metrics {@code confusion} cells, as many {@code rejected} rows as the run
 * counted and one {@code ideal} example per label; none twice.
 */
final class ReportView {
  static final String[] TABLES = {"runs", "class_accuracy", "confusion", "rejected", "examples"};
  private static final Pattern INDEX_RUN = Pattern.compile("data-run=\"([^\"]+)\"");

  private ReportView() {}

  /** Spark's view: {@code spark.read().parquet("<report>/<table>")} per table, keyed on {@code runs}. */
  static List<String> spark(SparkSession spark, String report) {
    List<Object[]> rows = new ArrayList<>();
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (String table : List.of("class_accuracy", "confusion", "rejected")) {
      counts.put(table, counts(spark.read().parquet(report + "/" + table).groupBy("run_id").count().collectAsList()));
    }
    counts.put("ideal", counts(spark.read().parquet(report + "/examples").where("kind = 'ideal'")
        .groupBy("run_id").count().collectAsList()));
    for (Row r : spark.read().parquet(report + "/runs").selectExpr("run_id", "size(labels)", "size(metrics)",
        "rejected_images").collectAsList()) {
      String id = r.getString(0);
      rows.add(new Object[] {id, (long) r.getInt(1), (long) r.getInt(2), r.getLong(3),
          counts.get("class_accuracy").getOrDefault(id, 0L), counts.get("confusion").getOrDefault(id, 0L),
          counts.get("rejected").getOrDefault(id, 0L), counts.get("ideal").getOrDefault(id, 0L)});
    }
    return complete("spark", rows);
  }

  private static Map<String, Long> counts(List<Row> rows) {
    Map<String, Long> out = new TreeMap<>();
    rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
    return out;
  }

  /** DuckDB's view over the documented globs {@code <report>/<table>/*&#47;*.parquet} of a local folder. */
  static List<String> duckdb(java.nio.file.Path report) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    for (String line : BadInputFixtures.duckdb(report, """
        WITH runs AS (SELECT * FROM read_parquet('REPORT/runs/*/*.parquet')),
          ca AS (SELECT run_id, count(*) AS n FROM read_parquet('REPORT/class_accuracy/*/*.parquet') GROUP BY 1),
          cf AS (SELECT run_id, count(*) AS n FROM read_parquet('REPORT/confusion/*/*.parquet') GROUP BY 1),
          rj AS (SELECT run_id, count(*) AS n FROM read_parquet('REPORT/rejected/*/*.parquet') GROUP BY 1),
          ex AS (SELECT run_id, count(*) AS n FROM read_parquet('REPORT/examples/*/*.parquet')
                 WHERE kind = 'ideal' GROUP BY 1)
        SELECT runs.run_id, len(labels), len(metrics), rejected_images, coalesce(ca.n, 0), coalesce(cf.n, 0),
          coalesce(rj.n, 0), coalesce(ex.n, 0) FROM runs
          LEFT JOIN ca USING (run_id) LEFT JOIN cf USING (run_id) LEFT JOIN rj USING (run_id)
          LEFT JOIN ex USING (run_id)""")) {
      String[] f = line.split("\\|");
      Object[] row = new Object[f.length];
      row[0] = f[0];
      for (int i = 1; i < f.length; i++) {
        row[i] = Long.parseLong(f[i]);
      }
      rows.add(row);
    }
    return complete("duckdb", rows);
  }

  /** Rows (run_id, labels, metrics, rejected_images, class_accuracy, confusion, rejected, ideal): checked, ids sorted. */
  private static List<String> complete(String reader, List<Object[]> rows) {
    List<String> incomplete = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Object[] r : rows) {
      long labels = (Long) r[1];
      long metrics = (Long) r[2];
      if (!r[4].equals(labels * metrics) || !r[5].equals(labels * labels * metrics) || !r[6].equals(r[3])
          || !r[7].equals(labels)) {
        incomplete.add(java.util.Arrays.toString(r));
      }
      ids.add((String) r[0]);
    }
    assertEquals(List.of(), incomplete, reader + ": runs with missing rows (id, labels, metrics, rejected_images,"
        + " class_accuracy, confusion, rejected, ideal)");
    ids.sort(null);
    assertEquals(new TreeSet<>(ids).size(), ids.size(), () -> reader + ": a run listed twice: " + ids);
    return ids;
  }

  /** The runs {@code <report>/html/index.html} lists (none when there is no index). */
  static List<String> index(FileSystem fs, String report) throws IOException {
    Path index = new Path(report + "/html/index.html");
    if (!fs.exists(index)) {
      return List.of();
    }
    String html;
    try (InputStream in = fs.open(index)) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    TreeSet<String> ids = new TreeSet<>();
    Matcher m = INDEX_RUN.matcher(html);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return new ArrayList<>(ids);
  }

  /** Every file under {@code report} (hidden ones too), relative to it. */
  static List<String> allFiles(FileSystem fs, String report) throws IOException {
    Path root = fs.makeQualified(new Path(report));
    List<String> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      String p = it.next().getPath().toString();
      out.add(p.substring(root.toString().length() + 1));
    }
    out.sort(null);
    return out;
  }

  /** The table files of the runs {@code ids}, {@code <table>/run_date=…/<id>.parquet}, with their SHA-256. */
  static Map<String, String> runFiles(FileSystem fs, String report, List<String> ids) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String f : allFiles(fs, report)) {
      String[] parts = f.split("/");
      if (parts.length == 3 && List.of(TABLES).contains(parts[0]) && ids.contains(runOf(parts[2]))) {
        try (InputStream in = fs.open(new Path(report + "/" + f))) {
          out.put(f, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
        }
      }
    }
    return out;
  }

  /** The run id of a table file's name, {@code <id>.parquet}. */
  static String runOf(String fileName) {
    return fileName.endsWith(".parquet") ? fileName.substring(0, fileName.length() - ".parquet".length()) : "";
  }
}
