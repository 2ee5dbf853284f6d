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
}
