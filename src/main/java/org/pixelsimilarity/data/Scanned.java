package org.pixelsimilarity.data;

/**
 * What one scan of a dataset gives: the validated images and the result of the {@link ScanPass} done in the same
 * scan (the fit's sums, the scoring's counts and examples).
 */
public record Scanned<R>(ImageSet set, R result) implements AutoCloseable {
  /** Frees what {@link ImageSet#close()} frees. */
  @Override
  public void close() {
    set.close();
  }
}
