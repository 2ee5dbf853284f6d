package org.pixelsimilarity.report;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.data.IoTasks;
import org.pixelsimilarity.data.SmallTable;
import org.pixelsimilarity.io.HiddenNames;
import org.pixelsimilarity.io.Store;

/**
 * The summary of a report folder's runs, {@code <report>/_summary/runs.parquet}: every row of {@code runs} with the
 * file it came from (its path below the report folder, length and modification time), so that a run reads one file
 * for the whole history instead of one {@code runs} file per run (the gate's previous run, the index's table and
 * trend). Hidden ({@code _summary}) from readers of the tables.
 *
 * <p>It is a cache, never the truth: the truth is the {@code runs} files, of which one listing (names, lengths and
 * times; no file opened) is taken. A row of the summary is used only for a {@code runs} file that is listed with
 * the same length and time; a listed file the summary lacks or has otherwise is read; a row whose file is no
 * longer listed is dropped. So a reader never shows a run whose {@code runs} file is not in place, and a {@code runs}
 * file is in place only once the run's other rows are ({@link ReportCommit}, {@link InPlaceCommit}): the summary
 * never shows a run whose rows are not all there, whatever it holds. Each commit brings it up to date after the
 * run's {@code runs} file is in place; any reader that finds it behind (a writer killed before updating it, two
 * writers updating it at once) writes it again. It is written whole ({@link Store#writeWhole}): a reader sees the
 * old summary or the new one.
 */
public final class RunSummary {
  static final String DIR = "_summary";
  static final String FILE = "runs.parquet";
  /** {@link ReportTables#RUNS_SCHEMA} and where each row came from. */
  static final StructType SCHEMA = ReportTables.RUNS_SCHEMA
      .add("runs_file", DataTypes.StringType, false)
      .add("runs_file_length", DataTypes.LongType, false)
      .add("runs_file_modified", DataTypes.LongType, false);
  private static final int COLUMNS = ReportTables.RUNS_SCHEMA.size();
  private static final long STALE_TEMPORARY_MS = 24L * 3600 * 1000;

  private RunSummary() {}

  /** The summary file of the report folder {@code root}. */
  static Path file(Path root) {
    return new Path(new Path(root, DIR), FILE);
  }

  /**
   * Every row of {@code runs} (in {@link #SCHEMA}) of the listed {@code runs} files: from the summary where it has
   * the file as listed, else from the file. Writes the summary again when it was not what these rows make.
   *
   * @param reread run ids whose files are read whatever the summary says (a run its caller has just rewritten)
   */
  static List<Row> rows(SparkSession spark, ReportFiles files, Set<String> reread) {
    Path root = files.root();
    Map<String, List<Row>> known = read(spark, files);
    List<Row> out = new ArrayList<>();
    List<ReportFiles.Listed> unknown = new ArrayList<>();
    int used = 0;
    for (ReportFiles.Listed f : files.listedFiles(ReportTables.RUNS)) {
      List<Row> rows = known.get(relative(root, f.path()));
      if (rows != null && rows.get(0).<Long>getAs("runs_file_length") == f.length()
          && rows.get(0).<Long>getAs("runs_file_modified") == f.modified()
          && rows.stream().noneMatch(r -> reread.contains(r.<String>getAs("run_id")))) {
        out.addAll(rows);
        used++;
      } else {
        unknown.add(f);
      }
    }
    if (!unknown.isEmpty() || used != known.size()) {
      out.addAll(readRunsFiles(spark, root, unknown));
      write(spark, files, out);
    }
    return out;
  }

  /** The summary's rows by runs file; none when there is no summary or it cannot be read (it is made again). */
  private static Map<String, List<Row>> read(SparkSession spark, ReportFiles files) {
    Map<String, List<Row>> byFile = new HashMap<>();
    try {
      SmallTable.read(spark, file(files.root()), SCHEMA,
          r -> byFile.computeIfAbsent(r.getAs("runs_file"), f -> new ArrayList<>()).add(r));
    } catch (FileNotFoundException none) {
      return byFile;
    } catch (IOException | RuntimeException unreadable) {
      return new HashMap<>(); // half a summary is never written; an unreadable one is rebuilt from the files
    }
    return byFile;
  }

  /** Every row of the given {@code runs} files, a few files at a time, each with where it came from. */
  private static List<Row> readRunsFiles(SparkSession spark, Path root, List<ReportFiles.Listed> files) {
    SmallTable.Reader reader = SmallTable.reader(spark, ReportTables.RUNS_SCHEMA);
    List<List<Row>> each;
    try {
      each = IoTasks.inOrder("pixel-similarity-report", files, f -> {
        List<Row> rows = new ArrayList<>();
        try {
          java.util.function.Consumer<Row> add = r -> rows.add(withFile(r, relative(root, f.path()), f));
          if (f.status() != null) {
            reader.read(f.status(), add); // no second lookup of a listed file
          } else {
            reader.read(f.path(), add);
          }
        } catch (IOException | RuntimeException e) {
          throw new IOException(f.path() + ": cannot read the report table runs: " + e.getMessage(), e);
        }
        return rows;
      });
    } catch (IOException e) {
      throw new JobException(e.getMessage(), e);
    }
    List<Row> out = new ArrayList<>();
    each.forEach(out::addAll);
    return out;
  }

  private static Row withFile(Row r, String file, ReportFiles.Listed f) {
    Object[] v = new Object[SCHEMA.size()];
    for (int i = 0; i < COLUMNS; i++) {
      v[i] = r.get(i);
    }
    v[COLUMNS] = file;
    v[COLUMNS + 1] = f.length();
    v[COLUMNS + 2] = f.modified();
    return new GenericRowWithSchema(v, SCHEMA);
  }

  /**
   * Writes the summary whole. A failure is not the run's: the summary is a cache, which the next reader that finds
   * it behind writes again (a report folder one may read but not write still shows its runs).
   */
  private static void write(SparkSession spark, ReportFiles files, List<Row> rows) {
    Path file = file(files.root());
    try {
      Store store = Store.of(files.fileSystem(), file);
      sweep(store, file);
      SmallTable.writeFile(spark, store, file, SCHEMA, rows.iterator());
    } catch (IOException | RuntimeException e) {
      // kept as it was: readers check every row against the listing of runs
    }
  }

  /** Deletes the hidden temporaries of summary writers killed more than a day ago. */
  private static void sweep(Store store, Path file) throws IOException {
    String prefix = HiddenNames.temporaryPrefix(file);
    long now = System.currentTimeMillis();
    try {
      for (FileStatus s : store.fs().listStatus(file.getParent())) {
        if (s.getPath().getName().startsWith(prefix) && now - s.getModificationTime() > STALE_TEMPORARY_MS) {
          store.deleteQuietly(s.getPath());
        }
      }
    } catch (FileNotFoundException none) {
      // the first summary of this report
    }
  }

  /** A file's path below the report folder ({@code runs/run_date=…/<run_id>.parquet}). */
  private static String relative(Path root, Path file) {
    String r = root.toUri().getPath();
    String f = file.toUri().getPath();
    return f.startsWith(r + "/") ? f.substring(r.length() + 1) : f;
  }
}
