package org.pixelsimilarity.data;

/**
 * Whether a dataset's images must have labels, and so how an image folder is laid out. Training and evaluation
 * need a label per image; prediction takes images without one and carries a label along where the input has it.
 */
public enum Labelling {
  /**
   * Every image has a label (train, evaluate, ingest): a folder is {@code <root>/<label>/<image>}, an IDX images
   * file needs its labels file, a parquet table its {@code label} column, and a null label rejects the image.
   */
  REQUIRED,
  /**
   * Labels where the input has them, null where not (predict {@code --label-folders}): a folder is
   * {@code <root>/<label>/<image>} as for {@link #REQUIRED}; an IDX labels file is used when given or found beside
   * the images file; a parquet table's {@code label} column when it has one, null values allowed.
   */
  OPTIONAL,
  /**
   * As {@link #OPTIONAL}, except that a folder is a tree of unlabelled images (predict's default): every file under
   * the root, at any depth, is an image whose label is null; sub-folders are only folders.
   */
  OPTIONAL_IMAGE_TREE;

  /** True when a folder's sub-folders are label folders. */
  public boolean labelFolders() {
    return this != OPTIONAL_IMAGE_TREE;
  }
}
