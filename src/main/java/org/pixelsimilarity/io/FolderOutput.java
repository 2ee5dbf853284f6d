package org.pixelsimilarity.io;

import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.pixelsimilarity.JobException;

/**
 * A folder output (a model, a predict or ingest table) that a reader sees whole or not at all. Write everything
 * into {@link #dir()}, then {@link #commit()}; {@link #close()} without a commit removes what was written.
 *
 * <p>{@link Store.Commit#RENAME}: {@link #dir()} is {@code .<name>.tmp-<uuid>/<name>/} beside the target (hidden;
 * Spark reads the inner folder back like any table), holding a {@value #WRITER} note; the commit renames it into
 * place (an old output, with {@code overwrite}, is renamed aside first and deleted after). A killed writer leaves
 * only the hidden folder, which the next writer of the same target deletes once its writer is gone.
 *
 * <p>{@link Store.Commit#MARKER}: {@link #dir()} is the target itself. A {@value #PENDING} note (the writer) is
 * written first, then the files under their final names, then the {@value #COMMITTED} marker last, then the note
 * is deleted. Spark writes into it through {@link #writeParquet} go through {@link MarkerCommitProtocol} (each file
 * written once under its final name; no {@code _temporary/} folder, no rename), and the marker lists the files of
 * those writes ({@value CommittedFiles#FILES}, relative to the folder): the table a reader keyed on the marker reads
 * ({@link CommittedFiles#toRead}), whatever a failed or late task attempt left beside them. An output is complete when
 * {@value #COMMITTED} exists, or when neither file does (outputs of the
 * rename way and of earlier versions); a folder with only {@value #PENDING} is being written or was left by a killed
 * writer ({@link #isIncomplete}). Replacing an output first writes the note, then deletes the old marker, then the
 * old files. The next writer of the same target deletes a killed writer's folder.
 */
public final class FolderOutput implements AutoCloseable {
  /** The marker that makes a folder written the marker way visible. */
  public static final String COMMITTED = "_COMMITTED";
  /** The note of the writer of a folder not yet committed (marker way). */
  public static final String PENDING = "_PENDING";
  /** The note of the writer inside a hidden folder of the rename way. */
  static final String WRITER = "_WRITER";
  /** A hidden folder without a readable note is a leftover after this long. */
  static final long STALE_MS = 24L * 3600 * 1000;

  private final Store store;
  private final Path target;
  private final Path holder;
  private final Path dir;
  private final String name;
  private final String existsMessage;
  private boolean overwrite;
  /** Whether this writer has started writing at the target (marker way): then a failure removes the target. */
  private boolean writing;
  private boolean committed;
  /** Names this output's Spark writes to {@link MarkerCommitProtocol} (marker way). */
  private final String id = java.util.UUID.randomUUID().toString();

  private FolderOutput(Store store, Path target, String name, String existsMessage) {
    this.store = store;
    this.target = target;
    this.name = name;
    this.existsMessage = existsMessage;
    if (store.commit() == Store.Commit.RENAME) {
      this.holder = HiddenNames.temporary(target);
      this.dir = new Path(holder, target.getName());
    } else {
      this.holder = null;
      this.dir = target;
    }
  }

  /**
   * Starts an output at {@code path}: fails with {@code <name>: <existsMessage>} when one is there and
   * {@code overwrite} is false; clears what killed writers left for this target.
   *
   * @param name the path as the user gave it, for messages
   * @param existsMessage e.g. {@code already exists; pass --overwrite to replace it}
   */
  public static FolderOutput start(Store store, Path path, String name, boolean overwrite, String existsMessage) {
    // Through the string: a path made from a folder's URI keeps a trailing '/', and so an empty name.
    FolderOutput out = new FolderOutput(store, new Path(store.qualify(path).toString()), name, existsMessage);
    try {
      out.begin(overwrite);
    } catch (IOException e) {
      out.close();
      throw new JobException(name + ": cannot use as output: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }

  /** {@link #start(Store, Path, String, boolean, String)} of {@code dir} on its store, with the session's settings. */
  public static FolderOutput start(org.apache.spark.sql.SparkSession spark, String dir, boolean overwrite,
      String existsMessage) {
    Path path = new Path(dir);
    Store store;
    try {
      store = Store.of(spark, path);
    } catch (IOException e) {
      throw new JobException(dir + ": cannot use as output: " + e.getMessage(), e);
    }
    return start(store, path, dir, overwrite, existsMessage);
  }

  private void begin(boolean overwrite) throws IOException {
    this.overwrite = overwrite;
    long now = System.currentTimeMillis();
    if (store.commit() == Store.Commit.RENAME) {
      sweepHiddenLeftovers(now);
      requireAbsentUnless(overwrite);
      store.writeWhole(new Path(holder, WRITER), out -> out.write(WriterNote.bytes(WriterNote.ofThisProcess())));
      return;
    }
    if (store.exists(target) && isIncomplete(store, target)) {
      FileStatus note = store.fs().getFileStatus(new Path(target, PENDING));
      if (!WriterNote.isGone(store, note, now)) {
        throw new JobException(name + ": another writer is writing there now ("
            + WriterNote.read(store, note.getPath()) + "); if it was killed, its files are cleared after "
            + WriterNote.ABANDONED_MS / 60_000 + " minutes");
      }
      store.delete(target); // a killed writer's files, never visible
    }
    requireAbsentUnless(overwrite);
    store.writeWhole(new Path(target, PENDING), out -> out.write(WriterNote.bytes(WriterNote.ofThisProcess())));
    writing = true;
    if (store.exists(new Path(target, COMMITTED)) || hasOtherEntries()) {
      store.delete(new Path(target, COMMITTED)); // the old output is invisible from here on
      for (FileStatus s : store.fs().listStatus(target)) {
        if (!s.getPath().getName().equals(PENDING)) {
          store.delete(s.getPath());
        }
      }
    }
  }

  private boolean hasOtherEntries() throws IOException {
    return store.fs().listStatus(target).length > 1;
  }

  private void requireAbsentUnless(boolean overwrite) throws IOException {
    if (!overwrite && store.exists(target)) {
      throw new JobException(name + ": " + existsMessage);
    }
  }

  /** Deletes hidden folders {@code .<name>.tmp-*} beside the target whose writer is gone. */
  private void sweepHiddenLeftovers(long now) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !store.exists(parent)) {
      return;
    }
    String prefix = HiddenNames.temporaryPrefix(target);
    for (FileStatus s : store.fs().listStatus(parent, p -> p.getName().startsWith(prefix))) {
      Path note = new Path(s.getPath(), WRITER);
      boolean gone = store.exists(note) ? WriterNote.isGone(store, store.fs().getFileStatus(note), now)
          : now - s.getModificationTime() > STALE_MS;
      if (gone) {
        store.deleteQuietly(s.getPath());
      }
    }
  }

  /**
   * Whether the folder {@code dir} is a marker-way output not (yet) committed: it has a {@value #PENDING} note and
   * no {@value #COMMITTED} marker. Readers of outputs refuse such a folder.
   */
  public static boolean isIncomplete(Store store, Path dir) throws IOException {
    return store.exists(new Path(dir, PENDING)) && !store.exists(new Path(dir, COMMITTED));
  }

  /**
   * Whether an output is at {@code dir}: it exists and is not {@link #isIncomplete} (a marker-way folder being
   * written or left by a killed writer, which the next writer clears). For checks before any data is read;
   * {@link #start} decides again.
   */
  public static boolean holdsOutput(Store store, Path dir) throws IOException {
    return store.exists(dir) && !isIncomplete(store, dir);
  }

  /** The id this output's Spark writes carry to {@link MarkerCommitProtocol}. */
  String id() {
    return id;
  }

  /** Where to write the output's files. */
  public Path dir() {
    return dir;
  }

  /** The output folder, qualified. */
  public Path target() {
    return target;
  }

  public Store store() {
    return store;
  }

  /** Makes the output visible: one rename, or the marker written last. */
  public void commit() {
    try {
      if (store.commit() == Store.Commit.RENAME) {
        moveIntoPlace();
      } else {
        store.writeWhole(new Path(target, COMMITTED), out -> out.write(WriterNote.bytes(marker())));
        committed = true;
        store.delete(new Path(target, PENDING)); // a note left here (a kill) is harmless beside the marker
      }
      committed = true;
    } catch (IOException e) {
      throw new JobException(name + ": cannot move the output into place: " + e.getMessage(), e);
    }
  }

  /** The marker's content: the writer's note, and the files of the Spark writes into the folder if there were any. */
  private com.fasterxml.jackson.databind.node.ObjectNode marker() {
    com.fasterxml.jackson.databind.node.ObjectNode note = WriterNote.ofThisProcess();
    CommittedFiles.list(note, target, MarkerCommitProtocol.take(id));
    return note;
  }

  /**
   * Writes a Spark parquet write ({@code writer}, its options and mode set) into {@code folder}, {@link #dir()} or a
   * folder inside it. Rename way: Spark's own committer (its renames stay inside the hidden folder). Marker way:
   * {@link MarkerCommitProtocol}, each file written once under its final name and listed in the marker; the
   * protocol is Spark's session setting {@value MarkerCommitProtocol#PROTOCOL_KEY}, set for the time of the write
   * (a write of another thread of the session meanwhile would use it too: the job writes one output at a time).
   */
  public void writeParquet(org.apache.spark.sql.SparkSession spark, org.apache.spark.sql.DataFrameWriter<?> writer,
      Path folder) {
    if (store.commit() == Store.Commit.RENAME) {
      writer.parquet(folder.toString());
      return;
    }
    org.apache.spark.sql.RuntimeConfig conf = spark.conf();
    String before = conf.contains(MarkerCommitProtocol.PROTOCOL_KEY) ? conf.get(MarkerCommitProtocol.PROTOCOL_KEY)
        : null;
    conf.set(MarkerCommitProtocol.PROTOCOL_KEY, MarkerCommitProtocol.class.getName());
    try {
      writer.option(MarkerCommitProtocol.OUTPUT_KEY, id).parquet(folder.toString());
    } finally {
      if (before == null) {
        conf.unset(MarkerCommitProtocol.PROTOCOL_KEY);
      } else {
        conf.set(MarkerCommitProtocol.PROTOCOL_KEY, before);
      }
    }
  }

  /**
   * Renames the complete folder to the target. A folder that appeared there meanwhile is kept unless overwriting
   * is allowed (checked when the output started); Hadoop renames a folder <em>into</em> an existing one, so that
   * case is checked after the rename and undone.
   */
  private void moveIntoPlace() throws IOException {
    requireAbsentUnless(overwrite);
    if (store.exists(target)) {
      Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + java.util.UUID.randomUUID());
      store.rename(target, old);
      try {
        store.rename(dir, target);
      } catch (IOException e) {
        store.fs().rename(old, target); // put the old output back
        throw e;
      }
      store.delete(old);
    } else {
      store.fs().mkdirs(target.getParent());
      store.rename(dir, target);
    }
    Path nested = new Path(target, dir.getName());
    if (store.exists(nested)) {
      store.delete(nested);
      throw new JobException(name + ": another output was written there at the same time; nothing of this one"
          + " was kept");
    }
  }

  /** Removes what was written when the output was not committed (and the hidden holder in any case). */
  @Override
  public void close() {
    MarkerCommitProtocol.forget(id);
    if (holder != null) {
      store.deleteQuietly(holder);
    } else if (writing && !committed) {
      store.deleteQuietly(target);
    }
  }
}
