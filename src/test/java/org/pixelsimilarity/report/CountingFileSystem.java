package org.pixelsimilarity.report;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The local disk behind a {@link FilterFileSystem}, so that code takes the way it takes for HDFS or an object store
 * (it is not a local file system to {@code instanceof}), counting in every instance the listings
 * ({@code listStatus}, {@code listFiles}: a request each on an object store, however many keys it returns), the
 * lookups ({@code exists}, {@code getFileStatus}) and the files opened for reading. For tests of how many round
 * trips code makes. Set as {@code fs.file.impl} with {@code fs.file.impl.disable.cache}.
 */
public class CountingFileSystem extends FilterFileSystem {
  public static final AtomicInteger LISTINGS = new AtomicInteger();
  public static final AtomicInteger LOOKUPS = new AtomicInteger();
  public static final AtomicInteger OPENS = new AtomicInteger();

  public CountingFileSystem() {
    super(new RawLocalFileSystem());
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    LISTINGS.incrementAndGet();
    return super.listStatus(f);
  }

  @Override
  public RemoteIterator<LocatedFileStatus> listFiles(Path f, boolean recursive) throws IOException {
    LISTINGS.incrementAndGet();
    return super.listFiles(f, recursive);
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    OPENS.incrementAndGet();
    return super.open(f, bufferSize);
  }

  /** Parquet's way of opening a file ({@code openFile(path).build()}). */
  @Override
  public org.apache.hadoop.fs.FutureDataInputStreamBuilder openFile(Path path) throws IOException {
    OPENS.incrementAndGet();
    return super.openFile(path);
  }

  @Override
  public boolean exists(Path f) throws IOException {
    LOOKUPS.incrementAndGet();
    return fs.exists(f);
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    LOOKUPS.incrementAndGet();
    return super.getFileStatus(f);
  }
}
