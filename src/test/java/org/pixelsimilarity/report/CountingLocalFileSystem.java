package org.pixelsimilarity.report;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Hadoop's raw local file system, counting the folders listed ({@code listStatus}), the files and folders looked
 * up ({@code exists}, {@code getFileStatus}) and the files opened for reading in every instance: for tests of how many requests code makes,
 * which on HDFS or an object store are round trips. Set as {@code fs.file.impl} with
 * {@code fs.file.impl.disable.cache}.
 */
public class CountingLocalFileSystem extends RawLocalFileSystem {
  public static final AtomicInteger LISTINGS = new AtomicInteger();
  public static final AtomicInteger LOOKUPS = new AtomicInteger();
  public static final AtomicInteger OPENS = new AtomicInteger();
  /** Inside a counted call: a listing looks up each entry itself, which is part of the listing. */
  private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    return counted(LISTINGS, () -> super.listStatus(f));
  }

  @Override
  public org.apache.hadoop.fs.FSDataInputStream open(Path f, int bufferSize) throws IOException {
    return counted(OPENS, () -> super.open(f, bufferSize));
  }

  @Override
  public boolean exists(Path f) throws IOException {
    return counted(LOOKUPS, () -> super.exists(f));
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return counted(LOOKUPS, () -> super.getFileStatus(f));
  }

  private interface Call<T> {
    T run() throws IOException;
  }

  /** Counts {@code call} in {@code counter} unless it is made inside another counted call. */
  private static <T> T counted(AtomicInteger counter, Call<T> call) throws IOException {
    if (INSIDE.get()) {
      return call.run();
    }
    counter.incrementAndGet();
    INSIDE.set(true);
    try {
      return call.run();
    } finally {
      INSIDE.set(false);
    }
  }
}
