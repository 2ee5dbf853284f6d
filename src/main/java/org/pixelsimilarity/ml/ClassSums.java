package org.pixelsimilarity.ml;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.data.GroupedFold;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.PixelSums;
import org.pixelsimilarity.model.PixelSumsFold;

/**
 * The estimator's fit: the job's fit ({@link PixelSumsFold}'s exact long sums per label, then
 * {@link IdealImages#fromSums}) over a user's DataFrame, with the checks a DataFrame of unknown origin needs, from
 * the same pass: rows per class (so null pixels are found, the fold skips them), and each class's image length (an
 * image of another length within a class stops the fold). Each problem is an {@link IllegalArgumentException}
 * naming the column.
 */
final class ClassSums {
  private static final String LABEL = "label";
  private static final String PIXELS = "pixels";

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
    List<GroupedFold.Group<PixelSumsFold.Sums>> groups = aggregate(data.toDF().select(label.as(LABEL),
        Features.bytes(schema, featuresCol, images).as(PIXELS)), featuresCol);
    Shape declared = images != null ? images : Features.shape(schema.apply(featuresCol));
    int length = checkedLength(groups, featuresCol, labelCol, declared);
    if (groups.size() < 2) {
      throw new IllegalArgumentException("labelCol '" + labelCol + "' has " + groups.size() + " class"
          + (groups.size() == 1 ? "" : "es") + "; at least two are needed to compare");
    }
    Shape shape = declared != null ? declared : Features.guess(length);
    PixelSums sums = new PixelSums(shape.pixels());
    for (GroupedFold.Group<PixelSumsFold.Sums> g : groups) {
      String text = numeric ? numericText(g.key().getDouble(0), labelCol) : g.key().getString(0);
      sums.add(text, g.state().getCount(), g.state().getSums());
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

  /** One group per label: its rows, and the count and pixel sums of its images. */
  private static List<GroupedFold.Group<PixelSumsFold.Sums>> aggregate(Dataset<Row> labelled, String featuresCol) {
    try {
      return GroupedFold.of(labelled, List.of(col(LABEL)), new PixelSumsFold(col(PIXELS)));
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
  private static int checkedLength(List<GroupedFold.Group<PixelSumsFold.Sums>> groups, String featuresCol,
      String labelCol, Shape declared) {
    int shortest = Integer.MAX_VALUE;
    int longest = 0;
    for (GroupedFold.Group<PixelSumsFold.Sums> g : groups) {
      long rows = g.rows();
      if (g.key().isNullAt(0)) {
        throw new IllegalArgumentException("labelCol '" + labelCol + "': " + rows + " rows have a null label");
      }
      long images = g.state().getCount();
      if (images < rows) {
        throw new IllegalArgumentException("featuresCol '" + featuresCol + "': " + (rows - images)
            + " rows of label " + g.key().get(0) + " have null pixels");
      }
      // The fold refuses an image of another length than its group's first: one length per group.
      int length = g.state().getSums().length;
      shortest = Math.min(shortest, length);
      longest = Math.max(longest, length);
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
