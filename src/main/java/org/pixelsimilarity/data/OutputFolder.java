package org.pixelsimilarity.data;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pixelsimilarity.JobException;

/**
 * An output folder that appears all at once: everything is written into a folder inside a hidden one beside it
 * ({@code .<name>.tmp-<uuid>/}, skipped by Spark, DuckDB globs and Hive-style readers), which is renamed into place
 * when complete. An existing folder is replaced only when the caller allows it: it is renamed aside first and
 * deleted once the new one is in place, and put back when the rename fails. The model store does the same for
 * models.
 */
public final class OutputFolder {
  private final FileSystem fs;
  private final Path target;
  private final Path holder;
  private final Path tmp;
  private final String name;
  private final boolean overwrite;

  /**
   * @param dir the folder to make, as the user gave it (named in messages)
   * @param overwrite whether an existing folder there may be replaced; without it, one that exists is an error now
   */
  public OutputFolder(org.apache.hadoop.conf.Configuration conf, String dir, boolean overwrite) {
    this.name = dir;
    this.overwrite = overwrite;
    try {
      Path p = new Path(dir);
      this.fs = p.getFileSystem(conf);
      this.target = fs.makeQualified(p);
      String uuid = UUID.randomUUID().toString();
      this.holder = new Path(target.getParent(), "." + target.getName() + ".tmp-" + uuid);
      this.tmp = new Path(holder, "output-" + uuid);
      requireAbsentUnlessOverwrite();
    } catch (IOException e) {
      throw new JobException(dir + ": cannot use as output: " + e.getMessage(), e);
    }
  }

  /**
   * Where to write, hidden until {@link #moveIntoPlace()}: a folder inside the hidden one, so that Spark, which
   * ignores a path whose own name is hidden, reads it back like any table.
   */
  public Path tmp() {
    return tmp;
  }

  /** The output folder, qualified. */
  public Path target() {
    return target;
  }

  public FileSystem fs() {
    return fs;
  }

  private void requireAbsentUnlessOverwrite() throws IOException {
    if (!overwrite && fs.exists(target)) {
      throw new JobException(name + ": already exists; pass --overwrite to replace it");
    }
  }

  /**
   * Renames the complete temporary folder to the target. A folder that appeared there meanwhile is kept unless
   * overwriting is allowed; Hadoop renames a folder <em>into</em> an existing one, so that case is checked after
   * the rename and undone.
   */
  public void moveIntoPlace() {
    try {
      requireAbsentUnlessOverwrite();
      if (fs.exists(target)) {
        Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
        rename(target, old);
        try {
          rename(tmp, target);
        } catch (IOException e) {
          fs.rename(old, target); // put the old output back
          throw e;
        }
        fs.delete(old, true);
      } else {
        fs.mkdirs(target.getParent());
        rename(tmp, target);
      }
      Path nested = new Path(target, tmp.getName());
      if (fs.exists(nested)) {
        fs.delete(nested, true);
        throw new JobException(name + ": another output was written there at the same time; nothing of this one"
            + " was kept");
      }
    } catch (IOException e) {
      throw new JobException(name + ": cannot move the output into place: " + e.getMessage(), e);
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  /** Removes the hidden temporary folder (all of it after a failure; the empty holder after a move). */
  public void cleanUp() {
    try {
      if (fs.exists(holder)) {
        fs.delete(holder, true);
      }
    } catch (IOException ignored) {
      // Only a hidden temporary folder stays behind; nothing reads it.
    }
  }
}
