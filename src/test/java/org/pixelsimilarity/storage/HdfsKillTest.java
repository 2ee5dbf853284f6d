package org.pixelsimilarity.storage;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * {@link KillContract} on HDFS (MiniDFSCluster): the report committed by renames; DuckDB reads a copy of the report
 * folder made with {@code FileSystem.copyToLocalFile} (it has no HDFS client); the store failure is the DataNode
 * stopped as the run starts writing its tables.
 */
class HdfsKillTest extends KillContract {
  private MiniHdfs hdfs;

  @Override
  protected String start(Path tmp) throws Exception {
    hdfs = MiniHdfs.start(tmp.resolve("hdfs"));
    hdfs.mkdirAs("/jobs", UserGroupInformation.getCurrentUser().getShortUserName(), (short) 0755);
    return hdfs.uri() + "/jobs";
  }

  @Override
  protected void upload(Path local) throws Exception {
    StoreRuns.upload(fs, local, base);
  }

  @Override
  protected List<String> childConf() {
    return List.of();
  }

  @Override
  protected Path localCopy(String report) throws Exception {
    Path copy = java.nio.file.Files.createTempDirectory(tmp, "report-copy");
    fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(report),
        new org.apache.hadoop.fs.Path(copy.toUri()), true);
    return copy.resolve(new org.apache.hadoop.fs.Path(report).getName());
  }

  @Override
  protected List<String> commitSteps() {
    return List.of("staged", "moved rejected", "moved confusion", "moved class_accuracy", "moved examples",
        "moved runs");
  }

  @Override
  protected String failingStep() {
    return "staging";
  }

  @Override
  protected void storeDown() {
    hdfs.stopDataNode();
  }

  @Override
  protected void storeUp() throws Exception {
    hdfs.restartDataNode();
  }

  @Override
  protected void stop() {
    if (hdfs != null) {
      hdfs.close();
    }
  }
}
