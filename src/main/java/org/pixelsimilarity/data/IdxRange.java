package org.pixelsimilarity.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.pixelsimilarity.JobException;

/**
 * Streams images [start, end) of one IDX file pair on an executor, both files read sequentially from their
 * offsets (an images file without a labels file gives null labels). A problem of a whole file (the stream ends
 * early, is corrupt, or goes on past the count its header declares) becomes one {@link PixelTable#FILE_ERROR} row,
 * after which nothing more is read: the task does not fail, and validation turns that row into the job's one-line
 * error. A read the store fails (an I/O error, not the file's content) fails the task instead, so Spark retries it.
 */
final class IdxRange implements Iterator<Row> {
  private final IdxReader.Header h;
  private final long end;
  private final Set<String> keep;
  private DataInputStream images;
  private DataInputStream labels;
  private long next;
  private Row pending;
  private boolean endChecked;

  IdxRange(IdxReader.Header h, long start, long end, Configuration conf, Set<String> keep) {
    this.h = h;
    this.end = end;
    this.keep = keep;
    this.next = start;
    try {
      images = new DataInputStream(positioned(h.images(), 16L + start * h.pixels(), conf));
      if (h.labels() != null) {
        labels = new DataInputStream(positioned(h.labels(), 8L + start, conf));
      }
    } catch (IOException e) {
      throw storageError(images == null ? h.images() : h.labels(), e);
    }
  }

  private static InputStream positioned(String file, long offset, Configuration conf) throws IOException {
    if (IdxReader.isGzip(file)) {
      InputStream in = IdxReader.open(file, conf);
      in.skipNBytes(offset);
      return in;
    }
    Path p = new Path(file);
    FSDataInputStream in = p.getFileSystem(conf).open(p);
    in.seek(offset);
    return new BufferedInputStream(in, 1 << 16);
  }

  /**
   * A read that failed for the store's reason (not the file's content): the task fails, Spark retries it, then
   * the run stops naming the file.
   */
  private JobException storageError(String file, IOException e) {
    close();
    return new JobException(file + ": cannot read: " + StorageFailure.describe(file, e)
        + " (a storage error, not a bad file)", e);
  }

  /** The row that reports a problem of the whole file; nothing is read after it. */
  private Row fileError(String file, String reason) {
    next = end;
    endChecked = true;
    close();
    return RowFactory.create(null, null, file, null, null, PixelTable.FILE_ERROR + reason.replace('\n', ' '));
  }

  @Override
  public boolean hasNext() {
    while (pending == null && next < end) {
      pending = readOne();
    }
    if (pending == null && !endChecked) {
      endChecked = true;
      pending = checkEnd();
    }
    if (pending == null) {
      close();
    }
    return pending != null;
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row r = pending;
    pending = null;
    return r;
  }

  private Row readOne() {
    long index = next++;
    byte[] px = new byte[h.pixels()];
    int label;
    try {
      images.readFully(px);
    } catch (EOFException e) {
      return fileError(h.images(), "truncated: header says " + h.count() + " images, data ends in image " + index);
    } catch (java.util.zip.ZipException e) {
      return fileError(h.images(), "cannot read image " + index + ": " + e.getMessage());
    } catch (IOException e) {
      throw storageError(h.images(), e);
    }
    if (labels == null) {
      return RowFactory.create(null, px, h.origin() + "#" + index, h.rows(), h.cols(), null);
    }
    try {
      label = labels.readUnsignedByte();
    } catch (EOFException e) {
      return fileError(h.labels(), "truncated: header says " + h.count() + " labels, data ends at label " + index);
    } catch (java.util.zip.ZipException e) {
      return fileError(h.labels(), "cannot read label " + index + ": " + e.getMessage());
    } catch (IOException e) {
      throw storageError(h.labels(), e);
    }
    String l = Integer.toString(label);
    if (!keep.isEmpty() && !keep.contains(l)) {
      return null;
    }
    return RowFactory.create(l, px, h.origin() + "#" + index, h.rows(), h.cols(), null);
  }

  /**
   * After the last image of a gzip stream: the stream must end there, and its trailer (CRC, length) must check
   * out. Plain files had their length checked on the driver.
   */
  private Row checkEnd() {
    if (end != h.count()) {
      return null;
    }
    String[] files = {h.images(), h.labels()};
    DataInputStream[] streams = {images, labels};
    for (int i = 0; i < 2; i++) {
      if (streams[i] == null || !IdxReader.isGzip(files[i])) {
        continue;
      }
      try {
        if (streams[i].read() != -1) {
          return fileError(files[i], "more data after the " + h.count() + (i == 0 ? " images" : " labels")
              + " its header declares");
        }
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        return fileError(files[i], "corrupt gzip stream after the last " + (i == 0 ? "image" : "label") + ": "
            + e.getMessage());
      } catch (IOException e) {
        throw storageError(files[i], e);
      }
    }
    return null;
  }

  private void close() {
    try {
      if (images != null) {
        images.close();
      }
      if (labels != null) {
        labels.close();
      }
    } catch (IOException ignored) {
      // Closing a stream we only read from; nothing is lost.
    }
  }
}
