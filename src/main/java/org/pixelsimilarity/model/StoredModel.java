package org.pixelsimilarity.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.Labels;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.io.FolderOutput;
import org.pixelsimilarity.io.Store;

/**
 * Reading a model folder written by {@link ModelStore#save}, trusting nothing: the folder and both parts must
 * exist (the table in {@code data/}, or in {@code ideal_images/} for a model of format version 1), model.json
 * must parse and name the format and a shape, the parquet must have the model's columns and no
 * nulls, and the two must agree (labels, shape, number of means, and the content hash as model id). Each problem is
 * one {@link JobException} naming the folder or file.
 */
final class StoredModel {
  private static final String METADATA = ModelStore.METADATA;
  private static final String FORMAT = ModelStore.FORMAT;

  private StoredModel() {}

  static IdealImages read(SparkSession spark, String dir) {
    Path path = new Path(dir);
    JsonNode meta;
    String table;
    try {
      Store store = Store.of(spark, path);
      FileSystem fs = store.fs();
      if (!fs.exists(path)) {
        throw new JobException(dir + ": model folder does not exist (make one with train)");
      }
      if (FolderOutput.isIncomplete(store, path)) {
        throw new JobException(dir + ": not a complete model: it is being written, or its writer was killed (no "
            + FolderOutput.COMMITTED + "); train writes it again");
      }
      table = fs.exists(new Path(path, ModelStore.PARQUET)) ? ModelStore.PARQUET
          : fs.exists(new Path(path, ModelStore.LEGACY_PARQUET)) ? ModelStore.LEGACY_PARQUET : null;
      if (!fs.exists(new Path(path, METADATA)) || table == null) {
        throw new JobException(dir + ": not a model folder (needs " + METADATA + " and " + ModelStore.PARQUET
            + "/)");
      }
      meta = ModelStore.readMetadata(store, path);
    } catch (IOException e) {
      throw new JobException(dir + "/" + METADATA + ": cannot read the model: " + ModelStore.firstLine(e), e);
    }
    if (!FORMAT.equals(meta.path("format").asText())) {
      throw new JobException(dir + "/" + METADATA + ": not a " + FORMAT + " metadata file");
    }
    if (meta.path("height").asInt(0) < 1 || meta.path("width").asInt(0) < 1) {
      throw new JobException(dir + "/" + METADATA + ": no valid height and width");
    }
    int channels = meta.path("channels").asInt(1);
    if (channels != 1 && channels != 3) {
      throw new JobException(dir + "/" + METADATA + ": channels " + meta.path("channels") + ", expected 1 or 3");
    }
    Shape shape = new Shape(meta.path("height").asInt(), meta.path("width").asInt(), channels);
    return fromRows(dir, table, meta, shape, readTable(spark, dir, table, new Path(path, table)));
  }

  /** The ideal_images rows, sorted by label, after checking the table has the model's columns and no nulls. */
  private static List<Row> readTable(SparkSession spark, String dir, String name, Path table) {
    List<Row> rows;
    try {
      Dataset<Row> df = spark.read().parquet(table.toString());
      for (org.apache.spark.sql.types.StructField f : ModelStore.SCHEMA.fields()) {
        if (!java.util.Arrays.asList(df.schema().fieldNames()).contains(f.name())
            || !df.schema().apply(f.name()).dataType().sameType(f.dataType())) {
          throw new JobException(dir + "/" + name + ": expected column " + f.name() + " "
              + f.dataType().simpleString() + ", found columns " + df.schema().simpleString());
        }
      }
      rows = new ArrayList<>(df.select("label", "count", "height", "width", "mean").collectAsList());
    } catch (JobException e) {
      throw e;
    } catch (Exception e) {
      throw new JobException(dir + "/" + name + ": cannot read: " + ModelStore.firstLine(e), e);
    }
    for (Row r : rows) {
      if (r.anyNull() || r.getList(4).contains(null)) {
        throw new JobException(dir + "/" + name + ": the row of label " + r.get(0) + " has null values");
      }
    }
    rows.sort((a, b) -> Labels.ORDER.compare(a.getString(0), b.getString(0)));
    return rows;
  }

  private static IdealImages fromRows(String dir, String name, JsonNode meta, Shape shape, List<Row> rows) {
    List<String> labels = new ArrayList<>();
    long[] counts = new long[rows.size()];
    double[][] means = new double[rows.size()][];
    for (int k = 0; k < rows.size(); k++) {
      Row r = rows.get(k);
      labels.add(r.getString(0));
      counts[k] = r.getLong(1);
      if (r.getInt(2) != shape.height() || r.getInt(3) != shape.width()) {
        throw new JobException(dir + ": metadata does not match " + name + ": label " + r.getString(0) + " is "
            + r.getInt(2) + "x" + r.getInt(3) + ", metadata says " + shape);
      }
      List<Double> m = r.getList(4);
      if (m.size() != shape.pixels()) {
        throw new JobException(dir + ": metadata does not match " + name + ": label " + r.getString(0) + " has "
            + m.size() + " means, " + shape + " needs " + shape.pixels());
      }
      means[k] = m.stream().mapToDouble(Double::doubleValue).toArray();
    }
    List<String> metaLabels = new ArrayList<>();
    meta.path("labels").forEach(n -> metaLabels.add(n.asText()));
    if (!metaLabels.equals(labels)) {
      throw new JobException(dir + ": metadata does not match " + name + ": labels " + metaLabels + " vs "
          + labels);
    }
    IdealImages model;
    try {
      model = new IdealImages(shape, labels, counts, means);
    } catch (IllegalArgumentException e) {
      throw new JobException(dir + ": " + e.getMessage(), e);
    }
    String id = meta.path("model_id").asText();
    if (!model.id().equals(id)) {
      throw new JobException(dir + ": metadata does not match " + name + ": model_id " + id
          + " in " + METADATA + ", the parquet content hashes to " + model.id());
    }
    return model;
  }
}
