package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadAhead} driven by readers that sleep, block, fail and count who is reading at once: results in the
 * items' order, never more than the depth in flight and the depth reached, a read's failure handed out at its
 * item's turn, nothing read or left running after {@code close}.
 */
class ReadAheadTest {
  private static List<Integer> items(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  /** Reads that take random times still come out in the items' order, each with its own result. */
  @Test
  void resultsComeInTheItemsOrder() throws IOException {
    Random random = new Random(7);
    int[] sleeps = IntStream.range(0, 300).map(i -> random.nextInt(4)).toArray();
    List<Integer> out = new ArrayList<>();
    try (ReadAhead<Integer, Integer> ahead = new ReadAhead<>(items(300).iterator(), i -> {
      sleep(sleeps[i]);
      return i * 3 + 1;
    }, 16)) {
      while (ahead.hasNext()) {
        ReadAhead.Read<Integer, Integer> r = ahead.next();
        assertEquals(r.item() * 3 + 1, r.result());
        out.add(r.item());
      }
    }
    assertEquals(items(300), out);
  }

  /**
   * With depth 5, the first five reads wait until all five are in flight (so the depth is reached), and no read
   * ever runs beside more than four others (so it is never passed).
   */
  @Test
  void theDepthIsReachedAndNeverPassed() throws IOException {
    int depth = 5;
    CountDownLatch allIn = new CountDownLatch(depth);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger onDaemons = new AtomicInteger();
    List<Integer> out = new ArrayList<>();
    try (ReadAhead<Integer, Boolean> ahead = new ReadAhead<>(items(60).iterator(), i -> {
      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
      if (Thread.currentThread().isDaemon()) {
        onDaemons.incrementAndGet();
      }
      try {
        if (i < depth) {
          allIn.countDown();
          return allIn.await(20, TimeUnit.SECONDS); // false: fewer than `depth` reads were ever in flight at once
        }
        sleep(2);
        return true;
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        inside.decrementAndGet();
      }
    }, depth)) {
      while (ahead.hasNext()) {
        ReadAhead.Read<Integer, Boolean> r = ahead.next();
        assertTrue(r.result(), "read " + r.item() + " waited for " + depth + " reads in flight, in vain");
        out.add(r.item());
      }
    }
    assertEquals(items(60), out);
    assertEquals(depth, most.get());
    assertEquals(60, onDaemons.get(), "every read on the pool's daemon threads");
  }

  /** Depth 1 is the plain loop: each item read on the consumer's thread when it is reached, none before. */
  @Test
  void depthOneReadsEachItemWhenReached() throws IOException {
    Thread consumer = Thread.currentThread();
    List<Integer> read = new ArrayList<>();
    ReadAhead<Integer, Integer> ahead = new ReadAhead<>(items(4).iterator(), i -> {
      assertSame(consumer, Thread.currentThread());
      read.add(i);
      return -i;
    }, 1);
    for (int i = 0; i < 4; i++) {
      assertEquals(i, read.size(), "nothing read ahead");
      assertEquals(-i, ahead.next().result());
    }
    assertFalse(ahead.hasNext());
  }

  /**
   * Item 5's read fails at once, the reads before it take longer: items 0–4 still come whole, and item 5 hands out
   * the very exception its read threw; an unchecked failure is thrown by {@code next()} at its item's turn.
   */
  @Test
  void aFailureSurfacesAtItsItemsTurn() throws IOException {
    IOException broken = new IOException("connection reset");
    try (ReadAhead<Integer, Integer> ahead = new ReadAhead<>(items(20).iterator(), i -> {
      if (i == 5) {
        throw broken;
      }
      sleep(20);
      return i;
    }, 8)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(i, ahead.next().result());
      }
      ReadAhead.Read<Integer, Integer> fifth = ahead.next();
      assertEquals(5, fifth.item());
      assertSame(broken, assertThrows(IOException.class, fifth::result));
      assertEquals(6, ahead.next().result(), "the reader's failure is its item's alone");
    }
    IllegalStateException bug = new IllegalStateException("a bug in the reader");
    try (ReadAhead<Integer, Integer> ahead = new ReadAhead<>(items(10).iterator(), i -> {
      if (i == 3) {
        throw bug;
      }
      return i;
    }, 4)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(i, ahead.next().result());
      }
      assertSame(bug, assertThrows(IllegalStateException.class, ahead::next));
    }
  }

  /**
   * Reads that would block for a minute: after one item is taken, {@code close} interrupts every read in flight,
   * no read starts afterwards, and nothing more is handed out.
   */
  @Test
  void closeCancelsTheReadsInFlightAndStartsNoMore() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    CountDownLatch fourStarted = new CountDownLatch(4);
    ReadAhead<Integer, Integer> ahead = new ReadAhead<>(items(100).iterator(), i -> {
      started.incrementAndGet();
      fourStarted.countDown();
      if (i == 0) {
        return 0;
      }
      try {
        Thread.sleep(60_000);
        return i;
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw new java.io.InterruptedIOException();
      }
    }, 4);
    assertEquals(0, ahead.next().result());
    assertTrue(fourStarted.await(20, TimeUnit.SECONDS), "items 0-3 read at once");
    ahead.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (interrupted.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(3, interrupted.get(), "items 1-3, in flight, interrupted");
    assertEquals(4, started.get());
    assertFalse(ahead.hasNext());
    Thread.sleep(100);
    assertEquals(4, started.get(), "no read started after close");
  }

  private static void sleep(int ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
