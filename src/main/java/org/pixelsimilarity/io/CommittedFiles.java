package org.pixelsimilarity.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.pixelsimilarity.JobException;

/**
 * The files a {@link FolderOutput}'s {@value FolderOutput#COMMITTED} marker lists (marker way): those of the task
 * attempts Spark kept in the output's writes ({@link MarkerCommitProtocol}), relative to the folder, in the
 * marker's {@value #FILES} field. A reader keyed on the marker reads these and nothing else of the folder.
 */
public final class CommittedFiles {
  /** The marker's field listing the data files, relative to the folder. */
  public static final String FILES = "files";

  private CommittedFiles() {}

  /** Adds {@code files} (absolute, inside {@code folder}) to the marker {@code note}; nothing when there are none. */
  static void list(ObjectNode note, Path folder, List<String> files) {
    if (files.isEmpty()) {
      return;
    }
    String base = folder.toUri().getPath() + "/";
    ArrayNode list = note.putArray(FILES);
    for (String f : files) {
      String p = new Path(f).toUri().getPath();
      if (!p.startsWith(base)) {
        throw new IllegalStateException(f + " is not inside " + folder);
      }
      list.add(p.substring(base.length()));
    }
  }

  /**
   * What a reader keyed on the marker reads of the table {@code path}: the files its
   * {@value FolderOutput#COMMITTED} marker lists, or {@code path} itself when the marker lists none or there is no
   * marker (a file, the rename way, an output of an earlier version). Fails naming {@code path} for a folder being
   * written or left by a killed writer.
   */
  public static String[] toRead(Store store, Path path) throws IOException {
    Path marker = new Path(path, FolderOutput.COMMITTED);
    JsonNode note = store.exists(marker) ? WriterNote.read(store, marker) : null;
    if (note == null) {
      if (store.exists(new Path(path, FolderOutput.PENDING))) {
        throw new JobException(path + ": not a complete table: it is being written, or its writer was killed (no "
            + FolderOutput.COMMITTED + "); write it again");
      }
      return new String[] {path.toString()};
    }
    JsonNode files = note.path(FILES);
    if (!files.isArray() || files.isEmpty()) {
      return new String[] {path.toString()};
    }
    List<String> read = new ArrayList<>();
    for (JsonNode f : files) {
      if (!HiddenNames.isHidden(f.asText().split("/")[0])) { // the table's own files, not _rejected/…
        read.add(new Path(path, f.asText()).toString());
      }
    }
    return read.isEmpty() ? new String[] {path.toString()} : read.toArray(new String[0]);
  }
}
