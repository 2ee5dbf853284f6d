/**
 * Internal: reading images (folders, IDX files, parquet pixel tables), validating them, and writing small
 * parquet tables. Not an API; public only because the other packages of this project call it, and free to
 * change in any release. {@code DatasetSpec} is the one type the API takes
 * ({@link org.pixelsimilarity.ml.PixelImages#load}).
 */
package org.pixelsimilarity.data;
