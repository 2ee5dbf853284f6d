package org.pixelsimilarity.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.model.SparkMlMetadata;
import scala.Option;

/**
 * A stage's params to and from its metadata line, by Spark's own code: {@code DefaultParamsWriter.getMetadataToSave}
 * encodes them ({@code paramMap}, {@code defaultParamMap}, each value its {@code Param.jsonEncode}), and
 * {@code DefaultParamsReader.parseMetadata} with {@code Metadata.getAndSetParams} sets them back (with Spark's
 * rules for metadata of older Spark versions). The file itself is written and read by {@link SparkMlMetadata}, on
 * the folder's store: Spark's {@code DefaultParamsWriter.saveMetadata} would write it with a Spark job through
 * the Hadoop output committer (a rename, a copy on an object store; {@code .crc} files on a local disk), and
 * {@code loadMetadata} read it with another job.
 */
final class ParamsIO {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParamsIO() {}

  /** The stage {@code instance} is, with {@code labelType} (null for an estimator). */
  static SparkMlMetadata.Stage stage(SparkSession spark, Params instance, String labelType) {
    String line = DefaultParamsWriter$.MODULE$.getMetadataToSave(instance, spark);
    ObjectNode params = JSON.createObjectNode();
    try {
      JsonNode meta = JSON.readTree(line);
      params.set("paramMap", meta.path("paramMap"));
      params.set("defaultParamMap", meta.path("defaultParamMap"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Spark's metadata line is not JSON: " + line, e);
    }
    return new SparkMlMetadata.Stage(instance.getClass().getName(), instance.uid(), params, labelType);
  }

  /** Spark's reading of a metadata line of {@code className}. */
  static DefaultParamsReader.Metadata parse(String line, String className) {
    return DefaultParamsReader.parseMetadata(line, className);
  }

  /** A top-level text field of the metadata line (e.g. {@code labelType}), {@code otherwise} when absent. */
  static String field(DefaultParamsReader.Metadata meta, String name, String otherwise) {
    try {
      return JSON.readTree(meta.metadataJson()).path(name).asText(otherwise);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("metadata line is not JSON: " + meta.metadataJson(), e);
    }
  }

  /** Sets the params of {@code meta}'s {@code paramMap} and {@code defaultParamMap} on {@code instance}. */
  static void decode(DefaultParamsReader.Metadata meta, Params instance) {
    meta.getAndSetParams(instance, Option.empty());
  }
}
