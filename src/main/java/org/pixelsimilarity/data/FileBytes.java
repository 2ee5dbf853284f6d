package org.pixelsimilarity.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads whole image files for one task. Opening a file through Hadoop cost more than decoding it: per 28×28 PNG,
 * one thread, {@code path.getFileSystem(conf).open} and the read 236–368 µs (the file system cache's lookup of
 * the current user, the checksum file system's look for a {@code .crc} file, its buffered checking stream),
 * against 21–48 µs for {@code java.nio}'s {@code Files.readAllBytes} (docs/performance.md, "What makes it fast";
 * the measurement in docs/performance-log.md). So local files ({@code file:}) are
 * read with {@code java.nio}; any other file system (HDFS, S3, …) through Hadoop, looked up once per task.
 *
 * <p>Local files thus skip Hadoop's {@code .crc} check; the listing already treats {@code .crc} files as hidden
 * entries, not data, and image folders are not written by Hadoop.
 */
final class FileBytes {
  private final Configuration conf;
  private FileSystem fs;

  FileBytes(Configuration conf) {
    this.conf = conf;
  }

  byte[] read(Path path) throws IOException {
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
    if (fs == null || !fs.getUri().getScheme().equals(uri.getScheme())) {
      fs = path.getFileSystem(conf);
    }
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }
}
