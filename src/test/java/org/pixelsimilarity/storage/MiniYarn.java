package org.pixelsimilarity.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A real YARN on loopback: Hadoop's own MiniYARNCluster (one ResourceManager, one NodeManager, in this JVM) whose
 * containers are processes of their own, and a {@code HADOOP_CONF_DIR} for spark-submit to find it. The NodeManager
 * offers 4 GiB and 4 vcores (an application master and two or three executors of 512 MiB); YARN does not check
 * the containers' memory, the JVMs' -Xmx bound it.
 */
final class MiniYarn implements AutoCloseable {
  private static final String LOCALHOST = "127.0.0.1";

  private final MiniYARNCluster cluster;
  private final YarnClient client;

  private MiniYarn(MiniYARNCluster cluster) {
    this.cluster = cluster;
    this.client = YarnClient.createYarnClient();
    client.init(cluster.getConfig());
    client.start();
  }

  static MiniYarn start() throws Exception {
    YarnConfiguration conf = new YarnConfiguration();
    conf.set(YarnConfiguration.RM_HOSTNAME, LOCALHOST);
    conf.set(YarnConfiguration.NM_ADDRESS, LOCALHOST + ":0");
    conf.set(YarnConfiguration.NM_LOCALIZER_ADDRESS, LOCALHOST + ":0");
    conf.set(YarnConfiguration.NM_WEBAPP_ADDRESS, LOCALHOST + ":0");
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
    conf.setInt(YarnConfiguration.NM_VCORES, 4);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    // Containers are handed out on the NodeManager's heartbeat: every 500 ms, not every second.
    conf.setInt(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 500);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
    // hadoop-client-minicluster has no capacity-scheduler.xml: one queue, as Spark's own YARN suites set it.
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    // Its work, local and log folders go under target/test/data/<name>/ (MiniYARNCluster's rule).
    MiniYARNCluster cluster = new MiniYARNCluster("yarn-submit-test", 1, 1, 1);
    cluster.init(conf);
    cluster.start();
    // start() may return before the RM's port is in the configuration (Spark's own suites wait for it too).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (cluster.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
      if (System.nanoTime() > deadline) {
        cluster.stop();
        throw new IllegalStateException("the ResourceManager got no port within 60 s");
      }
      Thread.sleep(100);
    }
    return new MiniYarn(cluster);
  }

  /**
   * Writes {@code core-site.xml} (the local file system as the default: staging and data are local paths every
   * container can read) and {@code yarn-site.xml} (the ResourceManager's addresses) into {@code dir}.
   */
  void writeConfDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", "file:///");
    write(core, dir.resolve("core-site.xml"));
    Configuration yarn = new Configuration(false);
    Configuration running = cluster.getConfig();
    for (String key : List.of(YarnConfiguration.RM_HOSTNAME, YarnConfiguration.RM_ADDRESS,
        YarnConfiguration.RM_SCHEDULER_ADDRESS, YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS,
        YarnConfiguration.RM_ADMIN_ADDRESS, YarnConfiguration.RM_WEBAPP_ADDRESS)) {
      yarn.set(key, running.get(key));
    }
    write(yarn, dir.resolve("yarn-site.xml"));
  }

  private static void write(Configuration conf, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      conf.writeXml(out);
    }
  }

  /**
   * The application submitted with this tag ({@code spark.yarn.tags}; not --name, which the job's own session
   * name replaces in client mode), if the ResourceManager knows one.
   */
  Optional<ApplicationReport> application(String tag) throws Exception {
    return client.getApplications().stream().filter(a -> a.getApplicationTags().contains(tag)).findFirst();
  }

  /** The number of attempts YARN made to run {@code app}. */
  int attempts(ApplicationReport app) throws Exception {
    return client.getApplicationAttempts(app.getApplicationId()).size();
  }

  /** The NodeManager's folder of {@code app}'s container logs: one folder per container, stdout and stderr. */
  Path logs(ApplicationReport app) {
    String dirs = cluster.getNodeManager(0).getConfig().get(YarnConfiguration.NM_LOG_DIRS);
    return Path.of(dirs.split(",")[0]).resolve(app.getApplicationId().toString());
  }

  /** Stops the cluster and deletes its work, local and log folders. */
  @Override
  public void close() {
    try {
      client.stop();
    } finally {
      cluster.stop();
      org.apache.hadoop.fs.FileUtil.fullyDelete(cluster.getTestWorkDir());
    }
  }
}
