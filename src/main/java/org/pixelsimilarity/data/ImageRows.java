package org.pixelsimilarity.data;

import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;

/**
 * One task's rows of {@link PixelTable#DECODED}: its listed files read ({@link FileBytes}) and decoded
 * ({@link ImageDecoder}), in the listing's order. Local files are read one at a time as each row is reached; on any
 * other store (S3, HDFS, …), where a read is a round trip, the next files are read ahead ({@link ReadAhead},
 * {@link #CONCURRENCY} at a time) while a row is decoded. A file that cannot be read fails the task when its row is
 * reached (Spark retries it), never a bad image; the reads ahead are cancelled when the task ends.
 */
final class ImageRows {
  /** Files read at a time by a task on a store other than the local disk: {@code --conf …=16}; 1 reads one by one. */
  static final String CONCURRENCY = "spark.pixelsimilarity.read.concurrency";
  /** {@link #CONCURRENCY}'s default: 16 GETs of 20–50 ms in flight keep a core decoding 28×28 PNGs. */
  static final int DEFAULT_CONCURRENCY = 16;

  private ImageRows() {}

  /** The session's {@link #CONCURRENCY}; fails naming the setting. */
  static int concurrency(SparkSession spark) {
    String v = spark.conf().get(CONCURRENCY, Integer.toString(DEFAULT_CONCURRENCY)).trim();
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new JobException(CONCURRENCY + ": must be a whole number of files, 1 or more, got '" + v + "'");
  }

  /**
   * The rows of {@code parts}' files; {@code ahead} files read at a time (1: each on the task's thread as its row
   * is reached, {@link ReadAhead}'s depth 1).
   */
  static Iterator<Row> of(Iterator<FileList.Part> parts, Configuration conf, int ahead) {
    FileBytes bytes = new FileBytes(conf);
    ReadAhead<FileList.Entry, byte[]> reads = new ReadAhead<>(entries(parts), f -> f.reason() != null ? null
        : bytes.read(new Path(f.path()), f.length(), f.etag()), ahead);
    TaskContext task = TaskContext.get();
    if (task != null && ahead > 1) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> reads.close());
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return reads.hasNext();
      }

      @Override
      public Row next() {
        ReadAhead.Read<FileList.Entry, byte[]> r = reads.next();
        FileList.Entry f = r.item();
        if (f.reason() != null) {
          return rejected(f);
        }
        try {
          return row(f, r.result());
        } catch (IOException e) {
          reads.close();
          throw storageError(f.path(), e);
        }
      }
    };
  }

  private static Iterator<FileList.Entry> entries(Iterator<FileList.Part> parts) {
    return new Iterator<>() {
      private Iterator<FileList.Entry> files = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!files.hasNext() && parts.hasNext()) {
          files = parts.next().entries();
        }
        return files.hasNext();
      }

      @Override
      public FileList.Entry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return files.next();
      }
    };
  }

  /** The store's failure, not the image's: the task fails (Spark retries it), then the run, naming the file. */
  private static JobException storageError(String path, IOException e) {
    return new JobException(path + ": cannot read: " + StorageFailure.describe(path, e)
        + " (a storage error, not a bad image)", e);
  }

  private static Row rejected(FileList.Entry f) {
    return RowFactory.create(f.label(), null, f.path(), null, null, f.reason());
  }

  private static Row row(FileList.Entry f, byte[] bytes) {
    try {
      ImageDecoder.Decoded d = ImageDecoder.decode(bytes);
      return RowFactory.create(f.label(), d.pixels(), f.path(), d.height(), d.width(), null);
    } catch (ImageDecoder.BadImage e) {
      return RowFactory.create(f.label(), null, f.path(), null, null, e.getMessage());
    }
  }
}
