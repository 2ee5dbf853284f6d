package org.pixelsimilarity.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.report.DuckDb;
import org.pixelsimilarity.report.QualityGate;

/**
 * The pages of {@link SampleReport}: their figures equal the parquet tables read back with DuckDB, the quality
 * gate's verdicts and exit codes, and the index of all runs; {@code report} rebuilds the same pages.
 */
class PagesTest {
  private static Path report;
  private static DuckDb duck;

  @BeforeAll
  static void runs() throws Exception {
    report = SampleReport.get();
    duck = new DuckDb(report);
  }

  private static String fmt(Object v) {
    return String.format(Locale.ROOT, "%.4f", ((Number) v).doubleValue());
  }

  private static List<String> all(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void headlineAndClassReportEqualTheTables() throws Exception {
    String html = SampleReport.page("r1.html");
    Object[] run = duck.rows("SELECT accuracy_l1, macro_accuracy_l1, accuracy_l2, macro_accuracy_l2 FROM "
        + duck.table("runs") + " WHERE run_id = 'r1'").get(0);
    assertEquals(List.of(fmt(run[0])), all(html, "data-figure=\"accuracy_l1\">([^<]*)<"));
    assertEquals(List.of(fmt(run[1])), all(html, "data-figure=\"macro_accuracy_l1\">([^<]*)<"));
    assertEquals(List.of(fmt(run[2])), all(html, "data-figure=\"accuracy_l2\">([^<]*)<"));
    assertEquals(List.of(fmt(run[3])), all(html, "data-figure=\"macro_accuracy_l2\">([^<]*)<"));
    for (String metric : List.of("l1", "l2")) {
      String table = html.substring(html.indexOf("data-table=\"class-report-" + metric + "\""));
      table = table.substring(0, table.indexOf("</table>"));
      List<Object[]> rows = duck.rows("SELECT label, total, correct, accuracy FROM " + duck.table("class_accuracy")
          + " WHERE run_id = 'r1' AND metric = '" + metric + "' ORDER BY label");
      assertEquals(2, rows.size());
      for (Object[] r : rows) {
        String row = table.substring(table.indexOf("<tr data-label=\"" + r[0] + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertEquals(String.format(Locale.ROOT, "%,d", (Long) r[1]), first(row, "total"), metric + " " + r[0]);
        assertEquals(String.format(Locale.ROOT, "%,d", (Long) r[2]), first(row, "correct"));
        assertEquals(fmt(r[3]), first(row, "accuracy"));
        assertEquals(fmt(r[3]), first(row, "recall"), "recall is the class accuracy");
      }
      // Precision of label 3 by hand from the confusion table: predicted 3 and actual 3, over predicted 3.
      Object[] p = duck.rows("SELECT sum(count) FILTER (WHERE actual = '3'), sum(count) FROM " + duck.table("confusion")
          + " WHERE run_id = 'r1' AND metric = '" + metric + "' AND predicted = '3'").get(0);
      String row3 = table.substring(table.indexOf("<tr data-label=\"3\""));
      assertEquals(fmt(((Number) p[0]).doubleValue() / ((Number) p[1]).doubleValue()), first(row3, "precision"));
    }
  }

  private static String first(String html, String field) {
    return all(html, "data-field=\"" + field + "\">([^<]*)<").get(0);
  }

  @Test
  void mostConfusedAndTopLossesEqualTheTables() throws Exception {
    String html = SampleReport.page("r1.html");
    for (String metric : List.of("l1", "l2")) {
      String confused = html.substring(html.indexOf("data-table=\"most-confused-" + metric + "\""));
      confused = confused.substring(0, confused.indexOf("</table>"));
      List<String> expected = new ArrayList<>();
      for (Object[] r : duck.rows("SELECT count FROM " + duck.table("confusion") + " WHERE run_id = 'r1' AND metric = '"
          + metric + "' AND actual <> predicted AND count > 0 ORDER BY count DESC, actual")) {
        expected.add(String.format(Locale.ROOT, "%,d", (Long) r[0]));
      }
      assertEquals(expected, all(confused, "data-field=\"count\">([^<]*)<"));

      String grid = html.substring(html.indexOf("data-table=\"top-losses-" + metric + "\""));
      grid = grid.substring(0, grid.indexOf("</div>"));
      List<String> margins = new ArrayList<>();
      Map<String, Integer> perPair = new HashMap<>();
      for (Object[] r : duck.rows("SELECT actual, predicted, margin FROM " + duck.table("examples")
          + " WHERE run_id = 'r1' AND kind = 'top_loss' AND metric = '" + metric + "' ORDER BY margin DESC, origin")) {
        if (margins.size() < ExamplePanels.TOP_LOSSES
            && perPair.merge(r[0] + "/" + r[1], 1, Integer::sum) <= ExamplePanels.PER_PAIR) {
          margins.add(fmt(r[2]));
        }
      }
      assertFalse(margins.isEmpty(), "the sample has misclassified images");
      assertEquals(margins, all(grid, "data-field=\"margin\">([^<]*)<"));
    }
    assertEquals(2, duck.count("SELECT count(*) FROM " + duck.table("examples") + " WHERE run_id = 'r1' AND kind = 'ideal'"));
    assertEquals(2, all(html, "(<img class=\"ideal\")").size());
    // Beside each ideal image, the correct examples of the table: the same images (by origin), nearest first.
    for (String metric : List.of("l1", "l2")) {
      String strip = html.substring(html.indexOf("data-table=\"nearest-" + metric + "\""));
      strip = strip.substring(0, strip.indexOf("</div>"));
      for (String label : List.of("3", "7")) {
        String fig = strip.substring(strip.indexOf("<figure data-label=\"" + label + "\""));
        fig = fig.substring(0, fig.indexOf("</figure>"));
        List<String> origins = new ArrayList<>();
        List<String> distances = new ArrayList<>();
        for (Object[] r : duck.rows("SELECT origin, distance_true FROM " + duck.table("examples") + " WHERE run_id ="
            + " 'r1' AND kind = 'correct' AND metric = '" + metric + "' AND actual = '" + label + "'"
            + " ORDER BY distance_true, origin")) {
          origins.add(org.pixelsimilarity.pages.Html.esc(r[0]));
          distances.add(String.format(Locale.ROOT, "%.4f", (Double) r[1]));
        }
        assertEquals(4, origins.size(), metric + " " + label);
        assertEquals(origins, all(fig, "alt=\"([^\"]*)\""), metric + " " + label);
        assertEquals(distances, all(fig, "data-field=\"distance\">([^<]*)<"), metric + " " + label);
      }
    }
  }

  @Test
  void theGatePassesAndFailsWithItsOwnExitCode() throws Exception {
    assertEquals(0, SampleReport.r1.code(), SampleReport.r1.err());
    assertEquals(0, SampleReport.r3.code(), SampleReport.r3.err());
    Map<String, Object[]> runs = new HashMap<>();
    for (Object[] r : duck.rows("SELECT run_id, gate, gate_min_accuracy, gate_max_drop, accuracy_l1, accuracy_l2 FROM "
        + duck.table("runs"))) {
      runs.put((String) r[0], r);
    }
    assertEquals(4, runs.size(), "a failing run is written all the same");
    assertEquals("pass", runs.get("r1")[1]);
    assertEquals(0.5, runs.get("r1")[2]);
    assertNull(runs.get("r3")[1], "no gate asked, no verdict");
    assertTrue((Double) runs.get("r2")[4] < (Double) runs.get("r1")[4], "the ideal images of the valid images score"
        + " lower on them (" + runs.get("r2")[4] + " vs " + runs.get("r1")[4] + ")");

    assertEquals(QualityGate.EXIT_FAILED, SampleReport.r2.code(), SampleReport.r2.err());
    String drop = String.format(Locale.ROOT, "l1 accuracy %.4f fell %.4f since run r1 (%.4f), more than --max-drop"
        + " 0.0001", (Double) runs.get("r2")[4], (Double) runs.get("r1")[4] - (Double) runs.get("r2")[4],
        (Double) runs.get("r1")[4]);
    assertTrue(((String) runs.get("r2")[1]).startsWith("fail: " + drop), (String) runs.get("r2")[1]);
    assertEquals(0.0001, runs.get("r2")[3]);
    assertTrue(SampleReport.r2.err().contains("quality gate failed (exit 3): run r2: " + drop), SampleReport.r2.err());
    assertTrue(SampleReport.r2.out().contains("page   "), "the pages are written before the exit");

    assertEquals(QualityGate.EXIT_FAILED, SampleReport.r4.code());
    String min = String.format(Locale.ROOT, "l1 accuracy %.4f is %.4f below --min-accuracy 0.9900",
        (Double) runs.get("r4")[4], 0.99 - (Double) runs.get("r4")[4]);
    assertTrue(((String) runs.get("r4")[1]).startsWith("fail: " + min), (String) runs.get("r4")[1]);
    assertEquals(1, SampleReport.r4.err().lines().count(), "one line: " + SampleReport.r4.err());

    assertTrue(SampleReport.page("r1.html").contains("data-verdict=\"pass\""));
    assertTrue(SampleReport.page("r2.html").contains("data-verdict=\"fail\""));
    assertTrue(SampleReport.page("r3.html").contains("data-verdict=\"none\""));
    assertTrue(SampleReport.page("r4.html").contains("data-verdict=\"fail\""));
    assertTrue(SampleReport.page("r4.html").contains(org.pixelsimilarity.pages.Html.esc(min)));
  }

  @Test
  void theIndexListsEveryRunNewestFirstWithItsFigures() throws Exception {
    String index = SampleReport.page(Pages.INDEX);
    assertEquals(List.of("r4", "r3", "r2", "r1"), all(index, "<tr data-run=\"([^\"]*)\""));
    for (Object[] r : duck.rows("SELECT run_id, accuracy_l1, accuracy_l2 FROM " + duck.table("runs"))) {
      String row = index.substring(index.indexOf("<tr data-run=\"" + r[0] + "\""));
      row = row.substring(0, row.indexOf("</tr>"));
      assertEquals(fmt(r[1]), first(row, "accuracy_l1"));
      assertEquals(fmt(r[2]), first(row, "accuracy_l2"));
      assertTrue(row.contains("href=\"" + r[0] + ".html\""));
    }
    for (String chart : List.of("accuracy-trend", "class-accuracy-l1", "class-accuracy-l2")) {
      assertTrue(index.contains("data-chart=\"" + chart + "\""), chart);
    }
    assertTrue(index.contains("class=\"threshold\""), "the gate's minimum accuracy is drawn");
  }

  @Test
  void reportRebuildsThePagesFromTheTablesAlone() throws Exception {
    Path copy = Files.createTempDirectory("pages-rebuild");
    for (String table : List.of("runs", "class_accuracy", "confusion", "rejected", "examples")) {
      org.apache.commons.io.FileUtils.copyDirectory(report.resolve(table).toFile(), copy.resolve(table).toFile());
    }
    SampleReport.Result r = SampleReport.cli("report", "--report", copy.toString());
    assertEquals(0, r.code(), r.err());
    for (String name : List.of("r1.html", "r2.html", "r3.html", "r4.html")) {
      String again = Files.readString(copy.resolve(Pages.DIR).resolve(name));
      assertEquals(SampleReport.page(name), again, name);
    }
    assertEquals(SampleReport.page(Pages.INDEX).replace(report.toString(), copy.toString()),
        Files.readString(copy.resolve(Pages.DIR).resolve(Pages.INDEX)));
  }
}
