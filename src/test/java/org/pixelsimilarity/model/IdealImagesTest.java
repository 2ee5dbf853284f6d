package org.pixelsimilarity.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.Shape;

/** Ideal images = per-pixel sum / (255 * count), from tiny images summed by hand. */
class IdealImagesTest {
  private static byte[] image(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return b;
  }

  /**
   * "3": 0,51,255,102 and 255,51,0,204 -> sums 255,102,255,306, count 2, means 255/510 = 0.5, 102/510 = 0.2,
   * 0.5, 306/510 = 0.6. "7": 255,255,255,255 and 0,0,0,0 and 0,0,0,255 -> sums 255,255,255,510, count 3, means
   * 1/3, 1/3, 1/3, 2/3.
   */
  private static PixelSums handSums() {
    PixelSums s = new PixelSums(4);
    s.add("7", image(255, 255, 255, 255));
    s.add("3", image(0, 51, 255, 102));
    s.add("7", image(0, 0, 0, 0));
    s.add("3", image(255, 51, 0, 204));
    s.add("7", image(0, 0, 0, 255));
    return s;
  }

  @Test
  void meansAreSumOver255TimesCount() {
    IdealImages m = IdealImages.fromSums(new Shape(2, 2), handSums());
    assertEquals(List.of("3", "7"), m.labels());
    assertArrayEquals(new long[] {2, 3}, m.counts());
    // Each expected value is one correctly rounded division of exact integers, like the hand sums above.
    assertArrayEquals(new double[] {0.5, 0.2, 0.5, 0.6}, m.mean("3"));
    assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 2.0 / 3}, m.mean("7"));
    assertEquals(5, m.totalCount());
  }

  @Test
  void sumsMergedFromPartsEqualSumsOfTheWhole() {
    PixelSums a = new PixelSums(4);
    a.add("7", image(255, 255, 255, 255));
    a.add("3", image(0, 51, 255, 102));
    PixelSums b = new PixelSums(4);
    b.add("7", image(0, 0, 0, 0));
    b.add("3", image(255, 51, 0, 204));
    b.add("7", image(0, 0, 0, 255));
    assertEquals(IdealImages.fromSums(new Shape(2, 2), handSums()),
        IdealImages.fromSums(new Shape(2, 2), b.merge(a)));
  }

  @Test
  void fewerThanTwoLabelsIsAJobError() {
    PixelSums one = new PixelSums(4);
    one.add("3", image(1, 2, 3, 4));
    JobException e = assertThrows(JobException.class, () -> IdealImages.fromSums(new Shape(2, 2), one));
    assertTrue(e.getMessage().contains("only the label 3"), e.getMessage());
    JobException none = assertThrows(JobException.class,
        () -> IdealImages.fromSums(new Shape(2, 2), new PixelSums(4)));
    assertTrue(none.getMessage().contains("no labels"), none.getMessage());
  }

  /** 2^15 labels fit (2^30 packed predictions); one more is a job error naming the count, at fit and for a model. */
  @Test
  void atMostTwoToTheFifteenLabels() {
    PixelSums sums = new PixelSums(1);
    for (int i = 0; i < 32_768; i++) {
      sums.add("c" + i, image(i % 256));
    }
    assertEquals(32_768, IdealImages.fromSums(new Shape(1, 1), sums).labels().size());
    sums.add("one more", image(0));
    JobException fit = assertThrows(JobException.class, () -> IdealImages.fromSums(new Shape(1, 1), sums));
    assertEquals("training data has 32,769 labels; a model holds at most 32,768 (scoring packs both predictions of an"
        + " image into one int)", fit.getMessage());
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 32_769; i++) {
      labels.add("c" + i);
    }
    JobException model = assertThrows(JobException.class, () -> new IdealImages(new Shape(1, 1), labels,
        new long[32_769], new double[32_769][1]));
    assertTrue(model.getMessage().startsWith("the model has 32,769 labels"), model.getMessage());
  }

  @Test
  void idIsStableAndSensitiveToAnyChange() {
    IdealImages m = IdealImages.fromSums(new Shape(2, 2), handSums());
    String id = m.id();
    assertTrue(id.matches("[0-9a-f]{16}"), id);
    assertEquals(id, IdealImages.fromSums(new Shape(2, 2), handSums()).id());
    assertEquals(id, m.id());

    PixelSums oneMore = handSums();
    oneMore.add("3", image(0, 0, 0, 0));
    assertNotEquals(id, IdealImages.fromSums(new Shape(2, 2), oneMore).id(), "another image changes the id");

    double[][] means = {m.means()[0].clone(), m.means()[1].clone()};
    means[1][3] = Math.nextUp(means[1][3]);
    assertNotEquals(id, new IdealImages(m.shape(), m.labels(), m.counts(), means).id(), "one ulp changes the id");
    assertNotEquals(id, new IdealImages(new Shape(1, 4), m.labels(), m.counts(), m.means()).id(), "shape");
    assertNotEquals(id, new IdealImages(m.shape(), List.of("3", "8"), m.counts(), m.means()).id(), "labels");
    assertNotEquals(id, new IdealImages(m.shape(), m.labels(), new long[] {2, 4}, m.means()).id(), "counts");
  }

  @Test
  void idWorksForLongLabels() {
    String longLabel = "a label much longer than the sixty four bytes reserved for it in a hash buffer";
    IdealImages m = new IdealImages(new Shape(1, 1), List.of(longLabel, "b"), new long[] {1, 1},
        new double[][] {{0.0}, {1.0}});
    assertEquals(16, m.id().length());
    assertNotEquals(m.id(), new IdealImages(new Shape(1, 1), List.of(longLabel + "!", "b"), new long[] {1, 1},
        new double[][] {{0.0}, {1.0}}).id());
  }

  @Test
  void fitOnSparkEqualsTheHandSums() {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create("7", image(255, 255, 255, 255), "a"));
    rows.add(RowFactory.create("3", image(0, 51, 255, 102), "b"));
    rows.add(RowFactory.create("7", image(0, 0, 0, 0), "c"));
    rows.add(RowFactory.create("3", image(255, 51, 0, 204), "d"));
    rows.add(RowFactory.create("7", image(0, 0, 0, 255), "e"));
    Dataset<Row> df = SparkTestSession.get().createDataFrame(rows, PixelTable.SCHEMA);
    IdealImages expected = IdealImages.fromSums(new Shape(2, 2), handSums());
    assertEquals(expected, IdealImages.fit(df.repartition(1), new Shape(2, 2)));
    assertEquals(expected, IdealImages.fit(df.repartition(5), new Shape(2, 2)));
    assertArrayEquals(new double[] {0.5, 0.2, 0.5, 0.6}, IdealImages.fit(df, new Shape(2, 2)).mean("3"));
  }
}
