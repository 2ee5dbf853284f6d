package org.pixelsimilarity.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.report.ReportTables;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.report.RunHistory;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.scoring.Example;
import org.pixelsimilarity.scoring.Metric;

/**
 * The cap on the examples a run stores ({@link ReportWriter#MAX_EXAMPLES}): whatever the number of labels, at most
 * the cap; the top losses first, then whole labels in the model's order; runs under the cap keep all of them.
 */
class ExamplesCapTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  private static String label(int k) {
    return String.format("c%03d", k);
  }

  /**
   * What the scoring scan and the pipeline hand the writer for {@code labels} labels and both metrics: 8 top losses
   * per metric, 4 correct images per metric and label, and one ideal image per label (appended last).
   */
  private static List<Example> examples(int labels) {
    List<Example> out = new ArrayList<>();
    for (Metric m : Metric.values()) {
      for (int i = 0; i < 8; i++) {
        out.add(new Example(new Example.Panel(m.key(), Example.TOP_LOSS, label(i % labels), label((i + 1) % labels)),
            "loss-" + m.key() + "-" + i, new Example.Distances(0.1 * (8 - i), 1.0, 0.9), new byte[] {1, 2, 3, 4}));
      }
      for (int k = 0; k < labels; k++) {
        for (int i = 0; i < 4; i++) {
          out.add(new Example(new Example.Panel(m.key(), Example.CORRECT, label(k), label(k)),
              "correct-" + m.key() + "-" + k + "-" + i, new Example.Distances(0.0, 0.1 * i, 0.1 * i),
              new byte[] {5, 6, 7, 8}));
        }
      }
    }
    for (int k = 0; k < labels; k++) {
      out.add(Example.ideal(label(k), new double[] {0, 0.5, 1, 0.25}));
    }
    return out;
  }

  @Test
  void underTheCapEveryExampleIsKept() {
    ReportWriter.Examples ten = new ReportWriter.Examples(examples(10), new Shape(2, 2));
    assertEquals(16 + 10 * 9, ten.examples().size());
    assertSame(ten, ten.capped(ReportWriter.DEFAULT_MAX_EXAMPLES));
    ReportWriter.Examples letters = new ReportWriter.Examples(examples(26), new Shape(2, 2));
    assertEquals(250, letters.examples().size(), "26 labels: 16 + 26 × 9");
    assertSame(letters, letters.capped(ReportWriter.DEFAULT_MAX_EXAMPLES));
  }

  @Test
  void overTheCapTheTopLossesAndTheFirstWholeLabels() {
    List<Example> all = examples(300);
    List<Example> kept = new ReportWriter.Examples(all, new Shape(2, 2)).capped(256).examples();
    // 16 top losses, then (256 - 16) / 9 = 26 whole labels (250 rows): c000 … c025
    assertEquals(250, kept.size());
    assertEquals(16, kept.stream().filter(e -> Example.TOP_LOSS.equals(e.kind())).count());
    for (int k = 0; k < 300; k++) {
      String l = label(k);
      long ideal = kept.stream().filter(e -> Example.IDEAL.equals(e.kind()) && l.equals(e.actual())).count();
      long correct = kept.stream().filter(e -> Example.CORRECT.equals(e.kind()) && l.equals(e.actual())).count();
      assertEquals(k < 26 ? 1 : 0, ideal, l);
      assertEquals(k < 26 ? 8 : 0, correct, l);
    }
    assertTrue(all.containsAll(kept));
    assertEquals(10, new ReportWriter.Examples(all, new Shape(2, 2)).capped(10).examples().size(),
        "a cap below the top losses keeps the first of them");
    assertEquals(0, new ReportWriter.Examples(all, new Shape(2, 2)).capped(0).examples().size());
  }

  @Test
  void aRunOfManyLabelsStoresAtMostTheCapAndItsPageSaysSo() throws Exception {
    Path report = Files.createTempDirectory("examples-cap");
    int labels = 40;
    List<String> names = new ArrayList<>();
    for (int k = 0; k < labels; k++) {
      names.add(label(k));
    }
    long[][] c = new long[labels][labels];
    for (int k = 0; k < labels; k++) {
      c[k][k] = 3;
      c[k][(k + 1) % labels] = 1;
    }
    Map<Metric, long[][]> confusion = new EnumMap<>(Metric.class);
    confusion.put(Metric.L1, c);
    confusion.put(Metric.L2, c);
    Evaluation eval = new Evaluation(names, confusion);
    RunRecord run = new RunRecord(new RunRecord.Identity("many", Instant.parse("2026-05-01T03:00:00Z")),
        new RunRecord.Inputs("model", "models/m", "train", "valid", names),
        new RunRecord.Counts(400, 160, 160, 0, 0), RunRecord.accuracies(eval),
        new RunRecord.Versions("test", "4.2.0", "local[2]"), Optional.empty());
    SPARK.conf().set(ReportWriter.MAX_EXAMPLES, "100");
    try {
      ReportWriter.write(SPARK, report.toString(), run, eval, SPARK.createDataFrame(List.of(), new StructType()
          .add("dataset", DataTypes.StringType).add("origin", DataTypes.StringType)
          .add("reason", DataTypes.StringType)), new ReportWriter.Examples(examples(labels), new Shape(2, 2)));
    } finally {
      SPARK.conf().unset(ReportWriter.MAX_EXAMPLES);
    }
    List<Row> stored = RunHistory.rows(SPARK, report.toString(), ReportTables.EXAMPLES);
    // 16 top losses + (100 - 16) / 9 = 9 whole labels
    assertEquals(16 + 9 * 9, stored.size());
    Pages.write(SPARK, report.toString(), "many");
    String page = Files.readString(report.resolve(Pages.DIR).resolve("many.html"));
    assertTrue(page.contains("model's first 9 of 40 labels"), "the page says the examples were capped");
    assertTrue(page.contains("ideal c008") && !page.contains("ideal c009"), "the kept labels' ideal images");
  }

  @Test
  void theSampleRunsPagesSayNothingOfACap() throws Exception {
    assertFalse(SampleReport.page("r1.html").contains("examples-capped"));
  }

  @Test
  void aBadCapIsRefusedNamingTheSetting() {
    SPARK.conf().set(ReportWriter.MAX_EXAMPLES, "-1");
    try {
      JobException e = assertThrows(JobException.class, () -> ReportWriter.maxExamples(SPARK));
      assertTrue(e.getMessage().startsWith(ReportWriter.MAX_EXAMPLES + ": "), e.getMessage());
      SPARK.conf().set(ReportWriter.MAX_EXAMPLES, "lots");
      assertThrows(JobException.class, () -> ReportWriter.checkWritable(SPARK, "target/never-written"));
    } finally {
      SPARK.conf().unset(ReportWriter.MAX_EXAMPLES);
    }
  }
}
