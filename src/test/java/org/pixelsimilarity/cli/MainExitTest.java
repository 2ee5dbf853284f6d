package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PixelSimilarityCli.main} in a child JVM: on success it returns (YARN's cluster deploy mode takes any
 * {@code System.exit} in main as a failure) and the JVM then ends by itself, also after a Spark job; a failure
 * still exits with its code.
 */
class MainExitTest {
  private record Child(int code, String out) {}

  private static Child main(String... args) throws Exception {
    List<String> cmd = ChildJvm.command(List.of("-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1"), MainReturnsProbe.class, args);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the JVM is still running after main: " + out);
    }
    return new Child(p.exitValue(), out);
  }

  @Test
  void successReturnsFromMain() throws Exception {
    Child version = main("--version");
    assertEquals(0, version.code(), version.out());
    assertTrue(version.out().startsWith("pixel-similarity "), version.out());
    assertTrue(version.out().endsWith("main returned\n"), version.out());
  }

  @Test
  void theJvmEndsAfterASparkJobWithoutSystemExit(@TempDir Path report) throws Exception {
    Child pages = main("report", "--report", report.toString());
    assertEquals(0, pages.code(), pages.out());
    assertTrue(pages.out().contains("pages  0 run page(s) and the index"), pages.out());
    assertTrue(pages.out().endsWith("main returned\n"), pages.out());
  }

  @Test
  void failuresExitWithTheirCode() throws Exception {
    Child usage = main("evaluate");
    assertEquals(2, usage.code(), usage.out());
    assertFalse(usage.out().contains("main returned"), usage.out());
  }
}
