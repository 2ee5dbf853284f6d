package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.scoring.Metric;

/** Per-class, macro and overall accuracy from a confusion matrix made by hand. */
class EvaluationTest {
  // Rows = actual, columns = predicted, labels 3, 7, 9.
  // L1: 3 -> 8 right of 10; 7 -> 3 right of 4; no image of 9.
  //   per class 0.8, 0.75, NaN; macro (0.8 + 0.75) / 2 = 0.775; overall 11 / 14.
  // L2: 3 -> 10 of 10; 7 -> 1 of 4 (two predicted 3, one predicted 9).
  //   per class 1.0, 0.25, NaN; macro 0.625; overall 11 / 14.
  private static final long[][] L1 = {{8, 2, 0}, {1, 3, 0}, {0, 0, 0}};
  private static final long[][] L2 = {{10, 0, 0}, {2, 1, 1}, {0, 0, 0}};

  private static Evaluation evaluation() {
    Map<Metric, long[][]> c = new EnumMap<>(Metric.class);
    c.put(Metric.L1, L1);
    c.put(Metric.L2, L2);
    return new Evaluation(List.of("3", "7", "9"), c);
  }

  @Test
  void perClass() {
    Evaluation e = evaluation();
    List<Evaluation.ClassAccuracy> l1 = e.perClass(Metric.L1);
    assertEquals(List.of(new Evaluation.ClassAccuracy("3", 10, 8), new Evaluation.ClassAccuracy("7", 4, 3),
        new Evaluation.ClassAccuracy("9", 0, 0)), l1);
    assertEquals(0.8, l1.get(0).accuracy());
    assertEquals(0.75, l1.get(1).accuracy());
    assertTrue(Double.isNaN(l1.get(2).accuracy()), "no validation image of 9: accuracy is NaN");
    List<Evaluation.ClassAccuracy> l2 = e.perClass(Metric.L2);
    assertEquals(1.0, l2.get(0).accuracy());
    assertEquals(0.25, l2.get(1).accuracy());
    assertEquals(4, l2.get(1).total());
  }

  @Test
  void macroAverageLeavesOutClassesWithoutImages() {
    Evaluation e = evaluation();
    assertEquals((0.8 + 0.75) / 2, e.macroAccuracy(Metric.L1));
    assertEquals(0.625, e.macroAccuracy(Metric.L2));
  }

  @Test
  void overallAccuracyAndScoredCount() {
    Evaluation e = evaluation();
    assertEquals(11.0 / 14, e.overallAccuracy(Metric.L1));
    assertEquals(11.0 / 14, e.overallAccuracy(Metric.L2));
    assertEquals(14, e.scored());
    assertEquals(Set.of(Metric.L1, Metric.L2), e.metrics());
  }

  @Test
  void nothingToScoreIsNaN() {
    Map<Metric, long[][]> c = new EnumMap<>(Metric.class);
    c.put(Metric.L2, new long[][] {{0, 0}, {0, 0}});
    Evaluation e = new Evaluation(List.of("a", "b"), c);
    assertTrue(Double.isNaN(e.macroAccuracy(Metric.L2)));
    assertTrue(Double.isNaN(e.overallAccuracy(Metric.L2)));
    assertEquals(Set.of(Metric.L2), e.metrics());
  }

  @Test
  void summaryShowsEveryClassAndADashForNaN() {
    String text = Summary.accuracy(evaluation());
    assertTrue(text.contains("0.7750"), text);
    assertTrue(text.contains("0.6250"), text);
    assertTrue(text.matches("(?s).*\\n  9 +0 +0 +- *\\n.*"), text);
  }
}
