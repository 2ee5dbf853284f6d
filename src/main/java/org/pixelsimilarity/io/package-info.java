/**
 * Outputs on any store: how a file or a folder the job writes becomes visible, so that a reader never sees half of
 * one. Everything that writes (the model folder, {@code predict} and {@code ingest} tables, the report tables, the
 * pages) goes through this package; docs/report-tables.md and docs/model.md say what a reader sees at each moment
 * of a crash.
 *
 * <ul>
 *   <li>{@link org.pixelsimilarity.io.Store} ({@code Store.of(path, conf)}): the path's file system and its
 *       {@link org.pixelsimilarity.io.Store.Commit way}: {@code RENAME} where a rename is atomic (local disk,
 *       HDFS), {@code MARKER} on object stores (S3, GCS, Azure), where a rename is a copy; the Hadoop setting
 *       {@value org.pixelsimilarity.io.Store#COMMIT_KEY} forces one. {@code create} (a new file, no {@code .crc}
 *       side file; {@code java.nio} on a local disk), {@code writeWhole} (a small file replaced whole: a page, a
 *       marker, a report file), {@code isLocal} for the few {@code java.io} fast paths.
 *   <li>{@link org.pixelsimilarity.io.FolderOutput}: {@code start}, write into {@code dir()}, {@code commit()},
 *       {@code close()}: renamed into place from {@code .<name>.tmp-<uuid>/}, or written in place with a
 *       {@code _PENDING} note first and the {@code _COMMITTED} marker last; {@code isIncomplete} for readers;
 *       {@code writeParquet} for Spark writes into it.
 *   <li>{@link org.pixelsimilarity.io.MarkerCommitProtocol}: Spark's file commit of the marker way: each task's
 *       file written once under its final name, the kept attempts' files listed in the marker
 *       ({@link org.pixelsimilarity.io.CommittedFiles}, whose {@code toRead} is what readers of tables read).
 *   <li>{@link org.pixelsimilarity.io.WriterNote}: host and process of a writer, so the next writer tells a killed
 *       writer's leftovers (cleared) from a live writer's work (left alone).
 *   <li>{@link org.pixelsimilarity.io.HiddenNames}: the one rule for names readers skip ({@code _…}, {@code .…}).
 * </ul>
 *
 * The report's commit of a run over five tables ({@code report.ReportCommit}) is built on these: a manifest and
 * renames, {@code runs} last, or on an object store each file written whole under its final name, {@code runs}
 * last.
 */
package org.pixelsimilarity.io;
