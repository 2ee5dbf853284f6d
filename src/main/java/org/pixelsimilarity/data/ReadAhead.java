package org.pixelsimilarity.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads items ahead of their consumer, on an object store where each read is a round trip: while the consumer
 * works on item i, the reads of the next {@code depth - 1} items are in flight, and results are handed out in the
 * items' order. At most {@code depth} results are held (the one handed out included), so memory is bounded by
 * {@code depth} reads. A depth of 1 reads each item on the consumer's thread when it is reached.
 *
 * <p>A read's {@link IOException} is handed out with its item, at its turn ({@link Read#result()} throws it); an
 * unchecked one is thrown by {@link #next()} at its turn. {@link #close()} cancels the reads in flight (their
 * threads are interrupted) and starts no more; it is idempotent and may be called from another thread.
 *
 * <p>The reads run on one pool per JVM (an executor's), made when first needed, of daemon threads that end after
 * 30 s idle; a thread per read in flight, so each consumer's depth bounds its own reads (no consumer waits behind
 * another's queue), and the threads at most number the depth times the consumers at once.
 */
final class ReadAhead<E, R> implements AutoCloseable {
  /** Reads one item. */
  @FunctionalInterface
  interface Reader<E, R> {
    R read(E item) throws IOException;
  }

  /** An item and what its read gave: a result, or the read's failure. */
  record Read<E, R>(E item, R value, IOException failure) {
    /** The read's result; its failure, thrown. */
    R result() throws IOException {
      if (failure != null) {
        throw failure;
      }
      return value;
    }
  }

  private final Iterator<? extends E> items;
  private final Reader<E, R> reader;
  private final int depth;
  private final ArrayDeque<Pending<E, R>> pending = new ArrayDeque<>();
  private volatile boolean closed;

  private record Pending<E, R>(E item, Future<R> read) {}

  /** Reads {@code items} with {@code reader}, {@code depth} (1 or more) at a time. */
  ReadAhead(Iterator<? extends E> items, Reader<E, R> reader, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be 1 or more, got " + depth);
    }
    this.items = items;
    this.reader = reader;
    this.depth = depth;
  }

  boolean hasNext() {
    return !closed && (!pending.isEmpty() || items.hasNext());
  }

  /** The next item, in order, with its read's result or failure. */
  Read<E, R> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    if (depth == 1) {
      E item = items.next();
      try {
        return new Read<>(item, reader.read(item), null);
      } catch (IOException e) {
        return new Read<>(item, null, e);
      }
    }
    synchronized (pending) {
      while (pending.size() < depth && items.hasNext() && !closed) {
        E item = items.next();
        pending.add(new Pending<>(item, Pool.THREADS.submit(() -> reader.read(item))));
      }
    }
    Pending<E, R> head;
    synchronized (pending) {
      head = pending.poll();
    }
    if (head == null) {
      throw new NoSuchElementException("closed");
    }
    return await(head);
  }

  private Read<E, R> await(Pending<E, R> head) {
    try {
      return new Read<>(head.item(), head.read().get(), null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        return new Read<>(head.item(), null, io);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // as an interrupted read on the consumer's own thread: a failed read
      close();
      return new Read<>(head.item(), null, new InterruptedIOException("interrupted while reading"));
    } catch (CancellationException e) {
      return new Read<>(head.item(), null, new InterruptedIOException("read cancelled: closed"));
    }
  }

  /** Cancels the reads in flight (interrupting them) and starts no more. */
  @Override
  public void close() {
    closed = true;
    synchronized (pending) {
      for (Pending<E, R> p : pending) {
        p.read().cancel(true);
      }
      pending.clear();
    }
  }

  /** The JVM's read threads, made on first use. */
  private static final class Pool {
    static final ExecutorService THREADS = threads();

    private static ExecutorService threads() {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
          new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "pixelsimilarity-read-ahead");
            t.setDaemon(true);
            return t;
          });
      return pool;
    }
  }
}
