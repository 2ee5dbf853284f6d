package org.pixelsimilarity.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.data.SmallTable;

/**
 * Report folders with a history, for tests and the history benchmark: a real run's five table files written again
 * as another run (a new run id, and {@code run_at} in {@code runs}) in the date partitions of its new time.
 */
public final class ReportCopies {
  private ReportCopies() {}

  /** Copies run {@code seedId} of local report folder {@code from} into {@code to} as {@code runId} at {@code runAt}. */
  public static void copyRun(SparkSession spark, Path from, String seedId, Path to, String runId, Instant runAt)
      throws IOException {
    String date = runAt.atZone(ZoneOffset.UTC).toLocalDate().toString();
    for (String table : ReportTables.ALL) {
      Path seedFile;
      try (Stream<Path> files = Files.walk(from.resolve(table))) {
        seedFile = files.filter(p -> p.getFileName().toString().equals(seedId + ".parquet"))
            .min(Comparator.naturalOrder()).orElseThrow(() -> new IOException("no " + seedId + " in " + table));
      }
      StructType schema = ReportTables.schema(table);
      List<Row> rows = new ArrayList<>();
      for (Row r : SmallTable.read(spark, new org.apache.hadoop.fs.Path(seedFile.toString()), schema)) {
        Object[] v = new Object[r.length()];
        for (int i = 0; i < v.length; i++) {
          v[i] = r.get(i);
        }
        v[schema.fieldIndex("run_id")] = runId;
        if (table.equals(ReportTables.RUNS)) {
          v[schema.fieldIndex("run_at")] = java.sql.Timestamp.from(runAt);
        }
        rows.add(RowFactory.create(v));
      }
      Path staged = Files.createTempDirectory("report-copy");
      try {
        org.apache.hadoop.fs.Path file = SmallTable.write(spark, new org.apache.hadoop.fs.Path(staged.toString()),
            schema, rows);
        Path dest = to.resolve(table).resolve("run_date=" + date).resolve(runId + ".parquet");
        Files.createDirectories(dest.getParent());
        Files.move(Path.of(file.toUri().getPath()), dest);
      } finally {
        try (Stream<Path> left = Files.walk(staged)) {
          for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }
}
