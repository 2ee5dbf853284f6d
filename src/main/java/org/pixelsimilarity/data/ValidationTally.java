package org.pixelsimilarity.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.util.AccumulatorV2;

/**
 * Validation's counts made by the job that uses the images ({@link TalliedRead}): images per label, shape and
 * decoding success, the groups of validation's own aggregation ({@link Validator}), counted row by row by a filter
 * ({@link Verdict}) that keeps the images of the expected shape.
 *
 * <p>An accumulator, and safe under retries only where that job's tasks are those of its result stage (a scan
 * without a shuffle, as a table write is): Spark merges a result task's updates once per partition, from its
 * first successful attempt (DAGScheduler: "Only update the accumulator once for each result task"); a failed or
 * killed attempt's updates of an accumulator like this one (not counting failed values) are dropped, and so are a
 * speculative copy's. A shuffle stage's updates would be merged again when it is re-run.
 */
final class ValidationTally extends AccumulatorV2<ValidationTally.Key, List<ValidationGroup<Void>>> {
  private static final long serialVersionUID = 1L;

  /**
   * One group: label, and for an image decoded without error its height, width and channels (an image that was
   * not decoded has none, as in {@link ValidationGroup}).
   */
  record Key(String label, Integer height, Integer width, boolean ok, Integer channels)
      implements java.io.Serializable {
    static Key of(String label, Integer height, Integer width, boolean ok, Integer channels) {
      return ok ? new Key(label, height, width, true, channels) : new Key(label, null, null, false, null);
    }

    boolean matches(String label, Integer height, Integer width, boolean ok, Integer channels) {
      return ok == this.ok && Objects.equals(label, this.label) && (!ok || (Objects.equals(height, this.height)
          && Objects.equals(width, this.width) && Objects.equals(channels, this.channels)));
    }

    Shape shape() {
      return ok ? new Shape(height, width, channels) : null;
    }
  }

  private final HashMap<Key, long[]> counts = new HashMap<>();

  /** The counter of {@code key}'s group, made at zero when new. */
  long[] counter(Key key) {
    return counts.computeIfAbsent(key, k -> new long[1]);
  }

  @Override
  public boolean isZero() {
    return counts.isEmpty();
  }

  @Override
  public ValidationTally copy() {
    ValidationTally c = new ValidationTally();
    c.mergeCounts(counts);
    return c;
  }

  @Override
  public void reset() {
    counts.clear();
  }

  @Override
  public void add(Key key) {
    counter(key)[0]++;
  }

  @Override
  public void merge(AccumulatorV2<Key, List<ValidationGroup<Void>>> other) {
    mergeCounts(((ValidationTally) other).counts);
  }

  private void mergeCounts(Map<Key, long[]> other) {
    other.forEach((k, n) -> counter(k)[0] += n[0]);
  }

  /** The groups counted, as validation's aggregation gives them. */
  @Override
  public List<ValidationGroup<Void>> value() {
    List<ValidationGroup<Void>> groups = new ArrayList<>(counts.size());
    counts.forEach((k, n) -> groups.add(new ValidationGroup<>(k.label(), k.shape(), k.ok(), n[0], null)));
    return groups;
  }

  /**
   * The filter: counts a decoded row (label, height, width, {@link ScanPass#OK}, {@link PixelTable#channels()})
   * in its task's copy of the tally and keeps it when {@link ValidationGroup#accepted} by {@code expected}. Rows
   * of one group tend to come together, so the last group's counter is kept at hand.
   */
  static final class Verdict implements UDF5<String, Integer, Integer, Boolean, Integer, Boolean> {
    private static final long serialVersionUID = 1L;
    private final ValidationTally tally;
    private final Shape expected;
    private transient Key last;
    private transient long[] lastCount;
    private transient boolean lastAccepted;

    Verdict(ValidationTally tally, Shape expected) {
      this.tally = tally;
      this.expected = expected;
    }

    @Override
    public Boolean call(String label, Integer height, Integer width, Boolean ok, Integer channels) {
      if (last == null || !last.matches(label, height, width, ok, channels)) {
        last = Key.of(label, height, width, ok, channels);
        lastCount = tally.counter(last);
        lastAccepted = new ValidationGroup<Void>(label, last.shape(), ok, 0, null).accepted(expected);
      }
      lastCount[0]++;
      return lastAccepted;
    }
  }
}
