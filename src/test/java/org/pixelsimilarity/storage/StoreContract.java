package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.SparkTestSession;

/**
 * Every subcommand with every path on one store ({@link #start}), against the same command lines on the local
 * disk: the bundled sample as image folders, IDX and parquet (written by {@code ingest} on that store), models,
 * report tables and pages, predictions. The store's results must be the local run's, row for row.
 */
@Tag("storage")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {
  /** The local run, once per JVM: every store compares against it. */
  private static String localBase;

  protected SparkSession spark;
  protected String base;
  protected FileSystem fs;
  protected Path tmp;

  /** Starts the store; returns the base folder's URI (the store's inputs are copied under it). */
  protected abstract String start(Path tmp) throws Exception;

  /** Puts the files under {@code inputs} under {@code base} on the store. */
  protected void upload(Path inputs) throws Exception {
    StoreRuns.upload(fs, inputs, base);
  }

  protected abstract void stop() throws Exception;

  @BeforeAll
  void runOnTheStoreAndLocally() throws Exception {
    spark = SparkTestSession.get();
    tmp = Files.createTempDirectory("pixel-similarity-" + getClass().getSimpleName());
    base = start(tmp);
    fs = new org.apache.hadoop.fs.Path(base).getFileSystem(StoreRuns.hadoop(spark));
    Path inputs = tmp.resolve("inputs");
    StoreRuns.writeLocalInputs(inputs);
    long t0 = System.nanoTime();
    upload(inputs);
    System.out.printf("%s: upload %.1f s%n", getClass().getSimpleName(), (System.nanoTime() - t0) / 1e9);
    t0 = System.nanoTime();
    StoreRuns.runAll(base);
    System.out.printf("%s: commands %.1f s%n", getClass().getSimpleName(), (System.nanoTime() - t0) / 1e9);
    local();
  }

  private static synchronized String local() throws IOException {
    if (localBase == null) {
      Path dir = Files.createTempDirectory("pixel-similarity-local-reference");
      StoreRuns.writeLocalInputs(dir);
      String b = "file:" + dir.toAbsolutePath();
      StoreRuns.runAll(b);
      localBase = b;
    }
    return localBase;
  }

  @AfterAll
  void stopStore() throws Exception {
    try {
      stop();
    } finally {
      org.apache.hadoop.fs.FileUtil.fullyDelete(tmp.toFile());
    }
  }

  private List<String> table(String b, String name, String... drop) {
    return StoreRuns.table(spark, b, b + "/report/" + name, drop);
  }

  @Test
  void classAccuracyAndConfusionAsLocally() throws IOException {
    for (String name : List.of("class_accuracy", "confusion")) {
      List<String> here = table(base, name);
      assertEquals(table(local(), name), here, name);
      assertEquals(name.equals("confusion") ? 3 * 2 * 4 : 3 * 2 * 2, here.size(), name + ": 3 runs, 2 metrics");
    }
  }

  @Test
  void correctCountsAreTheReferences() throws IOException {
    // Independent of the local run: the plain-Java reference of MnistSample, for each of the three runs.
    MnistSample.Reference ref = MnistSample.reference();
    for (String run : List.of("folders", "idx", "parquet")) {
      for (String label : MnistSample.LABELS) {
        List<org.apache.spark.sql.Row> rows = spark.read().parquet(base + "/report/class_accuracy")
            .where("run_id = '" + run + "' AND label = '" + label + "'").orderBy("metric").collectAsList();
        assertEquals(2, rows.size(), run + " " + label);
        assertEquals(ref.validCounts().get(label).longValue(), rows.get(0).<Long>getAs("total"), run);
        assertEquals(ref.correctL1().get(label).longValue(), rows.get(0).<Long>getAs("correct"), run + " l1");
        assertEquals(ref.correctL2().get(label).longValue(), rows.get(1).<Long>getAs("correct"), run + " l2");
      }
    }
  }

  @Test
  void runsAndExamplesAsLocally() throws IOException {
    String[] varying = {"run_at", "run_date", "app_version", "spark_version", "master"};
    List<String> runs = table(base, "runs", varying);
    assertEquals(table(local(), "runs", varying), runs);
    assertEquals(3, runs.size());
    assertTrue(runs.get(0).contains("<base>/model"), runs.get(0));
    assertEquals(table(local(), "examples"), table(base, "examples"));
    assertEquals(table(local(), "rejected"), table(base, "rejected"));
  }

  @Test
  void ingestedTablesAndPredictionsAsLocally() throws IOException {
    for (String name : List.of("train.parquet", "valid.parquet", "predicted")) {
      // predict's run id is made up per run (time and a random suffix).
      List<String> here = StoreRuns.table(spark, base, base + "/" + name, "run_id");
      assertEquals(StoreRuns.table(spark, local(), local() + "/" + name, "run_id"), here, name);
      assertFalse(here.isEmpty(), name);
    }
    assertEquals(MnistSample.reference().validCounts().values().stream().mapToInt(i -> i).sum(),
        spark.read().parquet(base + "/predicted").count());
  }

  @Test
  void modelsAndPagesAreOnTheStore() throws IOException {
    for (String model : List.of("model", "model2")) {
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(base + "/" + model + "/model.json")), model);
    }
    for (String page : List.of("index.html", "folders.html", "idx.html", "parquet.html")) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(base + "/report/html/" + page);
      assertTrue(fs.exists(p), p::toString);
      assertTrue(fs.getFileStatus(p).getLen() > 1000, p::toString);
    }
  }
}
