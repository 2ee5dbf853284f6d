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
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.model.AppInfo;
import org.pixelsimilarity.model.IdealImages;
import org.pixelsimilarity.model.ModelStore;
import org.pixelsimilarity.report.Evaluation;
import org.pixelsimilarity.report.ReportWriter;
import org.pixelsimilarity.report.RunRecord;
import org.pixelsimilarity.scoring.Metric;
import org.pixelsimilarity.scoring.Scoring;

/**
 * The five steps in order, as the subcommands use them: read images, fit the ideal images, score with the
 * broadcast distance UDF, evaluate, write the report. Data flows one way; each step is its own class.
 */
public final class Pipeline {
  private Pipeline() {}

  /** What training produced. */
  public record Trained(IdealImages model, ModelStore.Saved saved, Map<String, Long> counts, long rejected) {}

  /** What one evaluation produced. */
  public record Evaluated(RunRecord run, Evaluation evaluation, Map<String, Long> unknownLabels,
      ReportWriter.Written report, List<String> emptyLabels) {}

  /** A new run id: UTC time and a random suffix, e.g. {@code 20261124T233000Z-1a2b3c4d}. */
  public static String newRunId(Instant at) {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** read → fit → save. With {@code modelDir} null nothing is saved. */
  public static Trained train(SparkSession spark, DatasetSpec trainSpec, String modelDir, boolean overwrite,
      boolean reuseSameId) {
    try (ImageSet train = ImageSets.read(spark, trainSpec, null, IdealImages.fitPass())) {
      IdealImages model = IdealImages.fit(train);
      ModelStore.Saved saved = modelDir == null ? null
          : ModelStore.save(spark, model, modelDir, trainSpec.path(), overwrite, reuseSameId);
      return new Trained(model, saved, train.countsByLabel(), train.rejectedCount());
    }
  }

  /**
   * read valid → score → evaluate → report. {@code trainRejected} (origin, reason rows, or null) are the
   * training images set aside in the same run, recorded with the valid ones.
   */
  public static Evaluated evaluate(SparkSession spark, IdealImages model, String modelPath, String trainPath,
      DatasetSpec validSpec, String reportDir, String runId, Set<Metric> metrics, Dataset<Row> trainRejected,
      long trainRejectedCount) {
    Instant runAt = Instant.now();
    String id = runId != null ? runId : newRunId(runAt);
    ReportWriter.checkRunId(id);
    try (Scoring scoring = new Scoring(spark, model);
        ImageSet valid = ImageSets.read(spark, validSpec, model.shape(), scoring.pass())) {
      Map<String, Long> unknown = new LinkedHashMap<>();
      long known = 0;
      for (Map.Entry<String, Long> e : valid.countsByLabel().entrySet()) {
        if (model.labels().contains(e.getKey())) {
          known += e.getValue();
        } else {
          unknown.put(e.getKey(), e.getValue());
        }
      }
      if (known == 0) {
        throw new JobException(validSpec.path() + ": none of its labels " + valid.countsByLabel().keySet()
            + " is in the model (labels " + model.labels() + ")");
      }
      Evaluation eval = Evaluation.ofCounts(valid.acceptedGroups(), model.labels(), metrics);

      Dataset<Row> rejected = valid.rejected().select(lit(validSpec.role()).as("dataset"), col("origin"),
          col("reason"));
      if (trainRejected != null) {
        rejected = trainRejected.select(lit("train").as("dataset"), col("origin"), col("reason")).unionAll(rejected);
      }
      long unknownCount = unknown.values().stream().mapToLong(Long::longValue).sum();
      List<String> metricKeys = new ArrayList<>();
      metrics.forEach(m -> metricKeys.add(m.key()));
      RunRecord run = new RunRecord(id, runAt, model.id(), modelPath, trainPath, validSpec.path(),
          model.totalCount(), valid.imageCount(), eval.scored(), unknownCount,
          valid.rejectedCount() + trainRejectedCount, model.labels(), metricKeys,
          figure(eval, Metric.L1, false), figure(eval, Metric.L1, true),
          figure(eval, Metric.L2, false), figure(eval, Metric.L2, true),
          AppInfo.version(), spark.version(), spark.sparkContext().master());
      ReportWriter.Written written = ReportWriter.write(spark, reportDir, run, eval, rejected);
      return new Evaluated(run, eval, unknown, written, valid.emptyLabels());
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

  public static RunOutcome run(SparkSession spark, DatasetSpec trainSpec, DatasetSpec validSpec, String modelDir,
      boolean overwrite, String reportDir, String runId, Set<Metric> metrics) {
    try (ImageSet train = ImageSets.read(spark, trainSpec, null, IdealImages.fitPass())) {
      IdealImages model = IdealImages.fit(train);
      String dir = modelDir != null ? modelDir : reportDir + "/models/" + model.id();
      ModelStore.Saved saved = ModelStore.save(spark, model, dir, trainSpec.path(), overwrite, modelDir == null);
      Trained trained = new Trained(model, saved, train.countsByLabel(), train.rejectedCount());
      Evaluated evaluated = evaluate(spark, model, saved.dir(), trainSpec.path(), validSpec, reportDir, runId,
          metrics, train.rejected(), train.rejectedCount());
      return new RunOutcome(trained, evaluated);
    }
  }

  /** Any input format to a parquet pixel table (label, pixels, origin, height, width). */
  public record Ingested(String output, long images, long rejected, String shape) {}

  public static Ingested ingest(SparkSession spark, DatasetSpec input, String output, boolean overwrite) {
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
      return new Ingested(output, set.imageCount(), set.rejectedCount(), set.shape().toString());
    }
  }
}
