package org.pixelsimilarity.report;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The report tables' names and schemas (docs/report-tables.md). Each table lives in
 * {@code <report>/<table>/run_date=YYYY-MM-DD/<run_id>.parquet}: one file per run, partitioned by the UTC date
 * of the run.
 */
public final class ReportTables {
  public static final String RUNS = "runs";
  public static final String CLASS_ACCURACY = "class_accuracy";
  public static final String CONFUSION = "confusion";
  public static final String REJECTED = "rejected";
  public static final String EXAMPLES = "examples";
  /** In commit order: {@code runs} last, so a run listed in {@code runs} has all its rows in place. */
  public static final String[] ALL = {REJECTED, CONFUSION, CLASS_ACCURACY, EXAMPLES, RUNS};

  public static final StructType RUNS_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("run_at", DataTypes.TimestampType, false)
      .add("model_id", DataTypes.StringType, false)
      .add("model_path", DataTypes.StringType, true)
      .add("train_path", DataTypes.StringType, true)
      .add("valid_path", DataTypes.StringType, false)
      .add("train_images", DataTypes.LongType, false)
      .add("valid_images", DataTypes.LongType, false)
      .add("scored_images", DataTypes.LongType, false)
      .add("unknown_label_images", DataTypes.LongType, false)
      .add("rejected_images", DataTypes.LongType, false)
      .add("labels", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("metrics", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("accuracy_l1", DataTypes.DoubleType, true)
      .add("macro_accuracy_l1", DataTypes.DoubleType, true)
      .add("accuracy_l2", DataTypes.DoubleType, true)
      .add("macro_accuracy_l2", DataTypes.DoubleType, true)
      .add("app_version", DataTypes.StringType, false)
      .add("spark_version", DataTypes.StringType, false)
      .add("master", DataTypes.StringType, false)
      .add("gate", DataTypes.StringType, true)
      .add("gate_min_accuracy", DataTypes.DoubleType, true)
      .add("gate_max_drop", DataTypes.DoubleType, true);

  public static final StructType CLASS_ACCURACY_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("label", DataTypes.StringType, false)
      .add("total", DataTypes.LongType, false)
      .add("correct", DataTypes.LongType, false)
      .add("accuracy", DataTypes.DoubleType, true);

  public static final StructType CONFUSION_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("actual", DataTypes.StringType, false)
      .add("predicted", DataTypes.StringType, false)
      .add("count", DataTypes.LongType, false);

  public static final StructType REJECTED_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("dataset", DataTypes.StringType, false)
      .add("origin", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false);

  /**
   * The images the pages show: the top losses and a few correct images per metric (collected in the scoring scan,
   * {@link org.pixelsimilarity.scoring.Example}), and the ideal images rounded to bytes (kind {@code ideal},
   * metric and distances null).
   */
  public static final StructType EXAMPLES_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, true)
      .add("kind", DataTypes.StringType, false)
      .add("actual", DataTypes.StringType, false)
      .add("predicted", DataTypes.StringType, false)
      .add("origin", DataTypes.StringType, true)
      .add("margin", DataTypes.DoubleType, true)
      .add("distance_true", DataTypes.DoubleType, true)
      .add("distance_predicted", DataTypes.DoubleType, true)
      .add("pixels", DataTypes.BinaryType, false)
      .add("height", DataTypes.IntegerType, false)
      .add("width", DataTypes.IntegerType, false);

  private ReportTables() {}

  /** The schema of the table named {@code table}, one of {@link #ALL}. */
  public static StructType schema(String table) {
    return switch (table) {
      case RUNS -> RUNS_SCHEMA;
      case CLASS_ACCURACY -> CLASS_ACCURACY_SCHEMA;
      case CONFUSION -> CONFUSION_SCHEMA;
      case REJECTED -> REJECTED_SCHEMA;
      case EXAMPLES -> EXAMPLES_SCHEMA;
      default -> throw new IllegalArgumentException("no report table " + table);
    };
  }
}
