package org.pixelsimilarity.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pixelsimilarity.SparkTestSession;

/** The command line of a small child JVM on the test classpath, with the JVM flags Spark needs on Java 17. */
final class ChildJvm {
  private ChildJvm() {}

  /** {@code java} with {@code flags} (e.g. {@code -Dkey=value}) running {@code main} with {@code args}. */
  static List<String> command(List<String> flags, Class<?> main, String... args) throws IOException {
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
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
