package org.pixelsimilarity.data;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.io.Store;

/**
 * Reads {@code <root>/<label>/<image>}. Files are listed on the driver and read and decoded on executors
 * ({@link ImageRows}). Every listed file becomes a row: an image, or a bad image with its reason (a file directly
 * under the root, a file nested below a label folder, anything that does not decode). Hidden entries (names
 * starting with '.', such as {@code .DS_Store}, {@code .ipynb_checkpoints/} or Hadoop's {@code .crc} files) are not
 * data, as in Spark's own file sources: they are skipped, but counted and named, never dropped without a word.
 *
 * <p>Folders on the local file system are listed with {@code java.nio} ({@link LocalFolders}), any other file
 * system with Hadoop's {@code listStatus}, {@link #LISTED_AT_ONCE} label folders at a time; the listed files reach
 * the tasks packed ({@link FileList}).
 */
public final class ImageFolderReader {
  /** Files per decoding task: small enough to spread a 2,000-image sample over both cores. */
  static final int FILES_PER_PARTITION = 512;
  /** Label folders listed at a time through Hadoop (on the local disk: one by one, with {@code java.nio}). */
  static final int LISTED_AT_ONCE = 8;

  private ImageFolderReader() {}

  /**
   * The listing: which files to decode under which label, label folders without images, hidden entries skipped,
   * and how many folders were listed with {@code java.nio} (the rest through Hadoop).
   */
  record Listing(FileList files, List<String> emptyLabels, List<String> hidden, int javaNioFolders) {}

  /** Decoded rows of {@link PixelTable#DECODED}; {@code labels} (may be empty = all) limits the label folders. */
  public static Decoded read(SparkSession spark, String root, Set<String> labels) {
    return read(spark, root, labels, true);
  }

  /**
   * As {@link #read(SparkSession, String, Set)}; with {@code labelFolders} false the root is a tree of unlabelled
   * images instead ({@link Labelling#OPTIONAL_IMAGE_TREE}).
   */
  public static Decoded read(SparkSession spark, String root, Set<String> labels, boolean labelFolders) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    int concurrency = ImageRows.concurrency(spark);
    Listing listing = labelFolders ? list(hadoop, root, labels, true) : listTree(hadoop, root, true);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int n = listing.files().size();
    // Local files (all listed under one root, so all or none) are read as each row is reached; others ahead.
    int ahead = n == 0 || listing.files().first().startsWith("file:") ? 1 : concurrency;
    Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(hadoop));
    int partitions = Math.max(1, Math.min(jsc.defaultParallelism() * 4,
        (n + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION));
    partitions = Math.max(partitions, Math.min(n, jsc.defaultParallelism()));
    // One element per partition: the partition's files, packed (the driver keeps only these bytes).
    JavaRDD<Row> rows = jsc.parallelize(listing.files().split(partitions, root), partitions)
        .mapPartitions(parts -> ImageRows.of(parts, conf.value().value(), ahead));
    return new Decoded(spark.createDataFrame(rows, PixelTable.DECODED), listing.emptyLabels(), listing.hidden());
  }

  /**
   * Decoded rows plus label folders that held no file at all (reported, since they train nothing) and the hidden
   * entries skipped (paths, reported as a count and a few names).
   */
  public record Decoded(Dataset<Row> rows, List<String> emptyLabels, List<String> hidden) {}

  /**
   * Lists {@code <root>/<label>/…}. The root's own entries (the label folders) are listed through Hadoop; the label
   * folders with {@code java.nio} when {@code javaNio} and they are on the local file system (see
   * {@link LocalFolders}), one after another, else through Hadoop too, {@link #LISTED_AT_ONCE} at a time. Either
   * way the same files, order, paths and hidden entries.
   */
  static Listing list(Configuration conf, String root, Set<String> labels, boolean javaNio) {
    Path rootPath = new Path(root);
    FileList files = new FileList();
    List<String> empty = new ArrayList<>();
    List<String> hidden = new ArrayList<>();
    boolean anyFolder = false;
    LocalFolders local = null;
    try {
      FileSystem fs = rootPath.getFileSystem(conf);
      requireFolder(fs, rootPath, root);
      local = javaNio ? LocalFolders.of(fs) : null;
      HadoopFolders hadoop = new HadoopFolders(fs);
      FileStatus[] children = sorted(fs.listStatus(rootPath));
      // Through Hadoop (an object store, HDFS: a round trip per page), several label folders are listed at once.
      try (ReadAhead<FileStatus, LabelFiles> ahead = new ReadAhead<>(
          java.util.Arrays.stream(children).filter(c -> isLabelFolder(c, labels)).iterator(),
          c -> labelFiles(hadoop, c.getPath()), local == null ? LISTED_AT_ONCE : 1)) {
        for (FileStatus child : children) {
          String name = child.getPath().getName();
          if (isHidden(name)) {
            hidden.add(child.getPath().toString());
          } else if (!child.isDirectory()) {
            files.add(null, FileList.Kind.AT_ROOT, child.getPath().toString(), child.getLen(), null);
          } else {
            anyFolder = true;
            if (!isLabelFolder(child, labels)) {
              continue;
            }
            int before = files.size();
            add(labelFolder(child, local, hadoop, ahead), name, files, hidden);
            if (files.size() == before) {
              empty.add(name);
            }
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new JobException(root + ": cannot list: " + StorageFailure.describe(root, e), e);
    }
    if (!anyFolder && files.size() > 0) {
      throw new JobException(root + ": no label folders, but " + files.size() + " file(s) directly in it, e.g. "
          + new Path(files.first()).getName() + "; point at the folder that holds one folder per label"
          + " (<root>/<label>/<image>)");
    }
    return new Listing(files, empty, hidden, local == null ? 0 : local.listed);
  }

  /**
   * Every non-hidden file under {@code root}, at any depth, as an image without a label, sorted by path: the
   * layout of a folder of new images to predict, whose sub-folders (dates, batches, cameras) are not labels.
   * Listed with {@code java.nio} when {@code javaNio} and the root is on the local file system.
   */
  static Listing listTree(Configuration conf, String root, boolean javaNio) {
    Path rootPath = new Path(root);
    List<Listed> paths = new ArrayList<>();
    List<String> hidden = new ArrayList<>();
    LocalFolders local = null;
    try {
      FileSystem fs = rootPath.getFileSystem(conf);
      requireFolder(fs, rootPath, root);
      local = javaNio ? LocalFolders.of(fs) : null;
      String dir = local == null ? null : local.root(rootPath);
      if (dir != null) {
        tree(local, dir, paths, hidden);
      } else {
        tree(new HadoopFolders(fs), rootPath, paths, hidden);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new JobException(root + ": cannot list: " + StorageFailure.describe(root, e), e);
    }
    paths.sort(null);
    FileList files = new FileList();
    for (Listed p : paths) {
      files.add(null, FileList.Kind.IMAGE, p.path(), p.length(), p.etag());
    }
    return new Listing(files, List.of(), hidden, local == null ? 0 : local.listed);
  }

  private static <D> void tree(Folders<D> folders, D dir, List<Listed> out, List<String> hidden)
      throws IOException {
    folders.list(dir, (child, path, name, folder, length, etag) -> {
      if (isHidden(name)) {
        hidden.add(path);
      } else if (folder) {
        tree(folders, child, out, hidden);
      } else {
        out.add(new Listed(path, length, etag));
      }
    });
  }

  /** A listed file: its path string, length and ETag (null: none); sorted by path. */
  private record Listed(String path, long length, String etag) implements Comparable<Listed> {
    @Override
    public int compareTo(Listed o) {
      return path.compareTo(o.path);
    }
  }

  private static void requireFolder(FileSystem fs, Path rootPath, String root) throws IOException {
    if (!fs.exists(rootPath)) {
      throw new JobException(root + ": path does not exist");
    }
    if (!fs.getFileStatus(rootPath).isDirectory()) {
      throw new JobException(root + ": not a folder of label folders (and not an IDX or parquet path)");
    }
  }

  /** A label folder (not hidden, and among {@code labels} unless that is empty). */
  private static boolean isLabelFolder(FileStatus child, Set<String> labels) {
    String name = child.getPath().getName();
    return child.isDirectory() && !isHidden(name) && (labels.isEmpty() || labels.contains(name));
  }

  /**
   * The listing of label folder {@code child}: through Hadoop, read ahead ({@code local} null); else with
   * {@code java.nio} when its path is a plain local one, or through Hadoop here and now.
   */
  private static LabelFiles labelFolder(FileStatus child, LocalFolders local, HadoopFolders hadoop,
      ReadAhead<FileStatus, LabelFiles> ahead) throws IOException {
    if (local == null) {
      return ahead.next().result();
    }
    String dir = local.folder(child.getPath());
    return dir != null ? labelFiles(local, dir) : labelFiles(hadoop, child.getPath());
  }

  /** One label folder's files sorted by path, those below it ({@code nested}), its hidden entries as listed. */
  private record LabelFiles(List<Listed> paths, Set<String> nested, List<String> hidden) {}

  private static <D> LabelFiles labelFiles(Folders<D> folders, D dir) throws IOException {
    LabelFiles listed = new LabelFiles(new ArrayList<>(), new HashSet<>(), new ArrayList<>());
    walk(folders, dir, true, listed.paths(), listed.nested(), listed.hidden());
    listed.paths().sort(null);
    return listed;
  }

  /** The files of one label folder onto {@code files}, its hidden entries onto {@code hidden}. */
  private static void add(LabelFiles listed, String label, FileList files, List<String> hidden) {
    hidden.addAll(listed.hidden());
    Set<String> nested = listed.nested();
    for (Listed p : listed.paths()) {
      files.add(label, !nested.isEmpty() && nested.contains(p.path()) ? FileList.Kind.NESTED : FileList.Kind.IMAGE,
          p.path(), p.length(), p.etag());
    }
  }

  /** Hidden files and folders ({@code .DS_Store}, {@code .ipynb_checkpoints}, {@code .x.png.crc}) are not data. */
  static boolean isHidden(String name) {
    return name.startsWith(".");
  }

  private static FileStatus[] sorted(FileStatus[] statuses) {
    java.util.Arrays.sort(statuses);
    return statuses;
  }

  /**
   * Lists a label folder recursively, files directly in it and (as {@code nested}) below. Through Hadoop with
   * {@code listStatus}: {@code listFiles} would build a {@code LocatedFileStatus} per file, which on the local file
   * system forks a process per file for its permissions (16 s for the 2,000-image sample).
   */
  private static <D> void walk(Folders<D> folders, D dir, boolean direct, List<Listed> out, Set<String> nested,
      List<String> hidden) throws IOException {
    folders.list(dir, (child, path, name, folder, length, etag) -> {
      if (isHidden(name)) {
        hidden.add(path);
      } else if (folder) {
        walk(folders, child, false, out, nested, hidden);
      } else {
        out.add(new Listed(path, length, etag));
        if (!direct) {
          nested.add(path);
        }
      }
    });
  }

  /** Whether folders of {@code fs} are listed with {@code java.nio} (Hadoop's own local file systems). */
  static boolean listsWithJavaNio(FileSystem fs) {
    return LocalFolders.of(fs) != null;
  }

  /** Folders of one file system, listed as its {@code listStatus} lists them; {@code D} names a folder. */
  private interface Folders<D> {
    /** Each entry of {@code dir}, in {@code listStatus}'s order. */
    void list(D dir, Entries<D> out) throws IOException;
  }

  /**
   * Takes one entry: as a folder to list further, its path string (the row's origin), its name, a folder or not,
   * its length in bytes, its ETag (an object store's; else null).
   */
  private interface Entries<D> {
    void entry(D child, String path, String name, boolean folder, long length, String etag) throws IOException;
  }

  /** Any Hadoop file system, by {@code listStatus}: a {@code FileStatus} and a qualified {@code Path} per entry. */
  private record HadoopFolders(FileSystem fs) implements Folders<Path> {
    @Override
    public void list(Path dir, Entries<Path> out) throws IOException {
      for (FileStatus s : fs.listStatus(dir)) {
        String etag = s instanceof EtagSource e ? e.getEtag() : null;
        out.entry(s.getPath(), s.getPath().toString(), s.getPath().getName(), s.isDirectory(), s.getLen(), etag);
      }
    }
  }

  /**
   * The local file system ({@code file:}) listed with {@code java.io}/{@code java.nio}, entry by entry what Hadoop's
   * {@code RawLocalFileSystem.listStatus} gives, without its cost: it builds two {@code Path}s per entry (URI
   * parsing and quoting) and a {@code FileStatus} from five {@code stat} calls (exists, length, is-folder, modified
   * and access times): 19 µs of CPU per file, JIT warm, against 4 this way, which takes one {@code stat}
   * ({@code ListingProfile}, docs/performance.md). A folder is its absolute local path
   * ({@code D}); an entry's path string is {@code file:} and its local path, as Hadoop's {@code FileStatus} gives it
   * (its {@code Path} of {@code File.getPath()}, qualified), which {@link #folder} and {@link #root} check for the
   * folder before taking this way. Same names in the same order ({@code FileUtil.list}, Hadoop's own call, with its
   * errors); an entry whose {@code stat} fails (a dangling symlink, a file removed meanwhile) is left out, as
   * Hadoop leaves it out; symlinks are followed (a symlinked folder is listed as a folder under the link's path, a
   * symlinked file is a file at the link's path); {@code LocalFileSystem} (the checksum file system, Hadoop's
   * default for {@code file:}) leaves out {@code .…crc} names, {@code RawLocalFileSystem} does not.
   */
  private static final class LocalFolders implements Folders<String> {
    private final FileSystem fs;
    private final boolean checksums;
    /** Folders listed so far. */
    int listed;

    private LocalFolders(FileSystem fs, boolean checksums) {
      this.fs = fs;
      this.checksums = checksums;
    }

    /** For Hadoop's own local file systems only (a subclass may list differently), else null. */
    static LocalFolders of(FileSystem fs) {
      return Store.isPlainLocal(fs) ? new LocalFolders(fs, fs instanceof ChecksumFileSystem) : null;
    }

    /** A listed folder's local path, or null when its path string is not {@code file:} and that path. */
    String folder(Path listed) {
      String local = listed.toUri().getPath();
      return listed.toString().equals("file:" + local) ? local : null;
    }

    /** The dataset root's local path, as Hadoop makes it for listing (absolute), or null as for {@link #folder}. */
    String root(Path root) {
      String local = Store.localFile(fs, root).getPath();
      return folder(new Path(local).makeQualified(fs.getUri(), fs.getWorkingDirectory())) != null ? local : null;
    }

    @Override
    public void list(String dir, Entries<String> out) throws IOException {
      listed++;
      String prefix = dir.endsWith("/") ? dir : dir + "/";
      for (String name : FileUtil.list(new File(dir))) {
        if (checksums && name.startsWith(".") && name.endsWith(".crc")) {
          continue; // ChecksumFileSystem.isChecksumFile, on the name (building a Path per name costs)
        }
        String local = prefix + name;
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(java.nio.file.Path.of(local), BasicFileAttributes.class);
        } catch (IOException | java.nio.file.InvalidPathException e) {
          continue; // listStatus: File.exists() is false for any stat failure, and the entry is skipped
        }
        out.entry(local, "file:" + local, name, attributes.isDirectory(), attributes.size(), null);
      }
    }
  }
}
