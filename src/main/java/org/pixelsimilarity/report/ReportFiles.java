package org.pixelsimilarity.report;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
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
import org.pixelsimilarity.data.IoTasks;
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
 *
 * <p>{@link #listRuns} lists {@code runs} alone: a run's files in the other tables are then looked up where its
 * writer put them, beside its {@code runs} file ({@code <table>/run_date=<date of that file>/<run_id>.parquet}), and
 * a table is listed only when such a file is missing. That is what a run's page and the index take, so their cost
 * does not grow with the files of the report's other runs.
 */
public final class ReportFiles {
  /**
   * A listed file: its path, length and modification time (what tells a file rewritten in place), and the status
   * the store's listing gave (null when listed with {@code java.io}), which its reader opens it with.
   */
  public record Listed(Path path, long length, long modified, FileStatus status) {}

  private final FileSystem fs;
  private final Path root;
  private final Map<String, List<Listed>> byTable = new LinkedHashMap<>();
  /** Per table, its files by file name. */
  private final Map<String, Map<String, List<Path>>> byName = new LinkedHashMap<>();
  /** The statuses the listings and lookups gave, so that reading a file does not look it up again. */
  private final Map<Path, FileStatus> statuses = new java.util.concurrent.ConcurrentHashMap<>();

  private ReportFiles(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
  }

  private synchronized void put(String table, List<Listed> files) {
    byTable.put(table, files);
    Map<String, List<Path>> names = new LinkedHashMap<>();
    for (Listed f : files) {
      names.computeIfAbsent(f.path().getName(), n -> new ArrayList<>()).add(f.path());
      if (f.status() != null) {
        statuses.put(f.path(), f.status());
      }
    }
    byName.put(table, names);
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
    ReportFiles files = new ReportFiles(fs, root);
    for (String table : tables.length == 0 ? ReportTables.ALL : tables) {
      files.listTable(table);
    }
    return files;
  }

  /**
   * The files of {@code runs} of the report folder {@code reportDir}; a run's files in the other tables are looked
   * up beside its {@code runs} file when asked for (see the class comment).
   */
  public static ReportFiles listRuns(SparkSession spark, String reportDir) {
    return list(spark, reportDir, ReportTables.RUNS);
  }

  private List<Listed> listTable(String table) {
    Path dir = new Path(root, table);
    try {
      List<Listed> files = listed(fs, dir);
      put(table, files);
      return files;
    } catch (IOException e) {
      throw new JobException(dir + ": cannot list the report table: " + e.getMessage(), e);
    }
  }

  /** The report folder, qualified. */
  public Path root() {
    return root;
  }

  /** The file system of the report folder. */
  public FileSystem fileSystem() {
    return fs;
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
    return listed(fs, dir).stream().map(Listed::path).toList();
  }

  /** {@link #files(FileSystem, Path)} with each file's length and modification time. */
  static List<Listed> listed(FileSystem fs, Path dir) throws IOException {
    List<Listed> out = new ArrayList<>();
    if (Store.isLocal(fs)) {
      Path table = fs.makeQualified(dir);
      File folder = new File(table.toUri().getPath());
      for (String name : names(folder)) {
        File entry = new File(folder, name);
        Path path = new Path(table, new Path(null, null, name));
        if (name.endsWith(".parquet")) {
          addIfFile(entry, path, out);
        }
        if (entry.isDirectory()) {
          for (String inner : names(entry)) {
            if (inner.endsWith(".parquet")) {
              addIfFile(new File(entry, inner), new Path(path, new Path(null, null, inner)), out);
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
    out.sort(java.util.Comparator.comparing(Listed::path));
    return out;
  }

  /** Adds a local file, with its length and time from one {@code stat}, when it is a regular file. */
  private static void addIfFile(File file, Path path, List<Listed> out) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file.toPath(), BasicFileAttributes.class);
    } catch (NoSuchFileException gone) {
      return;
    }
    if (a.isRegularFile()) {
      out.add(new Listed(path, a.size(), a.lastModifiedTime().toMillis(), null));
    }
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

  private static void take(FileStatus s, List<Listed> out) {
    if (s.isFile() && s.getPath().getName().endsWith(".parquet") && !hidden(s.getPath())) {
      out.add(new Listed(s.getPath(), s.getLen(), s.getModificationTime(), s));
    }
  }

  private static boolean hidden(Path p) {
    return hidden(p.getName());
  }

  /** Hidden from Spark's readers ({@link HiddenNames}). */
  private static boolean hidden(String name) {
    return HiddenNames.isHidden(name);
  }

  /** The files of {@code table}, listed now if this listing did not cover it. */
  public List<Path> files(String table) {
    return listedFiles(table).stream().map(Listed::path).toList();
  }

  /** {@link #files(String)} with each file's length and modification time. */
  public List<Listed> listedFiles(String table) {
    List<Listed> files;
    synchronized (this) {
      files = byTable.get(table);
    }
    return files != null ? files : listTable(table);
  }

  /**
   * The files that hold run {@code runId}'s rows of {@code table}: its files {@code <run_id>.parquet} when the
   * table has any (as every writer of this job leaves it), else all of the table's files (a table rewritten by
   * other tools; the reader keeps the run's rows). In a table not listed, the run's file beside its {@code runs}
   * file when it is there (one lookup), else as from the table's listing.
   */
  public List<Path> filesOf(String table, String runId) {
    return filesOf(table, List.of(runId)).get(0);
  }

  /** {@link #filesOf(String, String)} of each of {@code runIds}, in their order; the lookups a few at a time. */
  public List<List<Path>> filesOf(String table, List<String> runIds) {
    boolean listedTable;
    synchronized (this) {
      listedTable = byTable.containsKey(table);
    }
    List<List<Path>> out = new ArrayList<>();
    if (listedTable) {
      runIds.forEach(id -> out.add(fromListing(table, id)));
      return out;
    }
    List<Path> beside = new ArrayList<>();
    for (String id : runIds) {
      beside.add(besideRuns(table, id));
    }
    List<Boolean> found;
    try {
      found = IoTasks.inOrder("pixel-similarity-report", beside, p -> p != null && lookUp(p));
    } catch (IOException e) {
      throw new JobException(root + "/" + table + ": cannot look up a run's file: " + e.getMessage(), e);
    }
    for (int i = 0; i < runIds.size(); i++) {
      out.add(found.get(i) ? List.of(beside.get(i)) : fromListing(table, runIds.get(i)));
    }
    return out;
  }

  /** Whether {@code file} exists; its status kept for its reader when it does (one lookup either way). */
  private boolean lookUp(Path file) throws IOException {
    try {
      statuses.put(file, fs.getFileStatus(file));
      return true;
    } catch (FileNotFoundException none) {
      return false;
    }
  }

  /**
   * The status a listing or lookup of this object gave for {@code file}, or null (not seen, or listed with
   * {@code java.io}): what {@link org.pixelsimilarity.data.SmallTable.Reader#read(FileStatus,
   * java.util.function.Consumer)} opens it with.
   */
  public FileStatus status(Path file) {
    return statuses.get(file);
  }

  /** Where the writer put run {@code runId}'s file of {@code table}: beside its {@code runs} file; or null. */
  private Path besideRuns(String table, String runId) {
    List<Path> runs = byName.get(ReportTables.RUNS) == null ? null
        : byName.get(ReportTables.RUNS).get(runId + ".parquet");
    if (runs == null || runs.size() != 1 || !runs.get(0).getParent().getName().startsWith("run_date=")) {
      return null;
    }
    return new Path(new Path(new Path(root, table), runs.get(0).getParent().getName()), runId + ".parquet");
  }

  private List<Path> fromListing(String table, String runId) {
    List<Path> all = files(table);
    List<Path> own;
    synchronized (this) {
      own = byName.get(table).get(runId + ".parquet");
    }
    return own == null ? all : own;
  }
}
