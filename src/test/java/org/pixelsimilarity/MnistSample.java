package org.pixelsimilarity;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.requests.ReportSpec;
import org.pixelsimilarity.requests.RunRequest;
import org.pixelsimilarity.scoring.Metric;

/**
 * The bundled MNIST 3/7 sample, shared by the end-to-end test classes: an independent plain-Java answer (ImageIO,
 * no Spark, nothing from src/main), and one {@code Pipeline.run} of the job over it, each computed once per JVM.
 */
public final class MnistSample {
  public static final List<String> LABELS = List.of("3", "7");
  private static Reference reference;
  private static Pipeline.RunOutcome run;
  private static Path runReport;

  private MnistSample() {}

  public static Path root() {
    return SparkTestSession.repo().resolve("data/mnist_sample");
  }

  public static String train() {
    return root().resolve("train").toString();
  }

  public static String valid() {
    return root().resolve("valid").toString();
  }

  /** What the book's steps give, computed in plain Java. */
  public record Reference(Map<String, Integer> trainCounts, Map<String, Integer> validCounts,
      Map<String, double[]> means, Map<String, Integer> correctL1, Map<String, Integer> correctL2) {}

  public static synchronized Reference reference() {
    if (reference == null) {
      reference = computeReference();
    }
    return reference;
  }

  /** One run of the job on the sample, report in a temporary folder, run id {@code e2e}. */
  public static synchronized Pipeline.RunOutcome run() {
    if (run == null) {
      try {
        runReport = Files.createTempDirectory("pixel-similarity-e2e");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(runReport)));
      run = Pipeline.run(SparkTestSession.get(), new RunRequest(DatasetSpec.of("train", train()),
          DatasetSpec.of("valid", valid()), null, false,
          ReportSpec.of(runReport.resolve("report").toString(), "e2e", EnumSet.of(Metric.L1, Metric.L2))));
    }
    return run;
  }

  /** The report folder of {@link #run()}. */
  public static synchronized Path runReport() {
    run();
    return runReport.resolve("report");
  }

  /** Pixels of one 8-bit gray PNG, read by ImageIO, row-major 0..255. */
  static int[] readGray(File png) {
    try {
      BufferedImage img = ImageIO.read(png);
      if (img.getType() != BufferedImage.TYPE_BYTE_GRAY || img.getWidth() != 28 || img.getHeight() != 28) {
        throw new IllegalStateException(png + ": not a 28x28 8-bit gray PNG");
      }
      Raster r = img.getRaster();
      return r.getPixels(0, 0, 28, 28, new int[28 * 28]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<int[]> readFolder(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<int[]> out = new ArrayList<>();
      files.sorted().forEach(f -> out.add(readGray(f.toFile())));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Reference computeReference() {
    Map<String, Integer> trainCounts = new LinkedHashMap<>();
    Map<String, Integer> validCounts = new LinkedHashMap<>();
    Map<String, double[]> means = new LinkedHashMap<>();
    for (String label : LABELS) {
      List<int[]> images = readFolder(root().resolve("train").resolve(label));
      long[] sums = new long[28 * 28];
      for (int[] img : images) {
        for (int i = 0; i < sums.length; i++) {
          sums[i] += img[i];
        }
      }
      double[] mean = new double[sums.length];
      for (int i = 0; i < sums.length; i++) {
        mean[i] = sums[i] / (255.0 * images.size());
      }
      trainCounts.put(label, images.size());
      means.put(label, mean);
    }
    Map<String, Integer> correctL1 = new LinkedHashMap<>();
    Map<String, Integer> correctL2 = new LinkedHashMap<>();
    for (String label : LABELS) {
      List<int[]> images = readFolder(root().resolve("valid").resolve(label));
      validCounts.put(label, images.size());
      int c1 = 0;
      int c2 = 0;
      for (int[] img : images) {
        c1 += nearest(img, means, false).equals(label) ? 1 : 0;
        c2 += nearest(img, means, true).equals(label) ? 1 : 0;
      }
      correctL1.put(label, c1);
      correctL2.put(label, c2);
    }
    return new Reference(trainCounts, validCounts, means, correctL1, correctL2);
  }

  /** The book's mnist_distance: mean |x - m| (or the root of the mean square); ties to the first label. */
  private static String nearest(int[] img, Map<String, double[]> means, boolean squared) {
    String best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, double[]> e : means.entrySet()) {
      double[] m = e.getValue();
      double sum = 0;
      for (int i = 0; i < img.length; i++) {
        double d = img[i] / 255.0 - m[i];
        sum += squared ? d * d : Math.abs(d);
      }
      double distance = squared ? Math.sqrt(sum / img.length) : sum / img.length;
      if (distance < bestDistance) {
        best = e.getKey();
        bestDistance = distance;
      }
    }
    return best;
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temporary folder; the OS cleans /tmp anyway.
    }
  }
}
