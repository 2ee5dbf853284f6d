package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;
import org.pixelsimilarity.JobException;

/**
 * The one validation every reader's output goes through: decoding errors, one shape per dataset, the read
 * mode and the rejected-fraction limit. One grouping pass over the decoded rows (or the same counts made by a
 * job that used the images as it read them, {@link TalliedRead}); when some were rejected, one more pass finds them
 * and keeps them (origin, reason) for every later use.
 */
final class Validator {
  private Validator() {}

  static <V, R> Scanned<R> validate(DatasetSpec spec, InputFormat format, Dataset<Row> decoded, Shape expected,
      List<String> emptyLabels, Dataset<Row> cached, List<String> hidden, ScanPass<V, R> pass) {
    return validated(spec, format, decoded, expected, emptyLabels, cached, hidden, pass, Tally.of(decoded, pass));
  }

  /**
   * The checks and the validated set from counts made elsewhere: by a job that used the images as it read them
   * ({@link TalliedRead}, whose {@code groups} are those of the aggregation {@link #validate} makes, without a
   * pass). The same checks, messages and rejected rows as {@link #validate}.
   */
  static ImageSet validated(DatasetSpec spec, InputFormat format, Dataset<Row> decoded, Shape expected,
      List<String> emptyLabels, List<String> hidden, List<ValidationGroup<Void>> groups) {
    return validated(spec, format, decoded, expected, emptyLabels, null, hidden, ScanPass.NONE, Tally.of(groups))
        .set();
  }

  private static <V, R> Scanned<R> validated(DatasetSpec spec, InputFormat format, Dataset<Row> decoded,
      Shape expected, List<String> emptyLabels, Dataset<Row> cached, List<String> hidden, ScanPass<V, R> pass,
      Tally<V> tally) {
    Shape shape = expected != null ? expected : decide(tally.byShape(), spec.channels());
    String shapeSource = expected != null ? " (the model's shape)" : " (the shape of most images here)";

    Column bad = not(col(PixelTable.ERROR).isNull());
    Column reason = col(PixelTable.ERROR);
    if (shape != null) {
      Column channels = PixelTable.channels();
      Column wrongShape = col(PixelTable.HEIGHT).notEqual(shape.height())
          .or(col(PixelTable.WIDTH).notEqual(shape.width()))
          .or(channels.gt(shape.channels()));
      bad = bad.or(wrongShape);
      reason = coalesce(col(PixelTable.ERROR), concat(lit("image is "), col(PixelTable.HEIGHT).cast("string"),
          lit("x"), col(PixelTable.WIDTH).cast("string"), when(channels.equalTo(3), lit("x3")).otherwise(lit("")),
          lit(", expected " + shape + shapeSource)));
    }
    long accepted = shape == null ? 0 : accepted(tally.byShape(), shape);
    long rejected = tally.total() - accepted;
    Dataset<Row> rejectedRows = decoded.filter(bad)
        .select(col(PixelTable.ORIGIN).as("origin"), reason.as("reason"));
    if (rejected > 0) {
      // The file-error check, the failfast check, the model's and the report's rejected lists each read these
      // rows; finding them means decoding (or scanning) the whole dataset again, so the first read keeps the few
      // it finds (ImageSet.close frees them).
      rejectedRows = rejectedRows.persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      if (tally.errors() > 0) {
        stopOnFileError(rejectedRows);
      }
      requireImages(spec, format, tally, expected, hidden);
      if (rejected > 0) {
        checkRejected(spec, rejectedRows, rejected, tally.total(), accepted);
      }
    } catch (RuntimeException e) {
      rejectedRows.unpersist(false);
      throw e;
    }
    if (rejected == 0) {
      // Known to be empty: writing it later must not scan the images again.
      rejectedRows = decoded.sparkSession().createDataFrame(List.of(), rejectedRows.schema());
    }
    Dataset<Row> images = images(decoded.filter(not(bad)), shape);
    List<ValidationGroup<V>> acceptedGroups = tally.accepted(shape);
    long unlabelled = acceptedGroups.stream().filter(g -> g.label() == null).mapToLong(ValidationGroup::count).sum();
    ImageSet set = new ImageSet(new ImageSet.Read(spec, format),
        new ImageSet.Accepted(images, shape, Tally.countsByLabel(acceptedGroups), unlabelled, cached),
        new ImageSet.Skipped(rejectedRows, rejected, emptyLabels, hidden));
    return new Scanned<>(set, pass.result(acceptedGroups));
  }

  /** The accepted rows as a set's images: label, pixels, origin; gray images of a colour set become R = G = B. */
  static Dataset<Row> images(Dataset<Row> accepted, Shape shape) {
    // No expression at all for a gray set.
    Column pixels = shape != null && shape.colour() ? Channels.pixelsAs(3).as(PixelTable.PIXELS)
        : col(PixelTable.PIXELS);
    return accepted.select(col(PixelTable.LABEL), pixels, col(PixelTable.ORIGIN));
  }

  /** Validation's own grouping keys: label, height, width, ok, channels; a pass's keys follow. */
  private static final int VALIDATION_KEYS = 5;

  /**
   * Image counts by label, shape and decoding success: one grouping of the decoded rows ({@link GroupedFold}),
   * which also carries the {@link ScanPass}'s keys and fold (so one scan validates and fits or scores). Each group
   * is decoded here, once, into a {@link ValidationGroup}.
   */
  /** The fold of a pass without one: the groups' counts alone (its state, a constant, is not a pass's value). */
  private static final RowFold<Boolean> COUNT = new RowFold<>() {
    @Override
    public List<Column> inputs() {
      return List.of();
    }

    @Override
    public Boolean zero() {
      return Boolean.TRUE;
    }

    @Override
    public void add(Boolean state, org.apache.spark.sql.catalyst.InternalRow row, int at) {}

    @Override
    public Boolean merge(Boolean into, Boolean other) {
      return into;
    }
  };

  private record Tally<V>(List<ValidationGroup<V>> groups, long total, long errors, Map<Shape, Long> byShape) {
    static <V> Tally<V> of(Dataset<Row> decoded, ScanPass<V, ?> pass) {
      List<Column> keys = new ArrayList<>(List.of(col(PixelTable.LABEL), col(PixelTable.HEIGHT),
          col(PixelTable.WIDTH), ScanPass.OK.as("ok"), PixelTable.channels().as(PixelTable.CHANNELS)));
      keys.addAll(pass.keys());
      Dataset<Row> rows = decoded;
      for (Column c : pass.columns()) {
        rows = rows.select(col("*"), c);
      }
      RowFold<?> fold = pass.fold() != null ? pass.fold() : COUNT;
      List<ValidationGroup<V>> groups = new ArrayList<>();
      for (GroupedFold.Group<?> g : GroupedFold.of(rows, keys, fold)) {
        groups.add(decode(g, pass, fold != COUNT));
      }
      return of(groups);
    }

    static <V> Tally<V> of(List<ValidationGroup<V>> groups) {
      long total = 0;
      long errors = 0;
      Map<Shape, Long> byShape = new HashMap<>();
      for (ValidationGroup<V> g : groups) {
        total += g.count();
        if (g.ok()) {
          byShape.merge(g.shape(), g.count(), Long::sum);
        } else {
          errors += g.count();
        }
      }
      return new Tally<>(groups, total, errors, byShape);
    }

    /**
     * One group: its key (label, height, width, ok, channels, the pass's keys), its count and, for a pass with a
     * fold, the fold's state.
     */
    private static <V> ValidationGroup<V> decode(GroupedFold.Group<?> g, ScanPass<V, ?> pass, boolean state) {
      Row key = g.key();
      Object[] values = new Object[key.length() - VALIDATION_KEYS + (state ? 1 : 0)];
      for (int i = VALIDATION_KEYS; i < key.length(); i++) {
        values[i - VALIDATION_KEYS] = key.get(i);
      }
      if (state) {
        values[values.length - 1] = g.state();
      }
      boolean ok = key.getBoolean(3);
      // A row the reader could not decode may have no height or width.
      Shape shape = ok ? new Shape(key.getInt(1), key.getInt(2), key.getInt(4)) : null;
      return new ValidationGroup<>(key.getString(0), shape, ok, g.rows(), pass.values(RowFactory.create(values)));
    }

    /** The groups of the images a set of {@code shape} keeps. */
    List<ValidationGroup<V>> accepted(Shape shape) {
      return groups.stream().filter(g -> g.accepted(shape)).toList();
    }

    /** Images per label of the accepted groups, in {@link Labels#ORDER}; images without a label left out. */
    static Map<String, Long> countsByLabel(List<? extends ValidationGroup<?>> accepted) {
      Map<String, Long> counts = new TreeMap<>(Labels.ORDER);
      for (ValidationGroup<?> g : accepted) {
        // Images without a label (inputs read without Labelling.REQUIRED) are ImageSet.unlabelledCount.
        if (g.label() != null) {
          counts.merge(g.label(), g.count(), Long::sum);
        }
      }
      return counts;
    }
  }

  /**
   * The shape of the most images by height and width (gray and colour counted together); its channels: those
   * asked for, else ({@link Channels#AUTO}) 3 when any image of that height and width has colour, else 1.
   */
  private static Shape decide(Map<Shape, Long> byShape, Channels asked) {
    Map<Shape, Long> bySize = new HashMap<>();
    byShape.forEach((s, n) -> bySize.merge(s.withChannels(1), n, Long::sum));
    Shape size = majority(bySize);
    if (size == null) {
      return null;
    }
    return size.withChannels(asked != Channels.AUTO ? asked.count()
        : byShape.containsKey(size.withChannels(3)) ? 3 : 1);
  }

  /** Images {@code shape} accepts: its height and width, gray ones too when it is colour. */
  private static long accepted(Map<Shape, Long> byShape, Shape shape) {
    long n = byShape.getOrDefault(shape, 0L);
    return shape.colour() ? n + byShape.getOrDefault(shape.withChannels(1), 0L) : n;
  }

  /** No image at all, or none of the model's shape, is an error of the whole dataset in any mode. */
  private static void requireImages(DatasetSpec spec, InputFormat format, Tally<?> tally, Shape expected,
      List<String> hidden) {
    if (tally.total() == 0) {
      throw new JobException(spec.path() + ": no images found"
          + (spec.labels().isEmpty() ? "" : " with labels " + String.join(",", spec.labels()))
          + (format == InputFormat.FOLDER ? " (expected files in " + (spec.labelling().labelFolders()
              ? "<root>/<label>/" : "the folder or its sub-folders") + (hidden.isEmpty() ? ""
              : "; " + hidden.size() + " hidden file(s) skipped") + ")" : ""));
    }
    if (expected != null && !tally.byShape().isEmpty() && accepted(tally.byShape(), expected) == 0) {
      Shape theirs = majority(tally.byShape());
      throw new JobException(spec.path() + ": its images are " + theirs + " (" + tally.byShape().get(theirs)
          + " of " + tally.total() + "), the model's are " + expected + "; train and valid must have one shape");
    }
  }

  /**
   * A reader's error about a whole file (e.g. a truncated IDX stream) stops the job whatever the mode. Looks among
   * the rejected rows (origin, reason), where such errors are kept with their reason.
   */
  private static void stopOnFileError(Dataset<Row> rejectedRows) {
    List<Row> fileErrors = rejectedRows.filter(col("reason").startsWith(PixelTable.FILE_ERROR))
        .limit(1).collectAsList();
    if (!fileErrors.isEmpty()) {
      Row r = fileErrors.get(0);
      throw new JobException(r.getString(0) + ": " + r.getString(1).substring(PixelTable.FILE_ERROR.length()));
    }
  }

  /** FAILFAST: the first bad image stops the job. DROPMALFORMED: too many bad images, or no good one, does. */
  private static void checkRejected(DatasetSpec spec, Dataset<Row> rejectedRows, long rejected, long total,
      long accepted) {
    Row first = rejectedRows.orderBy("origin").first();
    if (spec.mode() == ReadMode.FAILFAST) {
      throw new JobException(first.getString(0) + ": " + first.getString(1)
          + " (--mode failfast; dropmalformed would set it aside)");
    }
    double fraction = (double) rejected / total;
    if (fraction > spec.maxRejectedFraction() || accepted == 0) {
      throw new JobException(String.format(java.util.Locale.ROOT,
          "%s %s: %d of %d images rejected (%.2f%%), more than the allowed %.2f%% (--max-rejected-fraction %s);"
              + " first: %s: %s", spec.role(), spec.path(), rejected, total, 100.0 * fraction,
          100.0 * spec.maxRejectedFraction(), spec.maxRejectedFraction(), first.getString(0), first.getString(1)));
    }
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
