package org.pixelsimilarity.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The benchmark's figures: printed one per line as they come, and kept for one JSON file at the end. */
final class BenchReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;
  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode stages = root.putArray("stages");

  BenchReport(PrintStream out, long images, String master) {
    this.out = out;
    root.put("images", images);
    root.put("master", master);
    root.put("started_at", Instant.now().toString());
    ObjectNode machine = root.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("cpu", cpuModel());
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    root.put("load_at_start", load());
  }

  /** {@code stage=<name> images=<N> seconds=<s> images_per_s=<r>}, plus CPU seconds and the load average. */
  void stage(String name, long images, double seconds, double cpuSeconds) {
    double rate = images == 0 ? 0 : images / seconds;
    out.printf(Locale.ROOT, "stage=%s images=%d seconds=%.3f images_per_s=%.0f cpu_s=%s load=%.2f%n", name, images,
        seconds, rate, cpuSeconds < 0 ? "-" : String.format(Locale.ROOT, "%.2f", cpuSeconds), load());
    ObjectNode s = stages.addObject();
    s.put("stage", name);
    s.put("images", images);
    s.put("seconds", seconds);
    s.put("images_per_s", rate);
    if (cpuSeconds >= 0) {
      s.put("cpu_seconds", cpuSeconds);
    }
    s.put("load_average_1m", load());
  }

  /**
   * {@code first_query=<stage> first_s=<s> again_s=<s> ratio=<first/again> first_jit_cpu_s=<s> again_jit_cpu_s=<s>}:
   * a stage as the JVM's first query of its kind against the same stage once the JIT is warm, and the compiler
   * threads' CPU seconds during each.
   */
  void firstAgain(String stage, double firstSeconds, double againSeconds, double firstJit, double againJit) {
    out.printf(Locale.ROOT, "first_query=%s first_s=%.3f again_s=%.3f ratio=%.2f first_jit_cpu_s=%.1f"
        + " again_jit_cpu_s=%.1f%n", stage, firstSeconds, againSeconds, firstSeconds / againSeconds, firstJit,
        againJit);
    ObjectNode all = root.has("first_query") ? (ObjectNode) root.get("first_query") : root.putObject("first_query");
    ObjectNode n = all.putObject(stage);
    n.put("first_seconds", firstSeconds);
    n.put("again_seconds", againSeconds);
    n.put("ratio", firstSeconds / againSeconds);
    n.put("first_jit_cpu_seconds", firstJit);
    n.put("again_jit_cpu_seconds", againJit);
  }

  void value(String key, double value, String printed) {
    out.println(key + "=" + printed);
    root.put(key, value);
  }

  void text(String key, String value) {
    out.println(key + "=" + value);
    root.put(key, value);
  }

  ObjectNode node(String key) {
    return root.putObject(key);
  }

  /** Writes {@code <dir>/bench-<N>-<UTC time>.json} and returns its path. */
  Path write(Path dir) throws IOException {
    return write(dir, "");
  }

  /** Writes {@code <dir>/<prefix>bench-<N>-<UTC time>.json} and returns its path. */
  Path write(Path dir, String prefix) throws IOException {
    root.put("load_at_end", load());
    Files.createDirectories(dir);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    Path file = dir.resolve(prefix + "bench-" + root.path("images").asLong() + "-" + stamp + ".json");
    JSON.writeValue(file.toFile(), root);
    return file;
  }

  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static String gib(long bytes) {
    return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f GiB (%d MiB)", bytes / 1073741824.0, bytes >> 20);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }
}
