package org.pixelsimilarity.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.pixelsimilarity.SparkTestSession;
import picocli.CommandLine;

/**
 * The job's jar as the tests can make it before {@code package}: the compiled classes and resources of
 * {@code target/classes} plus picocli's classes (what the shaded jar holds, picocli not relocated). Spark and
 * Hadoop stay out: the cluster provides them.
 */
final class AppJar {
  private AppJar() {}

  static Path write(Path jar) throws IOException, URISyntaxException {
    Path classes = SparkTestSession.repo().resolve("target/classes");
    Path picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      List<Path> files;
      try (var walk = Files.walk(classes)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
      try (JarFile in = new JarFile(picocli.toFile())) {
        for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
          if (!e.isDirectory() && e.getName().startsWith("picocli/")) {
            out.putNextEntry(new JarEntry(e.getName()));
            copy(in.getInputStream(e), out);
            out.closeEntry();
          }
        }
      }
    }
    return jar;
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    try (in) {
      in.transferTo(out);
    }
  }
}
