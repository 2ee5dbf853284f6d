package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The JVM flags our scripts and surefire pass are exactly the ones Spark's own launcher adds. */
class JavaModuleOptionsTest {
  @Test
  void confFileMatchesSparkLauncher() throws Exception {
    List<String> ours = Files.readAllLines(SparkTestSession.repo().resolve("conf/java-module-options")).stream()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> spark = Arrays.asList(JavaModuleOptions.defaultModuleOptionArray());
    assertEquals(spark, ours);
  }

  @Test
  void surefireJvmRunsWithThoseFlags() {
    List<String> jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String flag : JavaModuleOptions.defaultModuleOptionArray()) {
      org.junit.jupiter.api.Assertions.assertTrue(jvm.contains(flag), "surefire's JVM lacks " + flag);
    }
  }
}
