package org.pixelsimilarity.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;

/**
 * The {@code metadata/} folder of a Spark ML stage, as Spark's own {@code DefaultParamsWriter} writes it: one text
 * file holding one JSON line with {@code class}, {@code timestamp}, {@code sparkVersion}, {@code uid},
 * {@code paramMap} and {@code defaultParamMap} (param name to its {@code Param.jsonEncode} value), plus extra
 * fields of the stage. {@code PipelineModel.load} and {@code CrossValidatorModel.load} read {@code class} from it to
 * find the stage's reader. Written here rather than by Spark's writer (package-private to Spark) because the CLI's
 * {@code train} writes it too, without any Spark ML object: one model format for both faces.
 */
public final class SparkMlMetadata {
  /** The folder, as Spark names it. */
  public static final String FOLDER = "metadata";
  /** The class {@code train} names in the models it saves, so that Spark ML loads them with that class's reader. */
  public static final String MODEL_CLASS = "org.pixelsimilarity.ml.NearestIdealModel";
  /** Extra field: {@code "string"} (prediction = class index) or {@code "numeric"} (prediction = label value). */
  public static final String LABEL_TYPE = "labelType";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "part-00000";

  private SparkMlMetadata() {}

  /**
   * The JSON line. {@code params} and {@code defaults} map a param name to its JSON-encoded value (a JSON text
   * such as {@code "\"l2\""}).
   */
  public static String json(SparkSession spark, String className, String uid, Map<String, String> params,
      Map<String, String> defaults, Map<String, String> extra) {
    ObjectNode root = JSON.createObjectNode();
    root.put("class", className);
    root.put("timestamp", System.currentTimeMillis());
    root.put("sparkVersion", spark.version());
    root.put("uid", uid);
    root.set("paramMap", encoded(params));
    root.set("defaultParamMap", encoded(defaults));
    extra.forEach(root::put);
    return root.toString();
  }

  private static ObjectNode encoded(Map<String, String> values) {
    ObjectNode node = JSON.createObjectNode();
    values.forEach((name, json) -> {
      try {
        node.set(name, JSON.readTree(json));
      } catch (IOException e) {
        throw new IllegalArgumentException("param " + name + ": not JSON: " + json, e);
      }
    });
    return node;
  }

  /**
   * The metadata a model saved by {@code train} gets: the model class, a uid derived from the model id, no params
   * set (the class's defaults apply when Spark ML loads it), string labels.
   */
  static String forTrainedModel(SparkSession spark, IdealImages model) {
    return json(spark, MODEL_CLASS, "NearestIdealClassifier_" + model.id(), Map.of(), Map.of(),
        Map.of(LABEL_TYPE, "string"));
  }

  /** Writes {@code dir/metadata/part-00000} (the line) and {@code _SUCCESS}, without Hadoop checksum files. */
  public static void write(FileSystem fs, Path dir, String json) throws IOException {
    Path folder = new Path(dir, FOLDER);
    try (OutputStream out = ModelStore.create(fs, new Path(folder, FILE))) {
      out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
    }
    ModelStore.create(fs, new Path(folder, org.pixelsimilarity.data.SmallTable.SUCCESS)).close();
  }

  /** Writes {@code dir/metadata/} on the file system of {@code dir}. */
  public static void write(SparkSession spark, String dir, String json) {
    Path path = new Path(dir);
    try {
      write(path.getFileSystem(spark.sparkContext().hadoopConfiguration()), path, json);
    } catch (IOException e) {
      throw new JobException(dir + "/" + FOLDER + ": cannot write: " + ModelStore.firstLine(e), e);
    }
  }

  /**
   * Reads the JSON line of {@code dir/metadata/} (the first data file, as Spark's reader does: names starting with
   * '_' or '.' are skipped) and checks it names {@code expectedClass}.
   */
  public static JsonNode read(SparkSession spark, String dir, String expectedClass) {
    Path folder = new Path(dir, FOLDER);
    JsonNode meta;
    try {
      FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.isDirectory(folder)) {
        throw new IllegalArgumentException(dir + ": not a Spark ML stage folder (no " + FOLDER + "/)");
      }
      Path file = null;
      for (FileStatus s : fs.listStatus(folder)) {
        String name = s.getPath().getName();
        if (s.isFile() && !name.startsWith("_") && !name.startsWith(".") && (file == null
            || name.compareTo(file.getName()) < 0)) {
          file = s.getPath();
        }
      }
      if (file == null) {
        throw new IllegalArgumentException(folder + ": no metadata file");
      }
      try (InputStream in = ModelStore.plain(fs).open(file)) {
        String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        meta = JSON.readTree(line);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(folder + ": cannot read the metadata: " + ModelStore.firstLine(e), e);
    }
    String found = meta.path("class").asText();
    if (!expectedClass.equals(found)) {
      throw new IllegalArgumentException(folder + ": metadata of class '" + found + "', expected " + expectedClass);
    }
    if (meta.path("uid").asText().isEmpty()) {
      throw new IllegalArgumentException(folder + ": metadata without a uid");
    }
    return meta;
  }
}
