package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.struct;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.types.StructType;

/**
 * A grouping done by our own code: per partition, one {@link RowFold} state and a row count per group of the key
 * columns, over Spark's internal rows of one projection (the keys as one struct, then the fold's inputs, computed
 * by Spark's generated code); the partitions' maps are merged as their tasks end ({@code RDD.fold}: a result stage,
 * so each partition's map is taken once, whatever tasks were retried), the last merges on the driver.
 *
 * <p>Why not Spark's aggregation: a typed aggregate (a UDAF) runs Spark's object-hash path without generated code,
 * a chain of Spark's closures, an input projection and a deserializer (a copy of the pixels) per row, which HotSpot
 * compiled late and not always whole in a fresh JVM (docs/performance-log.md, "A JVM's first query at 10M"). Here
 * the per-row work is one small loop of ours: the key struct looked up by its bytes (as Spark's hash aggregation
 * does), the fold called with the row. For counts alone (validation with the scoring scan's key) it also measured
 * cheaper than Spark's generated hash aggregation: one stage, no shuffle (docs/performance-log.md).
 */
public final class GroupedFold {
  private GroupedFold() {}

  /**
   * One group: its key values (a row of the key columns, as Spark's {@code collect} gives them), its rows and the
   * fold's state.
   */
  public record Group<S>(Row key, long rows, S state) {}

  /** Groups {@code rows} by {@code keys} and folds each group's rows with {@code fold}. */
  public static <S extends Serializable> List<Group<S>> of(Dataset<Row> rows, List<Column> keys, RowFold<S> fold) {
    List<Column> columns = new ArrayList<>();
    columns.add(struct(keys.toArray(new Column[0])).as("_key"));
    columns.addAll(fold.inputs());
    Dataset<Row> projected = rows.select(columns.toArray(new Column[0]));
    StructType keyType = (StructType) projected.schema().apply(0).dataType();
    QueryExecution qe = projected.queryExecution();
    // As an SQL execution of its own, as a Dataset action is: its metrics, and listeners see its plan.
    Map<UnsafeRow, Counted<S>> merged = SQLExecution.withNewExecutionId(qe, scala.Option.apply("grouped fold"),
        () -> qe.toRdd().toJavaRDD().mapPartitions(new PartitionFold<>(fold, keyType))
            .fold(new HashMap<>(), new Merge<>(fold)));
    scala.Function1<Object, Object> toRow = CatalystTypeConverters.createToScalaConverter(keyType);
    List<Group<S>> groups = new ArrayList<>(merged.size());
    merged.forEach((k, c) -> groups.add(new Group<>((Row) toRow.apply(k), c.rows, c.state)));
    return groups;
  }

  /** A group's rows and state in a partition's map. */
  static final class Counted<S> implements Serializable {
    private static final long serialVersionUID = 1L;
    long rows;
    S state;
    /** The map's key of the group, in the partition that made it. */
    transient UnsafeRow key;

    Counted(UnsafeRow key, S state) {
      this.key = key;
      this.state = state;
    }
  }

  /** One partition: its rows folded into one map of key bytes to group. */
  static final class PartitionFold<S extends Serializable>
      implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<InternalRow>,
          Map<UnsafeRow, Counted<S>>> {
    private static final long serialVersionUID = 1L;
    private final RowFold<S> fold;
    private final StructType keyType;

    PartitionFold(RowFold<S> fold, StructType keyType) {
      this.fold = fold;
      this.keyType = keyType;
    }

    @Override
    public Iterator<Map<UnsafeRow, Counted<S>>> call(Iterator<InternalRow> rows) {
      Groups<S> groups = new Groups<>(fold, keyType);
      while (rows.hasNext()) {
        groups.add(rows.next());
      }
      groups.byKey.values().forEach(c -> fold.finish(c.state));
      return List.of(groups.byKey).iterator();
    }
  }

  /**
   * A partition's groups. The per-row work is {@link #add}, a method of its own: HotSpot compiles it, with the fold
   * inlined, once it has been called often enough, early in the first task; a loop is compiled only after many
   * more iterations (on-stack replacement).
   */
  static final class Groups<S extends Serializable> {
    private final RowFold<S> fold;
    private final StructType keyType;
    private final int fields;
    final Map<UnsafeRow, Counted<S>> byKey = new HashMap<>();
    private UnsafeProjection toUnsafe;
    private Counted<S> last;

    Groups(RowFold<S> fold, StructType keyType) {
      this.fold = fold;
      this.keyType = keyType;
      this.fields = keyType.size();
    }

    /** One row: its key struct (ordinal 0) looked up by its bytes, then the fold's inputs (from 1) folded. */
    void add(InternalRow row) {
      InternalRow struct = row.getStruct(0, fields);
      UnsafeRow key = struct instanceof UnsafeRow u ? u : unsafe(struct);
      // Rows of one group often come together (a folder per label): no hashing then.
      if (last == null || !key.equals(last.key)) {
        last = byKey.get(key);
        if (last == null) {
          UnsafeRow copy = key.copy();
          last = new Counted<>(copy, fold.zero());
          byKey.put(copy, last);
        }
      }
      last.rows++;
      fold.add(last.state, row, 1);
    }

    /** A key from a row that is not an UnsafeRow (Spark's projections give UnsafeRows) in the bytes of one. */
    private UnsafeRow unsafe(InternalRow struct) {
      if (toUnsafe == null) {
        toUnsafe = UnsafeProjection.create(keyType);
      }
      return toUnsafe.apply(struct);
    }
  }

  /** Two maps of groups merged into the first. */
  static final class Merge<S extends Serializable> implements
      org.apache.spark.api.java.function.Function2<Map<UnsafeRow, Counted<S>>, Map<UnsafeRow, Counted<S>>,
          Map<UnsafeRow, Counted<S>>> {
    private static final long serialVersionUID = 1L;
    private final RowFold<S> fold;

    Merge(RowFold<S> fold) {
      this.fold = fold;
    }

    @Override
    public Map<UnsafeRow, Counted<S>> call(Map<UnsafeRow, Counted<S>> into, Map<UnsafeRow, Counted<S>> other) {
      other.forEach((k, c) -> into.merge(k, c, (a, b) -> {
        a.rows += b.rows;
        a.state = fold.merge(a.state, b.state);
        return a;
      }));
      return into;
    }
  }
}
