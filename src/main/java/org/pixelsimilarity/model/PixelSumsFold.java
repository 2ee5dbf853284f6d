package org.pixelsimilarity.model;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;
import org.pixelsimilarity.data.GroupedFold;
import org.pixelsimilarity.data.RowFold;

/**
 * The fit's fold ({@link GroupedFold}): per group, how many images it has and, per pixel, the exact sum of their
 * bytes ({@link Sums}). Null pixels (images set aside) are skipped. The fit in the validation scan
 * ({@link FitPass}), {@link IdealImages#fit(org.apache.spark.sql.Dataset, org.pixelsimilarity.data.Shape)} and the
 * Spark ML estimator's fit all use it.
 */
public final class PixelSumsFold implements RowFold<PixelSumsFold.Sums> {
  private static final long serialVersionUID = 1L;
  /** Only on the driver, which selects the inputs: a Column is not serializable. */
  private final transient Column pixels;

  /** A fold of the binary column {@code pixels} (null for rows to skip). */
  public PixelSumsFold(Column pixels) {
    this.pixels = pixels;
  }

  @Override
  public List<Column> inputs() {
    return List.of(pixels);
  }

  @Override
  public Sums zero() {
    return new Sums();
  }

  /**
   * Adds the row's pixels at {@code at}. From an {@link UnsafeRow} on the heap (what Spark's projections give) the
   * bytes are added where they lie in the row's buffer, its documented layout (a variable-length field's slot
   * holds its offset and size): no copy, nothing allocated per row.
   */
  @Override
  public void add(Sums sums, InternalRow row, int at) {
    if (row.isNullAt(at)) {
      return;
    }
    if (row instanceof UnsafeRow u && u.getBaseObject() instanceof byte[] buffer) {
      long offsetAndSize = u.getLong(at);
      long start = u.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET + (offsetAndSize >> 32);
      sums.add(buffer, (int) start, (int) offsetAndSize);
    } else {
      byte[] image = row.getBinary(at);
      sums.add(image, 0, image.length);
    }
  }

  /** The pending 32-bit partial sums folded into the long sums, which alone are serialized. */
  @Override
  public void finish(Sums sums) {
    sums.fold();
  }

  @Override
  public Sums merge(Sums into, Sums other) {
    return into.merge(other);
  }

  /**
   * One group's count and pixel sums. Exact: bytes go into 32-bit partial sums, folded into longs before they could
   * overflow, so the result is the same under any partitioning or merge order.
   */
  public static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    private long count;
    private long[] sums = new long[0];
    private transient int[] partial;
    private transient int pending;

    public long getCount() {
      return count;
    }

    /** The sums, with any pending partial sums folded in first. */
    public long[] getSums() {
      fold();
      return sums;
    }

    void add(byte[] image) {
      add(image, 0, image.length);
    }

    /** Adds the image of {@code length} bytes at {@code offset} of {@code bytes}. */
    void add(byte[] bytes, int offset, int length) {
      if (partial == null) {
        if (sums.length == 0) {
          sums = new long[length];
        }
        partial = new int[sums.length];
      }
      if (length != partial.length) {
        throw new IllegalArgumentException("an image of " + length + " pixels in a group of " + partial.length);
      }
      PixelAdd.add(bytes, offset, partial);
      count++;
      if (++pending == PixelAdd.MAX_PENDING) {
        fold();
      }
    }

    void fold() {
      if (pending > 0) {
        for (int i = 0; i < partial.length; i++) {
          sums[i] += partial[i];
          partial[i] = 0;
        }
        pending = 0;
      }
    }

    Sums merge(Sums other) {
      long[] theirs = other.getSums();
      fold();
      if (theirs.length > 0) {
        if (sums.length == 0) {
          sums = new long[theirs.length];
          partial = null;
        } else if (sums.length != theirs.length) {
          throw new IllegalArgumentException("merging sums of " + theirs.length + " and " + sums.length + " pixels");
        }
        for (int i = 0; i < sums.length; i++) {
          sums[i] += theirs[i];
        }
      }
      count += other.count;
      return this;
    }

    /** The partial sums are not written: they are folded in first (Java serialization; see also finish). */
    private void writeObject(ObjectOutputStream out) throws IOException {
      fold();
      out.defaultWriteObject();
    }
  }
}
