package org.pixelsimilarity.pages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.pixelsimilarity.report.CountingFileSystem;

/**
 * {@link CountingFileSystem} that also records the path of every file opened for reading, in every instance, for
 * tests of which files code reads. Set as {@code fs.file.impl} with {@code fs.file.impl.disable.cache}.
 */
public class OpenRecordingFileSystem extends CountingFileSystem {
  private static final List<String> OPENED = new ArrayList<>();

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
