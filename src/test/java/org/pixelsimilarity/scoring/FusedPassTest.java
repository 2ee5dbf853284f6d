package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.Scanned;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.PixelSums;
import org.pixelsimilarity.report.Evaluation;

/**
 * The fit and the scoring done inside the validation scan ({@link IdealImages#fitPass()}, {@link EvaluationScan})
 * against an independent computation on the bundled sample: the PNGs decoded here with ImageIO, summed and
 * scored with plain loops in doubles.
 */
class FusedPassTest {
  private static final String[] LABELS = {"3", "7"};
  private static List<List<byte[]>> train;
  private static List<List<byte[]>> valid;

  @BeforeAll
  static void decodeSample() throws IOException {
    train = decode("train");
    valid = decode("valid");
  }

  private static List<List<byte[]>> decode(String role) throws IOException {
    List<List<byte[]>> out = new ArrayList<>();
    for (String label : LABELS) {
      List<byte[]> images = new ArrayList<>();
      File[] files = SparkTestSession.repo().resolve("data/mnist_sample/" + role + "/" + label).toFile().listFiles();
      for (File f : files) {
        Raster r = ImageIO.read(f).getRaster();
        byte[] px = new byte[28 * 28];
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) {
            px[y * 28 + x] = (byte) r.getSample(x, y, 0);
          }
        }
        images.add(px);
      }
      out.add(images);
    }
    return out;
  }

  private static String path(String role) {
    return SparkTestSession.repo().resolve("data/mnist_sample/" + role).toString();
  }

  private static double[][] expectedMeans() {
    double[][] means = new double[LABELS.length][28 * 28];
    for (int k = 0; k < LABELS.length; k++) {
      long[] sums = new long[28 * 28];
      for (byte[] px : train.get(k)) {
        for (int i = 0; i < px.length; i++) {
          sums[i] += px[i] & 0xff;
        }
      }
      for (int i = 0; i < sums.length; i++) {
        means[k][i] = sums[i] / (255.0 * train.get(k).size());
      }
    }
    return means;
  }

  @Test
  void fitInTheValidationScanEqualsPlainSums() {
    SparkSession spark = SparkTestSession.get();
    try (Scanned<PixelSums> set = ImageSets.read(spark, DatasetSpec.of("train", path("train")), null,
        IdealImages.fitPass())) {
      IdealImages fused = IdealImages.fit(set);
      assertEquals(List.of(LABELS), fused.labels());
      assertArrayEquals(new long[] {train.get(0).size(), train.get(1).size()}, fused.counts());
      double[][] expected = expectedMeans();
      for (int k = 0; k < LABELS.length; k++) {
        assertArrayEquals(expected[k], fused.means()[k], 0.0, "label " + LABELS[k]);
      }
      try (ImageSet plain = ImageSets.read(spark, DatasetSpec.of("train", path("train")), null)) {
        assertEquals(fused, IdealImages.fit(plain), "fit without the pass sums the same");
      }
    }
  }

  @Test
  void scoringInTheValidationScanCountsWhatPlainLoopsCount() {
    SparkSession spark = SparkTestSession.get();
    double[][] means = expectedMeans();
    IdealImages model = new IdealImages(new Shape(28, 28), List.of(LABELS),
        new long[] {train.get(0).size(), train.get(1).size()}, means);
    long[][] l1 = new long[2][2];
    long[][] l2 = new long[2][2];
    for (int actual = 0; actual < 2; actual++) {
      for (byte[] px : valid.get(actual)) {
        int[] p = NearestIdealExactTest.straightforward(px, means);
        l1[actual][p[0]]++;
        l2[actual][p[1]]++;
      }
    }
    try (EvaluationScan scan = new EvaluationScan(spark, model);
        BroadcastIdeals ideals = new BroadcastIdeals(spark, model);
        Scanned<EvaluationScan.Scored> set = ImageSets.read(spark, DatasetSpec.of("valid", path("valid")),
            model.shape(), scan)) {
      Evaluation fused = new Evaluation(model.labels(), set.result().confusion(EnumSet.allOf(Metric.class)));
      assertTrue2d(l1, fused.confusion(Metric.L1), "L1");
      assertTrue2d(l2, fused.confusion(Metric.L2), "L2");
      Evaluation viaStruct = Evaluation.of(ideals.predict(set.set().images()), model.labels(), EnumSet.allOf(Metric.class));
      assertTrue2d(l1, viaStruct.confusion(Metric.L1), "L1 via nearest_ideal");
      assertTrue2d(l2, viaStruct.confusion(Metric.L2), "L2 via nearest_ideal");
    }
  }

  private static void assertTrue2d(long[][] expected, long[][] actual, String what) {
    assertEquals(Arrays.deepToString(expected), Arrays.deepToString(actual), what);
  }
}
