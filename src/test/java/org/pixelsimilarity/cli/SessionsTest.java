package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.SparkTestSession;

/**
 * The lean session defaults of docs/performance.md ({@link Sessions}), which no in-JVM test can see: the CLI
 * joins the test JVM's shared session instead of building one. So a child JVM builds it, with one setting given
 * the way spark-submit gives settings (a {@code spark.*} system property), which must win over the default.
 */
class SessionsTest {

  @Test
  void aNewSessionGetsTheLeanDefaultsOnlyWhereNothingIsSet() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    for (String line : Files.readAllLines(SparkTestSession.repo().resolve("conf/java-module-options"))) {
      if (!line.isBlank() && !line.trim().startsWith("#")) {
        cmd.add(line.trim());
      }
    }
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dspark.driver.host=127.0.0.1");
    cmd.add("-Dspark.driver.bindAddress=127.0.0.1");
    cmd.add("-Dspark.hadoop.parquet.hadoop.vectored.io.enabled=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SessionsProbe.class.getName());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), out);
    Map<String, String> seen = new LinkedHashMap<>();
    out.lines().filter(l -> l.contains("=")).forEach(l -> seen.put(l.substring(0, l.indexOf('=')),
        l.substring(l.indexOf('=') + 1)));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("owned", "true");
    expected.put("spark.master", "local[*]");
    expected.put("spark.sql.shuffle.partitions", "4");
    expected.put("spark.ui.enabled", "false");
    expected.put("spark.hadoop.parquet.hadoop.vectored.io.enabled", "true");
    expected.put("spark.ui.showConsoleProgress", "false");
    expected.put("spark.sql.parquet.columnarReaderBatchSize", "256");
    expected.put("ui", "false");
    assertEquals(expected, seen, out);
  }
}
