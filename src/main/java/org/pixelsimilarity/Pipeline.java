package org.pixelsimilarity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.OutputFolder;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.StorageFailure;
import org.pixelsimilarity.model.AppInfo;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.pages.Pages;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.report.Predictions;
import org.pixelsimilarity.report.QualityGate;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.report.Summary;
import org.pixelsimilarity.report.RunHistory;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.scoring.Example;
import org.pixelsimilarity.scoring.Metric;
import org.pixelsimilarity.scoring.Scoring;

/**
 * The five steps in order, as the subcommands use them: read images, fit the ideal images, score with the
 * broadcast distance UDF, evaluate, write the report (tables, then the pages built from them). Data flows one way; each step is its own class.
 */
public final class Pipeline {
  private Pipeline() {}

  /**
   * What training produced.
   *
   * @param rejected training images set aside (dropmalformed), listed in the model's {@code rejected/} table
   * @param emptyLabels label folders without images, so without an ideal image
   * @param hidden hidden files and folders skipped
   */
  public record Trained(IdealImages model, ModelStore.Saved saved, Map<String, Long> counts, long rejected,
      List<String> emptyLabels, List<String> hidden) {}

  /**
   * What one evaluation produced.
   *
   * @param verdict the quality gate's verdict, null when no gate was asked
   * @param pages the run's page and the report's index page
   */
  public record Evaluated(RunRecord run, Evaluation evaluation, Map<String, Long> unknownLabels,
      ReportWriter.Written report, List<String> emptyLabels, List<String> hidden, QualityGate.Verdict verdict,
      Pages.Written pages) {}

  /** A new run id: UTC time and a random suffix, e.g. {@code 20261124T233000Z-1a2b3c4d}. */
  public static String newRunId(Instant at) {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** read → fit → save. With {@code modelDir} null nothing is saved. */
  public static Trained train(SparkSession spark, DatasetSpec trainSpec, String modelDir, boolean overwrite,
      boolean reuseSameId) {
    if (modelDir != null && !reuseSameId) {
      requireAbsent(spark, modelDir, overwrite, MODEL_EXISTS);
    }
    try (ImageSet train = ImageSets.read(spark, trainSpec, null, IdealImages.fitPass())) {
      IdealImages model = fit(train);
      ModelStore.Saved saved = modelDir == null ? null : ModelStore.save(spark, model, modelDir, trainSpec.path(),
          overwrite, reuseSameId, train.rejected(), train.rejectedCount());
      return trained(train, model, saved);
    }
  }

  private static Trained trained(ImageSet train, IdealImages model, ModelStore.Saved saved) {
    return new Trained(model, saved, train.countsByLabel(), train.rejectedCount(), train.emptyLabels(),
        train.hidden());
  }

  /** Step 2 with the check that names the data: at least two labels must have images. */
  static IdealImages fit(ImageSet train) {
    if (train.countsByLabel().size() < 2) {
      throw new JobException(train.spec().path() + ": training images of " + (train.countsByLabel().isEmpty()
          ? "no label" : "one label only (" + Summary.counts(train.countsByLabel()) + ")")
          + (train.emptyLabels().isEmpty() ? "" : ", empty label folders: " + String.join(", ", train.emptyLabels()))
          + "; at least two labels with images are needed to compare");
    }
    return IdealImages.fit(train);
  }

  /**
   * read valid → score → evaluate → report. {@code trainRejected} (origin, reason rows, or null) are the
   * training images set aside in the same run, recorded with the valid ones. The run's {@code run_at} is now,
   * before the valid set is read.
   */
  public static Evaluated evaluate(SparkSession spark, IdealImages model, String modelPath, String trainPath,
      DatasetSpec validSpec, String reportDir, String runId, Set<Metric> metrics, Dataset<Row> trainRejected,
      long trainRejectedCount) {
    return evaluate(spark, model, modelPath, trainPath, validSpec, reportDir, runId, metrics, trainRejected,
        trainRejectedCount, QualityGate.NONE);
  }

  /** {@link #evaluate} with a quality gate, whose verdict goes into {@code runs}. */
  public static Evaluated evaluate(SparkSession spark, IdealImages model, String modelPath, String trainPath,
      DatasetSpec validSpec, String reportDir, String runId, Set<Metric> metrics, Dataset<Row> trainRejected,
      long trainRejectedCount, QualityGate gate) {
    Instant runAt = Instant.now();
    String id = runId != null ? runId : newRunId(runAt);
    ReportWriter.checkRunId(id);
    ReportWriter.checkWritable(spark, reportDir);
    if (validSpec.shape() != null && !validSpec.shape().equals(model.shape())) {
      throw new JobException(validSpec.path() + ": its declared shape " + validSpec.shape() + " (--shape) is not the"
          + " model's " + model.shape() + "; the model scores " + model.shape() + " images only");
    }
    try (Scoring scoring = new Scoring(spark, model);
        ImageSet valid = ImageSets.read(spark, validSpec, model.shape(), scoring.pass())) {
      requireKnownLabel(valid, model);
      return score(spark, model, modelPath, trainPath, valid, scoring.examples(), reportDir, id, runAt, metrics,
          trainRejected, trainRejectedCount, gate);
    }
  }

  /** Valid images of labels the model does not know are counted, not scored; none known is an error. */
  private static void requireKnownLabel(ImageSet valid, IdealImages model) {
    if (valid.countsByLabel().keySet().stream().noneMatch(model.labels()::contains)) {
      throw new JobException(valid.spec().path() + ": none of its labels " + valid.countsByLabel().keySet()
          + " is in the model (labels " + model.labels() + ")");
    }
  }

  /**
   * Evaluates a valid set read with the scoring pass: the predictions were counted in its validation scan.
   * {@code runAt} is when the run started, before any of its data was read.
   */
  private static Evaluated score(SparkSession spark, IdealImages model, String modelPath, String trainPath,
      ImageSet valid, List<Example> scanned, String reportDir, String id, Instant runAt, Set<Metric> metrics,
      Dataset<Row> trainRejected, long trainRejectedCount, QualityGate gate) {
    Map<String, Long> unknown = new LinkedHashMap<>(valid.countsByLabel());
    unknown.keySet().removeAll(model.labels());
    Evaluation eval = Evaluation.ofCounts(valid.acceptedGroups(), model.labels(), metrics);

    Dataset<Row> rejected = valid.rejected().select(lit(valid.spec().role()).as("dataset"), col("origin"),
        col("reason"));
    if (trainRejected != null) {
      rejected = trainRejected.select(lit("train").as("dataset"), col("origin"), col("reason")).unionAll(rejected);
    }
    long unknownCount = unknown.values().stream().mapToLong(Long::longValue).sum();
    List<String> metricKeys = new ArrayList<>();
    metrics.forEach(m -> metricKeys.add(m.key()));
    RunRecord run = new RunRecord(id, runAt, model.id(), qualified(spark, modelPath), qualified(spark, trainPath),
        qualified(spark, valid.spec().path()),
        model.totalCount(), valid.imageCount(), eval.scored(), unknownCount,
        valid.rejectedCount() + trainRejectedCount, model.labels(), metricKeys,
        figure(eval, Metric.L1, false), figure(eval, Metric.L1, true),
        figure(eval, Metric.L2, false), figure(eval, Metric.L2, true),
        AppInfo.version(), spark.version(), spark.sparkContext().master());
    QualityGate.Verdict verdict = null;
    if (gate.asked()) {
      verdict = gate.check(run, RunHistory.previous(RunHistory.read(spark, reportDir), run));
      run = run.withGate(gate, verdict);
    }
    List<Example> examples = new ArrayList<>(scanned);
    for (String label : model.labels()) {
      examples.add(Example.ideal(label, model.mean(label)));
    }
    ReportWriter.Written written = ReportWriter.write(spark, reportDir, run, eval, rejected, examples,
        model.shape());
    return new Evaluated(run, eval, unknown, written, valid.emptyLabels(), valid.hidden(), verdict,
        Pages.afterRun(spark, written.root(), id));
  }

  private static final String MODEL_EXISTS = "a model already exists there; pass --overwrite to replace it";

  /**
   * Stops before any data is read when {@code path} exists and may not be replaced. The writer checks again when
   * it writes (something may have appeared meanwhile); this spares reading all the data to learn it.
   */
  private static void requireAbsent(SparkSession spark, String path, boolean overwrite, String reason) {
    if (overwrite) {
      return;
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try {
      if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new JobException(path + ": " + reason);
      }
    } catch (java.io.IOException e) {
      throw new JobException(path + ": cannot read: " + StorageFailure.describe(path, e), e);
    } catch (RuntimeException e) {
      if (StorageFailure.isMissingConnector(e)) {
        throw new JobException(path + ": cannot read: " + StorageFailure.describe(path, e), e);
      }
      throw e;
    }
  }

  /**
   * A path as its file system's URI ({@code file:/abs/path}, {@code hdfs://nn/path}): a report is read later and
   * elsewhere, where a relative path or the default file system of the writer means nothing. Null stays null.
   */
  static String qualified(SparkSession spark, String path) {
    if (path == null) {
      return null;
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new JobException(path + ": cannot resolve its file system: " + StorageFailure.describe(path, e), e);
    } catch (RuntimeException e) {
      if (StorageFailure.isMissingConnector(e)) {
        throw new JobException(path + ": cannot read: " + StorageFailure.describe(path, e), e);
      }
      throw e;
    }
  }

  private static Double figure(Evaluation eval, Metric m, boolean macro) {
    if (!eval.metrics().contains(m)) {
      return null;
    }
    double v = macro ? eval.macroAccuracy(m) : eval.overallAccuracy(m);
    return Double.isNaN(v) ? null : v;
  }

  /** Training and evaluation in one go, the training images' rejects recorded with the run. */
  public record RunOutcome(Trained trained, Evaluated evaluated) {}

  /**
   * read train → fit → read valid → save the model → score → report. Both datasets are read and checked
   * before anything is written, so bad input leaves neither a model nor a report behind.
   */
  public static RunOutcome run(SparkSession spark, DatasetSpec trainSpec, DatasetSpec validSpec, String modelDir,
      boolean overwrite, String reportDir, String runId, Set<Metric> metrics) {
    return run(spark, trainSpec, validSpec, modelDir, overwrite, reportDir, runId, metrics, QualityGate.NONE);
  }

  /** {@link #run} with a quality gate, whose verdict goes into {@code runs}. */
  public static RunOutcome run(SparkSession spark, DatasetSpec trainSpec, DatasetSpec validSpec, String modelDir,
      boolean overwrite, String reportDir, String runId, Set<Metric> metrics, QualityGate gate) {
    Instant runAt = Instant.now();
    String id = runId != null ? runId : newRunId(runAt);
    ReportWriter.checkRunId(id);
    ReportWriter.checkWritable(spark, reportDir);
    if (modelDir != null) {
      requireAbsent(spark, modelDir, overwrite, MODEL_EXISTS);
    }
    try (ImageSet train = ImageSets.read(spark, trainSpec, null, IdealImages.fitPass())) {
      IdealImages model = fit(train);
      try (Scoring scoring = new Scoring(spark, model);
          ImageSet valid = ImageSets.read(spark, validSpec, model.shape(), scoring.pass())) {
        requireKnownLabel(valid, model);
        String dir = modelDir != null ? modelDir : reportDir + "/models/" + model.id();
        ModelStore.Saved saved = ModelStore.save(spark, model, dir, trainSpec.path(), overwrite, modelDir == null,
            train.rejected(), train.rejectedCount());
        Evaluated evaluated = score(spark, model, saved.dir(), trainSpec.path(), valid, scoring.examples(), reportDir,
            id, runAt, metrics, train.rejected(), train.rejectedCount(), gate);
        return new RunOutcome(trained(train, model, saved), evaluated);
      }
    }
  }

  /**
   * What one prediction produced.
   *
   * @param images rows of the table: the images accepted
   * @param unlabelled images of them without a label of their own
   * @param inputLabels images of them per label of their own (labelled input)
   * @param rejected images set aside, listed in the table's {@code _rejected/} folder
   */
  public record Predicted(String runId, Predictions.Written table, long images, long unlabelled,
      Map<String, Long> inputLabels, long rejected, List<String> emptyLabels, List<String> hidden) {}

  /**
   * read → rank → write: every image of {@code input} that validation accepts (the model's shape, the read mode's
   * rules) gets a row in the parquet table {@code output} ({@link Predictions}); the images set aside are listed
   * in it. Labels are optional ({@code input}'s {@link org.pixelsimilarity.data.Labelling}) and carried along.
   */
  public static Predicted predict(SparkSession spark, IdealImages model, DatasetSpec input, String output,
      boolean overwrite, String runId, Set<Metric> metrics) {
    String id = runId != null ? runId : newRunId(Instant.now());
    ReportWriter.checkRunId(id);
    OutputFolder out = new OutputFolder(spark.sparkContext().hadoopConfiguration(), output, overwrite);
    try (Scoring scoring = new Scoring(spark, model);
        ImageSet set = ImageSets.read(spark, input, model.shape())) {
      Dataset<Row> ranked = scoring.rank(set.images(), metrics)
          .withColumn(Predictions.RUN_ID, lit(id))
          .withColumn(Predictions.MODEL_ID, lit(model.id()));
      Predictions.Written written = Predictions.write(spark, out, ranked, set.imageCount(), metrics,
          set.rejected(), set.rejectedCount());
      return new Predicted(id, written, set.imageCount(), set.unlabelledCount(), set.countsByLabel(),
          set.rejectedCount(), set.emptyLabels(), set.hidden());
    }
  }

  /**
   * Any input format to a parquet pixel table (label, pixels, origin, height, width). The images set aside, if any,
   * go to {@code <output>/_rejected} (origin, reason), which readers of the table skip like any '_' folder.
   *
   * @param emptyLabels label folders without images; {@code hidden}: hidden files and folders skipped (as for train)
   */
  public record Ingested(String output, long images, long rejected, String shape, String rejectedTable,
      List<String> emptyLabels, List<String> hidden) {}

  /** The folder inside an ingested table that lists the images set aside. */
  public static final String INGEST_REJECTED = "_rejected";

  public static Ingested ingest(SparkSession spark, DatasetSpec input, String output, boolean overwrite) {
    requireAbsent(spark, output, overwrite, "already exists; pass --overwrite to replace it");
    try (ImageSet set = ImageSets.read(spark, input, null)) {
      Dataset<Row> stored = set.images()
          .select(col(PixelTable.LABEL), col(PixelTable.PIXELS), col(PixelTable.ORIGIN),
              lit(set.shape().height()).as(PixelTable.HEIGHT), lit(set.shape().width()).as(PixelTable.WIDTH));
      try {
        PixelTable.write(stored, output, overwrite);
      } catch (Exception e) {
        if (e.getMessage() != null && e.getMessage().contains("already exists")) {
          throw new JobException(output + ": already exists; pass --overwrite to replace it", e);
        }
        throw e;
      }
      String rejected = null;
      if (set.rejectedCount() > 0) {
        rejected = output.replaceAll("/+$", "") + "/" + INGEST_REJECTED;
        PixelTable.withoutChecksumFiles(set.rejected().select("origin", "reason").coalesce(1).write())
            .mode("overwrite").parquet(rejected);
      }
      return new Ingested(output, set.imageCount(), set.rejectedCount(), set.shape().toString(), rejected,
          set.emptyLabels(), set.hidden());
    }
  }
}
