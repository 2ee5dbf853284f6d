package org.pixelsimilarity.storage;

import java.nio.file.Path;
import org.pixelsimilarity.SparkTestSession;

/**
 * {@link StoreContract} on S3: s3proxy in a JVM of its own, reached through Hadoop's s3a connector, paths
 * {@code s3a://storage-contract/…}.
 */
class S3StoreTest extends StoreContract {
  static final String BUCKET = "storage-contract";
  private S3Server s3;

  @Override
  protected String start(Path tmp) throws Exception {
    s3 = S3Server.start(tmp.resolve("s3"));
    s3.createBucket(BUCKET);
    S3Stores.configure(SparkTestSession.get().sparkContext().hadoopConfiguration(), s3, BUCKET);
    return "s3a://" + BUCKET + "/jobs";
  }

  @Override
  protected void upload(Path inputs) throws Exception {
    S3Stores.upload(SparkTestSession.get().sparkContext().hadoopConfiguration(), inputs, base);
  }

  @Override
  protected void stop() {
    if (s3 != null) {
      s3.close();
    }
  }
}
