package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * Work that rides along the one aggregation validation makes over a dataset, so that one scan of the images both
 * checks them and fits or scores them ({@link ImageSets#read(org.apache.spark.sql.SparkSession, DatasetSpec, Shape,
 * ScanPass)}). Validation groups the decoded rows ({@link PixelTable#DECODED}) by label, height, width and
 * {@code ok} and counts them; a pass adds its {@link #keys} to that grouping and either its {@link #aggregates}
 * beside the count (Spark's aggregation, in Spark's generated code: for aggregates Spark has) or a {@link #fold}
 * (our own grouping of Spark's internal rows, {@link GroupedFold}: for a typed fold, which as a Spark UDAF would run
 * Spark's per-row object machinery). Validation decodes each group once into a {@link ValidationGroup} whose
 * {@code values} are the pass's own ({@link #values}), and gives the groups of the accepted images to
 * {@link #result}: what the scan returns beside the {@link ImageSet} ({@link Scanned}).
 *
 * <p>Rows that validation will set aside reach the pass too; columns should look at {@link #OK} (and at the shape)
 * themselves. {@link #columns} are named columns added to the decoded rows before the grouping, for keys that read
 * one value more than once: Spark computes such a column once per row, where an expression repeated inside a key
 * may be computed once per use.
 *
 * @param <V> one group's values of the pass (its keys, then its aggregates, decoded)
 * @param <R> the pass's result over the accepted images
 */
public interface ScanPass<V, R> {
  /** True for rows the reader could decode: no error. Validation may still reject them for their shape. */
  Column OK = col(PixelTable.ERROR).isNull();

  /** No extra work: validation alone. */
  ScanPass<Void, Void> NONE = new ScanPass<>() {
    @Override
    public List<Column> keys() {
      return List.of();
    }

    @Override
    public List<Column> aggregates() {
      return List.of();
    }

    @Override
    public Void values(Row values) {
      return null;
    }

    @Override
    public Void result(List<ValidationGroup<Void>> accepted) {
      return null;
    }
  };

  /** Named columns added to the decoded rows before the grouping; none unless a pass needs them. */
  default List<Column> columns() {
    return List.of();
  }

  /** Grouping keys added after validation's (label, height, width, ok), each named ({@code .as(...)}). */
  List<Column> keys();

  /** Aggregates computed beside validation's count, each named; none when the pass has a {@link #fold}. */
  List<Column> aggregates();

  /**
   * The pass's per-row fold, done instead of {@link #aggregates} (then none): validation groups the rows with
   * {@link GroupedFold} and counts them there. Null (the default) for a pass of Column aggregates.
   */
  default RowFold<?> fold() {
    return null;
  }

  /**
   * One group's values of this pass: a row of its {@link #keys}, then its {@link #aggregates} as declared, or its
   * {@link #fold}'s state.
   */
  V values(Row values);

  /** The pass's result from the groups of the accepted images: decoded without error and of the set's shape. */
  R result(List<ValidationGroup<V>> accepted);
}
