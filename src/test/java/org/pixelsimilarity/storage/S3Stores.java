package org.pixelsimilarity.storage;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** s3a settings for one bucket of a {@link S3Server}, so that test classes with buckets of their own coexist. */
public final class S3Stores {
  private S3Stores() {}

  /** Sets {@code fs.s3a.bucket.<bucket>.*} (s3a's per-bucket settings) on {@code conf}. */
  public static void configure(Configuration conf, S3Server s3, String bucket) {
    for (Map.Entry<String, String> e : s3.s3aSettings().entrySet()) {
      conf.set("fs.s3a.bucket." + bucket + "." + e.getKey().substring("fs.s3a.".length()), e.getValue());
    }
  }

  /**
   * Puts the files under {@code local} under {@code base} through s3a (a copy straight into s3proxy's folder would
   * give objects without an ETag, which no S3 has), with a client of its own in create-performance mode: one PUT
   * per file, without the checks for what is there.
   */
  static void upload(Configuration hadoop, java.nio.file.Path local, String base) throws Exception {
    Configuration conf = new Configuration(hadoop);
    conf.setBoolean("fs.s3a.create.performance", true);
    try (org.apache.hadoop.fs.FileSystem uploader = org.apache.hadoop.fs.FileSystem.newInstance(
        new java.net.URI(base), conf)) {
      StoreRuns.upload(uploader, local, base);
    }
  }
}
