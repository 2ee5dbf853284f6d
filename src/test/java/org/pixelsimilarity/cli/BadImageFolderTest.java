package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.SIDE;
import static org.pixelsimilarity.BadInputFixtures.assertOneLineError;
import static org.pixelsimilarity.BadInputFixtures.cli;
import static org.pixelsimilarity.BadInputFixtures.colourPng;
import static org.pixelsimilarity.BadInputFixtures.dataset;
import static org.pixelsimilarity.BadInputFixtures.duckdb;
import static org.pixelsimilarity.BadInputFixtures.gray16Png;
import static org.pixelsimilarity.BadInputFixtures.grayPng;
import static org.pixelsimilarity.BadInputFixtures.pixels;
import static org.pixelsimilarity.BadInputFixtures.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.ReadMode;
import org.pixelsimilarity.data.Shape;

/**
 * Image folders with every kind of bad file the issue lists, through the CLI as a user runs it: exit code, the
 * one-line message, what lands in {@code rejected}, and that a failed run writes nothing.
 */
class BadImageFolderTest {
  @TempDir
  static Path dir;
  static Path train;
  static Path model;

  @BeforeAll
  static void trainModel() throws IOException {
    SparkTestSession.get();
    train = dataset(dir.resolve("train"), 12, "3", "7");
    model = dir.resolve("model");
    Result r = cli("train", "--train", train.toString(), "--model", model.toString());
    assertEquals(0, r.exit(), r::toString);
  }

  /** One bad file of each kind, its name and the reason it must be rejected with. */
  interface BadFile {
    void write(Path file) throws IOException;
  }

  static Map<String, Object[]> badFiles() {
    Map<String, Object[]> m = new LinkedHashMap<>();
    m.put("3/corrupt.png", new Object[] {(BadFile) f -> {
      byte[] b = new byte[60];
      System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, b, 0, 8);
      Arrays.fill(b, 8, 60, (byte) 0x5a);
      Files.write(f, b);
    }, "corrupt or truncated image"});
    m.put("3/truncated.png", new Object[] {(BadFile) f -> {
      byte[] whole = Files.readAllBytes(grayPng(f, pixels("3", 99, SIDE), SIDE));
      Files.write(f, Arrays.copyOf(whole, whole.length / 2));
    }, "corrupt or truncated image"});
    m.put("3/empty.png", new Object[] {(BadFile) f -> Files.write(f, new byte[0]), "empty file (0 bytes)"});
    m.put("7/notes.txt", new Object[] {(BadFile) f -> Files.writeString(f, "labelled by hand on Monday\n"),
        "not an image"});
    m.put("7/big.png", new Object[] {(BadFile) f -> grayPng(f, pixels("7", 1, 10), 10),
        "image is 10x10, expected 8x8 (the model's shape)"});
    m.put("7/transparent.png", new Object[] {(BadFile) f -> {
      int[] argb = grayArgb(pixels("7", 5, SIDE));
      argb[3] = 0x80FFFFFF; // pixel (3,0) half transparent
      colourPng(f, argb, SIDE, true);
    }, "RGBA image: pixel (3,0) alpha 128: transparent images are not read"});
    m.put("3/sub/nested.png", new Object[] {(BadFile) f -> grayPng(f, pixels("3", 7, SIDE), SIDE),
        "file nested below the label folder"});
    m.put("stray.png", new Object[] {(BadFile) f -> grayPng(f, pixels("3", 8, SIDE), SIDE),
        "file directly under the dataset root"});
    return m;
  }

  static int[] grayArgb(int[] gray) {
    int[] argb = new int[gray.length];
    for (int i = 0; i < gray.length; i++) {
      argb[i] = 0xFF000000 | gray[i] << 16 | gray[i] << 8 | gray[i];
    }
    return argb;
  }

  /** Every bad kind in one validation folder, with images that are fine although unusual, and hidden files. */
  static Path messyValid(Path root) throws IOException {
    dataset(root, 6, "3", "7");
    dataset(root, 2, "9");
    Files.createDirectories(root.resolve("5"));
    for (Map.Entry<String, Object[]> e : badFiles().entrySet()) {
      Path f = root.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      ((BadFile) e.getValue()[0]).write(f);
    }
    colourPng(root.resolve("3/gray-as-rgb.png"), grayArgb(pixels("3", 20, SIDE)), SIDE, false);
    int[] wide = pixels("7", 21, SIDE);
    int[] samples = new int[wide.length];
    for (int i = 0; i < wide.length; i++) {
      samples[i] = wide[i] * 257 + 100; // round((v * 257 + 100) / 257) = v
    }
    gray16Png(root.resolve("7/gray16.png"), samples, SIDE);
    Files.write(root.resolve("7/.DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
    grayPng(root.resolve(".ipynb_checkpoints/3/000-checkpoint.png"), pixels("3", 0, SIDE), SIDE);
    return root;
  }

  @Test
  void dropmalformedSetsEachBadFileAsideWithItsReason() throws Exception {
    Path valid = messyValid(dir.resolve("messy"));
    Path report = dir.resolve("report-messy");
    int bad = badFiles().size();
    int good = 2 * 6 + 2 + 2; // 3 and 7, label 9, the gray RGB and the 16-bit image
    int total = good + bad;

    Result r = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString(), "--run-id", "messy", "--max-rejected-fraction", "0.5");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("not scored, labels the model does not know: 9: 2"), r.out());
    assertTrue(r.out().contains("empty label folders: 5"), r.out());
    assertTrue(r.out().contains("skipped 2 hidden file(s)/folder(s): .ipynb_checkpoints, .DS_Store"), r.out());
    Map<String, String> written = snapshot(report);

    // The default limit (1%) stops the run; the report keeps its earlier run, byte for byte.
    Result refused = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString());
    assertOneLineError(refused, "valid " + valid, bad + " of " + total + " images rejected",
        String.format("(%.2f%%), more than the allowed 1.00%%", 100.0 * bad / total), "--max-rejected-fraction");
    assertEquals(written, snapshot(report));

    List<String> rejected = duckdb(report, "SELECT dataset, origin, reason FROM "
        + "read_parquet('REPORT/rejected/*/*.parquet') WHERE run_id = 'messy' ORDER BY origin");
    assertEquals(bad, rejected.size(), rejected::toString);
    for (Map.Entry<String, Object[]> e : badFiles().entrySet()) {
      String origin = "file:" + valid.resolve(e.getKey());
      String row = rejected.stream().filter(x -> x.startsWith("valid|" + origin + "|")).findFirst()
          .orElseThrow(() -> new AssertionError(origin + " not in " + rejected));
      assertTrue(row.contains((String) e.getValue()[1]), row);
    }
    assertEquals(List.of(good + "|14|2|" + bad), duckdb(report, "SELECT valid_images, scored_images, "
        + "unknown_label_images, rejected_images FROM read_parquet('REPORT/runs/*/*.parquet')"));
    // The patterns of 3 (bright left) and 7 (bright right) are far apart: every known image is right.
    assertEquals(List.of("l1|3|7|7", "l1|7|7|7", "l2|3|7|7", "l2|7|7|7"), duckdb(report, "SELECT metric, label,"
        + " total, correct FROM read_parquet('REPORT/class_accuracy/*/*.parquet') ORDER BY metric, label"));
    assertEquals(List.of("0"), duckdb(report, "SELECT count(*) FROM read_parquet('REPORT/confusion/*/*.parquet')"
        + " WHERE actual = '9' OR predicted = '9'"));
  }

  @Test
  void aColourImageAgainstTheGrayModelStopsTheRunNamingBothShapesAndTheFlag() throws IOException {
    Path valid = dataset(dir.resolve("colour-valid"), 3, "3", "7");
    int[] argb = grayArgb(pixels("3", 5, SIDE));
    argb[SIDE + 2] = 0xFFC83214; // pixel (2,1) is (200,50,20)
    colourPng(valid.resolve("3/colour.png"), argb, SIDE, false);
    Path report = dir.resolve("colour-report");
    Result r = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString());
    assertOneLineError(r, "file:" + valid.resolve("3/colour.png") + ": image is 8x8x3 (colour), the model's shape is"
        + " 8x8 (gray); --channels 1 converts colour images to gray");
    assertFalse(Files.exists(report));
  }

  @Test
  void failfastStopsAtTheBadFileNamingIt() throws IOException {
    SparkSession spark = SparkTestSession.get();
    for (Map.Entry<String, Object[]> e : badFiles().entrySet()) {
      Path valid = dataset(dir.resolve("ff-" + e.getKey().replace('/', '-')), 2, "3", "7");
      Path f = valid.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      ((BadFile) e.getValue()[0]).write(f);
      // The step the CLI runs (its exit code and one line are checked below, for one kind).
      JobException je = assertThrows(JobException.class, () -> ImageSets.read(spark,
          DatasetSpec.of("valid", valid.toString()).withMode(ReadMode.FAILFAST), new Shape(SIDE, SIDE)).close());
      assertEquals("file:" + f + ": " + e.getValue()[1], je.getMessage().substring(0,
          ("file:" + f + ": " + e.getValue()[1]).length()), je::getMessage);
      assertTrue(je.getMessage().endsWith("(--mode failfast; dropmalformed would set it aside)"), je::getMessage);
    }
    Path valid = dir.resolve("ff-3-corrupt.png");
    Path report = dir.resolve("ff-report");
    Result r = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString(), "--mode", "failfast");
    assertOneLineError(r, "error: file:" + valid.resolve("3/corrupt.png") + ": corrupt or truncated image");
    assertFalse(Files.exists(report));
  }

  @Test
  void confKeySetsTheModeAndHiddenFilesAreNotBadImages() throws IOException {
    Path valid = dataset(dir.resolve("conf-mode"), 3, "3", "7");
    Files.write(valid.resolve("3/.DS_Store"), new byte[] {1, 2, 3});
    Path report = dir.resolve("conf-mode-report");
    Result ok = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString(), "--conf", "spark.pixelsimilarity.mode=failfast");
    assertEquals(0, ok.exit(), ok::toString);
    assertTrue(ok.out().contains("skipped 1 hidden file(s)/folder(s): .DS_Store"), ok.out());

    Files.write(valid.resolve("7/notes.txt"), new byte[] {1, 2, 3});
    Result r = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString(), "--conf", "spark.pixelsimilarity.mode=failfast");
    assertOneLineError(r, valid.resolve("7/notes.txt") + ": not an image");
    Result bogus = cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report",
        report.toString(), "--conf", "spark.pixelsimilarity.mode=lenient");
    assertOneLineError(bogus, "conf spark.pixelsimilarity.mode=lenient: mode must be failfast or dropmalformed");
  }

  @Test
  void trainAloneListsItsRejectedImagesInTheModel() throws Exception {
    Path messy = dataset(dir.resolve("train-messy"), 10, "3", "7");
    Files.write(messy.resolve("7/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Path m = dir.resolve("model-messy");
    Result r = cli("train", "--train", messy.toString(), "--model", m.toString(), "--max-rejected-fraction", "0.1");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("20 images (3: 10, 7: 10), 1 rejected (listed in file:" + m + "/rejected)"),
        r.out());
    List<Row> rows = SparkTestSession.get().read().parquet(m.resolve("rejected").toString()).collectAsList();
    assertEquals(1, rows.size());
    assertEquals("file:" + messy.resolve("7/broken.png"), rows.get(0).getString(0));
    assertTrue(rows.get(0).getString(1).startsWith("not an image"), rows.get(0).getString(1));
    assertTrue(Files.readString(m.resolve("model.json")).contains("\"rejected_images\" : 1"));

    // run records the training images it set aside in the report, as dataset "train".
    Path report = dir.resolve("report-train-messy");
    Result run = cli("run", "--train", messy.toString(), "--valid", dataset(dir.resolve("v-ok"), 2, "3", "7")
        .toString(), "--report", report.toString(), "--max-rejected-fraction", "0.1", "--run-id", "r1");
    assertEquals(0, run.exit(), run::toString);
    assertEquals(List.of("train|file:" + messy.resolve("7/broken.png")), duckdb(report, "SELECT dataset, origin"
        + " FROM read_parquet('REPORT/rejected/*/*.parquet')"));
    assertEquals(List.of("1"), duckdb(report, "SELECT rejected_images FROM read_parquet('REPORT/runs/*/*.parquet')"));
  }

  @Test
  void aTrainingImageOfAnotherSizeStaysOutOfTheSums() throws Exception {
    // A decodable 10x10 image among 8x8 ones: set aside, and neither counted nor summed into the ideal "7".
    Path odd = dataset(dir.resolve("train-odd-size"), 10, "3", "7");
    int[] big = new int[10 * 10];
    Arrays.fill(big, 255);
    grayPng(odd.resolve("7/big.png"), big, 10);
    Path m = dir.resolve("model-odd-size");
    Result r = cli("train", "--train", odd.toString(), "--model", m.toString(), "--max-rejected-fraction", "0.1");
    assertEquals(0, r.exit(), r::toString);
    org.pixelsimilarity.model.IdealImages model =
        org.pixelsimilarity.model.ModelStore.load(SparkTestSession.get(), m.toString());
    assertEquals(new Shape(SIDE, SIDE), model.shape());
    assertEquals(List.of("3", "7"), model.labels());
    assertEquals(List.of(10L, 10L), Arrays.stream(model.counts()).boxed().toList());
    for (String label : List.of("3", "7")) {
      // The mean of the ten 8x8 images, from the pixels the fixture wrote: sum / (255 * 10).
      long[] sums = new long[SIDE * SIDE];
      for (int i = 0; i < 10; i++) {
        int[] px = pixels(label, i, SIDE);
        for (int p = 0; p < px.length; p++) {
          sums[p] += px[p];
        }
      }
      double[] expected = Arrays.stream(sums).mapToDouble(v -> v / (255.0 * 10)).toArray();
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected, model.mean(label), "ideal " + label);
    }
    List<Row> rows = SparkTestSession.get().read().parquet(m.resolve("rejected").toString()).collectAsList();
    assertEquals(1, rows.size());
    assertEquals("file:" + odd.resolve("7/big.png"), rows.get(0).getString(0));
    assertEquals("image is 10x10, expected 8x8 (the shape of most images here)", rows.get(0).getString(1));
  }

  @Test
  void pathsThatHoldNoUsableDataAreOneLineErrors() throws IOException {
    Path m = dir.resolve("never");
    Path missing = dir.resolve("no-such-folder");
    assertOneLineError(cli("train", "--train", missing.toString(), "--model", m.toString()),
        "error: " + missing + ": path does not exist");
    Path empty = Files.createDirectories(dir.resolve("empty-dataset"));
    assertOneLineError(cli("train", "--train", empty.toString(), "--model", m.toString()),
        empty + ": no images found");
    Path flat = dataset(dir.resolve("flat"), 2, "3").resolve("3");
    assertOneLineError(cli("train", "--train", flat.toString(), "--model", m.toString()),
        flat + ": no label folders, but 2 file(s) directly in it");
    Path one = dataset(dir.resolve("one-label"), 4, "3");
    assertOneLineError(cli("train", "--train", one.toString(), "--model", m.toString()),
        one + ": training images of one label only (3: 4); at least two labels");
    Files.createDirectories(one.resolve("7"));
    assertOneLineError(cli("train", "--train", one.toString(), "--model", m.toString()),
        "one label only (3: 4), empty label folders: 7");
    assertFalse(Files.exists(m));
    assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().startsWith(".never")));
  }

  @Test
  void emptyLabelFolderInTrainIsReportedAndTrainsTheOthers() throws IOException {
    Path t = dataset(dir.resolve("train-empty-5"), 3, "3", "7");
    Files.createDirectories(t.resolve("5"));
    Path m = dir.resolve("model-empty-5");
    Result r = cli("train", "--train", t.toString(), "--model", m.toString());
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("empty label folders: 5"), r.out());
    String json = Files.readString(m.resolve("model.json")).replaceAll("\\s", "");
    assertTrue(json.contains("\"labels\":[\"3\",\"7\"]") && json.contains("\"rejected_images\":0"), json);
    assertFalse(Files.exists(m.resolve("rejected")), "no list when nothing was set aside");
  }

  @Test
  void validWithOnlyLabelsTheModelDoesNotKnow() throws IOException {
    Path v = dataset(dir.resolve("valid-unknown"), 2, "4", "9");
    Path report = dir.resolve("report-unknown");
    assertOneLineError(cli("evaluate", "--model", model.toString(), "--valid", v.toString(), "--report",
        report.toString()), v + ": none of its labels [4, 9] is in the model (labels [3, 7])");
    assertFalse(Files.exists(report));
  }

  @Test
  void runChecksBothDatasetsBeforeWritingAnything() throws IOException {
    Path report = dir.resolve("report-run-bad-valid");
    Path missing = dir.resolve("valid-missing");
    assertOneLineError(cli("run", "--train", train.toString(), "--valid", missing.toString(), "--report",
        report.toString()), missing + ": path does not exist");
    assertFalse(Files.exists(report), "no model under the report folder either");
  }

  @Test
  void pathsWithSpacesWork() throws Exception {
    Path base = dir.resolve("with spaces");
    Path t = dataset(base.resolve("train set"), 4, "3", "7");
    Path v = dataset(base.resolve("valid set"), 2, "3", "7");
    Files.write(v.resolve("7/not an image.txt"), new byte[] {1});
    Path report = base.resolve("my report");
    Result r = cli("run", "--train", t.toString(), "--valid", v.toString(), "--report", report.toString(),
        "--model", base.resolve("my model").toString(), "--max-rejected-fraction", "0.3", "--run-id", "sp");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("sp|file:" + v + "|4|1"), duckdb(report, "SELECT run_id, valid_path, scored_images,"
        + " rejected_images FROM read_parquet('REPORT/runs/*/*.parquet')"));
    assertEquals(List.of("file:" + v.resolve("7/not an image.txt")), duckdb(report, "SELECT origin FROM"
        + " read_parquet('REPORT/rejected/*/*.parquet')"));
    Result e = cli("evaluate", "--model", base.resolve("my model").toString(), "--valid", v.toString(),
        "--report", report.toString(), "--max-rejected-fraction", "0.3");
    assertEquals(0, e.exit(), e::toString);
  }
}
