package org.pixelsimilarity.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link KillContract} on S3 (s3proxy through s3a): the report committed in place, {@code runs} last; DuckDB reads
 * the objects where s3proxy's filesystem backend keeps them (what the bucket lists; DuckDB reaches S3 only through
 * an extension it downloads); the store failure is s3proxy stopped between two of the run's files.
 */
class S3KillTest extends KillContract {
  static final String BUCKET = "kill-anywhere";
  private S3Server s3;

  @Override
  protected String start(Path tmp) throws Exception {
    s3 = S3Server.start(tmp.resolve("s3"));
    s3.createBucket(BUCKET);
    S3Stores.configure(StoreRuns.hadoop(org.pixelsimilarity.SparkTestSession.get()), s3, BUCKET);
    return "s3a://" + BUCKET + "/jobs";
  }

  @Override
  protected void upload(Path local) throws Exception {
    S3Stores.upload(StoreRuns.hadoop(spark), local, base);
  }

  @Override
  protected List<String> childConf() {
    List<String> conf = new ArrayList<>();
    for (Map.Entry<String, String> e : s3.s3aSettings().entrySet()) {
      conf.add("spark.hadoop.fs.s3a.bucket." + BUCKET + "." + e.getKey().substring("fs.s3a.".length()) + "="
          + e.getValue());
    }
    return conf;
  }

  @Override
  protected Path localCopy(String report) {
    return s3.bucketFolder(BUCKET).resolve(report.substring(("s3a://" + BUCKET + "/").length()));
  }

  @Override
  protected List<String> commitSteps() {
    return List.of("deleted old files", "wrote rejected", "wrote confusion", "wrote class_accuracy",
        "wrote examples", "wrote runs");
  }

  @Override
  protected String failingStep() {
    return "wrote confusion";
  }

  @Override
  protected void storeDown() {
    s3.close();
  }

  @Override
  protected void storeUp() throws Exception {
    s3.restart();
  }

  @Override
  protected void stop() {
    if (s3 != null) {
      s3.close();
    }
  }
}
