package org.pixelsimilarity.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.MnistSample;

/**
 * The same command lines over one base folder of any store: the bundled sample as image folders, as IDX files and
 * (after {@code ingest}) as parquet tables; a model, a report with three runs and its pages, and predictions. Run
 * once on the local disk and once on a store, the two results are compared row by row.
 */
final class StoreRuns {
  /** Relative names under a base folder. */
  static final String TRAIN = "sample/train";
  static final String VALID = "sample/valid";
  static final String IDX_VALID = "idx/valid-images-idx3-ubyte";

  private StoreRuns() {}

  /** The command lines, for a base folder {@code b} (a URI or a local path) holding the sample's copies. */
  static List<String[]> commands(String b) {
    return List.of(
        new String[] {"ingest", "--input", b + "/" + TRAIN, "--output", b + "/train.parquet"},
        new String[] {"ingest", "--input", b + "/" + VALID, "--output", b + "/valid.parquet"},
        new String[] {"train", "--train", b + "/train.parquet", "--model", b + "/model"},
        new String[] {"evaluate", "--model", b + "/model", "--valid", b + "/" + VALID, "--report", b + "/report",
            "--run-id", "folders"},
        new String[] {"evaluate", "--model", b + "/model", "--valid", b + "/" + IDX_VALID, "--report",
            b + "/report", "--run-id", "idx"},
        new String[] {"run", "--train", b + "/" + TRAIN, "--valid", b + "/valid.parquet", "--model", b + "/model2",
            "--report", b + "/report", "--run-id", "parquet"},
        new String[] {"predict", "--model", b + "/model", "--input", b + "/" + VALID, "--output", b + "/predicted"},
        new String[] {"report", "--report", b + "/report"});
  }

  /** Runs every command line of {@link #commands}; each must exit 0. */
  static void runAll(String base) {
    for (String[] args : commands(base)) {
      BadInputFixtures.Result r = BadInputFixtures.cli(args);
      assertEquals(0, r.exit(), () -> String.join(" ", args) + "\n" + r);
    }
  }

  /** The sample (train, valid) and an IDX copy of its valid set, under {@code local}. */
  static void writeLocalInputs(Path local) throws IOException {
    copyTree(MnistSample.root().resolve("train"), local.resolve(TRAIN));
    copyTree(MnistSample.root().resolve("valid"), local.resolve(VALID));
    writeIdx(local.resolve(IDX_VALID), local.resolve("idx/valid-labels-idx1-ubyte"));
  }

  /** Copies the inputs under {@code local} to {@code base} on {@code fs}, 8 files at a time. */
  static void upload(FileSystem fs, Path local, String base) throws Exception {
    List<Path> files;
    try (var paths = Files.walk(local)) {
      files = paths.filter(Files::isRegularFile).toList();
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (Path f : files) {
        org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(base + "/" + local.relativize(f));
        done.add(pool.submit(() -> {
          try (var out = fs.create(to, false)) {
            out.write(Files.readAllBytes(f));
          }
          return null;
        }));
      }
      for (var d : done) {
        d.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The sample's valid images as one IDX images file and its labels file, in the folders' sorted order. */
  private static void writeIdx(Path images, Path labels) throws IOException {
    Files.createDirectories(images.getParent());
    List<int[]> pixels = new ArrayList<>();
    List<Integer> labelValues = new ArrayList<>();
    for (String label : MnistSample.LABELS) {
      try (var files = Files.list(MnistSample.root().resolve("valid").resolve(label))) {
        for (Path f : files.sorted().toList()) {
          java.awt.image.Raster r = javax.imageio.ImageIO.read(f.toFile()).getRaster();
          pixels.add(r.getPixels(0, 0, 28, 28, new int[28 * 28]));
          labelValues.add(Integer.parseInt(label));
        }
      }
    }
    try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(images))) {
      o.writeInt(0x803);
      o.writeInt(pixels.size());
      o.writeInt(28);
      o.writeInt(28);
      for (int[] px : pixels) {
        for (int v : px) {
          o.writeByte(v);
        }
      }
    }
    try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(labels))) {
      o.writeInt(0x801);
      o.writeInt(labelValues.size());
      for (int v : labelValues) {
        o.writeByte(v);
      }
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /**
   * A report table's rows as text, sorted, with {@code base} taken out of every value (so a local run and a
   * store's run compare equal), without the columns that differ between any two runs (times, versions, master).
   */
  static List<String> table(SparkSession spark, String base, String path, String... dropColumns) {
    List<String> out = new ArrayList<>();
    for (Row row : spark.read().option("mergeSchema", "true").parquet(path).drop(dropColumns).collectAsList()) {
      TreeMap<String, String> fields = new TreeMap<>();
      for (int i = 0; i < row.size(); i++) {
        Object v = row.get(i);
        String text = v instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes)
            : v instanceof scala.collection.Seq<?> seq ? scala.jdk.javaapi.CollectionConverters.asJava(seq).toString()
            : String.valueOf(v);
        fields.put(row.schema().fieldNames()[i], text.replace(base, "<base>"));
      }
      out.add(fields.toString());
    }
    out.sort(null);
    return out;
  }

  /** The configuration the job's code uses (the shared test session's). */
  static Configuration hadoop(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }
}
