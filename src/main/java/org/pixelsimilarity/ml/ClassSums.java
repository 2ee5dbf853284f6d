package org.pixelsimilarity.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.PixelSums;
import org.pixelsimilarity.model.PixelSumsAggregator;

/**
 * The estimator's fit: the job's fit ({@link PixelSumsAggregator}'s exact long sums per label, then
 * {@link IdealImages#fromSums}) over a user's DataFrame, with the checks a DataFrame of unknown origin needs, done
 * in the same aggregation: rows per class (so null pixels are found, the aggregator skips them), and the shortest
 * and longest image. Each problem is an {@link IllegalArgumentException} naming the column.
 */
final class ClassSums {
  private static final String LABEL = "label";
  private static final String PIXELS = "pixels";
  private static final String SUMS = "pixel_sums";

  private ClassSums() {}

  /** What fit made: the ideal images, and whether the labels were numeric. */
  record Fitted(IdealImages ideal, boolean numeric) {}

  static Fitted fit(Dataset<?> data, String featuresCol, String labelCol) {
    StructType schema = data.schema();
    boolean numeric = LabelValues.isNumeric(schema, labelCol);
    Column label = numeric ? col(labelCol).cast(DataTypes.DoubleType) : col(labelCol);
    // Image rows carry their shape: settled first (one aggregation), then every row is converted to it.
    Shape images = Features.kind(schema, featuresCol) == Features.Kind.IMAGE
        ? SparkImageSource.shape(data.toDF(), featuresCol) : null;
    List<Row> groups = aggregate(data.toDF().select(label.as(LABEL), Features.bytes(schema, featuresCol, images)
        .as(PIXELS)), featuresCol);
    Shape declared = images != null ? images : Features.shape(schema.apply(featuresCol));
    List<PixelSumsAggregator.Sums> decoded = groups.stream().map(g -> PixelSumsAggregator.decode(g.getStruct(1)))
        .toList();
    int length = checkedLength(groups, decoded, featuresCol, labelCol, declared);
    if (groups.size() < 2) {
      throw new IllegalArgumentException("labelCol '" + labelCol + "' has " + groups.size() + " class"
          + (groups.size() == 1 ? "" : "es") + "; at least two are needed to compare");
    }
    Shape shape = declared != null ? declared : Features.guess(length);
    PixelSums sums = new PixelSums(shape.pixels());
    for (int i = 0; i < groups.size(); i++) {
      Row g = groups.get(i);
      String text = numeric ? numericText(g.getDouble(0), labelCol) : g.getString(0);
      sums.add(text, decoded.get(i).getCount(), decoded.get(i).getSums());
    }
    return new Fitted(IdealImages.fromSums(shape, sums), numeric);
  }

  private static String numericText(double value, String labelCol) {
    try {
      return LabelValues.text(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("labelCol '" + labelCol + "': " + e.getMessage(), e);
    }
  }

  /** One row per label: label, pixel sums, rows, shortest and longest image. */
  private static List<Row> aggregate(Dataset<Row> labelled, String featuresCol) {
    try {
      return labelled.groupBy(col(LABEL)).agg(PixelSumsAggregator.udaf().apply(col(PIXELS)).as(SUMS),
          count(lit(1)).as("rows"), min(length(col(PIXELS))).as("shortest"),
          max(length(col(PIXELS))).as("longest")).collectAsList();
    } catch (Exception e) {
      // Spark reports a task's failure as a SparkException (checked, thrown undeclared by Scala): give the caller
      // the IllegalArgumentException inside.
      for (Throwable c = e; c != null && c.getCause() != c; c = c.getCause()) {
        if (c instanceof IllegalArgumentException iae) {
          String m = iae.getMessage();
          throw new IllegalArgumentException(m != null && m.startsWith("featuresCol") ? m
              : "featuresCol '" + featuresCol + "': " + m, e);
        }
      }
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Every image has one length (the declared shape's, if any); no null labels or pixels. */
  private static int checkedLength(List<Row> groups, List<PixelSumsAggregator.Sums> sums, String featuresCol,
      String labelCol, Shape declared) {
    int shortest = Integer.MAX_VALUE;
    int longest = 0;
    for (int i = 0; i < groups.size(); i++) {
      Row g = groups.get(i);
      long rows = g.getLong(2);
      if (g.isNullAt(0)) {
        throw new IllegalArgumentException("labelCol '" + labelCol + "': " + rows + " rows have a null label");
      }
      long images = sums.get(i).getCount();
      if (images < rows) {
        throw new IllegalArgumentException("featuresCol '" + featuresCol + "': " + (rows - images)
            + " rows of label " + g.get(0) + " have null pixels");
      }
      shortest = Math.min(shortest, g.getInt(3));
      longest = Math.max(longest, g.getInt(4));
    }
    if (shortest != longest && !groups.isEmpty()) {
      throw new IllegalArgumentException("featuresCol '" + featuresCol + "': images of " + shortest + " and "
          + longest + " values; all must have height*width");
    }
    if (declared != null && !groups.isEmpty() && declared.pixels() != longest) {
      throw new IllegalArgumentException("featuresCol '" + featuresCol + "': images of " + longest
          + " values, its metadata says " + declared + " (" + declared.pixels() + ")");
    }
    if (longest == 0 && !groups.isEmpty()) {
      throw new IllegalArgumentException("featuresCol '" + featuresCol + "': empty images");
    }
    return longest;
  }
}
