package org.pixelsimilarity.io;

import java.util.UUID;
import org.apache.hadoop.fs.Path;

/**
 * The one rule for names readers skip: a name starting with {@code _} or {@code .} is hidden (Spark's and Hadoop's
 * file listings, DuckDB globs over {@code <table>/*&#47;*.parquet} and Hive-style readers all skip it). Work in
 * progress lives under such names: {@code .<name>.tmp-<uuid>} beside the output it becomes, and report staging
 * under {@code _staging/}.
 */
public final class HiddenNames {
  private HiddenNames() {}

  /** Whether readers skip a file or folder of this name. */
  public static boolean isHidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  /** Whether readers skip {@code path} (by its own name). */
  public static boolean isHidden(Path path) {
    return isHidden(path.getName());
  }

  /** A fresh hidden sibling of {@code target} for work in progress: {@code .<name>.tmp-<uuid>}. */
  public static Path temporary(Path target) {
    return new Path(target.getParent(), temporaryPrefix(target) + UUID.randomUUID());
  }

  /** The start of every {@link #temporary} name of {@code target}, to find the leftovers of killed writers. */
  public static String temporaryPrefix(Path target) {
    return "." + target.getName() + ".tmp-";
  }
}
