package org.pixelsimilarity.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pixelsimilarity.JobException;

/**
 * The two ways an output becomes visible, both on the local disk (the marker way forced by
 * {@link Store#COMMIT_KEY}, as on an object store): a writer that fails or is killed between steps leaves nothing a
 * reader takes for an output, the next writer clears what a killed one left, and a live writer is not disturbed.
 * "A reader" of a folder output: the folder exists (rename way) and is not {@link FolderOutput#isIncomplete}.
 */
class FolderOutputTest {
  @TempDir
  Path tmp;

  private Store store(Store.Commit way) throws IOException {
    Configuration conf = new Configuration();
    conf.set(Store.COMMIT_KEY, way.name().toLowerCase(java.util.Locale.ROOT));
    Store s = Store.of(new org.apache.hadoop.fs.Path(tmp.toUri()), conf);
    assertEquals(way, s.commit());
    return s;
  }

  private org.apache.hadoop.fs.Path target() {
    return new org.apache.hadoop.fs.Path(tmp.resolve("out").toUri());
  }

  private static void write(Store store, org.apache.hadoop.fs.Path file, String text) throws IOException {
    try (OutputStream out = store.create(file)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** What a reader finds: null when there is no complete output, else its visible files and their text. */
  private String reader(Store store) throws IOException {
    Path out = tmp.resolve("out");
    if (!Files.isDirectory(out) || FolderOutput.isIncomplete(store, target())) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(f -> !HiddenNames.isHidden(f.getFileName().toString())).sorted().toList()) {
        b.append(f.getFileName()).append('=').append(Files.readString(f)).append(';');
      }
    }
    return b.toString();
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A process that has ended: its pid names no live process. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  /** The note of {@code out}'s writer rewritten to name {@code pid} on this host: as if that process wrote it. */
  private static void noteOf(FolderOutput out, long pid) throws IOException {
    org.apache.hadoop.fs.Path note = out.store().commit() == Store.Commit.RENAME
        ? new org.apache.hadoop.fs.Path(out.dir().getParent(), FolderOutput.WRITER)
        : new org.apache.hadoop.fs.Path(out.target(), FolderOutput.PENDING);
    String json = "{\"host\":\"" + WriterNote.HOST + "\",\"pid\":" + pid + "}";
    out.store().writeWhole(note, o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @EnumSource(Store.Commit.class)
  void nothingIsVisibleBeforeTheCommitAndAllOfItAfter(Store.Commit way) throws IOException {
    Store store = store(way);
    try (FolderOutput out = FolderOutput.start(store, target(), "out", false, "exists")) {
      write(store, new org.apache.hadoop.fs.Path(out.dir(), "a"), "1");
      assertEquals(null, reader(store), "before the commit");
      write(store, new org.apache.hadoop.fs.Path(out.dir(), "b"), "2");
      assertEquals(null, reader(store), "before the commit");
      out.commit();
    }
    assertEquals("a=1;b=2;", reader(store));
    assertEquals(List.of("out"), entries(), "no hidden folder left beside it");
    List<String> inside;
    try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
      inside = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(way == Store.Commit.MARKER ? List.of(FolderOutput.COMMITTED, "a", "b") : List.of("a", "b"), inside);
  }

  @ParameterizedTest
  @EnumSource(Store.Commit.class)
  void aWriterThatFailsLeavesNothing(Store.Commit way) throws IOException {
    Store store = store(way);
    assertThrows(IllegalStateException.class, () -> {
      try (FolderOutput out = FolderOutput.start(store, target(), "out", false, "exists")) {
        write(store, new org.apache.hadoop.fs.Path(out.dir(), "a"), "1");
        throw new IllegalStateException("disk full (simulated)");
      }
    });
    assertEquals(List.of(), entries());
  }

  /** A writer killed mid-write (its note names a process that has ended): invisible, then cleared by the next. */
  @ParameterizedTest
  @EnumSource(Store.Commit.class)
  void theNextWriterClearsWhatAKilledOneLeft(Store.Commit way) throws Exception {
    Store store = store(way);
    FolderOutput killed = FolderOutput.start(store, target(), "out", false, "exists");
    write(store, new org.apache.hadoop.fs.Path(killed.dir(), "half"), "x");
    noteOf(killed, deadPid()); // never committed nor closed: what SIGKILL leaves
    assertEquals(null, reader(store), "a killed writer's files are not an output");

    try (FolderOutput next = FolderOutput.start(store, target(), "out", false, "exists")) {
      write(store, new org.apache.hadoop.fs.Path(next.dir(), "a"), "1");
      next.commit();
    }
    assertEquals("a=1;", reader(store), "the half-written file is gone");
    assertEquals(List.of("out"), entries());
  }

  /** Leftovers of a writer still running (pid 1 on this host) are left alone. */
  @ParameterizedTest
  @EnumSource(Store.Commit.class)
  void aLiveWritersFilesAreNotTouched(Store.Commit way) throws Exception {
    Store store = store(way);
    FolderOutput live = FolderOutput.start(store, target(), "out", false, "exists");
    write(store, new org.apache.hadoop.fs.Path(live.dir(), "a"), "1");
    noteOf(live, 1);
    if (way == Store.Commit.MARKER) {
      JobException e = assertThrows(JobException.class,
          () -> FolderOutput.start(store, target(), "out", true, "exists"));
      assertTrue(e.getMessage().startsWith("out: another writer is writing there now"), e.getMessage());
    } else {
      FolderOutput.start(store, target(), "other", false, "exists").close();
    }
    assertTrue(store.exists(new org.apache.hadoop.fs.Path(live.dir(), "a")), "the live writer's file is there");
    live.commit();
    live.close();
    assertEquals("a=1;", reader(store));
  }

  @ParameterizedTest
  @EnumSource(Store.Commit.class)
  void anOutputIsReplacedOnlyWhenAsked(Store.Commit way) throws IOException {
    Store store = store(way);
    try (FolderOutput out = FolderOutput.start(store, target(), "out", false, "exists")) {
      write(store, new org.apache.hadoop.fs.Path(out.dir(), "old"), "1");
      out.commit();
    }
    JobException e = assertThrows(JobException.class,
        () -> FolderOutput.start(store, target(), "out", false, "already exists; pass --overwrite to replace it"));
    assertEquals("out: already exists; pass --overwrite to replace it", e.getMessage());
    assertEquals("old=1;", reader(store), "untouched");
    try (FolderOutput out = FolderOutput.start(store, target(), "out", true, "exists")) {
      write(store, new org.apache.hadoop.fs.Path(out.dir(), "new"), "2");
      if (way == Store.Commit.RENAME) {
        assertEquals("old=1;", reader(store), "the old output stays until the commit");
      } else {
        assertEquals(null, reader(store), "no store without atomic rename keeps it: it is gone, never mixed");
      }
      out.commit();
    }
    assertEquals("new=2;", reader(store));
    assertEquals(List.of("out"), entries());
  }

  /** A file written whole: a failing body leaves the old file as it was and no temporary file. */
  @ParameterizedTest
  @EnumSource(Store.Commit.class)
  void writeWholeKeepsTheOldFileWhenTheBodyFails(Store.Commit way) throws IOException {
    Store store = store(way);
    org.apache.hadoop.fs.Path page = new org.apache.hadoop.fs.Path(tmp.resolve("page.html").toUri());
    store.writeWhole(page, o -> o.write("old".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IOException.class, () -> store.writeWhole(page, o -> {
      o.write("ne".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full (simulated)");
    }));
    assertEquals("old", Files.readString(tmp.resolve("page.html")));
    store.writeWhole(page, o -> o.write("new".getBytes(StandardCharsets.UTF_8)));
    assertEquals("new", Files.readString(tmp.resolve("page.html")));
    assertEquals(List.of("page.html"), entries());
  }

  @org.junit.jupiter.api.Test
  void theWayFollowsTheStoreUnlessForced() {
    assertEquals(Store.Commit.MARKER, Store.choose(true, null));
    assertEquals(Store.Commit.RENAME, Store.choose(false, "auto"));
    assertEquals(Store.Commit.MARKER, Store.choose(false, " Marker "));
    assertEquals(Store.Commit.RENAME, Store.choose(true, "rename"));
    assertThrows(IllegalArgumentException.class, () -> Store.choose(false, "copy"));
    assertTrue(Store.OBJECT_STORES.containsAll(List.of("s3a", "gs", "abfs", "abfss", "wasb")));
    assertFalse(Store.OBJECT_STORES.contains("hdfs"));
  }

  @org.junit.jupiter.api.Test
  void theLocalDiskRenames() throws IOException {
    Store s = Store.of(new org.apache.hadoop.fs.Path(tmp.toUri()), new Configuration());
    assertEquals(Store.Commit.RENAME, s.commit());
    assertTrue(Store.isLocal(s.fs()));
  }
}
