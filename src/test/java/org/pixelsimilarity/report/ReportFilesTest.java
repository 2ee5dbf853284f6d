package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which files a report table holds ({@link ReportFiles}), by both ways of listing: the local file system's folder
 * by folder, and any other file system's one recursive listing (here Hadoop's local file system behind a
 * {@link FilterFileSystem}, which is not a local file system to {@code instanceof}).
 */
class ReportFilesTest {
  @TempDir
  Path dir;

  private Path table() throws IOException {
    Path t = dir.resolve("confusion");
    for (String f : new String[] {"b.parquet", "notes.txt", ".hidden.parquet", "_meta.parquet",
        "run_date=2026-01-02/r2.parquet", "run_date=2026-01-01/r1.parquet", "run_date=2026-01-01/.r1.parquet.crc",
        "run_date=2026-01-01/_SUCCESS", "run_date=2026-01-01/x/deep.parquet", "_temporary/0/a.parquet",
        "_staging/a.parquet", ".trash/a.parquet", "run_date=2026-01-01/x.parquet/part.parquet"}) {
      Files.createDirectories(t.resolve(f).getParent());
      Files.createFile(t.resolve(f));
    }
    Files.createDirectories(t.resolve("run_date=2026-01-03"));
    return t;
  }

  /** The files a table holds: one folder deep at most, nothing hidden, *.parquet files only; in path order. */
  private List<String> expected(Path t) {
    return List.of("file:" + t + "/b.parquet", "file:" + t + "/run_date=2026-01-01/r1.parquet",
        "file:" + t + "/run_date=2026-01-02/r2.parquet");
  }

  private static List<String> strings(List<org.apache.hadoop.fs.Path> paths) {
    return paths.stream().map(org.apache.hadoop.fs.Path::toString).toList();
  }

  private static FileSystem local() throws IOException {
    LocalFileSystem fs = new LocalFileSystem();
    fs.initialize(java.net.URI.create("file:///"), new Configuration());
    return fs;
  }

  /** Hadoop's raw local file system seen through a filter: listed the way a remote file system is. */
  private static FileSystem remoteLike() throws IOException {
    RawLocalFileSystem raw = new RawLocalFileSystem();
    raw.initialize(java.net.URI.create("file:///"), new Configuration());
    FileSystem fs = new FilterFileSystem(raw);
    assertFalse(fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem);
    return fs;
  }

  @Test
  void bothWaysOfListingTakeTheSameFiles() throws IOException {
    Path t = table();
    for (FileSystem fs : new FileSystem[] {local(), remoteLike()}) {
      assertEquals(expected(t), strings(ReportFiles.files(fs, new org.apache.hadoop.fs.Path(t.toString()))),
          fs.getClass().getSimpleName());
    }
  }

  @Test
  void aTableWithoutAFolderHasNoFiles() throws IOException {
    for (FileSystem fs : new FileSystem[] {local(), remoteLike()}) {
      assertTrue(ReportFiles.files(fs, new org.apache.hadoop.fs.Path(dir.resolve("runs").toString())).isEmpty());
    }
  }

  @Test
  void aRunsFilesAreItsOwnElseAllOfTheTable() throws IOException {
    Path t = table();
    ReportFiles files = ReportFiles.list(local(), new org.apache.hadoop.fs.Path(dir.toString()),
        ReportTables.CONFUSION, ReportTables.RUNS);
    assertEquals(List.of("file:" + t + "/run_date=2026-01-01/r1.parquet"),
        strings(files.filesOf(ReportTables.CONFUSION, "r1")));
    assertEquals(expected(t), strings(files.filesOf(ReportTables.CONFUSION, "r9")), "none is named r9.parquet");
    assertTrue(files.filesOf(ReportTables.RUNS, "r1").isEmpty());
  }
}
