package org.pixelsimilarity.model;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;

/**
 * The fit's aggregation as a Spark UDAF, {@code pixel_sums(pixels)} → struct&lt;count bigint, sums
 * array&lt;bigint&gt;&gt;: how many images a group has and, per pixel, the sum of their bytes. Null pixels (images
 * set aside) are skipped. Sums are exact: bytes go into 32-bit partial sums, folded into longs before they could
 * overflow, so the result is the same under any partitioning or merge order.
 */
public final class PixelSumsAggregator extends Aggregator<byte[], PixelSumsAggregator.Sums, PixelSumsAggregator.Sums> {
  private static final long serialVersionUID = 1L;

  /** The UDAF, to use as {@code df.groupBy(label).agg(PixelSumsAggregator.udaf().apply(col("pixels")))}. */
  public static UserDefinedFunction udaf() {
    return functions.udaf(new PixelSumsAggregator(), Encoders.BINARY()).withName("pixel_sums");
  }

  /**
   * One value of the UDAF's struct column, (count, sums), as {@link Sums}: the one place that reads the struct.
   */
  public static Sums decode(Row struct) {
    Sums s = new Sums();
    s.setCount(struct.getLong(struct.fieldIndex("count")));
    List<Long> values = struct.getList(struct.fieldIndex("sums"));
    s.setSums(values.stream().mapToLong(Long::longValue).toArray());
    return s;
  }

  @Override
  public Sums zero() {
    return new Sums();
  }

  @Override
  public Sums reduce(Sums sums, byte[] image) {
    if (image != null) {
      sums.add(image);
    }
    return sums;
  }

  @Override
  public Sums merge(Sums a, Sums b) {
    return a.merge(b);
  }

  @Override
  public Sums finish(Sums sums) {
    sums.fold();
    return sums;
  }

  @Override
  public Encoder<Sums> bufferEncoder() {
    return Encoders.bean(Sums.class);
  }

  @Override
  public Encoder<Sums> outputEncoder() {
    return Encoders.bean(Sums.class);
  }

  /** One group's count and pixel sums (a Java bean, so Spark can encode it as a struct). */
  public static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    private long count;
    private long[] sums = new long[0];
    private transient int[] partial;
    private transient int pending;

    public long getCount() {
      return count;
    }

    public void setCount(long count) {
      this.count = count;
    }

    /** The sums, with any pending partial sums folded in first. */
    public long[] getSums() {
      fold();
      return sums;
    }

    public void setSums(long[] sums) {
      this.sums = sums == null ? new long[0] : sums;
      this.partial = null;
      this.pending = 0;
    }

    void add(byte[] image) {
      if (partial == null) {
        if (sums.length == 0) {
          sums = new long[image.length];
        }
        partial = new int[sums.length];
      }
      if (image.length != partial.length) {
        throw new IllegalArgumentException("an image of " + image.length + " pixels in a group of " + partial.length);
      }
      PixelAdd.add(image, partial);
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
  }
}
