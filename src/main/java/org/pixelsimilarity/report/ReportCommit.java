package org.pixelsimilarity.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pixelsimilarity.io.Store;
import org.pixelsimilarity.io.WriterNote;

/**
 * How a run's staged report files become visible all at once. A manifest listing the old files of the run id to
 * delete and the staged files to move is written to {@code <report>/_commits/} (written hidden, then renamed, so it
 * is whole or absent); then the moves are made, {@code runs} last, and the manifest is deleted. Every step can be
 * repeated, so a commit whose writer was killed is finished by the next writer of the report folder ("roll
 * forward"). A writer killed before its manifest leaves only staging files, which no reader sees and which are swept
 * after a day.
 *
 * <p>A manifest names its writer (host and process id). Roll-forward takes only manifests whose writer is gone: a
 * process on this host that no longer runs, a writer in this JVM that failed, or a manifest older than
 * {@link #ABANDONED_MS} (writers on other hosts, whose processes cannot be checked). A commit takes milliseconds,
 * so a writer never races another live writer over its renames. Two writers with the same run id at the same
 * moment are not supported (a retried scheduled run follows the failed one).
 */
final class ReportCommit {
  static final String STAGING = "_staging";
  static final String COMMITS = "_commits";
  private static final long STALE_STAGING_MS = 24L * 3600 * 1000;
  /** A manifest this old is rolled forward even when its writer's liveness cannot be checked (another host). */
  static final long ABANDONED_MS = WriterNote.ABANDONED_MS;
  static final ObjectMapper JSON = new ObjectMapper();
  /** The manifest's {@code commit} of an in-place commit ({@link InPlaceCommit}). */
  static final String MARKER = "marker";
  /** The tables in the order a run's old files are deleted: {@code runs} first. */
  static final String[] ORDER = {ReportTables.RUNS, ReportTables.CLASS_ACCURACY, ReportTables.CONFUSION,
      ReportTables.REJECTED, ReportTables.EXAMPLES};
  /** Manifests this JVM is applying right now: not abandoned, though their process is alive. */
  static final Set<String> APPLYING = ConcurrentHashMap.newKeySet();

  /**
   * Test hook, called with the run id and each commit step: {@code staging} (nothing written yet), {@code staged}
   * (all tables in staging, no manifest yet), then {@code moved <table>} after each rename; in an in-place commit
   * ({@link InPlaceCommit}) {@code deleted old files}, then {@code wrote <table>} after each file. The default
   * pauses when the system property {@code pixelsimilarity.test.pauseCommitAt} names the step, so a test can kill
   * the process there.
   */
  static volatile BiConsumer<String, String> commitStep = ReportCommit::pauseIfAsked;

  private ReportCommit() {}

  /** Commits the staged tables of one run; returns table name to final file. */
  static Map<String, String> commit(FileSystem fs, Path root, Path staging, String uuid, String runId, String date)
      throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    ObjectNode manifest = manifest(fs, root, staging, runId, date, files);
    Path commits = new Path(root, COMMITS);
    fs.mkdirs(commits);
    Path manifestFile = new Path(commits, uuid + ".json");
    Path tmp = new Path(commits, "." + uuid + ".json.tmp");
    try (OutputStream out = Store.closingOnce(fs.create(tmp, false))) {
      JSON.writeValue(out, manifest);
    }
    APPLYING.add(manifestFile.getName());
    try {
      if (!fs.rename(tmp, manifestFile)) {
        throw new IOException("could not rename " + tmp + " to " + manifestFile);
      }
      apply(fs, manifestFile, manifest);
    } finally {
      APPLYING.remove(manifestFile.getName());
    }
    return files;
  }

  /** The manifest of one run: its writer, the run id's existing files to delete, the moves; fills {@code files}. */
  private static ObjectNode manifest(FileSystem fs, Path root, Path staging, String runId, String date,
      Map<String, String> files) throws IOException {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("run_id", runId);
    manifest.setAll(WriterNote.ofThisProcess());
    manifest.put("staging", staging.toString());
    ArrayNode old = manifest.putArray("delete");
    ArrayNode moves = manifest.putArray("moves");
    for (Path p : existingFiles(fs, root, runId)) {
      old.add(p.toString());
    }
    for (String table : ReportTables.ALL) {
      Path from = singlePartFile(fs, new Path(staging, table));
      Path to = new Path(new Path(new Path(root, table), "run_date=" + date), runId + ".parquet");
      moves.addObject().put("from", from.toString()).put("to", to.toString());
      files.put(table, to.toString());
    }
    return manifest;
  }

  /**
   * Finishes every commit whose writer is gone. Safe to run any number of times, also concurrently. Returns the run
   * ids whose commits it settled with the run in {@code runs} (rolled forward, or found with {@code runs} already
   * in place): their writers died before writing the run's page.
   */
  static List<String> recover(FileSystem fs, Path root) throws IOException {
    List<String> landed = new ArrayList<>();
    Path commits = new Path(root, COMMITS);
    long now = System.currentTimeMillis();
    if (fs.exists(commits)) {
      for (FileStatus s : fs.listStatus(commits)) {
        String name = s.getPath().getName();
        if (name.startsWith(".") && now - s.getModificationTime() > STALE_STAGING_MS) {
          fs.delete(s.getPath(), false); // a manifest whose writer died while writing it
        }
        if (!name.endsWith(".json") || name.startsWith(".")) {
          continue;
        }
        JsonNode manifest;
        try (InputStream in = fs.open(s.getPath())) {
          manifest = JSON.readTree(in);
        } catch (FileNotFoundException gone) {
          continue; // finished by its own writer meanwhile
        }
        if (isAbandoned(name, manifest, now - s.getModificationTime())) {
          if (!MARKER.equals(manifest.path("commit").asText())) {
            apply(fs, s.getPath(), manifest);
            landed.add(manifest.path("run_id").asText());
          } else if (InPlaceCommit.finish(fs, s.getPath(), manifest)) {
            landed.add(manifest.path("run_id").asText());
          }
        }
      }
    }
    Path staging = new Path(root, STAGING);
    if (fs.exists(staging)) {
      for (FileStatus s : fs.listStatus(staging)) {
        if (now - s.getModificationTime() > STALE_STAGING_MS) {
          fs.delete(s.getPath(), true);
        }
      }
    }
    return landed;
  }

  /** Whether a manifest's writer is gone, so that finishing its commit cannot race it ({@link WriterNote}). */
  static boolean isAbandoned(String manifestName, JsonNode manifest, long ageMs) {
    if (ageMs <= ABANDONED_MS && WriterNote.isThisProcess(manifest)) {
      return !APPLYING.contains(manifestName);
    }
    return WriterNote.isGone(manifest, ageMs);
  }

  /** The default {@link #commitStep}: sleeps at the step the system property names, after saying so on stderr. */
  private static void pauseIfAsked(String runId, String step) {
    if (step.equals(System.getProperty("pixelsimilarity.test.pauseCommitAt"))) {
      System.err.println("pixelsimilarity: paused commit of run " + runId + " at " + step);
      System.err.flush();
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Carries out a manifest; every step can be repeated. The old files of the run id are deleted first (the
   * {@code runs} file first of all), except one that a finished move has already replaced; then each staged file
   * is moved into place, {@code runs} last.
   */
  static void apply(FileSystem fs, Path manifestFile, JsonNode manifest) throws IOException {
    String runId = manifest.path("run_id").asText();
    List<String[]> moves = new ArrayList<>();
    manifest.path("moves").forEach(m -> moves.add(new String[] {m.path("from").asText(), m.path("to").asText()}));
    Map<String, Boolean> doneDest = new LinkedHashMap<>();
    for (String[] m : moves) {
      doneDest.put(m[1], !fs.exists(new Path(m[0])));
    }
    for (JsonNode old : manifest.path("delete")) {
      if (!doneDest.getOrDefault(old.asText(), false)) {
        fs.delete(new Path(old.asText()), false);
      }
    }
    for (String[] m : moves) {
      Path from = new Path(m[0]);
      Path to = new Path(m[1]);
      if (!fs.exists(from)) {
        continue;
      }
      fs.mkdirs(to.getParent());
      fs.delete(to, false);
      if (!fs.rename(from, to) && fs.exists(from)) {
        throw new IOException("could not rename " + from + " to " + to);
      }
      commitStep.accept(runId, "moved " + to.getParent().getParent().getName());
    }
    fs.delete(new Path(manifest.path("staging").asText()), true);
    fs.delete(manifestFile, false);
  }

  /**
   * The run id's files in the report folder {@code root}, tables in {@link #ORDER}: its {@code runs} files, from one
   * listing of {@code runs}, and in each other table the file beside each of them
   * ({@code <table>/run_date=<date of that runs file>/<run_id>.parquet}), looked up. A commit puts a run's files in
   * one date partition and deletes the old ones under its manifest, {@code runs} first and the rest before the
   * manifest goes, so outside an unfinished commit (settled by {@link #recover} before) a run id has files only
   * where it has a {@code runs} file: the tables of the other runs are neither listed nor read.
   */
  static List<Path> existingFiles(FileSystem fs, Path root, String runId) throws IOException {
    String name = runId + ".parquet";
    List<Path> runs = new ArrayList<>();
    for (Path f : ReportFiles.files(fs, new Path(root, ReportTables.RUNS))) {
      if (f.getName().equals(name) && f.getParent().getName().startsWith("run_date=")) {
        runs.add(f);
      }
    }
    List<Path> out = new ArrayList<>(runs);
    for (String table : ORDER) {
      if (!table.equals(ReportTables.RUNS)) {
        for (Path r : runs) {
          Path beside = new Path(new Path(new Path(root, table), r.getParent().getName()), name);
          if (fs.exists(beside)) {
            out.add(beside);
          }
        }
      }
    }
    return out;
  }

  private static Path singlePartFile(FileSystem fs, Path dir) throws IOException {
    List<Path> parts = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.startsWith("part-") && name.endsWith(".parquet")) {
        parts.add(s.getPath());
      }
    }
    if (parts.size() != 1) {
      throw new IOException(dir + ": expected one staged parquet file, found " + parts.size());
    }
    return parts.get(0);
  }

}
