import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * The cluster test's reader of what a run left behind (jobs/cluster-test.sh runs it as a single-file program with
 * the Spark home's jars on the classpath; it starts no Spark).
 *
 * <pre>
 * digest REPORT [K]   one line per fact of the report folder's only run, sorted: the ideal images (label, count,
 *                     shape, SHA-256 of the raw bits of every mean), per-class totals and correct counts, the
 *                     confusion matrix, the runs row's image counts and accuracies. With K, every count is
 *                     multiplied by K and the model id left out: the expected digest of the same images
 *                     replicated K times (an exact mean of integer sums is the same double for K copies).
 * events EVENTLOG     from Spark's event log: executors added and removed (with the reason), tasks that ended
 *                     per executor (succeeded or with their failure reason) and each job's result.
 * </pre>
 */
public final class ClusterCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Runs the commands given as arguments, or, with the single argument {@code -}, one command per line of standard
   * input with tab-separated fields and the output file last ({@code digest<TAB>REPORT<TAB>K<TAB>OUT},
   * {@code events<TAB>EVENTLOG<TAB>OUT}): one JVM for all the checks of a test run.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("-")) {
      BufferedReader in = new BufferedReader(new java.io.InputStreamReader(System.in));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          String[] f = line.split("\t");
          Files.write(Path.of(f[f.length - 1]), run(java.util.Arrays.copyOf(f, f.length - 1)));
        }
      }
    } else {
      run(args).forEach(System.out::println);
    }
  }

  static List<String> run(String[] args) throws Exception {
    if (args.length >= 2 && args.length <= 3 && args[0].equals("digest")) {
      return digest(Path.of(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 1);
    } else if (args.length == 2 && args[0].equals("events")) {
      return events(Path.of(args[1]));
    }
    throw new IllegalArgumentException("usage: ClusterCheck digest REPORT [K] | events EVENTLOG | -");
  }

  static List<String> digest(Path report, long k) throws Exception {
    List<String> out = new ArrayList<>();
    List<Path> models = files(report.resolve("models"), "model.json");
    if (models.size() != 1) {
      throw new IllegalStateException(report + ": expected one model, found " + models);
    }
    Path model = models.get(0).getParent();
    if (k == 1) {
      out.add("model_id " + JSON.readTree(model.resolve("model.json").toFile()).path("model_id").asText());
    }
    for (Group g : rows(model.resolve("data"))) {
      Group mean = g.getGroup("mean", 0);
      int n = mean.getFieldRepetitionCount("list");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < n; i++) {
        sha.update(ByteBuffer.allocate(8).putLong(
            Double.doubleToRawLongBits(mean.getGroup("list", i).getDouble("element", 0))).array());
      }
      out.add("ideal label=" + g.getString("label", 0) + " count=" + g.getLong("count", 0) * k + " shape="
          + g.getInteger("height", 0) + "x" + g.getInteger("width", 0) + " pixels=" + n + " mean_bits_sha256="
          + HexFormat.of().formatHex(sha.digest()));
    }
    for (Group g : rows(report.resolve("class_accuracy"))) {
      out.add("class metric=" + g.getString("metric", 0) + " label=" + g.getString("label", 0) + " total="
          + g.getLong("total", 0) * k + " correct=" + g.getLong("correct", 0) * k + " accuracy="
          + g.getDouble("accuracy", 0));
    }
    for (Group g : rows(report.resolve("confusion"))) {
      out.add("confusion metric=" + g.getString("metric", 0) + " actual=" + g.getString("actual", 0)
          + " predicted=" + g.getString("predicted", 0) + " count=" + g.getLong("count", 0) * k);
    }
    List<Group> runs = rows(report.resolve("runs"));
    if (runs.size() != 1) {
      throw new IllegalStateException(report + ": expected one run, found " + runs.size());
    }
    Group r = runs.get(0);
    for (String f : List.of("train_images", "valid_images", "scored_images", "unknown_label_images",
        "rejected_images")) {
      out.add("run " + f + "=" + r.getLong(f, 0) * k);
    }
    for (String f : List.of("accuracy_l1", "macro_accuracy_l1", "accuracy_l2", "macro_accuracy_l2")) {
      out.add("run " + f + "=" + (r.getFieldRepetitionCount(f) == 0 ? "null" : r.getDouble(f, 0)));
    }
    out.sort(null);
    return out;
  }

  /** Every row of every parquet file under {@code dir} (skipping Spark's hidden and staging files). */
  static List<Group> rows(Path dir) throws IOException {
    List<Group> out = new ArrayList<>();
    Configuration conf = new Configuration();
    for (Path f : files(dir, null)) {
      if (!f.getFileName().toString().endsWith(".parquet")) {
        continue;
      }
      try (ParquetReader<Group> reader = ParquetReader
          .builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(f.toUri())).withConf(conf).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          out.add(g);
        }
      }
    }
    return out;
  }

  static List<Path> files(Path dir, String name) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(".") && !p.toString().contains("/_"))
          .filter(p -> name == null || p.getFileName().toString().equals(name)).sorted().toList();
    }
  }

  static List<String> events(Path log) throws IOException {
    List<String> out = new ArrayList<>();
    Map<String, int[]> tasks = new TreeMap<>();
    try (BufferedReader in = Files.newBufferedReader(log)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode e = JSON.readTree(line);
        switch (e.path("Event").asText()) {
          case "SparkListenerExecutorAdded" -> out.add("executor_added id=" + e.path("Executor ID").asText()
              + " host=" + e.path("Executor Info").path("Host").asText());
          case "SparkListenerExecutorRemoved" -> out.add("executor_removed id=" + e.path("Executor ID").asText()
              + " reason=" + oneLine(e.path("Removed Reason").asText()));
          case "SparkListenerTaskEnd" -> {
            String exec = e.path("Task Info").path("Executor ID").asText();
            JsonNode reason = e.path("Task End Reason");
            boolean ok = reason.path("Reason").asText().equals("Success");
            tasks.computeIfAbsent(exec, x -> new int[2])[ok ? 0 : 1]++;
            if (!ok) {
              out.add("task_failed executor=" + exec + " stage=" + e.path("Stage ID").asInt() + " task="
                  + e.path("Task Info").path("Task ID").asInt() + " reason=" + reason.path("Reason").asText()
                  + " " + oneLine(reason.path("Loss Reason").asText(reason.path("Description").asText())));
            }
          }
          case "SparkListenerJobEnd" -> out.add("job_end id=" + e.path("Job ID").asInt() + " result="
              + e.path("Job Result").path("Result").asText());
          default -> { }
        }
      }
    }
    tasks.forEach((exec, n) -> out.add("tasks executor=" + exec + " succeeded=" + n[0] + " failed=" + n[1]));
    return out;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
