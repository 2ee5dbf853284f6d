package org.pixelsimilarity.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API server on loopback: s3proxy (its one-jar build, copied to target/s3proxy by the pom) with its
 * filesystem backend, in a JVM of its own, started and stopped by process id. A bucket is a folder of {@code data/}.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "storage-tier";
  public static final String SECRET_KEY = "storage-tier-secret";

  private final Path dir;
  private final int port;
  private final boolean logRequests;
  private Process process;

  private S3Server(Path dir, int port, boolean logRequests) {
    this.dir = dir;
    this.port = port;
    this.logRequests = logRequests;
  }

  /** Starts s3proxy with its objects under {@code dir/data}, its log in {@code dir/s3proxy.log}. */
  public static S3Server start(Path dir) throws IOException {
    S3Server s = new S3Server(dir, freePort(), false);
    s.launch();
    return s;
  }

  /** {@link #start}, with every request s3proxy serves in its log (debug level), for {@link #requests}. */
  public static S3Server startLoggingRequests(Path dir) throws IOException {
    S3Server s = new S3Server(dir, freePort(), true);
    s.launch();
    return s;
  }

  /**
   * The requests s3proxy has served so far, as its log names them ({@link #startLoggingRequests}): by method, a
   * GET of a bucket (a listing) as {@code LIST}.
   */
  public Map<String, Long> requests() throws IOException {
    Map<String, Long> out = new java.util.TreeMap<>();
    // "request: Request(GET http://127.0.0.1:<port>/<bucket>/<key>?…)"; no key: a request to the bucket
    java.util.regex.Pattern line = java.util.regex.Pattern.compile(
        " request: Request\\((\\w+) https?://[^/]+/[^/?)]+(/[^?)]+)?");
    try (java.util.stream.Stream<String> lines = Files.lines(dir.resolve("s3proxy.log"))) {
      lines.forEach(l -> {
        java.util.regex.Matcher m = line.matcher(l);
        if (m.find()) {
          out.merge(m.group(1).equals("GET") && m.group(2) == null ? "LIST" : m.group(1), 1L, Long::sum);
        }
      });
    }
    return out;
  }

  private void launch() throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=" + endpoint(),
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        // The SDK sends checksum headers on bulk deletes that s3proxy would refuse.
        "s3proxy.ignore-unknown-headers=true",
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + dir.resolve("data"),
        ""));
    String jar = System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(jar + " missing: the pom copies it (mvn process-test-resources)");
    }
    process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-DLOG_LEVEL=" + (logRequests ? "debug" : "info"), "-jar", jar, "--properties", props.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!listening()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3proxy exited " + process.exitValue() + ", see "
            + dir.resolve("s3proxy.log"));
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("s3proxy not listening after 90 s, see " + dir.resolve("s3proxy.log"));
      }
      sleep(100);
    }
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Makes a bucket (a folder of the filesystem backend). */
  public void createBucket(String name) throws IOException {
    Files.createDirectories(dir.resolve("data").resolve(name));
  }

  /** The folder holding a bucket's objects, as s3proxy's filesystem backend stores them. */
  public Path bucketFolder(String name) {
    return dir.resolve("data").resolve(name);
  }

  /**
   * Puts every file under {@code local} into bucket {@code bucket} under {@code prefix} by writing it straight into
   * the backend's folder, as s3proxy's filesystem backend stores an object: the file, and its MD5 in the extended
   * attribute {@code user.content-md5} (where the backend keeps the ETag: without it an object has none, which no
   * S3 has). Much faster than one PUT per file (100,000 files in seconds); the objects list and read as uploaded
   * ones do. Returns the number of files.
   */
  public long putStraight(String bucket, Path local, String prefix) throws IOException {
    Path to = bucketFolder(bucket).resolve(prefix);
    long[] n = {0};
    try (java.util.stream.Stream<Path> files = Files.walk(local)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path dest = to.resolve(local.relativize(f).toString());
        Files.createDirectories(dest.getParent());
        byte[] bytes = Files.readAllBytes(f);
        Files.write(dest, bytes);
        byte[] md5;
        try {
          md5 = java.security.MessageDigest.getInstance("MD5").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
        Files.getFileAttributeView(dest, java.nio.file.attribute.UserDefinedFileAttributeView.class)
            .write("user.content-md5", java.nio.ByteBuffer.wrap(md5));
        n[0]++;
      }
    }
    return n[0];
  }

  /**
   * What s3a needs to reach this server ({@code fs.s3a.*}, for a Hadoop configuration or, prefixed with
   * {@code spark.hadoop.}, for spark-submit's --conf): endpoint, path-style addressing, plain HTTP, the keys, a
   * region (any: s3proxy does not check it), and few retries so that a test of a failure ends soon.
   */
  public Map<String, String> s3aSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("fs.s3a.endpoint", endpoint());
    m.put("fs.s3a.endpoint.region", "us-east-1");
    m.put("fs.s3a.path.style.access", "true");
    m.put("fs.s3a.connection.ssl.enabled", "false");
    m.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("fs.s3a.access.key", ACCESS_KEY);
    m.put("fs.s3a.secret.key", SECRET_KEY);
    m.put("fs.s3a.attempts.maximum", "2");
    m.put("fs.s3a.retry.limit", "2");
    m.put("fs.s3a.retry.interval", "50ms");
    m.put("fs.s3a.connection.establish.timeout", "2s");
    m.put("fs.s3a.connection.timeout", "20s");
    return m;
  }

  /** Starts the server again after {@link #close}, on the same port, with the same objects. */
  public void restart() throws IOException {
    if (process == null) {
      launch();
    }
  }

  /** Stops the server by its process id (and waits for it). */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
