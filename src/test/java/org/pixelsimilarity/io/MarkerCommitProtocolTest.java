package org.pixelsimilarity.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.internal.io.FileCommitProtocol.TaskCommitMessage;
import org.apache.spark.internal.io.FileNameSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MarkerCommitProtocol} driven as Spark drives it, task attempt by task attempt, on the local disk with the
 * marker way forced: retried, speculative, aborted and late attempts leave nothing a reader keyed on the marker reads
 * but the files of the attempts Spark kept (one per partition).
 */
class MarkerCommitProtocolTest {
  @TempDir
  Path tmp;

  private static final JobID JOB = new JobID("test", 0);
  private final String jobId = java.util.UUID.randomUUID().toString();

  /** A task attempt: its own protocol instance (Spark deserializes one per task), set up. */
  private record Attempt(MarkerCommitProtocol protocol, TaskAttemptContext context) {}

  private Attempt attempt(Configuration conf, org.apache.hadoop.fs.Path dir, int partition, int number) {
    MarkerCommitProtocol p = new MarkerCommitProtocol(jobId, dir.toString(), false);
    TaskAttemptContext c = new TaskAttemptContextImpl(conf,
        new TaskAttemptID(new TaskID(JOB, TaskType.MAP, partition), number));
    p.setupTask(c);
    return new Attempt(p, c);
  }

  /** Writes the attempt's one file (as Spark's writer does, then closes it); returns its path. */
  private static String write(Store store, Attempt a, String text) throws IOException {
    String file = a.protocol().newTaskTempFile(a.context(), scala.Option.empty(),
        new FileNameSpec("", "-c000.parquet"));
    try (OutputStream out = store.create(new org.apache.hadoop.fs.Path(file))) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return file;
  }

  private static boolean exists(String file) {
    return Files.exists(Path.of(new org.apache.hadoop.fs.Path(file).toUri().getPath()));
  }

  @Test
  void onlyTheKeptAttemptsFilesAreListedAndTheOthersAreDeletedOrUnlisted() throws IOException {
    Configuration conf = new Configuration();
    conf.set(Store.COMMIT_KEY, "marker");
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(tmp.resolve("out").toUri());
    Store store = Store.of(target, conf);
    List<String> read;
    String late;
    List<String> kept = new ArrayList<>();
    try (FolderOutput out = FolderOutput.start(store, target, "out", false, "exists")) {
      Configuration jobConf = new Configuration(conf);
      jobConf.set(MarkerCommitProtocol.OUTPUT_KEY, out.id());
      JobContext job = new JobContextImpl(jobConf, JOB);
      MarkerCommitProtocol driver = new MarkerCommitProtocol(jobId, out.dir().toString(), false);
      driver.setupJob(job);

      // partition 0: attempt 0 writes its file and is lost (executor gone), attempt 1 commits
      String lost = write(store, attempt(jobConf, out.dir(), 0, 0), "0 lost");
      Attempt retry = attempt(jobConf, out.dir(), 0, 1);
      kept.add(write(store, retry, "0 retried"));
      TaskCommitMessage m0 = retry.protocol().commitTask(retry.context());
      // partition 1: attempt 0 commits first; a speculative attempt 1 commits too, Spark keeps the first result
      Attempt first = attempt(jobConf, out.dir(), 1, 0);
      kept.add(write(store, first, "1 first"));
      TaskCommitMessage m1 = first.protocol().commitTask(first.context());
      Attempt speculative = attempt(jobConf, out.dir(), 1, 1);
      String duplicate = write(store, speculative, "1 speculative");
      speculative.protocol().commitTask(speculative.context());
      // partition 2: attempt 0 fails and is aborted (its closed file deleted), attempt 1 commits
      Attempt failed = attempt(jobConf, out.dir(), 2, 0);
      String aborted = write(store, failed, "2 failed");
      failed.protocol().abortTask(failed.context());
      assertFalse(exists(aborted), "an aborted attempt's file is deleted at once");
      Attempt second = attempt(jobConf, out.dir(), 2, 1);
      kept.add(write(store, second, "2 second"));
      TaskCommitMessage m2 = second.protocol().commitTask(second.context());

      driver.commitJob(job, scala.jdk.javaapi.CollectionConverters.asScala(List.of(m0, m1, m2)).toList());
      assertFalse(exists(lost), "the lost attempt's file is deleted at the job's commit");
      assertFalse(exists(duplicate), "the speculative duplicate is deleted at the job's commit");
      assertEquals(3, kept.stream().distinct().count(), "a file name per attempt");
      kept.forEach(f -> assertTrue(exists(f), f));

      // a late attempt (a zombie speculative copy) closes its file after the job's commit
      late = write(store, attempt(jobConf, out.dir(), 0, 2), "0 late");
      out.commit();
      read = Arrays.asList(CommittedFiles.toRead(store, target));
    }
    assertTrue(exists(late), "a late attempt's file may stay beside the table");
    assertEquals(kept.stream().map(f -> new org.apache.hadoop.fs.Path(f).toUri().getPath()).sorted().toList(),
        read.stream().map(f -> new org.apache.hadoop.fs.Path(f).toUri().getPath()).sorted().toList(),
        "a reader keyed on the marker reads the kept attempts' files, not the late one");
    assertTrue(Files.exists(tmp.resolve("out/_SUCCESS")));
    assertFalse(Files.exists(tmp.resolve("out").resolve(FolderOutput.PENDING)));
  }

  @Test
  void aFolderBeingWrittenIsRefusedByTheReader() throws IOException {
    Configuration conf = new Configuration();
    conf.set(Store.COMMIT_KEY, "marker");
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(tmp.resolve("out").toUri());
    Store store = Store.of(target, conf);
    try (FolderOutput out = FolderOutput.start(store, target, "out", false, "exists")) {
      org.pixelsimilarity.JobException e = org.junit.jupiter.api.Assertions.assertThrows(
          org.pixelsimilarity.JobException.class, () -> CommittedFiles.toRead(store, target));
      assertTrue(e.getMessage().contains("not a complete table"), e.getMessage());
    }
  }
}
