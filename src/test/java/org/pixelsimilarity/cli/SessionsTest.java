package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lean session defaults of docs/performance.md ({@link Sessions}), which no in-JVM test can see: the CLI
 * joins the test JVM's shared session instead of building one. So a child JVM builds it, with one setting given
 * the way spark-submit gives settings (a {@code spark.*} system property), which must win over the default.
 */
class SessionsTest {

  @Test
  void aNewSessionGetsTheLeanDefaultsOnlyWhereNothingIsSet() throws Exception {
    List<String> cmd = ChildJvm.command(List.of("-Djava.awt.headless=true", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.hadoop.parquet.hadoop.vectored.io.enabled=true"),
        SessionsProbe.class);
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
