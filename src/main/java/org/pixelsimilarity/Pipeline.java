package org.pixelsimilarity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.ImageSet;
import org.pixelsimilarity.data.ImageSets;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.Scanned;
import org.pixelsimilarity.data.StorageFailure;
import org.pixelsimilarity.data.TalliedRead;
import org.pixelsimilarity.io.FolderOutput;
import org.pixelsimilarity.io.Store;
import org.pixelsimilarity.model.AppInfo;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelFolder;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.model.PixelSums;
import org.pixelsimilarity.pages.Pages;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.report.Predictions;
import org.pixelsimilarity.report.QualityGate;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.report.Summary;
import org.pixelsimilarity.report.RunHistory;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.requests.EvaluateRequest;
import org.pixelsimilarity.requests.IngestRequest;
import org.pixelsimilarity.requests.PredictRequest;
import org.pixelsimilarity.requests.RunRequest;
import org.pixelsimilarity.requests.TrainRequest;
import org.pixelsimilarity.scoring.BroadcastIdeals;
import org.pixelsimilarity.scoring.EvaluationScan;
import org.pixelsimilarity.scoring.Example;
import org.pixelsimilarity.scoring.Metric;

/**
 * The five steps in order, as the subcommands use them: read images, fit the ideal images, score with the
 * broadcast distance UDF, evaluate, write the report (tables, then the pages built from them). Data flows one way;
 * each step is its own class. Each entry point takes what it is asked as one request value (package
 * {@code org.pixelsimilarity.requests}) and returns what it produced.
 */
public final class Pipeline {
  private Pipeline() {}

  /**
   * What a read of one dataset found, as the summaries tell it.
   *
   * @param images the images accepted: those of {@code byLabel} and {@code unlabelled}
   * @param rejected images set aside (dropmalformed)
   * @param byLabel accepted images per label, in label order
   * @param unlabelled accepted images without a label (inputs that need none)
   * @param emptyLabels label folders without images
   * @param hidden hidden files and folders skipped
   */
  public record ReadSummary(long images, long rejected, Map<String, Long> byLabel, long unlabelled,
      List<String> emptyLabels, List<String> hidden) {
    static ReadSummary of(ImageSet set) {
      return new ReadSummary(set.imageCount(), set.rejectedCount(), set.countsByLabel(), set.unlabelledCount(),
          set.emptyLabels(), set.hidden());
    }
  }

  /**
   * What training produced.
   *
   * @param saved where the model went; null when nothing was saved
   * @param train the training images read; those set aside are listed in the model's {@code rejected/} table
   */
  public record Trained(IdealImages model, ModelStore.Saved saved, ReadSummary train) {}

  /**
   * What one evaluation produced.
   *
   * @param run the run's row of the {@code runs} table, with the gate's verdict when one was asked
   * @param unknownLabels valid images per label the model does not know (counted, not scored)
   * @param valid the validation images read
   * @param pages the run's page and the report's index page
   */
  public record Evaluated(RunRecord run, Evaluation evaluation, Map<String, Long> unknownLabels, ReadSummary valid,
      ReportWriter.Written report, Pages.Written pages) {
    /** The quality gate's verdict; empty when no gate was asked. */
    public Optional<QualityGate.Verdict> verdict() {
      return run.gate().map(RunRecord.Gate::verdict);
    }
  }

  /** read → fit → save. With {@code modelDir} null nothing is saved. */
  public static Trained train(SparkSession spark, TrainRequest request) {
    DatasetSpec trainSpec = request.train();
    String modelDir = request.modelDir();
    if (modelDir != null) {
      requireAbsent(spark, modelDir, request.overwrite(), MODEL_EXISTS);
    }
    try (Scanned<PixelSums> train = ImageSets.read(spark, trainSpec, null, IdealImages.fitPass())) {
      IdealImages model = fit(train);
      ModelStore.Saved saved = modelDir == null ? null : ModelStore.save(spark, ModelFolder.trained(model,
          trainSpec.path(), train.set().rejected(), train.set().rejectedCount()), modelDir, request.overwrite(),
          false);
      return new Trained(model, saved, ReadSummary.of(train.set()));
    }
  }

  /** Step 2, the sums of the scan divided, with the check that names the data: at least two labels with images. */
  static IdealImages fit(Scanned<PixelSums> scanned) {
    ImageSet train = scanned.set();
    if (train.countsByLabel().size() < 2) {
      throw new JobException(train.spec().path() + ": training images of " + (train.countsByLabel().isEmpty()
          ? "no label" : "one label only (" + Summary.counts(train.countsByLabel()) + ")")
          + (train.emptyLabels().isEmpty() ? "" : ", empty label folders: " + String.join(", ", train.emptyLabels()))
          + "; at least two labels with images are needed to compare");
    }
    return IdealImages.fit(scanned);
  }

  /**
   * read valid → score → evaluate → report, the quality gate's verdict (if one is asked) in {@code runs}. The
   * run's {@code run_at} is now, before the valid set is read.
   */
  public static Evaluated evaluate(SparkSession spark, EvaluateRequest request) {
    RunContext run = RunContext.start(spark, request.report().runId());
    ReportWriter.checkWritable(spark, request.report().dir());
    IdealImages model = request.model();
    DatasetSpec validSpec = request.valid();
    if (validSpec.shape() != null && !validSpec.shape().equals(model.shape())) {
      throw new JobException(validSpec.path() + ": its declared shape " + validSpec.shape() + " (--shape) is not the"
          + " model's " + model.shape() + "; the model scores " + model.shape() + " images only");
    }
    try (EvaluationScan scan = new EvaluationScan(spark, model);
        Scanned<EvaluationScan.Scored> valid = ImageSets.read(spark, validSpec, model.shape(), scan)) {
      requireKnownLabel(valid.set(), model);
      return score(run, request, valid, null);
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
   * {@code train} (or null) is the training set read in the same run: its path and the images it set aside are
   * recorded with the valid ones.
   */
  private static Evaluated score(RunContext ctx, EvaluateRequest request, Scanned<EvaluationScan.Scored> scanned,
      ImageSet train) {
    SparkSession spark = ctx.spark();
    ImageSet valid = scanned.set();
    IdealImages model = request.model();
    Set<Metric> metrics = request.report().metrics();
    Map<String, Long> unknown = new LinkedHashMap<>(valid.countsByLabel());
    unknown.keySet().removeAll(model.labels());
    Evaluation eval = new Evaluation(model.labels(), scanned.result().confusion(metrics));

    Dataset<Row> rejected = valid.rejected().select(lit(valid.spec().role()).as("dataset"), col("origin"),
        col("reason"));
    if (train != null) {
      rejected = train.rejected().select(lit("train").as("dataset"), col("origin"), col("reason"))
          .unionAll(rejected);
    }
    long unknownCount = unknown.values().stream().mapToLong(Long::longValue).sum();
    String reportDir = request.report().dir();
    RunRecord run = runRecord(ctx, request, valid, train, new RunRecord.Counts(model.totalCount(),
        valid.imageCount(), eval.scored(), unknownCount,
        valid.rejectedCount() + (train == null ? 0 : train.rejectedCount())), eval);
    QualityGate gate = request.report().gate();
    if (gate.asked()) {
      run = run.withGate(gate, gate.check(run, RunHistory.previous(RunHistory.read(spark, reportDir), run)));
    }
    List<Example> examples = new ArrayList<>(scanned.result().examples());
    for (String label : model.labels()) {
      examples.add(Example.ideal(label, model.mean(label)));
    }
    ReportWriter.Written written = ReportWriter.write(spark, reportDir, run, eval, rejected,
        new ReportWriter.Examples(examples, model.shape()));
    return new Evaluated(run, eval, unknown, ReadSummary.of(valid), written,
        Pages.afterRun(spark, written.root(), ctx.runId(), written.settled()));
  }

  /** The run's row of {@code runs}, paths as their file system's URIs, without the gate's verdict. */
  private static RunRecord runRecord(RunContext ctx, EvaluateRequest request, ImageSet valid, ImageSet train,
      RunRecord.Counts counts, Evaluation eval) {
    SparkSession spark = ctx.spark();
    IdealImages model = request.model();
    return new RunRecord(new RunRecord.Identity(ctx.runId(), ctx.runAt()),
        new RunRecord.Inputs(model.id(), qualified(spark, request.modelPath()),
            qualified(spark, train == null ? null : train.spec().path()), qualified(spark, valid.spec().path()),
            model.labels()),
        counts, RunRecord.accuracies(eval),
        new RunRecord.Versions(AppInfo.version(), spark.version(), spark.sparkContext().master()), Optional.empty());
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
      if (FolderOutput.holdsOutput(Store.of(spark, p), p)) {
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

  /** Training and evaluation in one go, the training images' rejects recorded with the run. */
  public record RunOutcome(Trained trained, Evaluated evaluated) {}

  /**
   * read train → fit → read valid → save the model → score → report. Both datasets are read and checked
   * before anything is written, so bad input leaves neither a model nor a report behind.
   */
  public static RunOutcome run(SparkSession spark, RunRequest request) {
    RunContext run = RunContext.start(spark, request.report().runId());
    String reportDir = request.report().dir();
    ReportWriter.checkWritable(spark, reportDir);
    DatasetSpec trainSpec = request.train();
    DatasetSpec validSpec = request.valid();
    String modelDir = request.modelDir();
    boolean overwrite = request.overwrite();
    if (modelDir != null) {
      requireAbsent(spark, modelDir, overwrite, MODEL_EXISTS);
    }
    try (Scanned<PixelSums> train = ImageSets.read(spark, trainSpec, null, IdealImages.fitPass())) {
      IdealImages model = fit(train);
      try (EvaluationScan scan = new EvaluationScan(spark, model);
          Scanned<EvaluationScan.Scored> valid = ImageSets.read(spark, validSpec, model.shape(), scan)) {
        requireKnownLabel(valid.set(), model);
        String dir = modelDir != null ? modelDir : reportDir + "/models/" + model.id();
        ModelStore.Saved saved = ModelStore.save(spark, ModelFolder.trained(model, trainSpec.path(),
            train.set().rejected(), train.set().rejectedCount()), dir, overwrite, modelDir == null);
        Evaluated evaluated = score(run, new EvaluateRequest(model, saved.dir(), validSpec, request.report()), valid,
            train.set());
        return new RunOutcome(new Trained(model, saved, ReadSummary.of(train.set())), evaluated);
      }
    }
  }

  /**
   * What one prediction produced.
   *
   * @param input the images read: those accepted are the table's rows, with their own labels if they have any;
   *     those set aside are listed in the table's {@code _rejected/} folder
   */
  public record Predicted(String runId, Predictions.Written table, ReadSummary input) {}

  /**
   * read → rank → write in one scan: every image of {@code input} that validation accepts (the model's shape, the
   * read mode's rules) gets a row in the parquet table {@code output} ({@link Predictions}); the images set aside
   * are listed in it. The job that ranks and writes counts validation's tallies as it reads
   * ({@link ImageSets#tallied}); validation's checks run on them before the table is made visible, so bad input
   * leaves nothing behind. Labels are optional ({@code input}'s {@link org.pixelsimilarity.data.Labelling}) and
   * carried along.
   */
  public static Predicted predict(SparkSession spark, PredictRequest request) {
    String id = RunContext.start(spark, request.runId()).runId();
    IdealImages model = request.model();
    Set<Metric> metrics = request.metrics();
    try (FolderOutput out = FolderOutput.start(spark, request.output(), request.overwrite(), OUTPUT_EXISTS);
        BroadcastIdeals ideals = new BroadcastIdeals(spark, model);
        TalliedRead read = ImageSets.tallied(spark, request.input(), model.shape())) {
      Dataset<Row> ranked = ideals.rank(read.images(), metrics)
          .withColumn(Predictions.RUN_ID, lit(id))
          .withColumn(Predictions.MODEL_ID, lit(model.id()));
      Predictions.Rows rows = read.during(() -> Predictions.writeRows(spark, out, ranked, metrics));
      ImageSet set = read.validated(); // bad input stops here: the output is never committed, and removed
      return new Predicted(id, Predictions.commit(spark, out, rows, set), ReadSummary.of(set));
    }
  }

  /**
   * Any input format to a parquet pixel table (label, pixels, origin, height, width). The images set aside, if any,
   * go to {@code <output>/_rejected} (origin, reason), which readers of the table skip like any '_' folder.
   *
   * @param shape the images' shape, e.g. {@code 28x28}
   * @param rejectedTable the {@value #INGEST_REJECTED} folder, null when no image was set aside
   * @param input the images read
   */
  public record Ingested(String output, String shape, String rejectedTable, ReadSummary input) {}

  /** The folder inside an ingested table that lists the images set aside. */
  public static final String INGEST_REJECTED = PixelTable.REJECTED;

  public static Ingested ingest(SparkSession spark, IngestRequest request) {
    String output = request.output();
    boolean overwrite = request.overwrite();
    requireAbsent(spark, output, overwrite, OUTPUT_EXISTS);
    try (ImageSet set = ImageSets.read(spark, request.input(), null);
        FolderOutput out = FolderOutput.start(spark, output, overwrite, OUTPUT_EXISTS)) {
      Dataset<Row> stored = set.images()
          .select(col(PixelTable.LABEL), col(PixelTable.PIXELS), col(PixelTable.ORIGIN),
              lit(set.shape().height()).as(PixelTable.HEIGHT), lit(set.shape().width()).as(PixelTable.WIDTH));
      if (set.shape().colour()) { // a gray table keeps the columns it always had
        stored = stored.withColumn(PixelTable.CHANNELS, lit(set.shape().channels()));
      }
      String rejected = PixelTable.write(stored, out, set.rejected().select("origin", "reason"), set.rejectedCount())
          ? output.replaceAll("/+$", "") + "/" + INGEST_REJECTED : null;
      out.commit();
      return new Ingested(output, set.shape().toString(), rejected, ReadSummary.of(set));
    }
  }

  private static final String OUTPUT_EXISTS = "already exists; pass --overwrite to replace it";
}
