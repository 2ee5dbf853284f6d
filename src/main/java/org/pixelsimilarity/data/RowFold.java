package org.pixelsimilarity.data;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * A per-row fold into one state per group, run by {@link GroupedFold} in our own code over Spark's internal rows
 * (no Row conversion, no per-row object of Spark's aggregation framework): what a {@link ScanPass} may declare
 * ({@link ScanPass#fold}). The states of one group from several partitions are merged; a fold whose merge is
 * exact (integer sums) gives the same result under any partitioning and task retry.
 *
 * @param <S> one group's state; serializable, as partitions' states travel to the driver
 */
public interface RowFold<S extends Serializable> extends Serializable {
  /**
   * The columns the fold reads, each row's values at {@code at}, {@code at + 1}, … in {@link #add}. Called on the
   * driver only (a Column is not serializable: keep it in a transient field).
   */
  List<Column> inputs();

  /** A new, empty state. */
  S zero();

  /** Adds one row: its {@link #inputs} start at ordinal {@code at}. */
  void add(S state, InternalRow row, int at);

  /**
   * Called once per group at the end of each partition, before its state leaves the task (serialized by whatever
   * serializer Spark is set to use, Kryo included): state kept outside the serialized fields must be settled here.
   */
  default void finish(S state) {}

  /** {@code into} with {@code other} merged in (may be {@code into} itself, changed). */
  S merge(S into, S other);
}
