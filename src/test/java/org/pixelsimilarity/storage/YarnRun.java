package org.pixelsimilarity.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.pixelsimilarity.SparkTestSession;

/**
 * One {@code jobs/submit.sh --master yarn} as a child process, watched until it ends: its exit code, output, the
 * application the ResourceManager ended, and (when asked) the executor killed with SIGKILL while it ran a task.
 */
record YarnRun(String name, int exit, String out, String err, ApplicationReport app, Path logs,
    long killedPid, String killedExecutorId) {
  private static final long TIMEOUT_NANOS = 15L * 60 * 1_000_000_000L;
  private static final Pattern EXECUTOR_ID = Pattern.compile("--executor-id (\\S+)");
  private static final Pattern LOG_DIR = Pattern.compile("-Dspark\\.yarn\\.app\\.container\\.log\\.dir=(\\S+)");
  private static final EnumSet<YarnApplicationState> ENDED =
      EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);

  /**
   * Submits {@code job} (a subcommand and its flags) tagged {@code name} (lower case: YARN's tags are), in
   * {@code deployMode} with that many executors of 512 MiB and one core; waits for its end.
   */
  static YarnRun submit(YarnSubmitTest t, String name, String deployMode, int executors, boolean killAnExecutor,
      String... job) throws Exception {
    long t0 = System.nanoTime();
    Path dir = Files.createDirectories(t.tmp().resolve("submit-" + name));
    ProcessBuilder pb = new ProcessBuilder(command(t, name, deployMode, executors, killAnExecutor, job))
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    for (String unset : List.of("SPARK_HOME", "SPARK_CONF_DIR", "YARN_CONF_DIR", "APP_MAIN")) {
      pb.environment().remove(unset);
    }
    pb.environment().put("HADOOP_CONF_DIR", t.confDir().toString());
    pb.environment().put("APP_JAR", t.appJar().toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    long killedPid = 0;
    String killedId = null;
    while (p.isAlive()) {
      if (killAnExecutor && killedId == null) {
        Optional<ApplicationReport> app = t.yarn().application(name);
        if (app.isPresent()) {
          String[] k = killBusyExecutor(app.get().getApplicationId().toString());
          if (k != null) {
            killedPid = Long.parseLong(k[0]);
            killedId = k[1];
            System.out.printf(Locale.ROOT, "YarnSubmitTest %s: killed executor %s (PID %s) at %.1f s%n", name, k[1],
                k[0], YarnSubmitTest.seconds(t0));
          }
        }
      }
      if (System.nanoTime() - t0 > TIMEOUT_NANOS) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(name + ": still running after 15 minutes; " + dir);
      }
      YarnSubmitTest.sleep(500);
    }
    ApplicationReport app = ended(t.yarn(), name);
    System.out.printf(Locale.ROOT, "YarnSubmitTest %s: exit %d, %s/%s in %.1f s; diagnostics: %s%n", name,
        p.exitValue(), app == null ? "-" : app.getYarnApplicationState(),
        app == null ? "-" : app.getFinalApplicationStatus(), YarnSubmitTest.seconds(t0),
        app == null ? "-" : app.getDiagnostics());
    String out = YarnSubmitTest.read(dir.resolve("out.txt"));
    String err = YarnSubmitTest.read(dir.resolve("err.txt"));
    if (app == null) {
      throw new AssertionError(name + ": no application with this tag at the ResourceManager\n" + err);
    }
    return new YarnRun(name, p.exitValue(), out, err, app, t.yarn().logs(app), killedPid, killedId);
  }

  /** jobs/submit.sh with YARN's settings for the mini cluster, then {@code job}. */
  private static List<String> command(YarnSubmitTest t, String name, String deployMode, int executors,
      boolean slowExecutors, String... job) {
    Path repo = SparkTestSession.repo();
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("jobs/submit.sh").toString(), "--master", "yarn",
        "--deploy-mode", deployMode, "--conf", "spark.yarn.tags=" + name, "--num-executors",
        Integer.toString(executors), "--executor-cores", "1", "--executor-memory", "512m", "--driver-memory", "512m"));
    String javaHome = System.getProperty("java.home");
    for (String conf : List.of(
        // Spark's jars from the NodeManager's own disk (local:), not zipped and uploaded for each application.
        "spark.yarn.jars=local:" + repo.resolve("target/spark-home/jars") + "/*",
        "spark.yarn.stagingDir=file:" + t.tmp().resolve("staging"),
        "spark.yarn.am.memory=512m", "spark.yarn.am.memoryOverhead=256m",
        "spark.driver.memoryOverhead=256m", "spark.executor.memoryOverhead=256m",
        "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome, "spark.executorEnv.JAVA_HOME=" + javaHome,
        "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
        "spark.ui.enabled=false",
        // Executors log each task's start ("Running task"), so that one can be killed while it runs a task.
        "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=file:"
            + repo.resolve("src/test/cluster/cluster-log4j2.properties")
            // For the kill: executors in the interpreter alone, so that a task over the sample lasts seconds, not
            // the fraction of a second it takes compiled on an idle machine (too short to be caught running).
            // The rows do not depend on it.
            + (slowExecutors ? " -Xint" : ""))) {
      cmd.add("--conf");
      cmd.add(conf);
    }
    if (deployMode.equals("client")) {
      cmd.addAll(List.of("--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1"));
    }
    cmd.addAll(List.of(job));
    return cmd;
  }

  /** The application's report once it ended (the client may exit a moment before the RM records the end). */
  private static ApplicationReport ended(MiniYarn yarn, String name) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    Optional<ApplicationReport> app = yarn.application(name);
    while (app.isPresent() && !ENDED.contains(app.get().getYarnApplicationState()) && System.nanoTime() < deadline) {
      YarnSubmitTest.sleep(250);
      app = yarn.application(name);
    }
    return app.orElse(null);
  }

  /**
   * Kills (SIGKILL) one executor of {@code appId} that runs a task now: its log has more tasks started ("Running
   * task") than finished ("Finished task"). Returns its PID and executor id, or null. (The executors run in the
   * interpreter for this, so a task lasts seconds: far longer than from this check to the kill.)
   */
  private static String[] killBusyExecutor(String appId) throws IOException {
    for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
      String line = h.info().commandLine().orElse("");
      if (!line.contains("YarnCoarseGrainedExecutorBackend") || !line.contains(appId)) {
        continue;
      }
      Matcher id = EXECUTOR_ID.matcher(line);
      Matcher logDir = LOG_DIR.matcher(line);
      if (!id.find() || !logDir.find()) {
        continue;
      }
      String log = YarnSubmitTest.read(Path.of(logDir.group(1), "stderr"));
      if (count(log, "Running task ") > count(log, "Finished task ") && h.destroyForcibly()) {
        return new String[] {Long.toString(h.pid()), id.group(1)};
      }
    }
    return null;
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }

  /** The first attempt's application master container's log folder (its id ends in 000001). */
  Path amContainer() throws IOException {
    try (var dirs = Files.list(logs)) {
      return dirs.filter(d -> d.getFileName().toString().endsWith("_000001")).findFirst()
          .orElseThrow(() -> new AssertionError("no AM container log under " + logs));
    }
  }

  /** The output, the end of spark-submit's stderr and of the application master's (the cluster-mode driver's). */
  @Override
  public String toString() {
    String am;
    try {
      am = YarnSubmitTest.read(amContainer().resolve("stderr"));
    } catch (IOException | AssertionError e) {
      am = e.toString();
    }
    return name + ": exit " + exit + "\n--- out\n" + out + "--- err\n" + tail(err) + "\n--- AM stderr\n" + tail(am);
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
