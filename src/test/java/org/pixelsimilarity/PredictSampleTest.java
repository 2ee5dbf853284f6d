package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.report.DuckDb;
import org.pixelsimilarity.scoring.Metric;
import org.pixelsimilarity.scoring.NearestIdeal;

/**
 * {@code predict} over the bundled sample's valid images with their labels stripped (copied into one flat folder,
 * the label kept only in the test as a file name prefix): each image's prediction is what {@code evaluate}
 * counted and what {@link NearestIdeal#nearest} picks, its distances are the book's, and DuckDB reads the table
 * with the documented schema.
 */
class PredictSampleTest {
  private static final List<String> COLUMNS = List.of("origin", "label", "l1_prediction", "l1_distance",
      "l1_runner_up", "l1_runner_up_distance", "l2_prediction", "l2_distance", "l2_runner_up",
      "l2_runner_up_distance", "run_id", "model_id");

  @TempDir
  static Path tmp;
  private static Path flat;
  private static Path out;
  private static BadInputFixtures.Result result;

  @BeforeAll
  static void predict() throws IOException {
    flat = tmp.resolve("new images");
    Files.createDirectories(flat);
    for (String label : MnistSample.LABELS) {
      try (Stream<Path> files = Files.list(MnistSample.root().resolve("valid").resolve(label))) {
        for (Path f : files.toList()) {
          Files.copy(f, flat.resolve(label + "-" + f.getFileName()));
        }
      }
    }
    out = tmp.resolve("predictions");
    SparkTestSession.get();
    result = BadInputFixtures.cli("predict", "--model", MnistSample.run().trained().saved().dir(), "--input",
        flat.toString(), "--output", out.toString(), "--run-id", "sample-predict");
  }

  @Test
  void predictionsAreWhatEvaluateCounted() {
    assertEquals(0, result.exit(), result::toString);
    List<Row> rows = SparkTestSession.get().read().parquet(out.toString()).collectAsList();
    assertEquals(421, rows.size());
    var evaluation = MnistSample.run().evaluated().evaluation();
    MnistSample.Reference ref = MnistSample.reference();
    for (Metric m : Metric.values()) {
      long[][] confusion = new long[2][2];
      for (Row r : rows) {
        String file = Path.of(r.getString(0).replaceFirst("^file:", "")).getFileName().toString();
        int actual = MnistSample.LABELS.indexOf(file.substring(0, 1));
        int predicted = MnistSample.LABELS.indexOf(r.<String>getAs(m.key() + "_prediction"));
        confusion[actual][predicted]++;
      }
      for (int a = 0; a < 2; a++) {
        assertArrayEquals(evaluation.confusion(m)[a], confusion[a], m + " row " + MnistSample.LABELS.get(a));
      }
      Map<String, Integer> correct = m == Metric.L1 ? ref.correctL1() : ref.correctL2();
      assertEquals((long) correct.get("3"), confusion[0][0], m + ": the plain Java reference's count");
      assertEquals((long) correct.get("7"), confusion[1][1], m + ": the plain Java reference's count");
    }
    // The summary's counts per predicted label are the table's column sums.
    long l1As3 = rows.stream().filter(r -> "3".equals(r.getAs("l1_prediction"))).count();
    assertTrue(result.out().contains("predicted by L1: 3: " + l1As3 + ", 7: " + (421 - l1As3)), result.out());
  }

  @Test
  void eachRowIsNearestAndTheBooksDistances() {
    assertEquals(0, result.exit(), result::toString);
    IdealImages model = MnistSample.run().trained().model();
    NearestIdeal nearest = new NearestIdeal(model);
    Map<String, double[]> means = MnistSample.reference().means();
    for (Row r : SparkTestSession.get().read().parquet(out.toString()).collectAsList()) {
      int[] px = MnistSample.readGray(Path.of(r.getString(0).replaceFirst("^file:", "")).toFile());
      byte[] image = new byte[px.length];
      for (int i = 0; i < px.length; i++) {
        image[i] = (byte) px[i];
      }
      int packed = nearest.nearest(image, nearest.work());
      assertEquals(model.labels().get(packed / 2), r.getAs("l1_prediction"));
      assertEquals(model.labels().get(packed % 2), r.getAs("l2_prediction"));
      for (Metric m : Metric.values()) {
        String first = r.getAs(m.key() + "_prediction");
        String second = r.getAs(m.key() + "_runner_up");
        assertEquals(List.of("3", "7"), Stream.of(first, second).sorted().toList(), "two labels, two places");
        assertEquals(book(px, means.get(first), m), (double) r.getAs(m.key() + "_distance"), r.getString(0));
        assertEquals(book(px, means.get(second), m), (double) r.getAs(m.key() + "_runner_up_distance"));
        assertTrue((double) r.getAs(m.key() + "_distance") <= (double) r.getAs(m.key() + "_runner_up_distance"));
      }
    }
  }

  /**
   * One scoring implementation: the Spark ML model loaded from the same CLI model folder, transforming the same
   * images read by the public reader, predicts for every image what predict wrote, by both metrics.
   */
  @Test
  void predictionsAreTheSparkMlModels() {
    assertEquals(0, result.exit(), result::toString);
    Map<String, Row> predicted = new java.util.HashMap<>();
    for (Row r : SparkTestSession.get().read().parquet(out.toString()).collectAsList()) {
      predicted.put(Path.of(r.getString(0).replaceFirst("^file:", "")).getFileName().toString(), r);
    }
    org.apache.spark.sql.Dataset<Row> valid = org.pixelsimilarity.ml.PixelImages.read(SparkTestSession.get(),
        MnistSample.root().resolve("valid").toString());
    org.pixelsimilarity.ml.NearestIdealModel ml =
        org.pixelsimilarity.ml.NearestIdealModel.load(MnistSample.run().trained().saved().dir());
    for (Metric m : Metric.values()) {
      List<Row> rows = ml.setMetric(m.key()).transform(valid).select("label", "origin", "predictedLabel")
          .collectAsList();
      assertEquals(421, rows.size());
      for (Row r : rows) {
        String file = r.getString(0) + "-" + Path.of(r.getString(1).replaceFirst("^file:", "")).getFileName();
        Row p = predicted.get(file);
        assertEquals(p.<String>getAs(m.key() + "_prediction"), r.getString(2), m + " " + file);
      }
    }
  }

  /** The book's mnist_distance: mean |x/255 - m|, or the root of the mean square, in plain Java. */
  private static double book(int[] px, double[] mean, Metric m) {
    double sum = 0;
    for (int i = 0; i < px.length; i++) {
      double d = px[i] / 255.0 - mean[i];
      sum += m == Metric.L1 ? Math.abs(d) : d * d;
    }
    return m == Metric.L1 ? sum / px.length : Math.sqrt(sum / px.length);
  }

  @Test
  void duckDbReadsTheDocumentedSchema() throws Exception {
    assertEquals(0, result.exit(), result::toString);
    try (DuckDb db = new DuckDb(tmp)) {
      String table = "read_parquet('" + out + "/*.parquet')";
      List<Object[]> schema = db.rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + table + ")");
      assertEquals(COLUMNS, schema.stream().map(c -> (String) c[0]).toList());
      for (Object[] c : schema) {
        String name = (String) c[0];
        assertEquals(name.endsWith("distance") ? "DOUBLE" : "VARCHAR", c[1], name);
      }
      assertEquals(421, db.count("SELECT count(*) FROM " + table + " WHERE label IS NULL AND run_id = 'sample-predict'"
          + " AND model_id = '" + MnistSample.run().trained().model().id() + "'"));
      // A user's low-confidence filter: nearest and runner-up almost equally far.
      long close = db.count("SELECT count(*) FROM " + table
          + " WHERE l1_runner_up_distance - l1_distance < 0.001");
      long expected = SparkTestSession.get().read().parquet(out.toString())
          .filter("l1_runner_up_distance - l1_distance < 0.001").count();
      assertEquals(expected, close, "DuckDB and Spark read the same values");
    }
  }
}
