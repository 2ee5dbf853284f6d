package org.pixelsimilarity.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.data.SmallTable;
import org.pixelsimilarity.io.HiddenNames;
import org.pixelsimilarity.io.Store;

/**
 * The {@code metadata/} folder of a Spark ML stage, as Spark's own {@code DefaultParamsWriter} lays it out: one text
 * file holding one JSON line with {@code class}, {@code timestamp}, {@code sparkVersion}, {@code uid},
 * {@code paramMap} and {@code defaultParamMap}, plus extra fields of the stage, and {@code _SUCCESS}.
 * {@code PipelineModel.load} and {@code CrossValidatorModel.load} read {@code class} from it to find the stage's
 * reader. The params themselves are encoded and decoded by Spark's own code (in {@code ml}); this class writes and
 * reads the file through the {@link Store} of the folder, without a Spark job and without {@code .crc} files,
 * because the CLI's {@code train} writes it too, without any Spark ML object: one model format for both faces.
 */
public final class SparkMlMetadata {
  /** The folder, as Spark names it. */
  public static final String FOLDER = "metadata";
  /** The class {@code train} names in the models it saves, so that Spark ML loads them with that class's reader. */
  public static final String MODEL_CLASS = "org.pixelsimilarity.ml.NearestIdealModel";
  /** Extra field: {@code "string"} (prediction = class index) or {@code "numeric"} (prediction = label value). */
  public static final String LABEL_TYPE = "labelType";
  /**
   * Extra field of a colour model: {@code 3} (its images are height × width × 3, R G B interleaved); absent for a
   * gray model (its line stays as it was), read as 1.
   */
  public static final String CHANNELS = "channels";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "part-00000";

  private SparkMlMetadata() {}

  /**
   * What the metadata line says of a stage.
   *
   * @param params {@code paramMap} and {@code defaultParamMap} as Spark's writer encodes them (two JSON objects of
   *     param name to {@code Param.jsonEncode} value), in a node with those two fields
   * @param labelType {@value #LABEL_TYPE} of a model, null for an estimator
   */
  public record Stage(String className, String uid, JsonNode params, String labelType) {
    /**
     * The stage a model saved by {@code train} is: the model class, a uid derived from the model id, no params set
     * (the class's defaults apply when Spark ML loads it), string labels.
     */
    public static Stage trained(IdealImages model) {
      ObjectNode none = JSON.createObjectNode();
      none.putObject("paramMap");
      none.putObject("defaultParamMap");
      return new Stage(MODEL_CLASS, "NearestIdealClassifier_" + model.id(), none, "string");
    }

    /** The JSON line; {@code shape}: the model's images (null for an estimator), its channels when colour. */
    String json(SparkSession spark, Shape shape) {
      ObjectNode root = JSON.createObjectNode();
      root.put("class", className);
      root.put("timestamp", System.currentTimeMillis());
      root.put("sparkVersion", spark.version());
      root.put("uid", uid);
      root.set("paramMap", params.path("paramMap").deepCopy());
      root.set("defaultParamMap", params.path("defaultParamMap").deepCopy());
      if (labelType != null) {
        root.put(LABEL_TYPE, labelType);
      }
      if (shape != null && shape.colour()) {
        root.put(CHANNELS, shape.channels());
      }
      return root.toString();
    }
  }

  /**
   * Writes {@code dir/metadata/part-00000} (the line, with {@value #CHANNELS} of a colour {@code shape}) and
   * {@code _SUCCESS}, without Hadoop checksum files.
   */
  static void write(SparkSession spark, Store store, Path dir, Stage stage, Shape shape) throws IOException {
    Path folder = new Path(dir, FOLDER);
    try (OutputStream out = store.create(new Path(folder, FILE))) {
      out.write((stage.json(spark, shape) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    store.create(new Path(folder, SmallTable.SUCCESS)).close();
  }

  /** Writes {@code dir/metadata/} of a stage without data (an estimator). */
  public static void write(SparkSession spark, String dir, Stage stage) {
    Path path = new Path(dir);
    try {
      write(spark, Store.of(spark, path), path, stage, null);
    } catch (IOException e) {
      throw new JobException(dir + "/" + FOLDER + ": cannot write: " + ModelStore.firstLine(e), e);
    }
  }

  /**
   * Reads the JSON line of {@code dir/metadata/} (the first data file, as Spark's reader does: hidden names are
   * skipped) and checks it names {@code expectedClass}.
   */
  public static String read(SparkSession spark, String dir, String expectedClass) {
    Path folder = new Path(dir, FOLDER);
    String line;
    JsonNode meta;
    try {
      Store store = Store.of(spark, folder);
      if (!store.fs().isDirectory(folder)) {
        throw new IllegalArgumentException(dir + ": not a Spark ML stage folder (no " + FOLDER + "/)");
      }
      Path file = null;
      for (FileStatus s : store.fs().listStatus(folder)) {
        String name = s.getPath().getName();
        if (s.isFile() && !HiddenNames.isHidden(name) && (file == null || name.compareTo(file.getName()) < 0)) {
          file = s.getPath();
        }
      }
      if (file == null) {
        throw new IllegalArgumentException(folder + ": no metadata file");
      }
      try (InputStream in = store.open(file)) {
        line = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
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
    return line;
  }
}
