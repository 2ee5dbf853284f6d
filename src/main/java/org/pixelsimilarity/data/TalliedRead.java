package org.pixelsimilarity.data;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * A dataset read by the one job that uses its images ({@code predict}'s ranking and write), validated after that
 * job ({@link ImageSets#tallied}): where the expected shape is known before the scan (the model's), whether an image
 * is kept is decided row by row, so the job keeps the images validation accepts while it counts validation's
 * tallies ({@link ValidationTally}); then {@link #validated()} makes validation's checks on those counts, the same
 * code and messages as a validation scan ({@link Validator}). When images were set aside, that finds them in one
 * more pass over the input, as validation does; otherwise the input is read once.
 */
public final class TalliedRead implements AutoCloseable {
  private final DatasetSpec spec;
  private final InputFormat format;
  private final Dataset<Row> decoded;
  private final Shape expected;
  private final List<String> emptyLabels;
  private final List<String> hidden;
  private final ValidationTally tally = new ValidationTally();
  private boolean used;
  private ImageSet set;

  TalliedRead(DatasetSpec spec, InputFormat format, Dataset<Row> decoded, Shape expected, List<String> emptyLabels,
      List<String> hidden) {
    this.spec = spec;
    this.format = format;
    this.decoded = decoded;
    this.expected = expected;
    this.emptyLabels = List.copyOf(emptyLabels);
    this.hidden = List.copyOf(hidden);
    decoded.sparkSession().sparkContext().register(tally, "validation of " + spec.role());
  }

  /**
   * The images validation accepts ({@link PixelTable#SCHEMA}: label, pixels, origin), counted as a job reads them.
   * For one job only, whose scan is in its result stage (a write; see {@link ValidationTally} for why); not yet
   * checked: call {@link #validated()} after the job and before the job's output is made visible.
   */
  public Dataset<Row> images() {
    if (used) {
      throw new IllegalStateException(spec.path() + ": the tallied images are for one job");
    }
    used = true;
    // Non-deterministic, so the optimizer neither repeats the call nor moves it: once per row read.
    Column verdict = functions.udf(new ValidationTally.Verdict(tally, expected), DataTypes.BooleanType)
        .asNondeterministic().apply(col(PixelTable.LABEL), col(PixelTable.HEIGHT), col(PixelTable.WIDTH),
            ScanPass.OK, PixelTable.channels());
    return Validator.images(decoded.filter(verdict), expected);
  }

  /** Runs the job that reads {@link #images()}: a failure of the input (a task's one line) as a read gives it. */
  public <T> T during(Supplier<T> job) {
    try {
      return job.get();
    } catch (Exception e) {
      throw ImageSets.failure(e);
    }
  }

  /**
   * After the job: validation's checks on its counts (no images, a whole-file error, failfast, the rejected
   * fraction), each stopping with its one line as a validation scan would; the set as validation gives it.
   */
  public ImageSet validated() {
    if (set == null) {
      try {
        set = Validator.validated(spec, format, decoded, expected, emptyLabels, hidden, tally.value());
      } catch (Exception e) {
        throw ImageSets.failure(e);
      }
    }
    return set;
  }

  /** Frees the rejected rows kept for the steps after validation. */
  @Override
  public void close() {
    if (set != null) {
      set.close();
    }
  }
}
