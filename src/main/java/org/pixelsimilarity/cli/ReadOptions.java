package org.pixelsimilarity.cli;

import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.Channels;
import org.pixelsimilarity.data.DatasetSpec;
import org.pixelsimilarity.data.InputFormat;
import org.pixelsimilarity.data.Labelling;
import org.pixelsimilarity.data.ReadMode;
import org.pixelsimilarity.data.Shape;
import picocli.CommandLine.Option;

/** Options of every subcommand that reads images. */
public final class ReadOptions {
  /** Spark configuration keys for the defaults of --mode and --max-rejected-fraction. */
  public static final String MODE_KEY = "spark.pixelsimilarity.mode";
  public static final String MAX_REJECTED_KEY = "spark.pixelsimilarity.maxRejectedFraction";

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", converter = Converters.Format.class,
      description = "Input format: auto (default: from the path), folder, idx or parquet.")
  String format;

  @Option(names = "--labels", paramLabel = "A,B,...", converter = Converters.LabelList.class,
      description = "Keep only images of these labels (e.g. 3,7) in every dataset read; others are skipped, not"
          + " rejected.")
  Set<String> labels = Set.of();

  @Option(names = "--mode", paramLabel = "MODE", converter = Converters.Mode.class,
      description = "failfast: stop at the first bad image; dropmalformed: set bad images aside in the rejected "
          + "table. Default: conf " + MODE_KEY + ", else dropmalformed.")
  ReadMode mode;

  @Option(names = "--max-rejected-fraction", paramLabel = "F",
      description = "With dropmalformed, fail when more than this fraction of a dataset is rejected. Default: conf "
          + MAX_REJECTED_KEY + ", else 0.01.")
  Double maxRejectedFraction;

  @Option(names = "--shape", paramLabel = "HxW[xC]", converter = Converters.ShapeOf.class,
      description = "Image shape of a parquet table that has no height/width columns (e.g. 28x28, 32x32x3).")
  Shape shape;

  @Option(names = "--channels", paramLabel = "auto|1|3", converter = Converters.ChannelCount.class,
      description = "1: read every image gray (colour converted as PIL's convert(\"L\")); 3: read every image in"
          + " colour (gray as R = G = B); auto: colour when any image has colour, else gray (scoring: the"
          + " model's). Default: auto.")
  Channels channels = Channels.AUTO;

  DatasetSpec spec(SparkSession spark, String role, String path, String idxLabels) {
    ReadMode m = mode;
    double f;
    String key = MODE_KEY;
    try {
      if (m == null) {
        m = ReadMode.parse(spark.conf().get(MODE_KEY, "dropmalformed"));
      }
      key = MAX_REJECTED_KEY;
      f = maxRejectedFraction != null ? maxRejectedFraction
          : Double.parseDouble(spark.conf().get(MAX_REJECTED_KEY, "0.01"));
      InputFormat fmt = "auto".equalsIgnoreCase(format) ? null : InputFormat.parse(format);
      return new DatasetSpec(role, new DatasetSpec.Source(path, fmt, idxLabels), labels, Labelling.REQUIRED,
          new DatasetSpec.Form(shape, channels), new DatasetSpec.Strictness(m, f));
    } catch (IllegalArgumentException e) {
      throw new JobException("conf " + key + "=" + spark.conf().get(key, "") + ": " + e.getMessage()
          + "; fix it in --conf or spark-defaults.conf", e);
    }
  }

  /** Checks what can be checked before Spark starts, so usage errors come out as usage errors. */
  void check() {
    if (maxRejectedFraction != null && (maxRejectedFraction < 0 || maxRejectedFraction > 1)) {
      throw new IllegalArgumentException("--max-rejected-fraction must be within 0..1, got " + maxRejectedFraction);
    }
  }
}
