package org.pixelsimilarity.io;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.internal.io.FileNameSpec;
import scala.Option;
import scala.collection.immutable.Seq;

/**
 * Spark's file commit for a {@link FolderOutput} of the marker way: each task writes its files once, under their
 * final names in the output folder (no {@code _temporary/} folder, no rename: on an object store a rename is a copy
 * of every byte, and Spark's default committer renames each file twice). A file's name carries the job's id and the
 * task attempt's number ({@code part-00003-<job>-<attempt>-c000.snappy.parquet}), so a retried or speculative
 * attempt never overwrites another's file. A task's commit returns the files it wrote; the job's commit keeps the
 * files of the attempts Spark took (one per partition), deletes the other attempts' files it finds, writes
 * {@code _SUCCESS}, and hands the list to the {@link FolderOutput}, whose {@code _COMMITTED} marker lists them: a
 * reader keyed on the marker reads exactly those, whatever a late attempt still writes.
 *
 * <p>Set for one write by {@link FolderOutput#writeParquet}: Spark takes the protocol from the session setting
 * {@value #PROTOCOL_KEY}, which it sets around the write, and the output from the writer option
 * {@value #OUTPUT_KEY}. No partitioned writes (no table of ours is partitioned).
 */
public final class MarkerCommitProtocol extends FileCommitProtocol implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Spark's session setting that names a write's commit protocol. */
  static final String PROTOCOL_KEY = "spark.sql.sources.commitProtocolClass";
  /** Writer option: the id of the {@link FolderOutput} the write belongs to. */
  static final String OUTPUT_KEY = "pixelsimilarity.io.output";
  /** The files of committed jobs per output id, until the output's commit takes them (driver side). */
  private static final ConcurrentHashMap<String, List<String>> COMMITTED = new ConcurrentHashMap<>();

  private final String jobId;
  private final String path;
  /** The files this task attempt wrote (each task has its own deserialized copy). */
  private transient List<String> written;

  /** The constructor Spark calls ({@code FileCommitProtocol.instantiate}). */
  public MarkerCommitProtocol(String jobId, String path, boolean dynamicPartitionOverwrite) {
    if (dynamicPartitionOverwrite) {
      throw new UnsupportedOperationException("the marker way writes no partitioned table");
    }
    this.jobId = jobId;
    this.path = path;
  }

  /** Takes (and forgets) the files the committed jobs of output {@code outputId} wrote, as absolute paths. */
  static List<String> take(String outputId) {
    List<String> files = COMMITTED.remove(outputId);
    return files == null ? List.of() : files;
  }

  /** Forgets the files of output {@code outputId} (it was not committed). */
  static void forget(String outputId) {
    COMMITTED.remove(outputId);
  }

  @Override
  public void setupJob(JobContext job) {
    // nothing: the folder holds the writer's _PENDING note already
  }

  @Override
  public void setupTask(TaskAttemptContext task) {
    written = new ArrayList<>();
  }

  @Override
  public String newTaskTempFile(TaskAttemptContext task, Option<String> dir, String ext) {
    return newTaskTempFile(task, dir, new FileNameSpec("", ext));
  }

  @Override
  public String newTaskTempFile(TaskAttemptContext task, Option<String> dir, FileNameSpec spec) {
    TaskAttemptID attempt = task.getTaskAttemptID();
    String name = String.format("%spart-%05d-%s-%d%s", spec.prefix(), attempt.getTaskID().getId(), jobId,
        attempt.getId(), spec.suffix());
    Path folder = dir.isDefined() ? new Path(path, dir.get()) : new Path(path);
    String file = new Path(folder, name).toString();
    if (written == null) {
      written = new ArrayList<>();
    }
    written.add(file);
    return file;
  }

  @Override
  public String newTaskTempFileAbsPath(TaskAttemptContext task, String absoluteDir, String ext) {
    throw new UnsupportedOperationException("the marker way writes no partitions at custom locations");
  }

  @Override
  public String newTaskTempFileAbsPath(TaskAttemptContext task, String absoluteDir, FileNameSpec spec) {
    throw new UnsupportedOperationException("the marker way writes no partitions at custom locations");
  }

  @Override
  public TaskCommitMessage commitTask(TaskAttemptContext task) {
    return new TaskCommitMessage(written == null ? new String[0] : written.toArray(new String[0]));
  }

  /** Deletes what this attempt wrote (Spark closed its files first: on an object store they exist). */
  @Override
  public void abortTask(TaskAttemptContext task) {
    if (written == null) {
      return;
    }
    for (String file : written) {
      Path p = new Path(file);
      try {
        p.getFileSystem(task.getConfiguration()).delete(p, false);
      } catch (IOException ignored) {
        // not in the marker's list: invisible to readers keyed on it; the next writer of the folder clears it
      }
    }
  }

  @Override
  public void commitJob(JobContext job, Seq<TaskCommitMessage> commits) {
    List<String> files = new ArrayList<>();
    scala.collection.Iterator<TaskCommitMessage> it = commits.iterator();
    while (it.hasNext()) {
      for (String f : (String[]) it.next().obj()) {
        files.add(f);
      }
    }
    try {
      FileSystem fs = new Path(path).getFileSystem(job.getConfiguration());
      deleteOtherAttempts(fs, files);
      FileSystem plain = fs instanceof org.apache.hadoop.fs.ChecksumFileSystem c ? c.getRawFileSystem() : fs;
      plain.create(new Path(path, "_SUCCESS"), true).close(); // as Spark's own committer leaves it
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(path + ": cannot commit the write: " + e.getMessage(), e);
    }
    String output = job.getConfiguration().get(OUTPUT_KEY);
    if (output != null) {
      COMMITTED.merge(output, files, (a, b) -> {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
      });
    }
  }

  /** Deletes the files of this job in the folders it wrote that no committed attempt wrote (failed attempts'). */
  private void deleteOtherAttempts(FileSystem fs, List<String> kept) throws IOException {
    Set<String> keep = new HashSet<>();
    Set<Path> folders = new HashSet<>();
    folders.add(new Path(path));
    for (String f : kept) {
      Path p = new Path(f);
      keep.add(p.toUri().getPath());
      folders.add(p.getParent());
    }
    for (Path folder : folders) {
      if (!fs.exists(folder)) {
        continue;
      }
      for (FileStatus s : fs.listStatus(folder)) {
        if (s.isFile() && ofThisJob(s.getPath()) && !keep.contains(s.getPath().toUri().getPath())) {
          fs.delete(s.getPath(), false);
        }
      }
    }
  }

  private boolean ofThisJob(Path p) {
    return p.getName().contains("-" + jobId + "-");
  }

  /** Deletes every file of this job in the output folder; the {@link FolderOutput} removes the rest. */
  @Override
  public void abortJob(JobContext job) {
    try {
      FileSystem fs = new Path(path).getFileSystem(job.getConfiguration());
      if (fs.exists(new Path(path))) {
        for (FileStatus s : fs.listStatus(new Path(path))) {
          if (s.isFile() && ofThisJob(s.getPath())) {
            fs.delete(s.getPath(), false);
          }
        }
      }
    } catch (IOException ignored) {
      // the output is not committed: its folder is removed by the FolderOutput, or by the next writer
    }
    String output = job.getConfiguration().get(OUTPUT_KEY);
    if (output != null) {
      forget(output);
    }
  }
}
