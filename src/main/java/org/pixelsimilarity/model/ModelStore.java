package org.pixelsimilarity.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.SmallTable;

/**
 * A model on disk, never Java-serialized, laid out as a Spark ML model folder (so that
 * {@code NearestIdealModel.load} and {@code PipelineModel.load} read what {@code train} writes, and the CLI reads
 * what Spark ML saves) with the CLI's files beside it:
 * <pre>
 * model/
 *   metadata/       Spark ML's metadata: one JSON line (class, uid, sparkVersion, paramMap, ...), see
 *                   {@link SparkMlMetadata}
 *   data/           parquet, one row per class: label string, count bigint, height int, width int,
 *                   mean array&lt;double&gt;
 *   model.json      format, model_id, labels, counts, height, width, source, created_at, app_version, pictures
 *   ideal-&lt;label&gt;.png  each ideal image, upscaled
 *   rejected/       parquet: origin string, reason string: the training images set aside (only when there are)
 * </pre>
 * Both parquet tables are written from the driver by {@link SmallTable} (no Spark job; a rejected list longer than
 * {@link SmallTable#MAX_ROWS} by Spark). No Hadoop {@code .crc} side files: on the local file system every file is
 * written with {@code java.nio}, and the checksums of a rejected list written by Spark are removed before the move.
 * Models of format version 1 (the table in {@code ideal_images/}, no {@code metadata/}) still load in the CLI. A model is written to a hidden folder beside the target
 * ({@code .<name>.tmp-<uuid>}) and renamed into place only when complete; a failed save removes it. An existing
 * model is replaced only with {@code overwrite}.
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

  /** Test hook, called with the complete temporary folder just before it is renamed into place. */
  static volatile java.util.function.Consumer<Path> beforeMove = tmp -> { };

  /** A model without a list of rejected training images. */
  public static Saved save(SparkSession spark, IdealImages model, String dir, String source, boolean overwrite,
      boolean reuseSameId) {
    return save(spark, model, dir, source, overwrite, reuseSameId, null, 0);
  }

  /**
   * Saves {@code model} into {@code dir}. An existing model there is replaced only with {@code overwrite}; with
   * {@code reuseSameId}, an existing model with the same id is kept as it is (content-addressed folders).
   *
   * @param rejected (origin, reason) of the training images set aside, saved as {@code rejected/} when
   *     {@code rejectedCount > 0}; null when the caller has no such list (then model.json has no count either)
   */
  public static Saved save(SparkSession spark, IdealImages model, String dir, String source, boolean overwrite,
      boolean reuseSameId, Dataset<Row> rejected, long rejectedCount) {
    return save(spark, model, dir, source, overwrite, reuseSameId, rejected, rejectedCount, null);
  }

  /**
   * {@link #save(SparkSession, IdealImages, String, String, boolean, boolean, Dataset, long)} with the Spark ML
   * metadata line of the saving stage ({@link SparkMlMetadata#json}); null for the one {@code train} writes.
   */
  public static Saved save(SparkSession spark, IdealImages model, String dir, String source, boolean overwrite,
      boolean reuseSameId, Dataset<Row> rejected, long rejectedCount, String sparkMlMetadata) {
    Path target = new Path(dir);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    FileSystem fs = null;
    try {
      fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(target)) {
        if (reuseSameId && fs.exists(new Path(target, METADATA))
            && model.id().equals(readMetadata(fs, target).path("model_id").asText())) {
          return new Saved(fs.makeQualified(target).toString(), pictureNames(fs, target, model), true);
        }
        requireOverwrite(dir, overwrite);
      }
      String ml = sparkMlMetadata != null ? sparkMlMetadata : SparkMlMetadata.forTrainedModel(spark, model);
      List<String> pictures = writeAll(spark, fs, tmp, model, source, rejected, rejectedCount, ml);
      beforeMove.accept(tmp);
      moveIntoPlace(fs, tmp, target, dir, overwrite);
      Path qualified = fs.makeQualified(target);
      List<String> full = new ArrayList<>();
      for (String p : pictures) {
        full.add(new Path(qualified, p).toString());
      }
      return new Saved(qualified.toString(), full, false);
    } catch (IOException e) {
      throw new JobException(dir + ": cannot write the model: " + firstLine(e), e);
    } finally {
      deleteQuietly(fs, tmp);
    }
  }

  private static void requireOverwrite(String dir, boolean overwrite) {
    if (!overwrite) {
      throw new JobException(dir + ": a model already exists there; pass --overwrite to replace it");
    }
  }

  /** Everything of a model into {@code tmp}; returns the picture file names. */
  private static List<String> writeAll(SparkSession spark, FileSystem fs, Path tmp, IdealImages model,
      String source, Dataset<Row> rejected, long rejectedCount, String sparkMlMetadata) throws IOException {
    SparkMlMetadata.write(fs, tmp, sparkMlMetadata);
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < model.labels().size(); k++) {
      rows.add(RowFactory.create(model.labels().get(k), model.counts()[k], model.shape().height(),
          model.shape().width(), toSeq(model.means()[k])));
    }
    SmallTable.write(spark, new Path(tmp, PARQUET), SCHEMA, rows);
    if (rejected != null && rejectedCount > 0) {
      SmallTable.write(spark, new Path(tmp, REJECTED), rejected.select("origin", "reason"), rejectedCount);
      dropChecksums(fs, new Path(tmp, REJECTED));
    }
    List<String> pictures = new ArrayList<>();
    for (int k = 0; k < model.labels().size(); k++) {
      String name = pictureName(model.labels().get(k));
      try (OutputStream out = create(fs, new Path(tmp, name))) {
        Pictures.writePng(model.means()[k], model.shape(), Pictures.upscaleFor(model.shape()), out);
      }
      pictures.add(name);
    }
    writeMetadata(fs, new Path(tmp, METADATA), model, source, pictures, rejected == null ? null : rejectedCount);
    return pictures;
  }

  /**
   * A new file (its folder created if needed), without a Hadoop checksum file: on the local file system through
   * {@code java.nio} (Hadoop's local file system would also start a {@code chmod} process per file, see
   * {@link SmallTable}), elsewhere through the raw file system.
   */
  static OutputStream create(FileSystem fs, Path file) throws IOException {
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      java.nio.file.Path local = Paths.get(fs.makeQualified(file).toUri());
      Files.createDirectories(local.getParent());
      return Files.newOutputStream(local, StandardOpenOption.CREATE_NEW);
    }
    return plain(fs).create(file, false);
  }

  /** The file system without Hadoop's client-side checksums. */
  static FileSystem plain(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  /** Removes the {@code .crc} files Spark's writer leaves in a local folder (listed raw: the checksum FS hides them). */
  private static void dropChecksums(FileSystem fs, Path dir) throws IOException {
    if (fs instanceof ChecksumFileSystem) {
      for (org.apache.hadoop.fs.FileStatus s : plain(fs).listStatus(dir)) {
        if (s.isFile() && s.getPath().getName().endsWith(".crc")) {
          plain(fs).delete(s.getPath(), false);
        }
      }
    }
  }

  /**
   * Renames the complete {@code tmp} to {@code target}. An old model is first renamed aside and deleted once the
   * new one is in place. A model that appeared meanwhile (another train) is never merged into.
   */
  private static void moveIntoPlace(FileSystem fs, Path tmp, Path target, String dir, boolean overwrite)
      throws IOException {
    if (fs.exists(target)) {
      requireOverwrite(dir, overwrite);
      Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
      rename(fs, target, old);
      try {
        rename(fs, tmp, target);
      } catch (IOException e) {
        fs.rename(old, target); // put the old model back
        throw e;
      }
      fs.delete(old, true);
    } else {
      fs.mkdirs(target.getParent());
      rename(fs, tmp, target);
    }
    // Hadoop renames a folder *into* an existing folder: if another writer's model arrived in the meantime,
    // ours now sits inside it. Take it out again and say so.
    Path nested = new Path(target, tmp.getName());
    if (fs.exists(nested)) {
      fs.delete(nested, true);
      throw new JobException(dir + ": another model was written there at the same time; nothing of this one was"
          + " kept");
    }
  }

  private static void deleteQuietly(FileSystem fs, Path p) {
    try {
      if (fs != null && fs.exists(p)) {
        fs.delete(p, true);
      }
    } catch (IOException ignored) {
      // Only a hidden temporary folder stays behind; nothing reads it.
    }
  }

  static String firstLine(Throwable e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }

  private static List<String> pictureNames(FileSystem fs, Path dir, IdealImages model) {
    List<String> out = new ArrayList<>();
    for (String l : model.labels()) {
      out.add(fs.makeQualified(new Path(dir, pictureName(l))).toString());
    }
    return out;
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  /** {@code ideal-<label>.png}, with characters unsafe in file names replaced by '_'. */
  public static String pictureName(String label) {
    return "ideal-" + label.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
  }

  private static scala.collection.immutable.Seq<Object> toSeq(double[] values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(
        java.util.Arrays.stream(values).boxed().map(v -> (Object) v).toList()).toList();
  }

  private static void writeMetadata(FileSystem fs, Path file, IdealImages model, String source,
      List<String> pictures, Long rejectedImages) throws IOException {
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
    root.put("source", source);
    root.put("created_at", Instant.now().toString());
    root.put("app_version", AppInfo.version());
    ArrayNode pics = root.putArray("pictures");
    pictures.forEach(pics::add);
    if (rejectedImages != null) {
      root.put("rejected_images", rejectedImages);
    }
    try (OutputStream out = create(fs, file)) {
      JSON.writeValue(out, root);
    }
  }

  /**
   * Reads model.json bypassing Hadoop's client-side checksum: the file is meant for people and may be edited by
   * hand, and a stale {@code .model.json.crc} must not hide the consistency checks of {@link #load} behind a
   * "Checksum error".
   */
  static JsonNode readMetadata(FileSystem fs, Path dir) throws IOException {
    try (InputStream in = plain(fs).open(new Path(dir, METADATA))) {
      return JSON.readTree(in);
    }
  }

  /** Loads a model and checks that its metadata and its parquet agree (see {@link StoredModel}). */
  public static IdealImages load(SparkSession spark, String dir) {
    return StoredModel.read(spark, dir);
  }
}
