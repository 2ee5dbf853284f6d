package org.pixelsimilarity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;
import static org.pixelsimilarity.BadInputFixtures.dataset;
import static org.pixelsimilarity.BadInputFixtures.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.Shape;

/**
 * Model folders that are missing, of another image shape, or whose metadata does not match their parquet; and
 * how train writes a model: complete or not at all, never over an existing one without --overwrite.
 */
class BadModelTest {
  @TempDir
  static Path dir;
  static Path train;
  static Path valid;
  static Path model;
  static SparkSession spark;

  @BeforeAll
  static void trainModel() throws IOException {
    spark = SparkTestSession.get();
    train = dataset(dir.resolve("train"), 4, "3", "7");
    valid = dataset(dir.resolve("valid"), 2, "3", "7");
    model = dir.resolve("model");
    Result r = cli("train", "--train", train.toString(), "--model", model.toString());
    assertEquals(0, r.exit(), r::toString);
  }

  @AfterEach
  void resetHook() {
    ModelStore.beforeMove = tmp -> { };
  }

  /** evaluate with {@code m}: exit 1, one line, no report. */
  static void refused(Path m, String... parts) {
    Path report = dir.resolve("report-never");
    assertOneLineError(cli("evaluate", "--model", m.toString(), "--valid", valid.toString(), "--report",
        report.toString()), parts);
    assertFalse(Files.exists(report));
  }

  /** A copy of the good model with model.json edited (and its Hadoop checksum file dropped, as an editor would). */
  static Path withMetadata(String name, String from, String to) throws IOException {
    Path copy = dir.resolve(name);
    try (Stream<Path> files = Files.walk(model)) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(model.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    Path json = copy.resolve("model.json");
    String text = Files.readString(json);
    assertTrue(text.contains(from), text);
    Files.writeString(json, text.replace(from, to));
    Files.deleteIfExists(copy.resolve(".model.json.crc"));
    return copy;
  }

  @Test
  void missingOrNotAModel() throws IOException {
    Path missing = dir.resolve("no-model");
    refused(missing, "error: " + missing + ": model folder does not exist (make one with train)");
    Path empty = Files.createDirectories(dir.resolve("empty-model"));
    refused(empty, "error: " + empty + ": not a model folder (needs model.json and data/)");
  }

  @Test
  void imagesOfAnotherShapeThanTheModel() throws IOException {
    Path small = dir.resolve("valid-4x4");
    for (String label : new String[] {"3", "7"}) {
      for (int i = 0; i < 2; i++) {
        org.pixelsimilarity.BadInputFixtures.grayPng(small.resolve(label + "/" + i + ".png"),
            org.pixelsimilarity.BadInputFixtures.pixels(label, i, 4), 4);
      }
    }
    Path report = dir.resolve("report-never");
    assertOneLineError(cli("evaluate", "--model", model.toString(), "--valid", small.toString(), "--report",
        report.toString()), "error: " + small + ": its images are 4x4 (4 of 4), the model's are 8x8");
    assertFalse(Files.exists(report));
  }

  @Test
  void metadataThatDoesNotMatchTheParquet() throws IOException {
    String json = Files.readString(model.resolve("model.json"));
    refused(withMetadata("m-labels", "\"7\"", "\"8\""),
        "metadata does not match data: labels [3, 8] vs [3, 7]");
    refused(withMetadata("m-height", "\"height\" : 8", "\"height\" : 9"),
        "metadata does not match data: label 3 is 8x8, metadata says 9x8");
    String id = json.replaceAll("(?s).*\"model_id\" : \"([0-9a-f]+)\".*", "$1");
    refused(withMetadata("m-id", id, "0123456789abcdef"), "model_id 0123456789abcdef in model.json, the parquet"
        + " content hashes to " + id);
    Path broken = withMetadata("m-json", "{", "{{");
    refused(broken, "error: " + broken + "/model.json: cannot read the model: ");
    refused(withMetadata("m-no-shape", "\"width\" : 8", "\"wide\" : 8"), "model.json: no valid height and width");
  }

  @Test
  void idealImagesWithWrongColumnTypes() throws IOException {
    Path m = withIdealImages("m-types", "SELECT '3' AS label, 4 AS count, 8 AS height, 8 AS width, array('x') AS mean");
    refused(m, "error: " + m + "/data: expected column count bigint");
  }

  /** A copy of the good model whose table of ideal images ({@code data/}) is replaced by the rows of {@code sql}. */
  static Path withIdealImages(String name, String sql) throws IOException {
    Path m = withMetadata(name, "\"format\"", "\"format\"");
    try (Stream<Path> parts = Files.walk(m.resolve("data"))) {
      for (Path p : parts.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    spark.sql(sql).coalesce(1).write().parquet(m.resolve("data").toString());
    return m;
  }

  @Test
  void idealImagesWithTooFewMeansOrNullsDisagreeWithTheMetadata() throws IOException {
    // The model's metadata says 8x8 (64 means per label); here label 3 has 63, or a null mean.
    Path short63 = withIdealImages("m-63-means", "SELECT '3' AS label, CAST(4 AS BIGINT) AS count, 8 AS height,"
        + " 8 AS width, array_repeat(0.5D, 63) AS mean UNION ALL SELECT '7', CAST(4 AS BIGINT), 8, 8,"
        + " array_repeat(0.25D, 64)");
    refused(short63, "error: " + short63 + ": metadata does not match data: label 3 has 63 means, 8x8"
        + " needs 64");
    Path nullMean = withIdealImages("m-null-mean", "SELECT '3' AS label, CAST(4 AS BIGINT) AS count, 8 AS height,"
        + " 8 AS width, concat(array_repeat(0.5D, 63), array(CAST(NULL AS DOUBLE))) AS mean UNION ALL SELECT '7',"
        + " CAST(4 AS BIGINT), 8, 8, array_repeat(0.25D, 64)");
    refused(nullMean, "error: " + nullMean + "/data: the row of label 3 has null values");
    Path nullCount = withIdealImages("m-null-count", "SELECT '3' AS label, CAST(NULL AS BIGINT) AS count,"
        + " 8 AS height, 8 AS width, array_repeat(0.5D, 64) AS mean UNION ALL SELECT '7', CAST(4 AS BIGINT), 8, 8,"
        + " array_repeat(0.25D, 64)");
    refused(nullCount, "error: " + nullCount + "/data: the row of label 3 has null values");
  }

  @Test
  void anExistingModelIsReplacedOnlyWithOverwrite() throws IOException {
    Map<String, String> before = snapshot(model);
    Path other = dataset(dir.resolve("train-other"), 3, "3", "7");
    assertOneLineError(cli("train", "--train", other.toString(), "--model", model.toString()),
        "error: " + model + ": a model already exists there; pass --overwrite to replace it");
    assertEquals(before, snapshot(model));

    Path copy = withMetadata("m-overwrite", "\"format\"", "\"format\"");
    Result r = cli("train", "--train", other.toString(), "--model", copy.toString(), "--overwrite");
    assertEquals(0, r.exit(), r::toString);
    IdealImages replaced = ModelStore.load(spark, copy.toString());
    assertEquals(List.of(3L, 3L), List.of(replaced.counts()[0], replaced.counts()[1]));
    assertNotEquals(ModelStore.load(spark, model.toString()).id(), replaced.id());
    assertEquals(List.of("m-overwrite"), hiddenOrCopies("m-overwrite"));
  }

  /** The entries of {@link #dir} whose name contains {@code name}: the model and any leftover temp folder. */
  static List<String> hiddenOrCopies(String name) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(name)).sorted().toList();
    }
  }

  @Test
  void trainWritesToATemporaryFolderAndMovesItWhenComplete() throws IOException {
    IdealImages fitted = ModelStore.load(spark, model.toString());
    Path target = dir.resolve("m-atomic");
    boolean[] checked = {false};
    ModelStore.beforeMove = tmp -> {
      assertFalse(Files.exists(target), "nothing at --model before the move");
      Path t = Path.of(tmp.toUri().getPath());
      assertTrue(t.getParent().getFileName().toString().startsWith(".m-atomic.tmp-"), t::toString);
      for (String part : new String[] {"model.json", "data/_SUCCESS", "metadata/part-00000", "ideal-3.png", "ideal-7.png"}) {
        assertTrue(Files.exists(t.resolve(part)), part);
      }
      checked[0] = true;
    };
    ModelStore.save(spark, fitted, target.toString(), "test", false, false);
    assertTrue(checked[0]);
    assertEquals(fitted, ModelStore.load(spark, target.toString()));

    // A save that fails before the move leaves no model and no temporary folder; an old model stays as it was.
    ModelStore.beforeMove = tmp -> {
      throw new org.pixelsimilarity.JobException("disk full (simulated)");
    };
    Path never = dir.resolve("m-failed");
    assertThrows(org.pixelsimilarity.JobException.class,
        () -> ModelStore.save(spark, fitted, never.toString(), "test", false, false));
    assertEquals(List.of(), hiddenOrCopies("m-failed"));
    Map<String, String> before = snapshot(target);
    IdealImages other = new IdealImages(new Shape(8, 8), List.of("3", "7"), new long[] {1, 1},
        new double[][] {new double[64], new double[64]});
    assertThrows(org.pixelsimilarity.JobException.class,
        () -> ModelStore.save(spark, other, target.toString(), "test", true, false));
    assertEquals(before, snapshot(target));
    assertEquals(List.of("m-atomic"), hiddenOrCopies("m-atomic"));
  }
}
