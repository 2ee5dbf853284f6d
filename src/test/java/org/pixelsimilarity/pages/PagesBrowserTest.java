package org.pixelsimilarity.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The pages of {@link SampleReport} in a real browser: Debian's headless Chromium driven by its chromedriver
 * (never a downloaded one), opened from {@code file://} with the network switched off. Every image has loaded,
 * the charts are drawn, nothing was fetched and the console has no error. CI installs chromium and
 * chromium-driver ({@code .ci/run}); without them this test fails, it does not skip.
 */
class PagesBrowserTest {
  private static final Path DRIVER = Paths.get(System.getProperty("pixelsimilarity.chromedriver",
      "/usr/bin/chromedriver"));
  private static final Path CHROMIUM = Paths.get(System.getProperty("pixelsimilarity.chromium", "/usr/bin/chromium"));
  private static ChromeDriver browser;
  private static Path html;

  @BeforeAll
  static void open() throws Exception {
    if (!Files.isExecutable(DRIVER) || !Files.isExecutable(CHROMIUM)) {
      fail("the browser test needs " + CHROMIUM + " and " + DRIVER
          + ": apt-get install -y chromium chromium-driver (as .ci/run does)");
    }
    html = SampleReport.get().resolve(Pages.DIR);
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--proxy-server=127.0.0.1:9", "--window-size=1200,900",
        "--user-data-dir=" + Files.createTempDirectory("pages-chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.executeCdpCommand("Network.enable", Map.of());
    browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
        "downloadThroughput", -1, "uploadThroughput", -1));
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
  }

  @SuppressWarnings("unchecked")
  private static void load(String page, int minImages, List<String> charts) {
    browser.get(html.resolve(page).toUri().toString());
    List<List<Object>> images = (List<List<Object>>) browser.executeScript(
        "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);");
    assertTrue(images.size() >= minImages, page + ": " + images.size() + " images");
    for (List<Object> img : images) {
      assertEquals(true, img.get(1), page + ": image not loaded: " + img.get(0));
      assertTrue(((Number) img.get(2)).longValue() > 0, page + ": image of natural width 0: " + img.get(0));
    }
    for (String chart : charts) {
      Number width = (Number) browser.executeScript("const c = document.querySelector('[data-chart=\"' + arguments[0]"
          + " + '\"]'); return c ? c.getBoundingClientRect().width : -1;", chart);
      assertTrue(width.doubleValue() > 0, page + ": chart " + chart + " is not drawn");
    }
    List<Object> fetched = (List<Object>) browser.executeScript(
        "return performance.getEntriesByType('resource').map(e => e.name);");
    assertEquals(List.of(), fetched, page + " fetched something");
    List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::toString).toList();
    assertEquals(List.of(), errors, page + ": console");
  }

  @Test
  void theRunPageShowsItsImagesAndCharts() {
    load("r1.html", 2 + 4, List.of("confusion-l1", "confusion-normalised-l1", "confusion-l2", "class-bars-l1",
        "class-bars-l2", "pixel-grid"));
    assertTrue(browser.getTitle().contains("r1"), browser.getTitle());
    String verdict = (String) browser.executeScript("return document.querySelector('[data-verdict]').textContent;");
    assertEquals("quality gate: pass", verdict);
  }

  @Test
  void aFailedRunShowsItsVerdict() {
    load("r2.html", 2, List.of("confusion-l1"));
    String verdict = (String) browser.executeScript("return document.querySelector('[data-verdict]').dataset.verdict;");
    assertEquals("fail", verdict);
  }

  @Test
  void theIndexShowsTheTrendTheHeatmapAndEveryRun() {
    load(Pages.INDEX, 0, List.of("accuracy-trend", "class-accuracy-l1", "class-accuracy-l2"));
    Number rows = (Number) browser.executeScript("return document.querySelectorAll('tr[data-run]').length;");
    assertEquals(4, rows.intValue());
    Number points = (Number) browser.executeScript(
        "return document.querySelectorAll('[data-chart=\"accuracy-trend\"] circle').length;");
    assertEquals(4 * 4, points.intValue(), "a point per run and series");
  }
}
