package org.pixelsimilarity.data;

/**
 * One group of validation's aggregation over a dataset's decoded rows (see {@link ScanPass}).
 *
 * @param label the images' label, null for images without one (inputs read without {@link Labelling#REQUIRED})
 * @param shape the images' shape, null for images the reader could not decode
 * @param ok decoded without error (the images may still be of another shape than the set's)
 * @param count images in the group
 * @param values the {@link ScanPass}'s values for the group
 */
public record ValidationGroup<V>(String label, Shape shape, boolean ok, long count, V values) {
  /**
   * Images a validated set of {@code setShape} keeps: decoded without error and of that height and width, with its
   * channels or, in a colour set, gray (they become R = G = B).
   */
  public boolean accepted(Shape setShape) {
    return ok && shape != null && setShape != null && setShape.height() == shape.height()
        && setShape.width() == shape.width() && shape.channels() <= setShape.channels();
  }
}
