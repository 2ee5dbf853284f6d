package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkJobs;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.model.ModelStore;

/**
 * What can be known without reading any image is checked before the first Spark job: an existing model or table
 * that may not be replaced, a report folder that cannot be written, a declared shape the model cannot score. Each
 * case would read all the data first otherwise (it did); here it stops with one line and no Spark job started.
 */
class PreconditionsTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  @TempDir
  static Path dir;
  static String train;
  static String valid;
  static String model;

  @BeforeAll
  static void data() throws Exception {
    train = BadInputFixtures.dataset(dir.resolve("train"), 3, "3", "7").toString();
    valid = BadInputFixtures.dataset(dir.resolve("valid"), 2, "3", "7").toString();
    model = dir.resolve("model").toString();
    Result r = cli("train", "--train", train, "--model", model);
    assertEquals(0, r.exit(), r::toString);
  }

  /** Runs the command line, expects the one-line error and no Spark job, and that nothing under dir changed. */
  private static void stopsBeforeAnyJob(String message, String... args) throws Exception {
    Map<String, String> before = BadInputFixtures.snapshot(dir);
    Result[] r = new Result[1];
    List<Long> jobs = SparkJobs.startedDuring(SPARK, () -> r[0] = cli(args));
    assertOneLineError(r[0], message);
    assertEquals(List.of(), jobs, "Spark jobs started before the error");
    assertEquals(before, BadInputFixtures.snapshot(dir), "files changed");
  }

  @Test
  void anExistingModelWithoutOverwrite() throws Exception {
    stopsBeforeAnyJob(model + ": a model already exists there; pass --overwrite to replace it",
        "train", "--train", train, "--model", model);
    stopsBeforeAnyJob(model + ": a model already exists there; pass --overwrite to replace it",
        "run", "--train", train, "--valid", valid, "--report", dir.resolve("report").toString(), "--model", model);
  }

  @Test
  void anExistingIngestOutputWithoutOverwrite() throws Exception {
    Path table = dir.resolve("table");
    Files.createDirectories(table);
    Files.writeString(table.resolve("keep.txt"), "already here");
    stopsBeforeAnyJob(table + ": already exists; pass --overwrite to replace it",
        "ingest", "--input", train, "--output", table.toString());
  }

  @Test
  void aReportFolderThatIsAFile() throws Exception {
    Path file = dir.resolve("report-is-a-file");
    Files.writeString(file, "not a folder");
    stopsBeforeAnyJob(file + ": is a file; the report needs a folder",
        "evaluate", "--model", model, "--valid", valid, "--report", file.toString());
    stopsBeforeAnyJob(file + ": is a file; the report needs a folder",
        "run", "--train", train, "--valid", valid, "--report", file.toString(), "--model",
        dir.resolve("new-model").toString());
    Path below = file.resolve("report");
    stopsBeforeAnyJob(below + ": file:" + file + " is a file; the report needs a folder",
        "evaluate", "--model", model, "--valid", valid, "--report", below.toString());
  }

  /** The model is loaded (its own small Spark job), and nothing more: the valid images are not read. */
  @Test
  void aDeclaredShapeTheModelCannotScore() throws Exception {
    List<Long> load = SparkJobs.startedDuring(SPARK, () -> ModelStore.load(SPARK, model));
    Map<String, String> before = BadInputFixtures.snapshot(dir);
    Result[] r = new Result[1];
    List<Long> jobs = SparkJobs.startedDuring(SPARK, () -> r[0] = cli("evaluate", "--model", model, "--valid", valid,
        "--report", dir.resolve("report").toString(), "--shape", "4x4"));
    assertOneLineError(r[0], valid + ": its declared shape 4x4 (--shape) is not the model's 8x8");
    assertEquals(load.size(), jobs.size(), "only the model's load ran");
    assertEquals(before, BadInputFixtures.snapshot(dir));
  }
}
