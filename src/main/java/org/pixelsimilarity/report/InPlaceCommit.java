package org.pixelsimilarity.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pixelsimilarity.io.Store;
import org.pixelsimilarity.io.WriterNote;

/**
 * A run's commit on a store without atomic renames (an object store: {@link Store.Commit#MARKER}): every file
 * written once under its final name, {@code runs} last as the run's commit marker, under a manifest in
 * {@code _commits/} that the next writer settles when the writer was killed ({@link ReportCommit#recover}). The
 * rename way, staging and manifest-driven renames, is {@link ReportCommit}.
 */
final class InPlaceCommit {
  private InPlaceCommit() {}

  /** What writes one table's file of a run (its final name given). */
  @FunctionalInterface
  interface TableFile {
    void write(Path file) throws IOException;
  }

  /**
   * Commits one run on a store without atomic renames ({@link Store.Commit#MARKER}): nothing is staged or
   * renamed. A manifest (the run id's existing files, the new files) is written to {@code _commits/} first; then
   * the run id's old files are deleted, {@code runs} first (the old run leaves every reader keyed on {@code runs}
   * at once); then each table's file is written under its final name, whole ({@link Store#writeWhole}),
   * {@code runs} last: the {@code runs} row is the run's commit marker. The manifest is deleted at the end; a
   * manifest of a killed writer is settled by {@link #finish}.
   *
   * @param tables each table's writer; {@code runs} is written last whatever the order
   */
  static Map<String, String> commit(Store store, Path root, String uuid, String runId, String date,
      Map<String, TableFile> tables) throws IOException {
    FileSystem fs = store.fs();
    Map<String, String> files = new LinkedHashMap<>();
    ObjectNode manifest = ReportCommit.JSON.createObjectNode();
    manifest.put("run_id", runId);
    manifest.put("commit", ReportCommit.MARKER);
    manifest.setAll(WriterNote.ofThisProcess());
    ArrayNode old = manifest.putArray("delete");
    for (Path p : ReportCommit.existingFiles(fs, root, runId)) {
      old.add(p.toString());
    }
    ObjectNode written = manifest.putObject("files");
    for (String table : ReportTables.ALL) {
      Path to = new Path(new Path(new Path(root, table), "run_date=" + date), runId + ".parquet");
      written.put(table, to.toString());
      files.put(table, to.toString());
    }
    Path manifestFile = new Path(new Path(root, ReportCommit.COMMITS), uuid + ".json");
    ReportCommit.APPLYING.add(manifestFile.getName());
    try {
      store.writeWhole(manifestFile, out -> ReportCommit.JSON.writeValue(out, manifest));
      for (JsonNode f : old) {
        fs.delete(new Path(f.asText()), false);
      }
      ReportCommit.commitStep.accept(runId, "deleted old files");
      for (String table : ReportTables.ALL) {
        if (!table.equals(ReportTables.RUNS)) {
          tables.get(table).write(new Path(files.get(table)));
          ReportCommit.commitStep.accept(runId, "wrote " + table);
        }
      }
      tables.get(ReportTables.RUNS).write(new Path(files.get(ReportTables.RUNS)));
      ReportCommit.commitStep.accept(runId, "wrote " + ReportTables.RUNS);
      fs.delete(manifestFile, false);
    } finally {
      ReportCommit.APPLYING.remove(manifestFile.getName());
    }
    return files;
  }

  /**
   * Settles the manifest of an in-place commit whose writer is gone. Its new {@code runs} file there: the run is
   * committed (or, same date, the old run untouched), and the old files left are deleted. An old {@code runs} file
   * still there: nothing was written yet, the old run stands. Neither: the writer died between deleting the old run
   * and writing {@code runs}, so the files it wrote (invisible to readers keyed on {@code runs}) are deleted: the
   * run id has no run until it is written again. Returns whether the manifest's run is committed.
   */
  static boolean finish(FileSystem fs, Path manifestFile, JsonNode manifest) throws IOException {
    JsonNode files = manifest.path("files");
    Set<String> written = new java.util.HashSet<>();
    files.forEach(f -> written.add(f.asText()));
    Path runs = new Path(files.path(ReportTables.RUNS).asText());
    List<String> old = new ArrayList<>();
    boolean oldRunStands = false;
    for (JsonNode f : manifest.path("delete")) {
      old.add(f.asText());
      Path p = new Path(f.asText());
      oldRunStands |= p.getParent().getParent().getName().equals(ReportTables.RUNS) && !written.contains(f.asText())
          && fs.exists(p);
    }
    boolean committed = fs.exists(runs);
    if (committed) {
      for (String f : old) {
        if (!written.contains(f)) {
          fs.delete(new Path(f), false);
        }
      }
    } else if (!oldRunStands) {
      for (String f : written) {
        fs.delete(new Path(f), false);
      }
      for (String f : old) {
        fs.delete(new Path(f), false);
      }
    }
    fs.delete(manifestFile, false);
    return committed;
  }
}
