package org.pixelsimilarity.ml;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Class labels of the model (text, in the job's label order) and the value each class predicts. A model fit on a
 * numeric label column keeps each class's label value as text that reads back to the same double: whole numbers
 * 0 ≤ v &lt; 10^15 as digits ("3", so they sort numerically like folder names and StringIndexer's indexes come out
 * in index order), any other value as {@link Double#toString} ("2.5", "-1.0"). Then the prediction is that value;
 * for string labels it is the class index in the model's order.
 */
final class LabelValues {
  static final String NUMERIC = "numeric";
  static final String STRING = "string";

  private LabelValues() {}

  /** True for a numeric label column, false for a string one; any other type or a missing column is refused. */
  static boolean isNumeric(StructType schema, String column) {
    StructField f = Features.field(schema, column, "labelCol");
    DataType t = f.dataType();
    if (t instanceof NumericType) {
      return true;
    }
    if (t.sameType(DataTypes.StringType)) {
      return false;
    }
    throw new IllegalArgumentException("labelCol '" + column + "' is " + t.simpleString()
        + "; expected a numeric column (e.g. StringIndexer's output) or a string column");
  }

  /** The text of a numeric label value (see the class comment). */
  static String text(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("label value " + v + " cannot name a class");
    }
    if (v >= 0 && v < 1e15 && v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** What each class predicts: its label value (numeric labels) or its index. */
  static double[] predictions(List<String> labels, boolean numeric) {
    double[] out = new double[labels.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = numeric ? value(labels.get(k)) : k;
    }
    return out;
  }

  private static double value(String label) {
    try {
      double v = Double.parseDouble(label);
      if (text(v).equals(label)) {
        return v;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw new IllegalArgumentException("class label '" + label + "' is not the text of a numeric label value");
  }
}
