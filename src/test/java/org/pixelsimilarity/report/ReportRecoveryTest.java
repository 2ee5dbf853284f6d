package org.pixelsimilarity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/bad-input.md promises about leftovers of killed report writers, checked on files made here with their
 * modification times set back: staging folders swept after a day, manifests of writers on other hosts rolled
 * forward only after 10 minutes, and the manifest of a live writer in another process on this host left alone
 * (the same-JVM and dead-process cases are in {@link ReportAtomicityTest}).
 */
class ReportRecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path root;

  private FileSystem fs() throws IOException {
    return FileSystem.getLocal(new Configuration());
  }

  private void recover() throws IOException {
    ReportCommit.recover(fs(), new org.apache.hadoop.fs.Path(root.toUri()));
  }

  private static Path aged(Path p, Duration age) throws IOException {
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
    return p;
  }

  private Path staged(String uuid) throws IOException {
    Path dir = Files.createDirectories(root.resolve(ReportCommit.STAGING).resolve(uuid).resolve("runs"));
    Files.writeString(dir.resolve("part-00000.parquet"), "staged " + uuid);
    return root.resolve(ReportCommit.STAGING).resolve(uuid);
  }

  /** A manifest moving the staged runs file of {@code uuid} into the runs table, written by host and pid. */
  private Path manifest(String uuid, String host, long pid, Duration age) throws IOException {
    Path staging = staged(uuid);
    ObjectNode m = JSON.createObjectNode();
    m.put("run_id", "r-" + uuid);
    m.put("host", host);
    m.put("pid", pid);
    m.put("staging", staging.toUri().toString());
    m.putArray("delete");
    m.putArray("moves").addObject().put("from", staging.resolve("runs/part-00000.parquet").toUri().toString())
        .put("to", target(uuid).toUri().toString());
    Path file = Files.createDirectories(root.resolve(ReportCommit.COMMITS)).resolve(uuid + ".json");
    Files.writeString(file, JSON.writeValueAsString(m));
    return aged(file, age);
  }

  private Path target(String uuid) {
    return root.resolve("runs/run_date=2026-01-01/r-" + uuid + ".parquet");
  }

  private static String thisHost() throws IOException {
    return InetAddress.getLocalHost().getHostName();
  }

  @Test
  void stagingFoldersAndHalfWrittenManifestsAreSweptAfterADay() throws IOException {
    Path old = aged(staged("old"), Duration.ofHours(25));
    Path fresh = aged(staged("fresh"), Duration.ofHours(23));
    Path commits = Files.createDirectories(root.resolve(ReportCommit.COMMITS));
    Path oldTmp = aged(Files.writeString(commits.resolve(".old.json.tmp"), "{"), Duration.ofHours(25));
    Path freshTmp = aged(Files.writeString(commits.resolve(".fresh.json.tmp"), "{"), Duration.ofHours(23));
    recover();
    assertFalse(Files.exists(old), "staging of a writer killed a day ago");
    assertTrue(Files.exists(fresh.resolve("runs/part-00000.parquet")), "staging younger than a day");
    assertFalse(Files.exists(oldTmp));
    assertTrue(Files.exists(freshTmp));
  }

  @Test
  void anotherHostsManifestIsRolledForwardOnlyAfterTenMinutes() throws IOException {
    String elsewhere = thisHost() + "-not";
    Path young = manifest("young", elsewhere, 1, Duration.ofMinutes(9));
    Path old = manifest("old", elsewhere, 1, Duration.ofMinutes(11));
    recover();
    assertTrue(Files.exists(young), "a writer on another host may still be committing");
    assertFalse(Files.exists(target("young")));
    assertFalse(Files.exists(old));
    assertEquals("staged old", Files.readString(target("old")));
    assertFalse(Files.exists(root.resolve(ReportCommit.STAGING).resolve("old")));
  }

  @Test
  void aLiveWriterInAnotherProcessIsLeftAloneAndADeadOneRolledForward() throws Exception {
    Process other = new ProcessBuilder("sleep", "300").start();
    try {
      Path live = manifest("live", thisHost(), other.pid(), Duration.ofMinutes(1));
      recover();
      assertTrue(Files.exists(live), "the other process is alive: its commit is its own");
      assertFalse(Files.exists(target("live")));
      other.destroyForcibly().waitFor();
      recover();
      assertFalse(Files.exists(live), "its writer is gone: rolled forward");
      assertEquals("staged live", Files.readString(target("live")));
    } finally {
      other.destroyForcibly();
    }
  }
}
