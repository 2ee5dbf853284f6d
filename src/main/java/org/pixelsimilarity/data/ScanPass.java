package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * Work that rides along the one grouping validation makes over a dataset, so that one scan of the images both
 * checks them and fits or scores them ({@link ImageSets#read(org.apache.spark.sql.SparkSession, DatasetSpec, Shape,
 * ScanPass)}). Validation groups the decoded rows ({@link PixelTable#DECODED}) by label, height, width, {@code ok}
 * and channels and counts them, in our own code over Spark's internal rows ({@link GroupedFold}); a pass adds its
 * {@link #keys} to that grouping and may add a typed per-row {@link #fold} (the fit's sums), whose state each group
 * keeps beside its count. Validation decodes each group once into a {@link ValidationGroup} whose {@code values}
 * are the pass's own ({@link #values}), and gives the groups of the accepted images to {@link #result}: what the
 * scan returns beside the {@link ImageSet} ({@link Scanned}).
 *
 * <p>Rows that validation will set aside reach the pass too; columns should look at {@link #OK} (and at the shape)
 * themselves. {@link #columns} are named columns added to the decoded rows before the grouping, for keys that read
 * one value more than once: Spark computes such a column once per row, where an expression repeated inside a key
 * may be computed once per use.
 *
 * @param <V> one group's values of the pass (its keys, then its fold's state, decoded)
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

  /** The pass's per-row fold, whose state each group keeps beside its count; null (the default) for none. */
  default RowFold<?> fold() {
    return null;
  }

  /** One group's values of this pass: a row of its {@link #keys}, then its {@link #fold}'s state if it has one. */
  V values(Row values);

  /** The pass's result from the groups of the accepted images: decoded without error and of the set's shape. */
  R result(List<ValidationGroup<V>> accepted);
}
