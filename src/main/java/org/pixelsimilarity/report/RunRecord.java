package org.pixelsimilarity.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.pixelsimilarity.scoring.Metric;

/**
 * One row of the {@code runs} table ({@link ReportTables#RUNS_SCHEMA}): what was run, on what, and its headline
 * figures, in a few parts. {@link #toRow()} and {@link #of(Row)} are the one mapping to and from the table's
 * columns.
 *
 * @param accuracies per evaluated metric, in {@link Metric} order: its keys are the {@code metrics} column
 * @param gate the quality gate's thresholds and verdict; empty when no gate was asked
 */
public record RunRecord(Identity identity, Inputs inputs, Counts counts, Map<Metric, Accuracy> accuracies,
    Versions versions, Optional<Gate> gate) {

  /** Which run, and when it started (before any of its data was read). */
  public record Identity(String runId, Instant runAt) {}

  /**
   * The model and the datasets, paths as their file system's URIs.
   *
   * @param trainPath null for an evaluate of a saved model
   * @param labels the model's labels, in its order
   */
  public record Inputs(String modelId, String modelPath, String trainPath, String validPath, List<String> labels) {
    public Inputs {
      labels = List.copyOf(labels);
    }
  }

  /**
   * Image counts.
   *
   * @param unknownLabelImages valid images whose label the model does not know: counted, never scored
   * @param rejectedImages images set aside in this run, training and validation
   */
  public record Counts(long trainImages, long validImages, long scoredImages, long unknownLabelImages,
      long rejectedImages) {}

  /** One metric's overall and macro-average accuracy; null when undefined (no image scored). */
  public record Accuracy(Double overall, Double macro) {
    /** The figures of {@code m} in {@code eval}, NaN as null. */
    public static Accuracy of(Evaluation eval, Metric m) {
      return new Accuracy(orNull(eval.overallAccuracy(m)), orNull(eval.macroAccuracy(m)));
    }

    private static Double orNull(double v) {
      return Double.isNaN(v) ? null : v;
    }
  }

  /** This job's version, Spark's, and the master the run was on. */
  public record Versions(String app, String spark, String master) {}

  /** The quality gate that was asked and its verdict on the run. */
  public record Gate(QualityGate thresholds, QualityGate.Verdict verdict) {}

  public RunRecord {
    Objects.requireNonNull(gate, "gate: Optional.empty() when no gate was asked");
    EnumMap<Metric, Accuracy> copy = new EnumMap<>(Metric.class);
    copy.putAll(accuracies);
    accuracies = Collections.unmodifiableMap(copy);
  }

  /** The accuracies of every metric {@code eval} has. */
  public static Map<Metric, Accuracy> accuracies(Evaluation eval) {
    Map<Metric, Accuracy> out = new EnumMap<>(Metric.class);
    for (Metric m : eval.metrics()) {
      out.put(m, Accuracy.of(eval, m));
    }
    return out;
  }

  public String runId() {
    return identity.runId();
  }

  public Instant runAt() {
    return identity.runAt();
  }

  /** The metrics evaluated, in {@link Metric} order. */
  public Set<Metric> metrics() {
    return accuracies.keySet();
  }

  /** Overall accuracy of {@code m}; null when not evaluated or undefined. */
  public Double accuracy(Metric m) {
    Accuracy a = accuracies.get(m);
    return a == null ? null : a.overall();
  }

  /** Macro-average accuracy of {@code m}; null when not evaluated or undefined. */
  public Double macroAccuracy(Metric m) {
    Accuracy a = accuracies.get(m);
    return a == null ? null : a.macro();
  }

  /** The same run with the gate's thresholds and verdict. */
  public RunRecord withGate(QualityGate thresholds, QualityGate.Verdict verdict) {
    return new RunRecord(identity, inputs, counts, accuracies, versions, Optional.of(new Gate(thresholds, verdict)));
  }

  /** The row of the {@code runs} table, its columns in {@link ReportTables#RUNS_SCHEMA}'s order. */
  public Row toRow() {
    List<String> metricKeys = new ArrayList<>();
    metrics().forEach(m -> metricKeys.add(m.key()));
    return RowFactory.create(runId(), Timestamp.from(runAt()), inputs.modelId(), inputs.modelPath(),
        inputs.trainPath(), inputs.validPath(), counts.trainImages(), counts.validImages(), counts.scoredImages(),
        counts.unknownLabelImages(), counts.rejectedImages(), toSeq(inputs.labels()), toSeq(metricKeys),
        accuracy(Metric.L1), macroAccuracy(Metric.L1), accuracy(Metric.L2), macroAccuracy(Metric.L2),
        versions.app(), versions.spark(), versions.master(), gate.map(g -> g.verdict().text()).orElse(null),
        gate.map(g -> g.thresholds().minAccuracy()).orElse(null),
        gate.map(g -> g.thresholds().maxDrop()).orElse(null));
  }

  /** A row of the {@code runs} table read back; columns added later (the gate's) are null in older files. */
  public static RunRecord of(Row r) {
    Map<Metric, Accuracy> accuracies = new EnumMap<>(Metric.class);
    for (String key : r.<String>getList(r.fieldIndex("metrics"))) {
      Metric m = Metric.valueOf(key.toUpperCase(Locale.ROOT));
      accuracies.put(m, new Accuracy(r.getAs("accuracy_" + key), r.getAs("macro_accuracy_" + key)));
    }
    String verdict = r.getAs("gate");
    Optional<Gate> gate = verdict == null ? Optional.empty() : Optional.of(new Gate(
        new QualityGate(r.getAs("gate_min_accuracy"), r.getAs("gate_max_drop")), QualityGate.Verdict.of(verdict)));
    return new RunRecord(new Identity(r.getAs("run_id"), ((Timestamp) r.getAs("run_at")).toInstant()),
        new Inputs(r.getAs("model_id"), r.getAs("model_path"), r.getAs("train_path"), r.getAs("valid_path"),
            r.getList(r.fieldIndex("labels"))),
        new Counts(r.<Long>getAs("train_images"), r.<Long>getAs("valid_images"), r.<Long>getAs("scored_images"),
            r.<Long>getAs("unknown_label_images"), r.<Long>getAs("rejected_images")),
        accuracies, new Versions(r.getAs("app_version"), r.getAs("spark_version"), r.getAs("master")), gate);
  }

  private static scala.collection.immutable.Seq<String> toSeq(List<String> values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(values).toList();
  }
}
