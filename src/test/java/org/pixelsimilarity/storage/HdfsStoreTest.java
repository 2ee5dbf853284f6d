package org.pixelsimilarity.storage;

import java.nio.file.Path;
import org.apache.hadoop.security.UserGroupInformation;

/** {@link StoreContract} on HDFS: Hadoop's MiniDFSCluster, paths {@code hdfs://127.0.0.1:<port>/…}. */
class HdfsStoreTest extends StoreContract {
  private MiniHdfs hdfs;

  @Override
  protected String start(Path tmp) throws Exception {
    hdfs = MiniHdfs.start(tmp.resolve("hdfs"));
    String user = UserGroupInformation.getCurrentUser().getShortUserName();
    hdfs.mkdirAs("/jobs", user, (short) 0755);
    return hdfs.uri() + "/jobs";
  }

  @Override
  protected void stop() {
    if (hdfs != null) {
      hdfs.close();
    }
  }
}
