package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.cli;
import static org.pixelsimilarity.BadInputFixtures.dataset;
import static org.pixelsimilarity.BadInputFixtures.runIds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.io.Store;

/**
 * The writer that settles a commit a dead writer left (rolled forward, or found with {@code runs} already in
 * place) writes that run's page too, so the index it writes links to no missing page. The dead writer is an
 * {@code evaluate} in this JVM whose commit throws at a step ({@link ReportCommit#commitStep}): a writer in this
 * JVM that failed counts as gone, as a killed one does.
 */
class SettledRunPagesTest {
  private static final Pattern LINK = Pattern.compile("href=\"([^\"#]+\\.html)\"");

  @TempDir
  static Path dir;
  static Path model;
  static Path valid;

  @BeforeAll
  static void modelAndValidSet() throws Exception {
    model = dir.resolve("model");
    Result r = cli("train", "--train", dataset(dir.resolve("train"), 4, "3", "7").toString(), "--model",
        model.toString());
    assertEquals(0, r.exit(), r::toString);
    valid = dataset(dir.resolve("valid"), 3, "3", "7");
  }

  @AfterEach
  void resetHook() {
    CommitSteps.clear();
  }

  private static Result evaluate(Path report, String runId) {
    return cli("evaluate", "--model", model.toString(), "--valid", valid.toString(), "--report", report.toString(),
        "--run-id", runId);
  }

  /** The pages the index links to, by file name. */
  private static TreeSet<String> indexLinks(Path report) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    Matcher m = LINK.matcher(Files.readString(report.resolve("html/index.html")));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** A writer dies at {@code step}; the next evaluate settles its commit and writes both runs' pages. */
  private static void diesThenNextWriterSettles(Path report, String step) throws Exception {
    assertEquals(0, evaluate(report, "first").exit());
    CommitSteps.at("died", step, () -> {
      throw new IllegalStateException("died at " + step);
    });
    assertNotEquals(0, evaluate(report, "died").exit());
    assertFalse(Files.exists(report.resolve("html/died.html")), "the dead writer wrote no page");
    assertEquals(1, ReportAtomicityTest.manifests(report).size(), "its commit is left half done");

    Result next = evaluate(report, "next");
    assertEquals(0, next.exit(), next::toString);
    assertEquals(List.of("died", "first", "next"), runIds(report), "the dead writer's run is in runs");
    assertEquals(List.of(), ReportAtomicityTest.manifests(report));
    assertEquals(new TreeSet<>(List.of("died.html", "first.html", "next.html")), indexLinks(report));
    for (String page : indexLinks(report)) {
      assertTrue(Files.isRegularFile(report.resolve("html").resolve(page)), "the index links to " + page);
    }
    assertTrue(Files.readString(report.resolve("html/died.html")).contains("died"), "the run's own page");
  }

  @Test
  void aCommitRolledForwardGetsItsPage() throws Exception {
    diesThenNextWriterSettles(dir.resolve("report-renames"), "moved confusion");
  }

  @Test
  void withoutRenamesACommitFoundWithItsRunsFileGetsItsPage() throws Exception {
    Configuration conf = SparkTestSession.get().sparkContext().hadoopConfiguration();
    conf.set(Store.COMMIT_KEY, "marker");
    try {
      diesThenNextWriterSettles(dir.resolve("report-marker"), "wrote runs");
    } finally {
      conf.unset(Store.COMMIT_KEY);
    }
  }
}
