package org.pixelsimilarity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.PixelTable;

/** Distinct labels never share a picture file, and model.json says which file is which label. */
class PictureNamesTest {
  /** The first 8 hex digits of SHA-256 of the label's UTF-8 bytes, as the rule defines the suffix. */
  private static String hash(String label) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
    return String.format("%02x%02x%02x%02x", d[0], d[1], d[2], d[3]);
  }

  @Test
  void fileSafeLabelsKeepTheirPlainNames() {
    assertEquals(List.of("ideal-3.png", "ideal-7.png", "ideal-T-shirt_top.png"),
        Pictures.fileNames(List.of("3", "7", "T-shirt_top")));
  }

  @Test
  void labelsWhoseSafeNamesCollideGetTheirHash() throws Exception {
    assertEquals(List.of("ideal-a_b-" + hash("a:b") + ".png", "ideal-a_b-" + hash("a_b") + ".png"),
        Pictures.fileNames(List.of("a:b", "a_b")));
    assertEquals(List.of("ideal-a_b-" + hash("a b") + ".png", "ideal-c.png"), Pictures.fileNames(List.of("a b", "c")),
        "an unsafe label gets its hash even without a collision");
    List<String> cased = Pictures.fileNames(List.of("Cat", "cat"));
    assertEquals(List.of("ideal-Cat-" + hash("Cat") + ".png", "ideal-cat-" + hash("cat") + ".png"), cased,
        "distinct on a file system that ignores case");
  }

  @Test
  void longLabelsAreCutAndStillDistinct() {
    String a = "x".repeat(300) + "a";
    String b = "x".repeat(300) + "b";
    List<String> names = Pictures.fileNames(List.of(a, b));
    assertNotEquals(names.get(0), names.get(1));
    for (String n : names) {
      assertTrue(n.length() <= "ideal-".length() + 100 + 1 + 8 + ".png".length(), n);
    }
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add("l" + i);
      many.add("l:" + i);
      many.add("L" + i);
    }
    assertEquals(many.size(), new HashSet<>(Pictures.fileNames(many).stream()
        .map(n -> n.toLowerCase(Locale.ROOT)).toList()).size());
  }

  /**
   * train on a parquet table with labels {@code a:b} (black images) and {@code a_b} (white): both pictures are
   * written, model.json maps each label to its file, and each file shows its label's ideal image.
   */
  @Test
  void trainWritesOnePictureForEachOfTwoLabelsWithTheSameSafeName(@TempDir Path tmp) throws Exception {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      byte[] white = new byte[16];
      java.util.Arrays.fill(white, (byte) 255);
      rows.add(RowFactory.create("a:b", new byte[16], "black-" + i, 4, 4));
      rows.add(RowFactory.create("a_b", white, "white-" + i, 4, 4));
    }
    Path table = tmp.resolve("table");
    PixelTable.write(spark.createDataFrame(rows, PixelTable.STORED), table.toString(), false);
    Path model = tmp.resolve("model");
    BadInputFixtures.Result r = BadInputFixtures.cli("train", "--train", table.toString(), "--model",
        model.toString());
    assertEquals(0, r.exit(), r::toString);

    JsonNode meta = new ObjectMapper().readTree(model.resolve("model.json").toFile());
    String black = meta.path("pictures_by_label").path("a:b").asText();
    String white = meta.path("pictures_by_label").path("a_b").asText();
    assertEquals("ideal-a_b-" + hash("a:b") + ".png", black);
    assertEquals("ideal-a_b-" + hash("a_b") + ".png", white);
    assertEquals(List.of(black, white), List.of(meta.path("pictures").get(0).asText(),
        meta.path("pictures").get(1).asText()), "pictures in the order of labels");
    assertEquals(List.of("a:b", "a_b"), List.of(meta.path("labels").get(0).asText(),
        meta.path("labels").get(1).asText()));
    BufferedImage b = ImageIO.read(model.resolve(black).toFile());
    BufferedImage w = ImageIO.read(model.resolve(white).toFile());
    assertEquals(0, b.getRaster().getSample(5, 5, 0));
    assertEquals(255, w.getRaster().getSample(5, 5, 0));
    assertTrue(Files.isRegularFile(model.resolve(black)) && Files.isRegularFile(model.resolve(white)));

    // The run page names each ideal image's file under its label.
    Path report = tmp.resolve("report");
    r = BadInputFixtures.cli("evaluate", "--model", model.toString(), "--valid", table.toString(), "--report",
        report.toString(), "--run-id", "names");
    assertEquals(0, r.exit(), r::toString);
    String page = Files.readString(report.resolve("html/names.html"));
    assertTrue(page.contains("<figcaption>ideal a:b<br><small>" + black + "</small></figcaption>"), page);
    assertTrue(page.contains("<figcaption>ideal a_b<br><small>" + white + "</small></figcaption>"), page);
  }
}
