package org.pixelsimilarity.model;

import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * For tests outside this package (the storage tier): an action when a model's files are all written and not yet
 * committed ({@link ModelStore#beforeMove}).
 */
public final class ModelSaveSteps {
  private ModelSaveSteps() {}

  /** Runs {@code action} with the folder written into, once, before the next save's commit. */
  public static void beforeCommit(Consumer<Path> action) {
    ModelStore.beforeMove = dir -> {
      ModelStore.beforeMove = d -> { };
      action.accept(dir);
    };
  }

  public static void clear() {
    ModelStore.beforeMove = d -> { };
  }
}
