package org.pixelsimilarity;

/**
 * An expected failure a person can act on: bad input, a missing path, a model that does not fit the data.
 * The CLI prints its message as one line (no stack trace unless --verbose) and exits with code 1.
 * Messages name the file or path first, then the reason.
 */
public class JobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobException(String message) {
    super(message);
  }

  public JobException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first JobException in a cause chain (Spark wraps executor failures), or null. */
  public static JobException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof JobException je) {
        return je;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
