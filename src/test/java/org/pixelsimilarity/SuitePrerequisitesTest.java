package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/test.sh checks what it needs before anything else and names what is missing in one line with the command
 * that installs it, and that command is README's install line (which .ci/run installs too). The test runs it with
 * a PATH holding only {@code dirname}, so neither javac nor mvn is found and nothing is built.
 */
class SuitePrerequisitesTest {
  private static final String PACKAGES = "openjdk-17-jdk-headless maven chromium chromium-driver docker-compose";

  @Test
  void withoutAJdkAndMavenItStopsAtOnceNamingThem(@TempDir Path tmp) throws Exception {
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", SparkTestSession.repo().resolve("jobs/test.sh").toString())
        .directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", bin.toString());
    int exit = pb.start().waitFor();
    List<String> lines = Files.readAllLines(err);
    assertEquals(2, exit, lines::toString);
    assertEquals("", Files.readString(out));
    assertEquals(1, lines.size(), lines::toString);
    assertTrue(lines.get(0).startsWith("jobs/test.sh: missing openjdk-17-jdk-headless maven"), lines.get(0));
    assertTrue(lines.get(0).endsWith("apt-get install -y " + PACKAGES), lines.get(0));
  }

  @Test
  void readmeInstallsWhatTheSuiteNeedsAndCiInstallsTheSame() throws Exception {
    String readme = Files.readString(SparkTestSession.repo().resolve("README.md"));
    assertTrue(readme.contains("apt-get install -y " + PACKAGES + "\n"), "README's install line");
    String ci = Files.readString(SparkTestSession.repo().resolve(".ci/run"));
    for (String pkg : PACKAGES.split(" ")) {
      assertTrue(ci.contains("need_apt+=(" + pkg + ")"), () -> ".ci/run does not install " + pkg);
    }
  }
}
