package org.pixelsimilarity.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Where one folder task's time goes, per file, one thread, JIT warm (each step run over the files several times,
 * the last round timed): opening and reading a file through Hadoop's local file system vs {@code java.nio};
 * decoding with ImageIO (reader lookup, stream, {@code BufferedImage}, raster, {@link ImageDecoder#toPixels}) vs
 * {@link PngDirect}. Used for docs/performance.md; run with
 * {@code PS_MAIN=org.pixelsimilarity.data.DecodeProfile PS_CLASSPATH=target/test-classes jobs/run-local.sh <dir> [files]}.
 */
public final class DecodeProfile {
  private DecodeProfile() {}

  private interface Step {
    long run(Path p, byte[] bytes) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(n).toList();
    }
    byte[][] bytes = new byte[files.size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = Files.readAllBytes(files.get(i));
    }
    Configuration conf = new Configuration();
    listing(Path.of(args[0]), conf);
    time("read: hadoop open + readAllBytes", files, bytes, (p, b) ->
        {
          org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(p.toUri());
          try (var in = hp.getFileSystem(conf).open(hp)) {
            return in.readAllBytes().length;
          }
        });
    org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(conf);
    time("read: one hadoop FileSystem, open", files, bytes, (p, b) -> {
      try (var in = fs.open(new org.apache.hadoop.fs.Path(p.toUri()))) {
        return in.readAllBytes().length;
      }
    });
    org.apache.hadoop.fs.FileSystem raw = org.apache.hadoop.fs.FileSystem.getLocal(conf).getRaw();
    time("read: one raw local FileSystem, open", files, bytes, (p, b) -> {
      try (var in = raw.open(new org.apache.hadoop.fs.Path(p.toUri()))) {
        return in.readAllBytes().length;
      }
    });
    time("read: java.nio Files.readAllBytes", files, bytes, (p, b) -> Files.readAllBytes(p).length);
    FileBytes task = new FileBytes(conf);
    time("read: FileBytes (the job's)", files, bytes, (p, b) ->
        task.read(new org.apache.hadoop.fs.Path(p.toUri()), b.length).length);
    time("decode: ImageIO + toPixels", files, bytes, (p, b) -> ImageDecoder.decodeWithImageIo(b).pixels().length);
    time("decode: PngDirect direct", files, bytes, (p, b) -> PngDirect.decode(b).pixels().length);
  }

  /**
   * Listing the label folders under {@code root}: Hadoop's listStatus vs java.nio (the job's own listing is
   * profiled by {@link ListingProfile}).
   */
  static void listing(Path root, Configuration conf) throws IOException {
    org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(conf);
    for (int round = 0; round < 3; round++) {
      long t = System.nanoTime();
      long n = 0;
      for (org.apache.hadoop.fs.FileStatus label : fs.listStatus(new org.apache.hadoop.fs.Path(root.toUri()))) {
        for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(label.getPath())) {
          n += f.isDirectory() ? 0 : f.getPath().toString().length() > 0 ? 1 : 0;
        }
      }
      double hadoop = (System.nanoTime() - t) / 1e3 / n;
      t = System.nanoTime();
      long m = 0;
      try (var labels = Files.newDirectoryStream(root)) {
        for (Path label : labels) {
          try (var in = Files.newDirectoryStream(label)) {
            for (Path f : in) {
              m += Files.isDirectory(f) ? 0 : f.toUri().toString().length() > 0 ? 1 : 0;
            }
          }
        }
      }
      double nio = (System.nanoTime() - t) / 1e3 / m;
      System.out.printf(Locale.ROOT, "list: hadoop listStatus %.1f µs/file, java.nio directory stream + isDirectory"
          + " %.1f µs/file (%d files)%n", hadoop, nio, n);
    }
  }

  private static void time(String what, List<Path> files, byte[][] bytes, Step step) throws Exception {
    long sink = 0;
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long t = System.nanoTime();
      for (int i = 0; i < files.size(); i++) {
        sink += step.run(files.get(i), bytes[i]);
      }
      best = Math.min(best, (System.nanoTime() - t) / 1e3 / files.size());
    }
    System.out.printf(Locale.ROOT, "%-40s %8.1f µs/file  %9.0f files/s  (best of 5 rounds over %d files; %d)%n",
        what, best, 1e6 / best, files.size(), sink);
  }

}
