package org.pixelsimilarity.pages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.pixelsimilarity.report.CountingFileSystem;

/**
 * {@link CountingFileSystem} that also records the path of every file opened for reading, and of every file looked
 * up ({@code exists}, {@code getFileStatus}), in every instance, for tests of which files code reads. Set as {@code fs.file.impl} with {@code fs.file.impl.disable.cache}.
 */
public class OpenRecordingFileSystem extends CountingFileSystem {
  private static final List<String> OPENED = new ArrayList<>();
  private static final List<String> LOOKED_UP = new ArrayList<>();

  /** The paths looked up since the last call, and forgets them. */
  static synchronized List<String> takeLookedUp() {
    List<String> out = new ArrayList<>(LOOKED_UP);
    LOOKED_UP.clear();
    return out;
  }

  private static synchronized void lookedUp(Path f) {
    LOOKED_UP.add(f.toUri().getPath());
  }

  @Override
  public boolean exists(Path f) throws IOException {
    lookedUp(f);
    return super.exists(f);
  }

  @Override
  public org.apache.hadoop.fs.FileStatus getFileStatus(Path f) throws IOException {
    lookedUp(f);
    return super.getFileStatus(f);
  }

  /** The paths opened since the last call, and forgets them. */
  static synchronized List<String> takeOpened() {
    List<String> out = new ArrayList<>(OPENED);
    OPENED.clear();
    return out;
  }

  private static synchronized void record(Path f) {
    OPENED.add(f.toUri().getPath());
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    record(f);
    return super.open(f, bufferSize);
  }

  @Override
  public org.apache.hadoop.fs.FutureDataInputStreamBuilder openFile(Path path) throws IOException {
    record(path);
    return super.openFile(path);
  }
}
