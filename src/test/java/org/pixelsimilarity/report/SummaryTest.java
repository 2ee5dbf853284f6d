package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.scoring.Metric;

/** The accuracy table of the summary, to the character: aligned columns, no trailing spaces. */
class SummaryTest {
  @Test
  void accuracyTableOfAHandMadeConfusionMatrix() {
    // L1: of 5 "a", 4 predicted a and 1 b; of 5 "b", all 5 b. Accuracy a 0.8, b 1.0; macro 0.9, overall 9/10.
    Map<Metric, long[][]> c = new EnumMap<>(Metric.class);
    c.put(Metric.L1, new long[][] {{4, 1}, {0, 5}});
    String expected = "\n"
        + "L1 (mean absolute difference)\n"
        + "  label      total    correct   accuracy\n"
        + "  a" + " ".repeat(14) + "5" + " ".repeat(10) + "4" + " ".repeat(5) + "0.8000\n"
        + "  b" + " ".repeat(14) + "5" + " ".repeat(10) + "5" + " ".repeat(5) + "1.0000\n"
        + "  macro average accuracy 0.9000   overall accuracy 0.9000\n";
    assertEquals(expected, Summary.accuracy(new Evaluation(List.of("a", "b"), c)));
  }
}
