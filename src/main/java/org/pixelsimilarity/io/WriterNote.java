package org.pixelsimilarity.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Who is writing an output (host and process id), so that the next writer can tell a killed writer's leftovers
 * from a writer at work. A writer is gone when its process on this host no longer runs, or, on another host whose
 * processes cannot be checked, when its note is older than {@link #ABANDONED_MS}: every commit step takes
 * milliseconds to seconds, so a live writer never looks abandoned while it commits.
 */
public final class WriterNote {
  /** A note this old is abandoned even when its process cannot be checked (another host). */
  public static final long ABANDONED_MS = 10L * 60 * 1000;
  /** This host's name, resolved once. */
  public static final String HOST = hostName();
  private static final ObjectMapper JSON = new ObjectMapper();

  private WriterNote() {}

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** A note of this process: {@code host}, {@code pid}, {@code written_at}; callers may add fields. */
  public static ObjectNode ofThisProcess() {
    ObjectNode note = JSON.createObjectNode();
    note.put("host", HOST);
    note.put("pid", ProcessHandle.current().pid());
    note.put("written_at", Instant.now().toString());
    return note;
  }

  /** Whether the writer of {@code note}, {@code ageMs} old, is another process that is gone. */
  public static boolean isGone(JsonNode note, long ageMs) {
    if (ageMs > ABANDONED_MS) {
      return true;
    }
    if (!HOST.equals(note.path("host").asText())) {
      return false;
    }
    long pid = note.path("pid").asLong(-1);
    if (pid == ProcessHandle.current().pid()) {
      return false;
    }
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  /** Whether {@code note} was written by this process. */
  public static boolean isThisProcess(JsonNode note) {
    return HOST.equals(note.path("host").asText()) && note.path("pid").asLong(-1) == ProcessHandle.current().pid();
  }

  /** Reads the note at {@code file}; null when there is none or it cannot be parsed (a writer killed writing it). */
  static JsonNode read(Store store, Path file) throws IOException {
    try (InputStream in = store.open(file)) {
      return JSON.readTree(in);
    } catch (java.io.FileNotFoundException gone) {
      return null;
    } catch (com.fasterxml.jackson.core.JacksonException torn) {
      return null;
    }
  }

  /** Whether the note at {@code file} says its writer is gone (a note that cannot be read counts by its age). */
  static boolean isGone(Store store, FileStatus file, long now) throws IOException {
    JsonNode note = read(store, file.getPath());
    long age = now - file.getModificationTime();
    return note == null ? age > ABANDONED_MS : isGone(note, age);
  }

  static byte[] bytes(JsonNode note) throws IOException {
    return JSON.writeValueAsBytes(note);
  }
}
