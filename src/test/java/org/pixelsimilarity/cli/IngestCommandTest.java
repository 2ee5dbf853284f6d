package org.pixelsimilarity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pixelsimilarity.BadInputFixtures.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.BadInputFixtures.Result;
import org.pixelsimilarity.SparkTestSession;

/** What ingest says and writes, beyond the rows themselves (those are in ParquetPixelReaderTest). */
class IngestCommandTest {
  @TempDir
  Path dir;

  /** Hidden entries and empty label folders are named in ingest's summary, as in train's and evaluate's. */
  @Test
  void summaryNamesWhatTheFolderReadSkipped() throws Exception {
    SparkTestSession.get();
    Path in = BadInputFixtures.dataset(dir.resolve("in"), 3, "3", "7");
    Files.write(in.resolve("3/.DS_Store"), new byte[] {0, 0, 0, 1});
    Files.createDirectories(in.resolve(".ipynb_checkpoints"));
    Files.createDirectories(in.resolve("5"));
    Result r = cli("ingest", "--input", in.toString(), "--output", dir.resolve("table").toString());
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains(": 6 images of 8x8, 0 rejected\n"), r.out());
    assertTrue(r.out().contains("\n       empty label folders: 5\n"), r.out());
    String skipped = r.out().lines().filter(l -> l.contains("skipped")).findFirst().orElse("");
    assertTrue(skipped.startsWith("       skipped 2 hidden file(s)/folder(s): "), r.out());
    assertTrue(skipped.contains(".DS_Store") && skipped.contains(".ipynb_checkpoints"), skipped);
  }

  /**
   * The table and its _rejected list hold no Hadoop .crc side files; Spark reads the table back whole, and a
   * second ingest with --overwrite replaces it the same way.
   */
  @Test
  void outputHasNoChecksumFiles() throws Exception {
    org.apache.spark.sql.SparkSession spark = SparkTestSession.get();
    Path in = BadInputFixtures.dataset(dir.resolve("in"), 5, "3", "7");
    Files.write(in.resolve("7/broken.png"), new byte[] {1, 2, 3});
    Path table = dir.resolve("table");
    for (String[] extra : new String[][] {{}, {"--overwrite"}}) {
      String[] args = {"ingest", "--input", in.toString(), "--output", table.toString(), "--max-rejected-fraction",
          "0.2"};
      Result r = cli(concat(args, extra));
      assertEquals(0, r.exit(), r::toString);
      java.util.List<String> files;
      try (java.util.stream.Stream<Path> walk = Files.walk(table)) {
        files = walk.filter(Files::isRegularFile).map(p -> table.relativize(p).toString()).sorted().toList();
      }
      assertTrue(files.stream().noneMatch(f -> f.endsWith(".crc")), files::toString);
      assertTrue(files.contains("_SUCCESS") && files.contains("_rejected/_SUCCESS"), files::toString);
      assertTrue(files.stream().anyMatch(f -> f.startsWith("part-") && f.endsWith(".parquet")), files::toString);
      assertEquals(10, spark.read().parquet(table.toString()).count());
      assertEquals(java.util.List.of("file:" + in.resolve("7/broken.png")), spark.read()
          .parquet(table.resolve("_rejected").toString()).select("origin").as(org.apache.spark.sql.Encoders.STRING())
          .collectAsList());
    }
  }

  /**
   * The way of stores without atomic rename, forced on this disk: the table is written in place, nothing renamed,
   * and marked complete last; a folder a killed ingest left there (its note, a part file, no marker) is cleared by
   * the next ingest without --overwrite.
   */
  @Test
  void withoutRenamesTheTableIsWrittenInPlaceAndMarkedLast() throws Exception {
    org.apache.spark.sql.SparkSession spark = SparkTestSession.get();
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path in = BadInputFixtures.dataset(dir.resolve("in"), 5, "3", "7");
    Files.write(in.resolve("7/broken.png"), new byte[] {1, 2, 3});
    Path table = Files.createDirectories(dir.resolve("out/table"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(table.resolve(org.pixelsimilarity.io.FolderOutput.PENDING), "{\"host\":\""
        + org.pixelsimilarity.io.WriterNote.HOST + "\",\"pid\":" + gone.pid() + "}");
    Files.writeString(table.resolve("part-00000-killed.parquet"), "half a file");
    conf.set(org.pixelsimilarity.io.Store.COMMIT_KEY, "marker");
    try {
      Result r = cli("ingest", "--input", in.toString(), "--output", table.toString(), "--max-rejected-fraction",
          "0.2");
      assertEquals(0, r.exit(), r::toString);
    } finally {
      conf.unset(org.pixelsimilarity.io.Store.COMMIT_KEY);
    }
    java.util.List<String> files;
    try (java.util.stream.Stream<Path> walk = Files.walk(table)) {
      files = walk.filter(Files::isRegularFile).map(p -> table.relativize(p).toString()).sorted().toList();
    }
    assertTrue(files.contains(org.pixelsimilarity.io.FolderOutput.COMMITTED), files::toString);
    assertTrue(files.stream().noneMatch(f -> f.equals(org.pixelsimilarity.io.FolderOutput.PENDING)
        || f.contains("killed")), files::toString);
    try (java.util.stream.Stream<Path> beside = Files.list(dir.resolve("out"))) {
      assertEquals(java.util.List.of("table"), beside.map(p -> p.getFileName().toString()).toList(),
          "nothing hidden beside it: no rename");
    }
    assertEquals(10, spark.read().parquet(table.toString()).count());
    assertEquals(1, spark.read().parquet(table.resolve("_rejected").toString()).count());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
