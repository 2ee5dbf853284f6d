package org.pixelsimilarity.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.pixelsimilarity.BadInputFixtures;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.model.ModelSaveSteps;
import org.pixelsimilarity.model.ModelStore;

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

  /**
   * {@code train --overwrite} of a model on S3, looked at when the new model's files are all written and its
   * {@code _COMMITTED} is not: a reader loads the old model whole or is refused in one line, never a mix; after the
   * commit it loads the new one. (Today it is refused: the old model is deleted when the new write starts.)
   */
  @Test
  void aModelOverwrittenOnS3IsNeverReadHalfWritten() {
    String model = base + "/model-overwritten";
    Assertions.assertEquals(0, BadInputFixtures.cli("train", "--train", base + "/train", "--model", model).exit());
    String oldId = ModelStore.load(spark, model).id();
    String[] during = new String[1];
    ModelSaveSteps.beforeCommit(dir -> {
      try {
        during[0] = "loaded " + ModelStore.load(spark, model).id();
      } catch (JobException e) {
        during[0] = "refused: " + e.getMessage();
      }
    });
    BadInputFixtures.Result r;
    try {
      r = BadInputFixtures.cli("train", "--train", base + "/valid", "--model", model, "--overwrite",
          "--max-rejected-fraction", "0.2");
    } finally {
      ModelSaveSteps.clear();
    }
    Assertions.assertEquals(0, r.exit(), r::toString);
    String newId = ModelStore.load(spark, model).id();
    Assertions.assertNotEquals(oldId, newId, "trained on other images");
    System.out.println("S3KillTest: a reader during --overwrite of a model: " + during[0]);
    Assertions.assertTrue(during[0].equals("loaded " + oldId)
        || during[0].startsWith("refused: ") && during[0].contains("not a complete model"), during[0]);
  }

  @Override
  protected void stop() {
    if (s3 != null) {
      s3.close();
    }
  }
}
