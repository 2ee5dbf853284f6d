package org.pixelsimilarity.data;

import java.net.URI;
import java.util.Map;
import org.apache.spark.SparkThrowable;
import org.pixelsimilarity.JobException;

/**
 * A data file that breaks only when an executor scans it (a parquet file cut short, a damaged page): Spark
 * fails the task and the job with {@code FAILED_READ_FILE}, naming the file in the error's parameters. This
 * turns that into the one line of every other bad input, {@code <file>: <what>}; the stack trace stays with
 * {@code --verbose}. When the store failed the read (the file gone since the listing, a connection refused or
 * reset, access denied), the line says so: Spark has retried the task, and the file is not to blame.
 */
final class DataFileFailure {
  private static final String CONDITION = "FAILED_READ_FILE";

  private DataFileFailure() {}

  /** The JobException for a file read failure somewhere in {@code t}'s cause chain, or null if there is none. */
  static JobException find(Throwable t) {
    for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof SparkThrowable st && st.getCondition() != null && st.getCondition().startsWith(CONDITION)) {
        Map<String, String> params = st.getMessageParameters();
        String file = params == null ? null : params.get("path");
        if (file != null && StorageFailure.isStorageFailure(c)) {
          return new JobException(displayed(file) + ": cannot read: " + StorageFailure.describe(file, c)
              + " (a storage error, not a corrupt file)", t);
        }
        if (file != null) {
          return new JobException(displayed(file) + ": corrupt or unreadable parquet data file: " + innermost(c), t);
        }
      }
    }
    return null;
  }

  /** {@code file:///tmp/x} as Hadoop names it elsewhere in our messages, {@code file:/tmp/x}. */
  private static String displayed(String file) {
    try {
      return new org.apache.hadoop.fs.Path(new URI(file)).toString();
    } catch (Exception e) {
      return file;
    }
  }

  /** The first line of the deepest cause that says something: the reader's own words about the damage. */
  private static String innermost(Throwable t) {
    String said = null;
    for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        said = c.getMessage().lines().findFirst().orElse("").trim();
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return said != null ? said : t.getClass().getSimpleName();
  }
}
