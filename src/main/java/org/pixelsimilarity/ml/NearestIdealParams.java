package org.pixelsimilarity.ml;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;

/**
 * The params {@link NearestIdealClassifier} and {@link NearestIdealModel} share, with Spark's names and defaults.
 * Declared here in Java rather than by mixing in Spark's {@code HasFeaturesCol}-style Scala traits: those create
 * their params while the Java object is still being constructed, before its {@code uid} is set, so the params
 * would belong to a null parent. Each class creates its {@link Declared} params in its constructor, after the uid.
 * (Public only because Spark finds params through public methods by reflection.)
 */
public interface NearestIdealParams extends Params {
  /** The metrics, as the {@code metric} param spells them. */
  List<String> METRICS = List.of("l1", "l2");

  /** The params of one instance. */
  final class Declared implements Serializable {
    private static final long serialVersionUID = 1L;
    final Param<String> featuresCol;
    final Param<String> labelCol;
    final Param<String> predictionCol;
    final Param<String> rawPredictionCol;
    final Param<String> predictedLabelCol;
    final Param<String> metric;

    Declared(Params owner) {
      featuresCol = new Param<>((Identifiable) owner, "featuresCol", "features column: binary (height*width "
          + "bytes, row-major, 0..255) or an ML Vector of the same values", nonEmpty());
      labelCol = new Param<>((Identifiable) owner, "labelCol", "label column: numeric (prediction = the nearest"
          + " class's label value) or string (prediction = its class index)", nonEmpty());
      predictionCol = new Param<>((Identifiable) owner, "predictionCol", "prediction column name", nonEmpty());
      rawPredictionCol = new Param<>((Identifiable) owner, "rawPredictionCol", "raw prediction column name:"
          + " -distance to each class's ideal image, in class order; empty for none", any());
      predictedLabelCol = new Param<>((Identifiable) owner, "predictedLabelCol", "column of the predicted label as"
          + " text, added for string labels only; empty for none", any());
      metric = new Param<>((Identifiable) owner, "metric", "distance: l1 (mean absolute difference) or l2 (root"
          + " mean squared difference), pixels on the 0..1 scale", ParamValidators.inArray(METRICS));
      owner.setDefault(featuresCol, "pixels");
      owner.setDefault(labelCol, "label");
      owner.setDefault(predictionCol, "prediction");
      owner.setDefault(rawPredictionCol, "rawPrediction");
      owner.setDefault(predictedLabelCol, "predictedLabel");
      owner.setDefault(metric, "l1");
    }

    private static scala.Function1<String, Object> any() {
      return (scala.Function1<String, Object> & Serializable) v -> v != null;
    }

    private static scala.Function1<String, Object> nonEmpty() {
      return (scala.Function1<String, Object> & Serializable) v -> v != null && !v.isEmpty();
    }
  }

  /** This instance's params, made in its constructor. */
  Declared declaredParams();

  default Param<String> featuresCol() {
    return declaredParams().featuresCol;
  }

  default Param<String> labelCol() {
    return declaredParams().labelCol;
  }

  default Param<String> predictionCol() {
    return declaredParams().predictionCol;
  }

  default Param<String> rawPredictionCol() {
    return declaredParams().rawPredictionCol;
  }

  default Param<String> predictedLabelCol() {
    return declaredParams().predictedLabelCol;
  }

  default Param<String> metric() {
    return declaredParams().metric;
  }

  default String getFeaturesCol() {
    return getOrDefault(featuresCol());
  }

  default String getLabelCol() {
    return getOrDefault(labelCol());
  }

  default String getPredictionCol() {
    return getOrDefault(predictionCol());
  }

  default String getRawPredictionCol() {
    return getOrDefault(rawPredictionCol());
  }

  default String getPredictedLabelCol() {
    return getOrDefault(predictedLabelCol());
  }

  default String getMetric() {
    return getOrDefault(metric());
  }
}
