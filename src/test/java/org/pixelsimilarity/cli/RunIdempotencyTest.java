package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.report.DuckDb;

/**
 * {@code run} through the command line three times into one report: {@code --run-id nightly}, then
 * {@code --run-id other}, then {@code nightly} again. The valid set is the sample plus one file that is not an
 * image, so every table, {@code rejected} included, has rows of each run.
 */
class RunIdempotencyTest {
  private static final String[] TABLES = {"runs", "class_accuracy", "confusion", "rejected"};

  @TempDir
  static Path tmp;
  private static Path report;
  private static CliTest.Result first;
  private static CliTest.Result second;
  private static CliTest.Result third;
  private static Map<String, List<String>> afterFirst;
  private static Map<String, List<String>> afterSecond;
  private static Map<String, List<String>> afterThird;
  private static Map<String, Map<String, Long>> countsAfterSecond;
  private static Map<String, Map<String, Long>> countsAfterThird;
  private static DuckDb duck;

  @BeforeAll
  static void runThreeTimes() throws Exception {
    Path valid = tmp.resolve("valid");
    copyTree(Path.of(MnistSample.valid()), valid);
    Files.writeString(valid.resolve("7/broken.png"), "this is not a PNG");
    report = tmp.resolve("report");
    duck = new DuckDb(report);
    first = run("nightly", valid);
    afterFirst = snapshot();
    second = run("other", valid);
    afterSecond = snapshot();
    countsAfterSecond = counts();
    third = run("nightly", valid);
    afterThird = snapshot();
    countsAfterThird = counts();
  }

  @AfterAll
  static void close() throws Exception {
    duck.close();
  }

  private static CliTest.Result run(String runId, Path valid) {
    CliTest.Result r = CliTest.cli("run", "--train", MnistSample.train(), "--valid", valid.toString(), "--report",
        report.toString(), "--run-id", runId);
    assertEquals(0, r.code(), r.out() + r.err());
    return r;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Every row of every table, as text, per table and run id. */
  private static Map<String, List<String>> snapshot() throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    for (String table : TABLES) {
      for (String runId : List.of("nightly", "other")) {
        out.put(table + " " + runId, duck.rows("SELECT CAST(t AS VARCHAR) FROM " + duck.table(table)
            + " t WHERE run_id = '" + runId + "' ORDER BY 1").stream().map(r -> (String) r[0]).toList());
      }
    }
    return out;
  }

  /** Rows per run id, per table. */
  private static Map<String, Map<String, Long>> counts() throws Exception {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (String table : TABLES) {
      Map<String, Long> perRun = new TreeMap<>();
      for (Object[] r : duck.rows("SELECT run_id, count(*) FROM " + duck.table(table) + " GROUP BY run_id")) {
        perRun.put((String) r[0], ((Number) r[1]).longValue());
      }
      out.put(table, perRun);
    }
    return out;
  }

  @Test
  void summaryShowsPerClassAccuracyForBothMetrics() {
    MnistSample.Reference ref = MnistSample.reference();
    String out = first.out();
    assertTrue(out.contains("L1 (mean absolute difference)"), out);
    assertTrue(out.contains("L2 (root mean squared difference)"), out);
    assertTrue(out.matches("(?s).*L1 .*\\n  3 +207 +" + ref.correctL1().get("3") + " .*\\n  7 +214 +"
        + ref.correctL1().get("7") + " .*L2 .*\\n  3 +207 +" + ref.correctL2().get("3") + " .*\\n  7 +214 +"
        + ref.correctL2().get("7") + " .*"), out);
    assertTrue(out.contains("macro average accuracy"), out);
    assertTrue(out.contains("1 rejected (train and valid)"), out);
    assertTrue(out.contains("run_id nightly"), out);
    assertTrue(out.contains("ideal images: "), out);
    assertTrue(out.contains("done in "), out);
  }

  @Test
  void theSameRunIdLeavesOneCopyInEveryTable() {
    Map<String, Long> expected = Map.of("nightly", 1L, "other", 1L);
    assertEquals(expected, countsAfterThird.get("runs"));
    assertEquals(Map.of("nightly", 4L, "other", 4L), countsAfterThird.get("class_accuracy"));
    assertEquals(Map.of("nightly", 8L, "other", 8L), countsAfterThird.get("confusion"));
    assertEquals(expected, countsAfterThird.get("rejected"));
    assertTrue(afterThird.get("rejected nightly").get(0).contains("/7/broken.png"),
        afterThird.get("rejected nightly").toString());
    assertTrue(afterThird.get("rejected nightly").get(0).contains("'dataset': valid"),
        afterThird.get("rejected nightly").toString());
  }

  @Test
  void anotherRunIdAppendsAndLeavesTheFirstRunAlone() {
    assertEquals(Map.of("nightly", 1L, "other", 1L), countsAfterSecond.get("runs"));
    assertEquals(Map.of("nightly", 8L, "other", 8L), countsAfterSecond.get("confusion"));
    for (String table : TABLES) {
      assertEquals(afterFirst.get(table + " nightly"), afterSecond.get(table + " nightly"), table);
      assertTrue(afterFirst.get(table + " other").isEmpty(), table);
    }
  }

  @Test
  void replacingARunLeavesOtherRunsUntouched() {
    for (String table : TABLES) {
      assertEquals(afterSecond.get(table + " other"), afterThird.get(table + " other"), table);
      // Same data, so the replaced run's figures are the same; only the runs row's time moves on.
      if (!table.equals("runs")) {
        assertEquals(afterFirst.get(table + " nightly"), afterThird.get(table + " nightly"), table);
      }
    }
  }

  @Test
  void theReplacedRunIsTheThirdRunsRow() throws Exception {
    // Whatever the wall clock did between the runs (it may even step back): the one nightly row is not the
    // first run's (its run_at, to the microsecond, is another), so the third run replaced it.
    assertEquals(1, afterFirst.get("runs nightly").size());
    assertEquals(1, afterThird.get("runs nightly").size());
    assertNotEquals(afterFirst.get("runs nightly"), afterThird.get("runs nightly"), "run_at is the new run's");
    List<Object[]> rows = duck.rows("SELECT run_id FROM " + duck.table("runs") + " ORDER BY run_id");
    assertEquals(List.of("nightly", "other"), rows.stream().map(r -> (String) r[0]).toList());
    assertTrue(third.out().contains("(already there, same id)"), "the model folder is reused: " + third.out());
    assertTrue(second.out().contains("run_id other"), second.out());
  }
}
