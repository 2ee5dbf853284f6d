package org.pixelsimilarity.data;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * What listing a folder of label folders costs per file, one thread, JIT warm (best of 5 rounds, wall and this
 * thread's CPU): the listing the job runs ({@link ImageFolderReader#list}, sorting and packing included) through
 * Hadoop's {@code listStatus} and through {@code java.nio}, and ways of telling files from folders with the JDK
 * alone (names and one {@code stat} each, no sorting or packing). Used for docs/performance.md; run with
 * {@code PS_MAIN=org.pixelsimilarity.data.ListingProfile PS_CLASSPATH=target/test-classes jobs/run-local.sh <root>}.
 */
public final class ListingProfile {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ListingProfile() {}

  private interface Way {
    long files(Path root) throws IOException;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath();
    Configuration conf = new Configuration();
    time("job's listing, Hadoop listStatus", root,
        r -> ImageFolderReader.list(conf, r.toString(), Set.of(), false).files().size());
    time("job's listing, java.nio (kept)", root,
        r -> ImageFolderReader.list(conf, r.toString(), Set.of(), true).files().size());
    time("File.list + Files.readAttributes (kept)", root, r -> {
      long n = 0;
      for (String label : new File(r.toString()).list()) {
        String dir = r + "/" + label;
        for (String name : new File(dir).list()) {
          String f = dir + "/" + name;
          n += Files.readAttributes(Path.of(f), BasicFileAttributes.class).isDirectory() ? 0 : ("file:" + f)
              .length() > 0 ? 1 : 0;
        }
      }
      return n;
    });
    time("DirectoryStream + Files.readAttributes", root, r -> {
      long n = 0;
      try (var labels = Files.newDirectoryStream(r)) {
        for (Path label : labels) {
          try (var in = Files.newDirectoryStream(label)) {
            for (Path f : in) {
              n += Files.readAttributes(f, BasicFileAttributes.class).isDirectory() ? 0
                  : ("file:" + f).length() > 0 ? 1 : 0;
            }
          }
        }
      }
      return n;
    });
    time("File.list + File.isDirectory + exists", root, r -> {
      long n = 0;
      for (String label : new File(r.toString()).list()) {
        File dir = new File(r.toString(), label);
        for (String name : dir.list()) {
          File f = new File(dir, name);
          n += f.isDirectory() || !f.exists() ? 0 : ("file:" + f.getPath()).length() > 0 ? 1 : 0;
        }
      }
      return n;
    });
    time("Files.walkFileTree, following links", root, r -> {
      long[] n = {0};
      Files.walkFileTree(r, EnumSet.of(FileVisitOption.FOLLOW_LINKS), 2, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
          n[0] += a.isDirectory() ? 0 : ("file:" + f).length() > 0 ? 1 : 0;
          return FileVisitResult.CONTINUE;
        }
      });
      return n[0];
    });
  }

  private static void time(String what, Path root, Way way) throws IOException {
    double wall = Double.MAX_VALUE;
    double cpu = Double.MAX_VALUE;
    long n = 0;
    for (int round = 0; round < 5; round++) {
      long c = THREADS.getCurrentThreadCpuTime();
      long t = System.nanoTime();
      n = way.files(root);
      wall = Math.min(wall, (System.nanoTime() - t) / 1e3 / n);
      cpu = Math.min(cpu, (THREADS.getCurrentThreadCpuTime() - c) / 1e3 / n);
    }
    System.out.printf(Locale.ROOT, "%-42s %7.2f µs/file wall %7.2f µs/file CPU  (best of 5 rounds, %d files)%n",
        what, wall, cpu, n);
  }
}
