package org.pixelsimilarity.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Blocking I/O on many small files from the driver (parquet footers, a report's files), a few files at a time on a
 * small pool of its own: on HDFS or an object store each file costs round trips, which overlap here; the common
 * fork-join pool is left to computation.
 */
public final class IoTasks {
  /** The most files in flight at once. */
  static final int THREADS = 8;

  private IoTasks() {}

  /** One file's work. */
  @FunctionalInterface
  public interface IoFunction<T, R> {
    R apply(T item) throws IOException;
  }

  /**
   * {@code f} of each item, in the items' order; sequential for one item. The first failure (in item order) is
   * thrown once every started task has finished or been cancelled.
   */
  public static <T, R> List<R> inOrder(String threadName, List<T> items, IoFunction<T, R> f) throws IOException {
    List<R> out = new ArrayList<>(items.size());
    int threads = Math.min(THREADS, items.size());
    if (threads <= 1) {
      for (T item : items) {
        out.add(f.apply(item));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> futures = new ArrayList<>(items.size());
      for (T item : items) {
        futures.add(pool.submit(() -> f.apply(item)));
      }
      for (Future<R> future : futures) {
        out.add(future.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading files");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
