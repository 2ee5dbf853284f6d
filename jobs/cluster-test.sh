#!/usr/bin/env bash
# The cluster test: a Spark standalone cluster of separate JVMs on 127.0.0.1, started from the Spark home that
# `mvn package` builds (target/spark-home), and the job submitted to it with jobs/submit.sh in client mode.
#   1. Master + two Workers (1 core, 1 GiB each); free ports are taken when 7077/8080 are busy.
#   2. `run` on the bundled sample, locally (local[2]) and on the cluster: the cluster's executors must be JVMs of
#      their own (one per Worker, neither the driver), both must have run tasks, and the report must equal the
#      local one (ideal images bit for bit, model id, per-class counts, confusion, run counts and accuracies).
#   3. `run` on the sample replicated K times (default 10) on the cluster, and one executor JVM killed (kill -9)
#      while it runs a task: the job must finish, Spark's event log must show the lost executor and its failed
#      task, and the report must equal the local sample report with every count times K (the same images K times
#      give the same exact means and accuracies).
#   4. The JVM options jobs/submit.sh passes (jobs/jvm-options.sh, those of jobs/run-local.sh) are on the command
#      line of the sample run's driver and of each of its executor JVMs.
# Everything it starts is stopped by PID on exit, on failure too. Prints PASS/FAIL lines and "N passed, N failed";
# exits non-zero on any failure. Logs stay in target/cluster-test/ (removed at the next run).
# Environment: CLUSTER_TEST_REPLICAS (K, default 10), CLUSTER_TEST_TIMEOUT (seconds per job, default 900).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
replicas=${CLUSTER_TEST_REPLICAS:-10}
job_timeout=${CLUSTER_TEST_TIMEOUT:-900}
work="$repo/target/cluster-test"
sample="$repo/data/mnist_sample"
# The replicated input is kept between runs (made again when the sample changes): deleting and writing 21,000
# files takes longer than the rest of the set-up on a busy disk.
big="$repo/target/cluster-test-input/sample-x$replicas"

# Our Spark home, whatever SPARK_HOME says: this tests what the build makes. Everything binds to loopback.
export SPARK_HOME="$repo/target/spark-home"
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_DIRS="$work/local-dirs"
export SPARK_DAEMON_MEMORY=512m
cluster_log4j="$repo/src/test/cluster/cluster-log4j2.properties"
export SPARK_DAEMON_JAVA_OPTS="-Dlog4j2.configurationFile=file:$cluster_log4j"
unset SPARK_CONF_DIR APP_JAR

start_time=$SECONDS
passed=0
failed=0
started=()        # PIDs of every process this script started (Master, Workers, drivers)
worker_pids=()

say() { printf '[cluster-test %4ds] %s\n' $((SECONDS - start_time)) "$*"; }
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
alive() { kill -0 "$1" 2>/dev/null; }

# Executor JVMs are the Workers' children: "pid executor-id worker-number app-id" for each.
list_executors() {
  [[ ${#worker_pids[@]} -gt 0 ]] || return 0
  local pid ppid args i eid
  while read -r pid ppid args; do
    [[ "$args" == *CoarseGrainedExecutorBackend* && "$args" =~ --executor-id\ ([^ ]+) ]] || continue
    eid=${BASH_REMATCH[1]}
    [[ "$args" =~ --app-id\ ([^ ]+) ]] || continue
    for i in "${!worker_pids[@]}"; do
      if [[ "${worker_pids[$i]}" == "$ppid" ]]; then
        echo "$pid $eid $((i + 1)) ${BASH_REMATCH[1]}"
      fi
    done
  done < <(ps -o pid=,ppid=,args= --ppid "$(IFS=,; echo "${worker_pids[*]}")" 2>/dev/null || true)
}

stop_all() {
  local pids=() pid waited=0 left
  while read -r pid _; do pids+=("$pid"); done < <(list_executors)
  for pid in "${started[@]}"; do alive "$pid" && pids+=("$pid"); done
  [[ ${#pids[@]} -eq 0 ]] && return 0
  say "stopping PIDs ${pids[*]}"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  while [[ $waited -lt 60 ]]; do
    left=0
    for pid in "${pids[@]}"; do alive "$pid" && left=1; done
    [[ $left -eq 0 ]] && return 0
    sleep 0.5; waited=$((waited + 1))
  done
  for pid in "${pids[@]}"; do
    if alive "$pid"; then say "PID $pid ignored TERM for 30 s: kill -9"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
}

finish() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then
    fail "the test stopped early (exit $rc); logs in $work"
  fi
  say "wall time $((SECONDS - start_time)) s"
  echo "cluster-test: $passed passed, $failed failed"
  if [[ $failed -ne 0 ]]; then
    echo "logs: $work" >&2
    exit 1
  fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# A TCP port nobody listens on, from ss or, where ss is missing, the kernel's tables (state 0A = LISTEN, IPv4 and
# IPv6). Neither there: the port counts as taken, so only random ports (which the Master then binds or reports) are
# tried instead of every port passing as free.
port_free() {
  if command -v ss >/dev/null 2>&1; then
    ! ss -Htln "sport = :$1" | grep -q .
  elif [[ -r /proc/net/tcp ]]; then
    ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$(printf ':%04X' "$1")" \
      '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }'
  else
    [[ $1 -ge 20000 ]]
  fi
}
pick_port() {
  local p=$1
  while ! port_free "$p"; do p=$((20000 + RANDOM % 40000)); done
  echo "$p"
}

# wait_for SECONDS CHECK PID: until CHECK (a command line) succeeds, while PID lives.
wait_for() {
  local limit=$1 check=$2 pid=$3 t0=$SECONDS
  until eval "$check"; do
    alive "$pid" || return 1
    [[ $((SECONDS - t0)) -ge $limit ]] && return 1
    sleep 1
  done
}

# The Master's JSON status page (curl, or bash's /dev/tcp where curl is missing).
master_json() {
  if command -v curl >/dev/null; then
    curl -sf "http://127.0.0.1:$master_ui/json/" 2>/dev/null || true
  else
    { exec 3<>"/dev/tcp/127.0.0.1/$master_ui" && printf 'GET /json/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
      && timeout 5 cat <&3; exec 3<&-; } 2>/dev/null || true
  fi
}
alive_workers() { master_json | tr -d ' \n' | sed -n 's/.*"aliveworkers":\([0-9]*\).*/\1/p'; }

# start_job NAME SUBMIT-ARGS...: jobs/submit.sh in the background, its PID in job_pid.
start_job() {
  local name=$1; shift
  jobs/submit.sh "$@" >"$work/logs/$name.log" 2>&1 &
  job_pid=$!
  started+=("$job_pid")
  job_start=$SECONDS
}

# watch_job NAME PID START KILL: waits for the driver PID to end, noting every executor JVM seen under the
# Workers; with KILL=1 kills one executor (kill -9) while it runs a task (it has finished one and started another).
watch_job() {
  local name=$1 pid=$2 t0=$3 kill_one=$4 line rc=0
  local seen_file="$work/executors-$name.txt"
  local -A seen=()
  : >"$seen_file"
  while alive "$pid"; do
    while read -r line; do
      [[ -n "${seen[$line]:-}" ]] && continue
      seen[$line]=1
      echo "$line" >>"$seen_file"
      ps -ww -o args= -p "${line%% *}" >>"$work/executor-args-$name.txt" 2>/dev/null || true
    done < <(list_executors)
    [[ -s "$work/driver-args-$name.txt" ]] || ps -ww -o args= -p "$pid" 2>/dev/null | grep -- ' -cp ' \
      >"$work/driver-args-$name.txt" || true
    if [[ $kill_one == 1 && ! -f "$work/killed-$name.txt" ]]; then
      kill_busy_executor "$name"
    fi
    if [[ $((SECONDS - t0)) -ge $job_timeout ]]; then
      fail "$name: still running after ${job_timeout}s"; kill -TERM "$pid"; break
    fi
    sleep 0.5
  done
  wait "$pid" || rc=$?
  if [[ $rc -eq 0 ]]; then
    pass "$name: exit 0, driver JVM done within $((SECONDS - t0)) s (the job's own timer: $(grep -m1 '^done in' \
      "$work/logs/$name.log" | sed 's/^done in //' || echo '?'))"
  else
    tail -30 "$work/logs/$name.log"; fail "$name: exit $rc (log $work/logs/$name.log)"; return 1
  fi
}

# running_task PID STDERR: the executor runs a task right now. Its log lines may reach the stderr file late, so
# the JVM's own threads decide where jcmd is there (a thread inside Executor$TaskRunner.run is running a task);
# the log's "Running task" lines outnumbering its "Finished task" lines only where it is not.
running_task() {
  local epid=$1 stderr=$2 running finished
  if command -v jcmd >/dev/null 2>&1; then
    jcmd "$epid" Thread.print 2>/dev/null | grep -q 'Executor\$TaskRunner\.run'
  else
    running=$(grep -c 'Running task' "$stderr" || true)
    finished=$(grep -c 'Finished task' "$stderr" || true)
    [[ $running -gt $finished ]]
  fi
}

kill_busy_executor() {
  local name=$1 epid eid widx app stderr
  while read -r epid eid widx app; do
    stderr="$work/worker-$widx/$app/$eid/stderr"
    [[ -f "$stderr" ]] || continue
    # Past its first task (a task's whole life seen in the log), and running one now.
    if grep -q 'Finished task' "$stderr" && running_task "$epid" "$stderr"; then
      kill -KILL "$epid"
      echo "$epid $eid $widx" >"$work/killed-$name.txt"
      say "$name: killed executor $eid (PID $epid, worker $widx) with kill -9 while it ran" \
        "$(grep 'Running task' "$stderr" | tail -1 | sed 's/.*Running //')"
      return 0
    fi
  done < <(list_executors)
}

# ---- build and inputs ----
rm -rf "$work"
mkdir -p "$work/logs" "$SPARK_LOCAL_DIRS"
if [[ ! -d "$SPARK_HOME/jars" || ! -f "$SPARK_HOME/conf/log4j2.properties" ]] \
  || ! ls target/pixel-similarity-*.jar >/dev/null 2>&1; then
  say "building (mvn package) ..."
  mvn -B -q -DskipTests package
fi
if [[ ! -f "$big.complete" || -n "$(find "$sample" -newer "$big.complete" -print -quit)" ]]; then
  rm -rf "$big" "$big.complete"
  mkdir -p "$big"
  for k in $(seq -w 1 "$replicas"); do
    tar -C "$sample" -cf - train valid | tar -C "$big" -xf - --transform "s,\([^/]*\)\.png\$,r${k}_\1.png,"
  done
  touch "$big.complete"
fi
say "inputs: $sample ($(find "$sample"/train "$sample"/valid -type f | wc -l) images)," \
  "$big ($(find "$big" -type f | wc -l) images)"

common_conf=(--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1
  --conf spark.ui.enabled=false --driver-memory 1g)
sample_args=(run --train "$sample/train" --valid "$sample/valid")

# The local reference run goes on while the cluster starts.
say "local[2] run on the sample (while the cluster starts) ..."
start_job local-sample --master 'local[2]' "${common_conf[@]}" \
  "${sample_args[@]}" --report "$work/report-local-sample" --run-id local-sample
local_pid=$job_pid
local_start=$job_start

# ---- the cluster ----
master_port=$(pick_port 7077)
master_ui=$(pick_port 8080)
master_url="spark://127.0.0.1:$master_port"
jobs/spark-class.sh org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master_port" \
  --webui-port "$master_ui" >"$work/logs/master.log" 2>&1 &
master_pid=$!
started+=("$master_pid")
for i in 1 2; do
  jobs/spark-class.sh org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 1g \
    --webui-port "$(pick_port $((8080 + i)))" --work-dir "$work/worker-$i" "$master_url" \
    >"$work/logs/worker-$i.log" 2>&1 &
  worker_pids+=("$!")
  started+=("$!")
done
if wait_for 300 '[[ "$(alive_workers)" == 2 ]]' "$master_pid"; then
  pass "Master (PID $master_pid, $master_url, UI http://127.0.0.1:$master_ui) and 2 Workers" \
    "(PIDs ${worker_pids[*]}, 1 core and 1 GiB each) up: 2 workers ALIVE in the Master's /json/"
else
  tail -5 "$work/logs/master.log" "$work/logs/worker-1.log"; fail "Master and 2 Workers did not come up"; exit 1
fi
javac -nowarn -d "$work/classes" -cp "$(ls "$SPARK_HOME"/jars/{parquet,hadoop-client-api,jackson}-*.jar | tr '\n' :)" \
  src/test/cluster/ClusterCheck.java 2>"$work/logs/javac.log" \
  || { cat "$work/logs/javac.log"; fail "compile src/test/cluster/ClusterCheck.java"; exit 1; }
watch_job local-sample "$local_pid" "$local_start" 0 || exit 1

# ---- the runs on the cluster ----
cluster_conf=(--master "$master_url" --deploy-mode client --executor-memory 1g --executor-cores 1
  --total-executor-cores 2 --conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false
  --conf spark.eventLog.rolling.enabled=false
  --conf "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=file:$cluster_log4j")

say "cluster run on the sample ..."
mkdir -p "$work/events-cluster-sample" "$work/events-cluster-kill"
start_job cluster-sample "${cluster_conf[@]}" --conf "spark.eventLog.dir=file://$work/events-cluster-sample" \
  "${common_conf[@]}" "${sample_args[@]}" --report "$work/report-cluster-sample" --run-id cluster-sample
sample_ok=0
watch_job cluster-sample "$job_pid" "$job_start" 0 && sample_ok=1

say "cluster run on the sample x$replicas, one executor to be killed ..."
start_job cluster-kill "${cluster_conf[@]}" --conf "spark.eventLog.dir=file://$work/events-cluster-kill" \
  "${common_conf[@]}" run --train "$big/train" --valid "$big/valid" --report "$work/report-cluster-kill" \
  --run-id cluster-kill
kill_ok=0
watch_job cluster-kill "$job_pid" "$job_start" 1 && kill_ok=1
stop_all

# ---- what the runs left behind, read in one JVM ----
{
  printf 'digest\t%s\t1\t%s\n' "$work/report-local-sample" "$work/digest-local-sample.txt"
  printf 'digest\t%s\t%s\t%s\n' "$work/report-local-sample" "$replicas" "$work/digest-local-sample-x$replicas.txt"
  for name in cluster-sample cluster-kill; do
    [[ $name == cluster-sample && $sample_ok == 1 || $name == cluster-kill && $kill_ok == 1 ]] || continue
    printf 'digest\t%s\t1\t%s\n' "$work/report-$name" "$work/digest-$name.txt"
    printf 'events\t%s\t%s\n' "$(ls "$work/events-$name"/app-* | head -1)" "$work/events-$name.txt"
  done
} | java -cp "$work/classes:$SPARK_HOME/jars/*" ClusterCheck - 2>"$work/logs/check.log" \
  || { tail -20 "$work/logs/check.log"; fail "reading the reports and event logs"; exit 1; }

# check_executors NAME: executor JVMs under both Workers (none the driver) and both ran tasks.
check_executors() {
  local name=$1 n workers ran driver
  n=$(awk '{print $1}' "$work/executors-$name.txt" | sort -u | wc -l)
  workers=$(awk '{print $3}' "$work/executors-$name.txt" | sort -u | wc -l)
  ran=$(grep -c '^tasks executor=[0-9]* succeeded=[1-9]' "$work/events-$name.txt" || true)
  if [[ $n -ge 2 && $workers -eq 2 && $ran -ge 2 ]]; then
    pass "$name: executors ran in separate JVMs: $(awk '{printf "executor %s PID %s (worker %s); ", $2, $1, $3}' \
      "$work/executors-$name.txt")$(grep '^tasks' "$work/events-$name.txt" | sed 's/^tasks //' | tr '\n' ';')"
  else
    fail "$name: expected executor JVMs under both Workers that both ran tasks; seen: $(tr '\n' ';' \
      <"$work/executors-$name.txt") $(grep '^tasks' "$work/events-$name.txt" | tr '\n' ';')"
  fi
}

# compare NAME EXPECTED ACTUAL: digests equal line for line.
compare() {
  local name=$1 expected=$2 actual=$3
  if diff -u "$expected" "$actual" >"$work/diff-$name.txt"; then
    pass "$name: report equals the local one ($(wc -l <"$actual") facts: $(grep -c '^ideal' "$actual") ideal" \
      "images bit for bit, $(grep -c '^class' "$actual") per-class rows, $(grep -c '^confusion' "$actual")" \
      "confusion cells, run counts and accuracies)"
  else
    fail "$name: report differs from the local one:"; cat "$work/diff-$name.txt"
  fi
}

# check_jvm_options NAME: the JVM options of jobs/jvm-options.sh (what jobs/run-local.sh gives its JVM) are on
# the command line of the driver and of every executor JVM seen, through spark-submit's extraJavaOptions.
# shellcheck source=jobs/jvm-options.sh
. "$repo/jobs/jvm-options.sh"
jvm_options_for "$repo"
check_jvm_options() {
  local name=$1 file missing=() opt
  for file in "$work/driver-args-$name.txt" "$work/executor-args-$name.txt"; do
    [[ -s $file ]] || { missing+=("no command line in $(basename "$file")"); continue; }
    while read -r line; do
      for opt in "${jvm_options[@]}"; do
        [[ " $line " == *" $opt "* ]] || missing+=("$opt in $(basename "$file")")
      done
    done <"$file"
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    pass "$name: the launcher's JVM options (${jvm_options[*]}) on the driver's and the $(wc -l \
      <"$work/executor-args-$name.txt") executor JVMs' command lines"
  else
    fail "$name: JVM options missing: ${missing[*]}"
  fi
}

if [[ $sample_ok == 1 ]]; then
  check_jvm_options cluster-sample
  check_executors cluster-sample
  compare cluster-sample "$work/digest-local-sample.txt" "$work/digest-cluster-sample.txt"
fi

if [[ $kill_ok == 1 ]]; then
  check_executors cluster-kill
  events="$work/events-cluster-kill.txt"
  if [[ -f "$work/killed-cluster-kill.txt" ]]; then
    read -r kpid kid _ <"$work/killed-cluster-kill.txt"
    jobs_ok=$(grep -c '^job_end .*result=JobSucceeded$' "$events" || true)
    jobs_all=$(grep -c '^job_end ' "$events" || true)
    if ! alive "$kpid" && grep -q "^task_failed executor=$kid .*ExecutorLostFailure" "$events" \
      && grep -q "^executor_removed id=$kid " "$events" && [[ $jobs_all -ge 1 && $jobs_ok -eq $jobs_all ]]; then
      pass "cluster-kill: executor $kid (PID $kpid) lost with its running task, the task retried, all $jobs_all" \
        "Spark jobs succeeded"
    else
      fail "cluster-kill: expected executor $kid removed, its task failed with ExecutorLostFailure, every job ok"
    fi
    echo "  event log:"; grep -E '^(task_failed|executor_removed|executor_added)' "$events" | sed 's/^/    /'
    echo "  driver log:"; grep -E 'Lost executor|Lost task|ExecutorLostFailure' "$work/logs/cluster-kill.log" \
      | sed 's/^/    /' | sed -n 1,10p
  else
    fail "cluster-kill: no executor was seen running a task to kill"
  fi
  grep -v '^model_id' "$work/digest-cluster-kill.txt" >"$work/digest-cluster-kill-counts.txt"
  compare cluster-kill "$work/digest-local-sample-x$replicas.txt" "$work/digest-cluster-kill-counts.txt"
fi
