package org.pixelsimilarity.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The scans' expressions that are written as they are for the code Spark generates and HotSpot compiles, not for
 * what they compute: each defends against one behaviour of Spark's code generation or of the JIT, measured on
 * Spark 4.2 (docs/performance.md). They depend on Spark's internals, so each must be re-measured on every Spark
 * upgrade: docs/development.md, "Spark upgrade checklist", lists them with the test that guards each.
 */
final class GeneratedCode {
  private GeneratedCode() {}

  /**
   * {@code column} as UTF-8 bytes in a fresh exact array: {@code cast(concat(column, '') as binary)}. The plain
   * cast ({@code UTF8String.getBytes}) copies a value of a plain-encoded parquet page but hands over a dictionary
   * value's own array. Which of the two a run met first decided how C2 compiled the scan loop, and a later page of
   * the other kind threw the compiled loop away ({@code -XX:+LogCompilation}: an {@code unstable_if} in
   * {@code getBytes} at the start of a JVM's second evaluate, then the loop compiled again by C1 and C2).
   * {@code concat} always makes a fresh array. Guarded by the scoring benchmark only (jobs/bench.sh, warm runs).
   */
  static Column freshBytes(Column column) {
    return functions.concat(column, lit("")).cast(DataTypes.BinaryType);
  }

  /**
   * True for a row whose {@code column} is not null, null for one where it is, and a second read of the column.
   * Not {@code isnotnull(column)}: where a reader knows the column is never null, the optimizer folds that to
   * {@code true}, and the second read is gone. Spark moves the work of the operators above the parquet reader into
   * a method of its own only when the first of them reads each of the reader's columns more than once
   * ({@code ProjectExec.usedInputs}); in the loop over column batches, the per-row work was compiled on-stack and
   * thrown away as each of the first tasks ended (see {@link EvaluationScan}). A byte length is never folded and
   * costs nothing to read. Guarded by {@code ScoringSplitTest}.
   */
  static Column presentOrNull(String column) {
    return functions.octet_length(col(column)).geq(lit(0));
  }

  /**
   * {@code udf} called exactly once per row: non-deterministic, so the optimizer neither inlines it once per field
   * of its struct result that a query reads, nor duplicates, merges or reorders calls whose results depend on the
   * task's state (the example collector's cut-offs). Guarded by {@code ExamplesTest} (candidates counted once) and
   * {@code ScoringSplitTest} (one call of each UDF in the per-row method).
   */
  static UserDefinedFunction oncePerRow(UserDefinedFunction udf) {
    return udf.asNondeterministic();
  }
}
