package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.scoring.Metric;

/** The gate's rules on hand-made runs, and which run is the previous one. */
class QualityGateTest {
  private static RunRecord run(String id, String valid, long second, Double l1, Double l2, List<String> metrics) {
    Map<Metric, RunRecord.Accuracy> accuracies = new EnumMap<>(Metric.class);
    for (String m : metrics) {
      Double a = m.equals("l1") ? l1 : l2;
      accuracies.put(Metric.valueOf(m.toUpperCase(Locale.ROOT)), new RunRecord.Accuracy(a, a));
    }
    return new RunRecord(new RunRecord.Identity(id, Instant.ofEpochSecond(second)),
        new RunRecord.Inputs("m", "m", null, valid, List.of("a", "b")), new RunRecord.Counts(10, 10, 10, 0, 0),
        accuracies, new RunRecord.Versions("dev", "4.2.0", "local"), Optional.empty());
  }

  @Test
  void passesAtTheThresholdAndFailsBelowIt() {
    QualityGate gate = new QualityGate(0.9, null);
    assertEquals(new QualityGate.Verdict(true, "pass"), gate.check(run("x", "v", 1, 0.9, 0.95, List.of("l1", "l2")),
        null));
    QualityGate.Verdict v = gate.check(run("x", "v", 1, 0.85, 0.95, List.of("l1", "l2")), null);
    assertFalse(v.passed());
    assertEquals("fail: l1 accuracy 0.8500 is 0.0500 below --min-accuracy 0.9000", v.text());
    assertTrue(gate.check(run("x", "v", 1, 0.85, 0.95, List.of("l2")), null).passed(), "only the metrics asked");
  }

  @Test
  void maxDropComparesWithThePreviousRunOfTheSameValidationPath() {
    RunRecord before = run("old", "v", 1, 0.95, 0.96, List.of("l1", "l2"));
    RunRecord otherPath = run("other", "w", 2, 0.99, 0.99, List.of("l1", "l2"));
    RunRecord now = run("new", "v", 3, 0.92, 0.955, List.of("l1", "l2"));
    RunRecord previous = RunHistory.previous(List.of(before, otherPath, now), now);
    assertEquals("old", previous.runId());
    QualityGate.Verdict v = new QualityGate(null, 0.02).check(now, previous);
    assertEquals("fail: l1 accuracy 0.9200 fell 0.0300 since run old (0.9500), more than --max-drop 0.0200", v.text());
    assertTrue(new QualityGate(null, 0.03 + 1e-9).check(now, previous).passed());
    assertTrue(new QualityGate(null, 0.0).check(now, null).passed(), "no previous run: nothing to compare");
    assertNull(RunHistory.previous(List.of(now), now), "not itself");
  }

  @Test
  void bothRulesReportEveryFigureThatFell() {
    RunRecord before = run("old", "v", 1, 0.95, 0.96, List.of("l1", "l2"));
    RunRecord now = run("new", "v", 2, 0.80, 0.90, List.of("l1", "l2"));
    assertEquals("fail: l1 accuracy 0.8000 is 0.0500 below --min-accuracy 0.8500; l1 accuracy 0.8000 fell 0.1500"
        + " since run old (0.9500), more than --max-drop 0.1000", new QualityGate(0.85, 0.1).check(now, before).text());
  }

  @Test
  void thresholdsOutsideZeroToOneAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new QualityGate(1.5, null));
    assertThrows(IllegalArgumentException.class, () -> new QualityGate(null, -0.1));
    assertFalse(QualityGate.NONE.asked());
  }
}
