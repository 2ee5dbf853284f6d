package org.pixelsimilarity.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FutureDataInputStreamBuilder;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * Reads whole image files for one task. Opening a file through Hadoop cost more than decoding it: per 28×28 PNG,
 * one thread, {@code path.getFileSystem(conf).open} and the read 236–368 µs (the file system cache's lookup of
 * the current user, the checksum file system's look for a {@code .crc} file, its buffered checking stream),
 * against 21–48 µs for {@code java.nio}'s {@code Files.readAllBytes} (docs/performance.md, "What makes it fast";
 * the measurement in docs/performance-log.md). So local files ({@code file:}) are
 * read with {@code java.nio}; any other file system (HDFS, S3, …) through Hadoop, looked up once per task. Safe for
 * reads on several threads at once.
 *
 * <p>Local files thus skip Hadoop's {@code .crc} check; the listing already treats {@code .crc} files as hidden
 * entries, not data, and image folders are not written by Hadoop.
 *
 * <p>Other files are opened with Hadoop's {@code openFile} builder, given the whole-file read policy and what
 * the listing saw: the length, and on S3 the object's status with its ETag. s3a then sends one GET per image,
 * without a HEAD first (its default reader since Hadoop 3.5, the analytics accelerator, asks for the object's
 * metadata unless the status it is given carries an ETag). s3a takes an ETag only in its own {@code S3AFileStatus},
 * which is built here by reflection: the job's jar holds no connector, the cluster brings it.
 */
final class FileBytes {
  private final Configuration conf;
  /** The last file system looked up; reads may run on several threads ({@link ReadAhead}). */
  private volatile FileSystem last;

  FileBytes(Configuration conf) {
    this.conf = conf;
  }

  /** The bytes of the file at {@code path}, {@code length} bytes long as listed. */
  byte[] read(Path path, long length) throws IOException {
    return read(path, length, null);
  }

  /** As {@link #read(Path, long)}, for an object whose listing gave this ETag (null: none). */
  byte[] read(Path path, long length, String etag) throws IOException {
    java.net.URI uri = path.toUri();
    if ("file".equals(uri.getScheme())) {
      try {
        return Files.readAllBytes(java.nio.file.Path.of(uri.getPath()));
      } catch (NoSuchFileException e) {
        throw new IOException("no such file (removed after the listing?)", e);
      } catch (AccessDeniedException e) {
        throw new IOException("permission denied", e);
      }
    }
    FileSystem fs = last;
    if (fs == null || !java.util.Objects.equals(fs.getUri().getScheme(), uri.getScheme())
        || !java.util.Objects.equals(fs.getUri().getAuthority(), uri.getAuthority())) {
      fs = path.getFileSystem(conf);
      last = fs;
    }
    FutureDataInputStreamBuilder open = fs.openFile(path)
        .opt(Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY,
            Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_WHOLE_FILE)
        .optLong(Options.OpenFileOptions.FS_OPTION_OPENFILE_LENGTH, length);
    FileStatus status = etag == null ? null : S3_STATUS.of(fs, path, length, etag);
    if (status != null) {
      open.withFileStatus(status);
    }
    try (FSDataInputStream in = FutureIO.awaitFuture(open.build())) {
      return in.readAllBytes();
    } catch (java.io.FileNotFoundException e) {
      throw new IOException("no such file (removed after the listing?)", e);
    }
  }

  private static final S3Status S3_STATUS = new S3Status();

  /** s3a's {@code S3AFileStatus(length, modTime, path, blockSize, owner, eTag, versionId)}, looked up once. */
  private static final class S3Status {
    private static final String FILE_SYSTEM = "org.apache.hadoop.fs.s3a.S3AFileSystem";
    private volatile java.lang.reflect.Constructor<?> constructor;
    private volatile boolean missing;

    /** The status for {@code fs} when it is s3a (and its status class is as expected), else null. */
    FileStatus of(FileSystem fs, Path path, long length, String etag) {
      if (missing || !fs.getClass().getName().equals(FILE_SYSTEM)) {
        return null;
      }
      try {
        java.lang.reflect.Constructor<?> c = constructor;
        if (c == null) {
          c = Class.forName("org.apache.hadoop.fs.s3a.S3AFileStatus", true, fs.getClass().getClassLoader())
              .getConstructor(long.class, long.class, Path.class, long.class, String.class, String.class,
                  String.class);
          constructor = c;
        }
        return (FileStatus) c.newInstance(length, 0L, path, fs.getDefaultBlockSize(path), null, etag, null);
      } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
        missing = true; // another s3a than Hadoop 3.3-3.5's: open with the length alone
        return null;
      }
    }
  }
}
