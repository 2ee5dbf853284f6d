package org.pixelsimilarity.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;

/**
 * The {@code metadata/} we write is Spark's own format, both ways: Spark's {@code DefaultParamsReader} loads an
 * estimator we saved, and ours loads one Spark's {@code DefaultParamsWriter.saveMetadata} saved, with the same
 * params set and the same defaults.
 */
class SparkParamsFormatTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  private static NearestIdealClassifier classifier() {
    return new NearestIdealClassifier("nic-test").setMetric("l2").setPredictionCol("p").setLabelCol("y");
  }

  private static List<String> paramsOf(NearestIdealClassifier c) {
    return List.of(c.uid(), c.getMetric(), c.getPredictionCol(), c.getLabelCol(), c.getFeaturesCol(),
        String.valueOf(c.isSet(c.metric())), String.valueOf(c.isSet(c.featuresCol())));
  }

  @Test
  void sparksReaderLoadsOursAndOursLoadsSparks(@TempDir Path tmp) throws Exception {
    String ours = tmp.resolve("ours").toString();
    classifier().write().save(ours);
    NearestIdealClassifier bySpark = DefaultParamsReader.loadParamsInstance(ours, SPARK);
    assertEquals(List.of("nic-test", "l2", "p", "y", "pixels", "true", "false"), paramsOf(bySpark));

    String sparks = tmp.resolve("sparks").toString();
    DefaultParamsWriter$.MODULE$.saveMetadata(classifier(), sparks, SPARK);
    assertEquals(paramsOf(bySpark), paramsOf(NearestIdealClassifier.load(sparks)));
    // Measured here (what Spark's own writer and reader would cost if used for the file as well):
    long t0 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      classifier().write().overwrite().save(tmp.resolve("o" + i).toString());
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      DefaultParamsWriter$.MODULE$.saveMetadata(classifier(), tmp.resolve("s" + i).toString(), SPARK);
    }
    long t2 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      DefaultParamsReader.loadMetadata(tmp.resolve("s" + i).toString(), SPARK, "");
    }
    long t3 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      NearestIdealClassifier.load(tmp.resolve("o" + i).toString());
    }
    long t4 = System.nanoTime();
    try (Stream<Path> files = Files.list(tmp.resolve("s0/metadata"))) {
      System.err.printf("MEASURE save ours %.1f ms, spark %.1f ms; load spark %.1f ms, ours %.1f ms; spark files %s%n",
          (t1 - t0) / 3e6, (t2 - t1) / 3e6, (t3 - t2) / 3e6, (t4 - t3) / 3e6,
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (Stream<Path> files = Files.list(tmp.resolve("ours/metadata"))) {
      assertEquals(List.of("_SUCCESS", "part-00000"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "ours: no .crc side files");
    }
  }
}
