package org.pixelsimilarity.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.model.PixelSums;

/** Colour models and colour images in the Spark ML API. */
class ColourMlTest {
  static final SparkSession SPARK = SparkTestSession.get();
  static final Shape RGB_2X2 = new Shape(2, 2, 3);

  /** Ideal "red": a red image; ideal "blue": a blue image (each of one training image). */
  static IdealImages redAndBlue() {
    PixelSums sums = new PixelSums(RGB_2X2.pixels());
    sums.add("red", NearestIdealClassifierTest.bytes(new int[] {255, 0, 0, 255, 0, 0, 200, 0, 0, 255, 10, 0}));
    sums.add("blue", NearestIdealClassifierTest.bytes(new int[] {0, 0, 255, 0, 0, 255, 0, 0, 200, 0, 10, 255}));
    return IdealImages.fromSums(RGB_2X2, sums);
  }

  @Test
  void aColourModelSavedByTrainLoadsInTheMlApiAndBack(@TempDir Path tmp) throws Exception {
    IdealImages model = redAndBlue();
    String cli = tmp.resolve("cli").toString();
    ModelStore.save(SPARK, model, cli, "src", false, false);
    NearestIdealModel loaded = NearestIdealModel.load(cli);
    assertEquals(model, loaded.idealImages());
    assertEquals(RGB_2X2, loaded.idealImages().shape());
    String ml = tmp.resolve("ml").toString();
    loaded.write().save(ml);
    assertEquals(model, ModelStore.load(SPARK, ml));
    assertEquals(model, NearestIdealModel.load(ml).idealImages());
    assertTrue(Files.readString(tmp.resolve("ml/metadata/part-00000")).contains("\"channels\":3"));
  }

  @Test
  void metadataChannelsThatDisagreeWithTheModelAreRefused(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("m");
    ModelStore.save(SPARK, redAndBlue(), dir.toString(), "src", false, false);
    Path line = dir.resolve("metadata/part-00000");
    Files.writeString(line, Files.readString(line).replace("\"channels\":3", "\"channels\":1"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NearestIdealModel.load(dir.toString()));
    assertTrue(e.getMessage().contains("channels 1") && e.getMessage().contains("2x2x3"), e.getMessage());
  }
}
