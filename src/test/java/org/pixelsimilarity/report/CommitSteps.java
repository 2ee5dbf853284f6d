package org.pixelsimilarity.report;

import java.util.function.BiConsumer;

/**
 * For tests outside this package (the storage tier): an action at one step of a report commit in this JVM, the
 * hook {@link ReportCommit#commitStep} (steps {@code staging}, {@code staged}, {@code moved <table>} on a store
 * with atomic renames; {@code deleted old files}, {@code wrote <table>} on an object store).
 */
public final class CommitSteps {
  private CommitSteps() {}

  /** Runs {@code action} once, when run {@code runId}'s commit reaches {@code step}. */
  public static void at(String runId, String step, Runnable action) {
    BiConsumer<String, String> previous = ReportCommit.commitStep;
    ReportCommit.commitStep = (id, s) -> {
      if (id.equals(runId) && s.equals(step)) {
        ReportCommit.commitStep = previous;
        action.run();
      }
    };
  }

  /** No action at any step (and no pause: the system property's pause is for child JVMs). */
  public static void clear() {
    ReportCommit.commitStep = (id, s) -> { };
  }
}
