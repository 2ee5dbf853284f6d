package org.pixelsimilarity.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/** {@link Store#closingOnce}: a stream that fails on close, as HDFS's does with its DataNode gone. */
class StoreTest {
  /** Like HDFS's DFSOutputStream after a failure: every close throws the one exception it keeps. */
  private static final class FailingOnClose extends OutputStream {
    final IOException failure = new IOException("could only be written to 0 of the 1 minReplication nodes");
    int closes;

    @Override
    public void write(int b) {
      // buffered, as a block is
    }

    @Override
    public void close() throws IOException {
      closes++;
      throw failure;
    }
  }

  @Test
  void aWriterThatClosesTheStreamItselfGetsTheStoresErrorOnce() {
    FailingOnClose hdfs = new FailingOnClose();
    IOException thrown = assertThrows(IOException.class, () -> {
      try (OutputStream out = Store.closingOnce(hdfs)) {
        out.write(new byte[] {1, 2, 3}, 0, 3);
        out.close(); // what parquet's and Jackson's writers do
      }
    });
    assertSame(hdfs.failure, thrown);
    assertEquals(0, thrown.getSuppressed().length);
    assertEquals(1, hdfs.closes);
  }

  @Test
  void withoutItJavaRefusesTheSameExceptionAsItsOwnSuppressed() {
    FailingOnClose hdfs = new FailingOnClose();
    // The failure the storage tier met (HdfsKillTest): not the store's error but an IllegalArgumentException.
    assertThrows(IllegalArgumentException.class, () -> {
      try (OutputStream out = hdfs) {
        out.close();
      }
    });
  }
}
