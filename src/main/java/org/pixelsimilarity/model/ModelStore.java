package org.pixelsimilarity.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.SmallTable;
import org.pixelsimilarity.io.FolderOutput;
import org.pixelsimilarity.io.Store;

/**
 * A model on disk, never Java-serialized, laid out as a Spark ML model folder (so that
 * {@code NearestIdealModel.load} and {@code PipelineModel.load} read what {@code train} writes, and the CLI reads
 * what Spark ML saves) with the CLI's files beside it:
 * <pre>
 * model/
 *   metadata/       Spark ML's metadata: one JSON line (class, uid, sparkVersion, paramMap, ..., channels of a
 *                   colour model), see {@link SparkMlMetadata}
 *   data/           parquet, one row per class: label string, count bigint, height int, width int,
 *                   mean array&lt;double&gt;
 *   model.json      format, model_id, labels, counts, height, width, channels (colour models), source, created_at, app_version, pictures,
 *                   pictures_by_label
 *   ideal-&lt;label&gt;.png  each ideal image, upscaled, gray or RGB ({@link Pictures})
 *   rejected/       parquet: origin string, reason string: the training images set aside (only when there are)
 * </pre>
 * Both parquet tables are written from the driver by {@link SmallTable} (no Spark job; a rejected list longer than
 * {@link SmallTable#MAX_ROWS} by Spark). No Hadoop {@code .crc} side files ({@link Store#create}; the checksums of a
 * rejected list written by Spark are removed). model.json is written last. Models of format version 1 (the table
 * in {@code ideal_images/}, no {@code metadata/}) still load in the CLI. A model appears whole or not at all
 * ({@link FolderOutput}: renamed into place from a hidden folder, or on an object store marked complete last); a
 * failed save removes what it wrote. An existing model is replaced only with {@code overwrite}.
 */
public final class ModelStore {
  public static final String FORMAT = "pixel-similarity-model";
  public static final int FORMAT_VERSION = 2;
  static final String PARQUET = "data";
  /** Where format version 1 kept the table (read, never written). */
  static final String LEGACY_PARQUET = "ideal_images";
  static final String METADATA = "model.json";
  static final String REJECTED = "rejected";
  static final StructType SCHEMA = new StructType()
      .add("label", DataTypes.StringType, false)
      .add("count", DataTypes.LongType, false)
      .add("height", DataTypes.IntegerType, false)
      .add("width", DataTypes.IntegerType, false)
      .add("mean", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelStore() {}

  /** What {@link #save} wrote. */
  public record Saved(String dir, List<String> pictures, boolean reused) {}

  private static final String EXISTS = "a model already exists there; pass --overwrite to replace it";

  /** Test hook, called with the complete folder just before it is committed (renamed into place or marked). */
  static volatile java.util.function.Consumer<Path> beforeMove = tmp -> { };

  /** A model of {@code train} without a list of rejected training images. */
  public static Saved save(SparkSession spark, IdealImages model, String dir, String source, boolean overwrite,
      boolean reuseSameId) {
    return save(spark, ModelFolder.trained(model, source, null, 0), dir, overwrite, reuseSameId);
  }

  /**
   * Saves {@code folder} into {@code dir}, whole or not at all ({@link FolderOutput}: renamed into place, or
   * model.json and the marker written last on an object store). An existing model there is replaced only with
   * {@code overwrite}; with {@code reuseSameId}, an existing complete model with the same id is kept as it is
   * (content-addressed folders).
   */
  public static Saved save(SparkSession spark, ModelFolder folder, String dir, boolean overwrite,
      boolean reuseSameId) {
    IdealImages model = folder.model();
    try {
      Store store = Store.of(spark, new Path(dir));
      Path target = store.qualify(new Path(dir));
      if (reuseSameId && store.exists(new Path(target, METADATA)) && !FolderOutput.isIncomplete(store, target)
          && model.id().equals(readMetadata(store, target).path("model_id").asText())) {
        List<String> pictures = new ArrayList<>();
        readMetadata(store, target).path("pictures").forEach(p -> pictures.add(new Path(target, p.asText())
            .toString()));
        return new Saved(target.toString(), pictures, true);
      }
      try (FolderOutput out = FolderOutput.start(store, target, dir, overwrite, EXISTS)) {
        List<String> pictures = writeAll(spark, store, out.dir(), folder);
        beforeMove.accept(out.dir());
        out.commit();
        List<String> full = new ArrayList<>();
        for (String p : pictures) {
          full.add(new Path(target, p).toString());
        }
        return new Saved(target.toString(), full, false);
      }
    } catch (IOException e) {
      throw new JobException(dir + ": cannot write the model: " + describe(e), e);
    }
  }

  /** Everything of a model into {@code dir}, model.json last; returns the picture file names. */
  private static List<String> writeAll(SparkSession spark, Store store, Path dir, ModelFolder folder)
      throws IOException {
    IdealImages model = folder.model();
    SparkMlMetadata.write(spark, store, dir, folder.stage(), model.shape());
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < model.labels().size(); k++) {
      rows.add(RowFactory.create(model.labels().get(k), model.counts()[k], model.shape().height(),
          model.shape().width(), toSeq(model.means()[k])));
    }
    SmallTable.write(spark, new Path(dir, PARQUET), SCHEMA, rows);
    if (folder.rejected() != null && folder.rejectedCount() > 0) {
      SmallTable.write(spark, new Path(dir, REJECTED), folder.rejected().select("origin", "reason"),
          folder.rejectedCount());
      store.dropChecksums(new Path(dir, REJECTED));
    }
    List<String> pictures = Pictures.fileNames(model.labels());
    for (int k = 0; k < model.labels().size(); k++) {
      try (OutputStream out = store.create(new Path(dir, pictures.get(k)))) {
        Pictures.writePng(model.means()[k], model.shape(), Pictures.upscaleFor(model.shape()), out);
      }
    }
    writeMetadata(store, new Path(dir, METADATA), folder, pictures);
    return pictures;
  }

  static String firstLine(Throwable e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }

  /** The first line of the message, with the kind of failure when the message is only a path. */
  static String describe(IOException e) {
    String line = firstLine(e);
    if (e instanceof java.nio.file.FileAlreadyExistsException
        || e instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
      return line + ": file already exists";
    }
    if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.io.FileNotFoundException) {
      return line + ": no such file or folder";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return line + ": permission denied";
    }
    return line;
  }

  private static scala.collection.immutable.Seq<Object> toSeq(double[] values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(
        java.util.Arrays.stream(values).boxed().map(v -> (Object) v).toList()).toList();
  }

  private static void writeMetadata(Store store, Path file, ModelFolder folder, List<String> pictures)
      throws IOException {
    IdealImages model = folder.model();
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("model_id", model.id());
    ArrayNode labels = root.putArray("labels");
    model.labels().forEach(labels::add);
    ObjectNode counts = root.putObject("counts");
    for (int k = 0; k < model.labels().size(); k++) {
      counts.put(model.labels().get(k), model.counts()[k]);
    }
    root.put("height", model.shape().height());
    root.put("width", model.shape().width());
    if (model.shape().colour()) { // a gray model's metadata stays as it was
      root.put("channels", model.shape().channels());
    }
    root.put("source", folder.source());
    root.put("created_at", Instant.now().toString());
    root.put("app_version", AppInfo.version());
    ArrayNode pics = root.putArray("pictures");
    pictures.forEach(pics::add);
    ObjectNode byLabel = root.putObject("pictures_by_label");
    for (int k = 0; k < pictures.size(); k++) {
      byLabel.put(model.labels().get(k), pictures.get(k));
    }
    if (folder.rejected() != null) {
      root.put("rejected_images", folder.rejectedCount());
    }
    try (OutputStream out = store.create(file)) {
      JSON.writeValue(out, root);
    }
  }

  /**
   * Reads model.json bypassing Hadoop's client-side checksum: the file is meant for people and may be edited by
   * hand, and a stale {@code .model.json.crc} must not hide the consistency checks of {@link #load} behind a
   * "Checksum error".
   */
  static JsonNode readMetadata(Store store, Path dir) throws IOException {
    try (InputStream in = store.open(new Path(dir, METADATA))) {
      return JSON.readTree(in);
    }
  }

  /** Loads a model and checks that its metadata and its parquet agree (see {@link StoredModel}). */
  public static IdealImages load(SparkSession spark, String dir) {
    return StoredModel.read(spark, dir);
  }
}
