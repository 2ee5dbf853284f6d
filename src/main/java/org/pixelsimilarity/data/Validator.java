package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.pixelsimilarity.JobException;

/**
 * The one validation every reader's output goes through: decoding errors, one shape per dataset, the read
 * mode and the rejected-fraction limit. One aggregation pass over the decoded rows; the bad rows are only
 * read again when there are some.
 */
final class Validator {
  private Validator() {}

  static ImageSet validate(DatasetSpec spec, InputFormat format, Dataset<Row> decoded, Shape expected,
      List<String> emptyLabels, Dataset<Row> cached, Pass pass) {
    Column ok = Pass.OK;
    List<Column> keys = new ArrayList<>(List.of(col(PixelTable.LABEL), col(PixelTable.HEIGHT),
        col(PixelTable.WIDTH), ok.as("ok")));
    keys.addAll(pass.keys());
    int countAt = keys.size();
    List<Row> groups = decoded.groupBy(keys.toArray(new Column[0]))
        .agg(count(lit(1)).as(ImageSet.COUNT), pass.aggregates().toArray(new Column[0])).collectAsList();

    long total = 0;
    long errors = 0;
    Map<Shape, Long> byShape = new HashMap<>();
    for (Row g : groups) {
      long n = g.getLong(countAt);
      total += n;
      if (g.getBoolean(3)) {
        byShape.merge(new Shape(g.getInt(1), g.getInt(2)), n, Long::sum);
      } else {
        errors += n;
      }
    }
    String what = spec.role() + " " + spec.path();
    if (total == 0) {
      throw new JobException(spec.path() + ": no images found"
          + (spec.labels().isEmpty() ? "" : " with labels " + String.join(",", spec.labels())));
    }
    Shape shape = expected != null ? expected : majority(byShape);
    String shapeSource = expected != null ? " (the model's shape)" : " (the shape of most images here)";

    Column bad = not(ok);
    Column reason = col(PixelTable.ERROR);
    if (shape != null) {
      Column wrongShape = col(PixelTable.HEIGHT).notEqual(shape.height())
          .or(col(PixelTable.WIDTH).notEqual(shape.width()));
      bad = bad.or(wrongShape);
      reason = coalesce(col(PixelTable.ERROR), concat(lit("image is "), col(PixelTable.HEIGHT).cast("string"),
          lit("x"), col(PixelTable.WIDTH).cast("string"), lit(", expected " + shape + shapeSource)));
    }
    long accepted = shape == null ? 0 : byShape.getOrDefault(shape, 0L);
    long rejected = total - accepted;
    Dataset<Row> rejectedRows = decoded.filter(bad)
        .select(col(PixelTable.ORIGIN).as("origin"), reason.as("reason"));
    if (rejected == 0) {
      // Known to be empty: writing it later must not scan the images again.
      rejectedRows = decoded.sparkSession().createDataFrame(List.of(), rejectedRows.schema());
    }

    if (rejected > 0) {
      if (spec.mode() == ReadMode.FAILFAST) {
        Row first = rejectedRows.orderBy("origin").first();
        throw new JobException(first.getString(0) + ": " + first.getString(1));
      }
      double fraction = (double) rejected / total;
      if (fraction > spec.maxRejectedFraction() || accepted == 0) {
        Row first = rejectedRows.orderBy("origin").first();
        throw new JobException(String.format(java.util.Locale.ROOT,
            "%s: %d of %d images rejected (%.2f%%), more than the allowed %.2f%% (--max-rejected-fraction %s);"
                + " first: %s: %s", what, rejected, total, 100.0 * fraction, 100.0 * spec.maxRejectedFraction(),
            spec.maxRejectedFraction(), first.getString(0), first.getString(1)));
      }
    }

    Map<String, Long> counts = new TreeMap<>(Labels.ORDER);
    for (Row g : groups) {
      if (g.getBoolean(3) && shape.equals(new Shape(g.getInt(1), g.getInt(2)))) {
        counts.merge(g.getString(0), g.getLong(countAt), Long::sum);
      }
    }
    Dataset<Row> images = decoded.filter(not(bad))
        .select(col(PixelTable.LABEL), col(PixelTable.PIXELS), col(PixelTable.ORIGIN));
    return new ImageSet(spec, format, images, shape, rejectedRows, counts, rejected, emptyLabels, cached, groups);
  }

  /** The most common shape; ties go to the smaller one so the choice never depends on listing order. */
  private static Shape majority(Map<Shape, Long> byShape) {
    Shape best = null;
    long bestCount = -1;
    for (Map.Entry<Shape, Long> e : byShape.entrySet()) {
      Shape s = e.getKey();
      long n = e.getValue();
      if (n > bestCount || (n == bestCount && (s.pixels() < best.pixels()
          || (s.pixels() == best.pixels() && s.height() < best.height())))) {
        best = s;
        bestCount = n;
      }
    }
    return best;
  }
}
