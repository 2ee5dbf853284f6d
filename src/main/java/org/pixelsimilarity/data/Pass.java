package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Work that rides along the one aggregation pass validation makes over a dataset, so that one scan of the images
 * both checks them and, say, sums or scores them. Validation groups the decoded rows ({@link PixelTable#DECODED})
 * by label, height, width and {@code ok} and counts them; a pass adds its {@code keys} to that grouping and its
 * {@code aggregates} beside the count. Each column must carry a name ({@code .as(...)}): the step that made the
 * pass reads its results by name from {@link ImageSet#groups()}. Rows that validation will set aside reach the
 * pass too; columns should look at {@link #OK} (and at the shape) themselves.
 *
 * <p>{@code columns} are named columns added to the decoded rows before the grouping, for keys that read one value
 * more than once: Spark computes such a column once per row, where an expression repeated inside a key may be
 * computed once per use.
 */
public record Pass(List<Column> columns, List<Column> keys, List<Column> aggregates) {
  /** No extra work: validation alone. */
  public static final Pass NONE = new Pass(List.of(), List.of());

  /** True for rows the reader could decode: no error. Validation may still reject them for their shape. */
  public static final Column OK = col(PixelTable.ERROR).isNull();

  public Pass {
    columns = List.copyOf(columns);
    keys = List.copyOf(keys);
    aggregates = List.copyOf(aggregates);
  }

  public Pass(List<Column> keys, List<Column> aggregates) {
    this(List.of(), keys, aggregates);
  }
}
