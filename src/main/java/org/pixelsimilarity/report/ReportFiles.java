package org.pixelsimilarity.report;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.io.HiddenNames;
import org.pixelsimilarity.io.Store;

/**
 * The parquet files of a report folder's tables, {@code <table>/run_date=<date>/<run_id>.parquet}, listed once per
 * table for all that reads them (a run's page, the index, a rebuild of every page): one recursive listing
 * ({@link FileSystem#listFiles}), whatever the number of date partitions; on an object store that is one paged
 * request per table (S3A lists a prefix flat). Listed again for each run and table, a partition at a time, a
 * report's pages cost more with every night a scheduled run had written (with a year of nightly runs, a rebuild
 * took 27 s on a local disk, ~3,000 listings per run page).
 *
 * <p>A table's files are those directly in its folder or in one folder below it (a partition), named
 * {@code *.parquet}, with no hidden part ({@code _…}, {@code .…}) in their path below the table folder, as for
 * Spark; in path order. A table without a folder has none.
 */
public final class ReportFiles {
  private final Map<String, List<Path>> byTable;
  /** Per table, its files by file name. */
  private final Map<String, Map<String, List<Path>>> byName = new LinkedHashMap<>();

  private ReportFiles(Map<String, List<Path>> byTable) {
    this.byTable = byTable;
    byTable.forEach((table, files) -> {
      Map<String, List<Path>> names = new LinkedHashMap<>();
      for (Path f : files) {
        names.computeIfAbsent(f.getName(), n -> new ArrayList<>()).add(f);
      }
      byName.put(table, names);
    });
  }

  /** The files of {@code tables} (all five when none is named) of the report folder {@code reportDir}. */
  public static ReportFiles list(SparkSession spark, String reportDir, String... tables) {
    Path root = new Path(reportDir);
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return list(fs, fs.makeQualified(root), tables);
    } catch (IOException e) {
      throw new JobException(reportDir + ": cannot open the report folder: " + e.getMessage(), e);
    }
  }

  static ReportFiles list(FileSystem fs, Path root, String... tables) {
    Map<String, List<Path>> byTable = new LinkedHashMap<>();
    for (String table : tables.length == 0 ? ReportTables.ALL : tables) {
      Path dir = new Path(root, table);
      try {
        byTable.put(table, files(fs, dir));
      } catch (IOException e) {
        throw new JobException(dir + ": cannot list the report table: " + e.getMessage(), e);
      }
    }
    return new ReportFiles(byTable);
  }

  /**
   * One table's files (see the class comment): by one recursive listing of its folder {@code dir}, or on the local
   * file system by {@code java.io} names, a folder at a time, with one {@code stat} per {@code *.parquet} name. There
   * a recursive listing gives {@code LocatedFileStatus}es, each of which asks for the file's permissions (a
   * {@code stat} process per file without Hadoop's native library), and {@code listStatus} makes a
   * {@code FileStatus} of several {@code stat}s and two parsed {@code Path}s per entry: at 1,000 nightly runs that
   * was half of what a run spent on the report's history.
   */
  static List<Path> files(FileSystem fs, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (Store.isLocal(fs)) {
      Path table = fs.makeQualified(dir);
      File folder = new File(table.toUri().getPath());
      for (String name : names(folder)) {
        File entry = new File(folder, name);
        Path path = new Path(table, new Path(null, null, name));
        if (name.endsWith(".parquet") && entry.isFile()) {
          out.add(path);
        } else if (entry.isDirectory()) {
          for (String inner : names(entry)) {
            if (inner.endsWith(".parquet") && new File(entry, inner).isFile()) {
              out.add(new Path(path, new Path(null, null, inner)));
            }
          }
        }
      }
    } else {
      try {
        int depth = dir.depth();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
          LocatedFileStatus s = it.next();
          Path p = s.getPath();
          int below = p.depth() - depth;
          if (below == 1 || (below == 2 && !hidden(p.getParent()))) {
            take(s, out);
          }
        }
      } catch (FileNotFoundException none) {
        return out;
      }
    }
    out.sort(null);
    return out;
  }

  /** The names in a local folder that are not hidden; none when there is no such folder. */
  private static List<String> names(File folder) throws IOException {
    String[] names = folder.list();
    List<String> out = new ArrayList<>();
    if (names == null) {
      if (folder.exists()) {
        throw new IOException(folder + ": cannot list the folder (permission denied?)");
      }
      return out;
    }
    for (String n : names) {
      if (!hidden(n)) {
        out.add(n);
      }
    }
    return out;
  }

  private static void take(FileStatus s, List<Path> out) {
    if (s.isFile() && s.getPath().getName().endsWith(".parquet") && !hidden(s.getPath())) {
      out.add(s.getPath());
    }
  }

  private static boolean hidden(Path p) {
    return hidden(p.getName());
  }

  /** Hidden from Spark's readers ({@link HiddenNames}). */
  private static boolean hidden(String name) {
    return HiddenNames.isHidden(name);
  }

  /** The files of {@code table}; fails for a table this listing did not cover. */
  public List<Path> files(String table) {
    List<Path> files = byTable.get(table);
    if (files == null) {
      throw new IllegalArgumentException("table " + table + " was not listed");
    }
    return files;
  }

  /**
   * The files that hold run {@code runId}'s rows of {@code table}: its files {@code <run_id>.parquet} when the
   * table has any (as every writer of this job leaves it), else all of the table's files (a table rewritten by
   * other tools; the reader keeps the run's rows).
   */
  public List<Path> filesOf(String table, String runId) {
    List<Path> all = files(table);
    List<Path> own = byName.get(table).get(runId + ".parquet");
    return own == null ? all : own;
  }
}
