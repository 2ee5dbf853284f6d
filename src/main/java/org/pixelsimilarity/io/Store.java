package org.pixelsimilarity.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Abortable;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * A file system outputs are written to, with what it promises: whether a rename (of a file, of a folder) is atomic,
 * decided once per store ({@link Commit}), and how to write a file without Hadoop's {@code .crc} side files.
 *
 * <p>{@link Commit#RENAME} (a local disk, HDFS, any file system not known to be an object store): a file or folder
 * rename is one atomic metadata operation, so outputs are written under hidden names and renamed into place.
 * {@link Commit#MARKER} (object stores: {@code s3a}, {@code gs}, {@code abfs}, {@code wasb}, ... where a rename is
 * a copy and a folder rename is many copies): files are written once under their final names, a file appears whole
 * when its writer closes it, and a small marker written last makes an output visible. The setting
 * {@value #COMMIT_KEY} ({@code auto}, {@code rename}, {@code marker}; with spark-submit
 * {@code --conf spark.hadoop.pixelsimilarity.io.commit=marker}) overrides the choice, e.g. to test the object store
 * way on a local disk (there {@link #writeWhole} still writes each file hidden and renames it, so that it appears
 * whole, as an object does when its upload completes).
 */
public final class Store {
  /** Hadoop setting that forces a {@link Commit} for every store: {@code auto} (default), {@code rename}, {@code marker}. */
  public static final String COMMIT_KEY = "pixelsimilarity.io.commit";
  /** URI schemes of object stores (rename is a copy); other schemes are asked for their capabilities. */
  static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss",
      "cos", "cosn", "obs", "ks3");

  /** How an output becomes visible on a store. */
  public enum Commit {
    /** Written under a hidden name, renamed into place (one atomic rename). */
    RENAME,
    /** Written under the final names, made visible by a marker written last (no rename of data). */
    MARKER
  }

  private final FileSystem fs;
  private final Commit commit;
  private final boolean objectStore;

  private Store(FileSystem fs, Commit commit, boolean objectStore) {
    this.fs = fs;
    this.commit = commit;
    this.objectStore = objectStore;
  }

  /** The store of {@code path}, with the session's Hadoop settings. */
  public static Store of(SparkSession spark, Path path) throws IOException {
    return of(path, spark.sparkContext().hadoopConfiguration());
  }

  /** The store of {@code path}; {@value #COMMIT_KEY} is read from {@code conf}. */
  public static Store of(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    boolean object = isObjectStore(fs, fs.makeQualified(path));
    return new Store(fs, choose(object, conf.get(COMMIT_KEY)), object);
  }

  /**
   * The store of an open file system; {@code path} is one of its paths (asked for capabilities). The file system's
   * own settings are those it was first opened with (Hadoop caches it): prefer {@link #of(Path, Configuration)}.
   */
  public static Store of(FileSystem fs, Path path) throws IOException {
    boolean object = isObjectStore(fs, fs.makeQualified(path));
    return new Store(fs, choose(object, fs.getConf() == null ? null : fs.getConf().get(COMMIT_KEY)), object);
  }

  /** The way of a store that is an object store or not, unless {@code forced} ({@value #COMMIT_KEY}) says. */
  static Commit choose(boolean objectStore, String forced) {
    String way = forced == null ? "auto" : forced.trim().toLowerCase(Locale.ROOT);
    return switch (way) {
      case "auto", "" -> objectStore ? Commit.MARKER : Commit.RENAME;
      case "rename" -> Commit.RENAME;
      case "marker" -> Commit.MARKER;
      default -> throw new IllegalArgumentException(COMMIT_KEY + "=" + forced + ": expected auto, rename or marker");
    };
  }

  /** By scheme, else by what the file system says of itself (listings that may lag, blocks it makes up). */
  static boolean isObjectStore(FileSystem fs, Path path) throws IOException {
    String scheme = fs.getUri().getScheme();
    if (scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (isLocal(fs)) {
      return false;
    }
    return fs.hasPathCapability(path, CommonPathCapabilities.DIRECTORY_LISTING_INCONSISTENT)
        || fs.hasPathCapability(path, CommonPathCapabilities.VIRTUAL_BLOCK_LOCATIONS);
  }

  public FileSystem fs() {
    return fs;
  }

  public Commit commit() {
    return commit;
  }

  public Path qualify(Path p) {
    return fs.makeQualified(p);
  }

  /**
   * Whether {@code fs} is Hadoop's local file system (checksummed or raw, or a subclass): its files can be written
   * and listed with {@code java.nio}, which skips Hadoop's per-file {@code chmod} processes and {@code stat}s.
   */
  public static boolean isLocal(FileSystem fs) {
    return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
  }

  /** Whether {@code fs} is exactly one of Hadoop's two local file systems (a subclass may list differently). */
  public static boolean isPlainLocal(FileSystem fs) {
    return fs.getClass() == LocalFileSystem.class || fs.getClass() == RawLocalFileSystem.class;
  }

  /** The local file of {@code p} on a local store, as Hadoop resolves it (absolute). */
  public static java.io.File localFile(FileSystem fs, Path p) {
    return fs instanceof LocalFileSystem l ? l.pathToFile(p) : ((RawLocalFileSystem) fs).pathToFile(p);
  }

  private java.nio.file.Path local(Path p) {
    return Paths.get(fs.makeQualified(p).toUri());
  }

  /** The file system without Hadoop's client-side checksums (read and written without {@code .crc} files). */
  public FileSystem plain() {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  /**
   * A new file (its folders made), without a {@code .crc} side file; fails if it exists. On a file system it is
   * visible while written; use {@link #writeWhole} for a file a reader may look at before it is complete.
   */
  public OutputStream create(Path file) throws IOException {
    if (isLocal(fs)) {
      java.nio.file.Path local = local(file);
      Files.createDirectories(local.getParent());
      return closingOnce(Files.newOutputStream(local, StandardOpenOption.CREATE_NEW));
    }
    return closingOnce(plain().create(file, false));
  }

  /**
   * {@code out}, closed at most once. A writer (parquet's, Jackson's) closes the stream it was given, and the
   * try-with-resources around it closes it again; HDFS's stream, after a failed close (a DataNode gone), throws the
   * same exception again, which Java then refuses to add to itself as suppressed: an IllegalArgumentException
   * instead of the store's error.
   */
  public static OutputStream closingOnce(OutputStream out) {
    return new java.io.FilterOutputStream(out) { // its close() closes once
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }
    };
  }

  /** What a file's content is written by. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code file} so that a reader sees the old file (or none) until the new one is complete, never a part
   * of it; replaces an existing file. On an object store the file is written in place (an object appears when
   * its upload completes; a failed body aborts the upload); elsewhere it is written as a hidden sibling and renamed
   * over the old one (atomic on a local disk and on HDFS). Nothing is left when {@code body} fails.
   */
  public void writeWhole(Path file, Body body) throws IOException {
    if (objectStore) {
      OutputStream out = plain().create(file, true);
      boolean done = false;
      try {
        body.writeTo(out);
        done = true;
      } finally {
        if (done) {
          out.close();
        } else if (out instanceof Abortable a) {
          a.abort();
        } else {
          out.close();
          fs.delete(file, false);
        }
      }
      return;
    }
    Path tmp = HiddenNames.temporary(file);
    try {
      try (OutputStream out = create(tmp)) {
        body.writeTo(out);
      }
      replace(tmp, file);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** Renames {@code from} over {@code to} (a file), atomically where the store can. */
  private void replace(Path from, Path to) throws IOException {
    if (isLocal(fs)) {
      Files.move(local(from), local(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(from, to, Options.Rename.OVERWRITE);
  }

  /** Renames, or says why not. */
  public void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  public boolean exists(Path p) throws IOException {
    return fs.exists(p);
  }

  /** Opens a file for reading, without a checksum check (files may be edited by hand: model.json). */
  public InputStream open(Path file) throws IOException {
    return plain().open(file);
  }

  /** Deletes a file or folder (recursively) if it is there. */
  public void delete(Path p) throws IOException {
    fs.delete(p, true);
  }

  /** {@link #delete}, ignoring failures: for hidden leftovers nothing reads. */
  public void deleteQuietly(Path p) {
    try {
      fs.delete(p, true);
    } catch (IOException ignored) {
      // a hidden leftover; the next writer sweeps it
    }
  }

  /**
   * {@code writer} (a Spark writer) set to write local files ({@code file:}) without Hadoop's checksum layer, so
   * without a {@code .<name>.crc} beside every part file and {@code _SUCCESS}, as {@link #create} writes files.
   * Readers do not need them (a file without one is read unchecked, and parquet checks its own pages), and a
   * table handed on or edited by other tools would then carry stale ones. Spark copies a writer's options into the
   * Hadoop configuration of the write, on the driver and in every task: {@code file:} paths then open
   * {@link RawLocalFileSystem}, uncached (the cache is keyed by scheme, not by settings, and holds the checksummed
   * one). Other file systems are untouched.
   */
  public static <T> org.apache.spark.sql.DataFrameWriter<T> withoutChecksumFiles(
      org.apache.spark.sql.DataFrameWriter<T> writer) {
    return writer.option("fs.file.impl", RawLocalFileSystem.class.getName())
        .option("fs.file.impl.disable.cache", "true");
  }

  /** Removes the {@code .crc} files Spark's writer leaves in a local folder (listed raw: the checksum FS hides them). */
  public void dropChecksums(Path dir) throws IOException {
    if (fs instanceof ChecksumFileSystem) {
      for (org.apache.hadoop.fs.FileStatus s : plain().listStatus(dir)) {
        if (s.isFile() && s.getPath().getName().endsWith(".crc")) {
          plain().delete(s.getPath(), false);
        }
      }
    }
  }

  /**
   * Whether this process may create files in folder {@code dir}. A local folder is asked with the operating
   * system's own check (Hadoop's compares owner and mode bits, which is wrong for root); others with
   * {@link FileSystem#access}.
   */
  public boolean canWriteInto(Path dir) throws IOException {
    if (isLocal(fs)) {
      return Files.isWritable(local(dir));
    }
    try {
      fs.access(dir, org.apache.hadoop.fs.permission.FsAction.WRITE);
      return true;
    } catch (org.apache.hadoop.security.AccessControlException e) {
      return false;
    }
  }
}
