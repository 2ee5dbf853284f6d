package org.pixelsimilarity.ml;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Option;

/**
 * Params to and from the {@code paramMap} / {@code defaultParamMap} of Spark ML's metadata line
 * ({@link org.pixelsimilarity.model.SparkMlMetadata}), each value as its {@link Param#jsonEncode}, the way Spark's
 * own {@code DefaultParamsWriter} and {@code DefaultParamsReader} do it.
 */
final class ParamsIO {
  private ParamsIO() {}

  /** The params set explicitly ({@code defaults} false) or the defaults, by name. */
  @SuppressWarnings("unchecked")
  static Map<String, String> encoded(Params instance, boolean defaults) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Param<?> p : instance.params()) {
      Param<Object> param = (Param<Object>) p;
      Option<Object> value = defaults ? instance.getDefault(param) : instance.get(param);
      if (value.isDefined()) {
        out.put(param.name(), param.jsonEncode(value.get()));
      }
    }
    return out;
  }

  /** Sets the params of {@code meta}'s {@code paramMap} and {@code defaultParamMap} on {@code instance}. */
  static void decode(JsonNode meta, Params instance) {
    decode(meta.path("defaultParamMap"), instance, true);
    decode(meta.path("paramMap"), instance, false);
  }

  @SuppressWarnings("unchecked")
  private static void decode(JsonNode map, Params instance, boolean defaults) {
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!instance.hasParam(e.getKey())) {
        throw new IllegalArgumentException(instance.getClass().getSimpleName() + " has no param '" + e.getKey()
            + "' (saved metadata: " + map + ")");
      }
      Param<Object> param = (Param<Object>) instance.getParam(e.getKey());
      Object value = param.jsonDecode(e.getValue().toString());
      if (defaults) {
        instance.setDefault(param, value);
      } else {
        instance.set(param, value);
      }
    }
  }
}
