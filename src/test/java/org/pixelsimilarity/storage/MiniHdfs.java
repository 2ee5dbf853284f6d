package org.pixelsimilarity.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A real HDFS on loopback: Hadoop's own MiniDFSCluster (one NameNode, one DataNode, in this JVM), started as the
 * user {@code hdfs}, so that this JVM's user is an ordinary user to it and permissions apply. {@link #home} is a
 * folder this JVM's user owns; the root belongs to {@code hdfs}.
 */
final class MiniHdfs implements AutoCloseable {
  static final String SUPERUSER = "hdfs";

  private final MiniDFSCluster cluster;
  private final String uri;

  private MiniHdfs(MiniDFSCluster cluster) throws IOException {
    this.cluster = cluster;
    this.uri = cluster.getFileSystem().getUri().toString();
  }

  static MiniHdfs start(Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.setBoolean("dfs.permissions.enabled", true);
    // close() returns once the last block is committed, without waiting for the DataNode's report of it (else
    // each small file's close waits 400 ms and more on a loaded machine).
    conf.setInt("dfs.namenode.file.close.num-committed-allowed", 1);
    UserGroupInformation hdfs = UserGroupInformation.createUserForTesting(SUPERUSER, new String[] {"supergroup"});
    MiniDFSCluster cluster = hdfs.doAs((PrivilegedExceptionAction<MiniDFSCluster>) () -> {
      MiniDFSCluster c = new MiniDFSCluster.Builder(conf, dir.toFile()).numDataNodes(1).build();
      c.waitActive();
      return c;
    });
    return new MiniHdfs(cluster);
  }

  /** {@code hdfs://127.0.0.1:<port>} (or the host name the cluster gives). */
  String uri() {
    return uri;
  }

  /** Makes {@code path} as the superuser, owned by {@code owner} with {@code mode} (e.g. 0755). */
  void mkdirAs(String path, String owner, short mode) throws Exception {
    UserGroupInformation.createUserForTesting(SUPERUSER, new String[] {"supergroup"}).doAs(
        (PrivilegedExceptionAction<Void>) () -> {
          FileSystem fs = cluster.getFileSystem();
          org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
          fs.mkdirs(p);
          fs.setOwner(p, owner, null);
          fs.setPermission(p, new FsPermission(mode));
          return null;
        });
  }

  private MiniDFSCluster.DataNodeProperties stopped;

  /** Stops the DataNode (the NameNode still counts it live until its heartbeats are missed). */
  void stopDataNode() {
    stopped = cluster.stopDataNode(0);
  }

  /** Starts the stopped DataNode again, on its ports, with its blocks. */
  void restartDataNode() throws IOException {
    if (stopped != null) {
      MiniDFSCluster.DataNodeProperties dn = stopped;
      stopped = null;
      try {
        UserGroupInformation.createUserForTesting(SUPERUSER, new String[] {"supergroup"}).doAs(
            (PrivilegedExceptionAction<Void>) () -> {
              cluster.restartDataNode(dn, true);
              cluster.waitActive(); // asks the NameNode for its DataNodes: the superuser's call
              return null;
            });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
