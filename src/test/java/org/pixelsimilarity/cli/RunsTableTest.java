package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkJobs;
import org.pixelsimilarity.SparkTestSession;

/** What the runs table says about a run: when it started, and where its model and data are. */
class RunsTableTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @TempDir
  Path tmp;

  private Row runRow(Path report, String runId) {
    List<Row> rows = SPARK.read().parquet(report.resolve("runs").toString()).where("run_id = '" + runId + "'")
        .collectAsList();
    assertEquals(1, rows.size(), rows::toString);
    return rows.get(0);
  }

  /**
   * run_at is when the run started: not before the command was called, before the first Spark job of the run
   * (reading the training images), so before the model it trains was created.
   */
  @Test
  void runAtIsWhenTheRunStarted() throws Exception {
    Path train = BadInputFixtures.dataset(tmp.resolve("train"), 3, "3", "7");
    Path valid = BadInputFixtures.dataset(tmp.resolve("valid"), 2, "3", "7");
    Path report = tmp.resolve("report");
    Path model = tmp.resolve("model");
    Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Result[] r = new Result[1];
    List<Long> jobs = SparkJobs.startedDuring(SPARK, () -> r[0] = cli("run", "--train", train.toString(), "--valid",
        valid.toString(), "--report", report.toString(), "--model", model.toString(), "--run-id", "started"));
    assertEquals(0, r[0].exit(), r[0]::toString);
    Instant runAt = runRow(report, "started").getTimestamp(1).toInstant();
    Instant created = Instant.parse(new ObjectMapper().readTree(model.resolve("model.json").toFile())
        .path("created_at").asText());
    assertFalse(runAt.isBefore(before), runAt + " before the call at " + before);
    assertFalse(jobs.isEmpty());
    assertTrue(runAt.toEpochMilli() <= jobs.get(0), runAt + " after the first job at " + jobs.get(0));
    assertTrue(runAt.isBefore(created), runAt + " not before the model's created_at " + created);
  }

  /** A path typed relative to the working folder, as the file system's URI: {@code file:} and the absolute path. */
  private static String uri(Path relative) {
    return "file:" + relative.toAbsolutePath().normalize();
  }

  /**
   * Paths typed relative land in every table as the file system's URI, after run and after evaluate alike: the
   * model, train and valid paths of runs, and the origins of rejected.
   */
  @Test
  void pathsAreStoredAsTheFileSystemsUri() throws Exception {
    Path rel = Path.of("target", "runs-table-test-" + System.nanoTime());
    assertFalse(rel.isAbsolute());
    try {
      Path train = BadInputFixtures.dataset(rel.resolve("train"), 3, "3", "7");
      Path valid = BadInputFixtures.dataset(rel.resolve("valid"), 2, "3", "7");
      java.nio.file.Files.writeString(valid.resolve("7/broken.png"), "not a png");
      Path report = rel.resolve("report");
      Path model = rel.resolve("models/m1");
      String[] common = {"--valid", valid.toString(), "--report", report.toString(), "--max-rejected-fraction", "0.5"};
      Result run = cli(concat(new String[] {"run", "--train", train.toString(), "--model", model.toString(),
          "--run-id", "with-run"}, common));
      assertEquals(0, run.exit(), run::toString);
      Result eval = cli(concat(new String[] {"evaluate", "--model", model.toString(), "--run-id", "with-evaluate"},
          common));
      assertEquals(0, eval.exit(), eval::toString);

      Row r = runRow(report, "with-run");
      assertEquals(uri(model), r.<String>getAs("model_path"));
      assertEquals(uri(train), r.<String>getAs("train_path"));
      assertEquals(uri(valid), r.<String>getAs("valid_path"));
      Row e = runRow(report, "with-evaluate");
      assertEquals(uri(model), e.<String>getAs("model_path"));
      assertNull(e.<String>getAs("train_path"));
      assertEquals(uri(valid), e.<String>getAs("valid_path"));
      List<String> origins = SPARK.read().parquet(report.resolve("rejected").toString()).select("origin")
          .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
      assertEquals(List.of(uri(valid.resolve("7/broken.png")), uri(valid.resolve("7/broken.png"))), origins);
    } finally {
      org.apache.commons.io.FileUtils.deleteDirectory(rel.toFile());
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
