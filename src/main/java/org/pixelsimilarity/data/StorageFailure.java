package org.pixelsimilarity.data;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.security.AccessControlException;

/**
 * A store's failure in one line: what went wrong and what to do, for the message {@code <path>: <this>}. Hadoop's
 * connectors name the same few causes in many ways (s3a's messages run over lines, with the SDK's request ids);
 * this looks down the cause chain for the kind of failure a person can fix: no connector for the scheme, an
 * address nobody answers at, a bucket that does not exist, credentials or permissions refused.
 */
public final class StorageFailure {
  private StorageFailure() {}

  /** {@code what; what to do}, one line, for an I/O failure on {@code path}. */
  public static String describe(String path, Throwable e) {
    String known = known(path, e);
    return known != null ? known : firstLine(e);
  }

  /**
   * Whether {@code e} is the store's failure rather than a file's content: one of {@link #describe}'s kinds, a
   * file gone since it was listed, a connection reset or timed out.
   */
  static boolean isStorageFailure(Throwable e) {
    if (known("x", e) != null) {
      return true;
    }
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.io.FileNotFoundException || c instanceof java.net.SocketException
          || c instanceof java.net.SocketTimeoutException || c.getClass().getSimpleName().equals("AWSClientIOException")) {
        return true;
      }
    }
    return false;
  }

  private static String known(String path, Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String name = c.getClass().getSimpleName();
      if (c instanceof UnsupportedFileSystemException || isConnectorClassMissing(c)) {
        String scheme = new org.apache.hadoop.fs.Path(path).toUri().getScheme();
        return "no connector for " + scheme + ":// on the classpath; add the file system's jars to spark-submit"
            + " (--jars or --packages, see docs/cluster.md)";
      }
      if (name.equals("UnknownStoreException")) {
        return "the bucket does not exist (" + firstLine(c) + "); check the bucket's name and the endpoint"
            + " (fs.s3a.endpoint)";
      }
      if (c instanceof AccessDeniedException || c instanceof AccessControlException) {
        return "access denied (" + firstLine(c) + "); check the credentials the job runs with and the path's"
            + " permissions";
      }
      if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException
          || name.equals("ConnectTimeoutException")) {
        return "cannot reach the store (" + firstLine(c) + "); check the address (the NameNode in the URI or"
            + " fs.defaultFS, fs.s3a.endpoint) and that the service is up";
      }
    }
    return null;
  }

  /**
   * Whether {@code e} says the scheme's connector is not on the classpath: Hadoop knows no file system for it, or
   * knows its class name (Hadoop's own defaults name {@code gs:}'s, {@code abfs:}'s, …) but cannot load it, which
   * {@code FileSystem.get} throws as a RuntimeException.
   */
  public static boolean isMissingConnector(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof UnsupportedFileSystemException || isConnectorClassMissing(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConnectorClassMissing(Throwable c) {
    return c instanceof ClassNotFoundException && c.getMessage() != null
        && c.getMessage().startsWith("Class org.apache.hadoop.fs.");
  }

  /** The first line of a message (s3a's run over several), or the exception's class name when it has none. */
  static String firstLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    return m.lines().findFirst().orElse("").trim();
  }
}
