#!/usr/bin/env bash
# Submits a pixel-similarity subcommand with spark-submit: Spark's options first, then our subcommand and its flags.
#   jobs/submit.sh [spark-submit options] <train|evaluate|run|ingest|predict|report> [subcommand flags]
#   jobs/submit.sh [spark-submit options] -- <subcommand> [subcommand flags]
# Examples:
#   jobs/submit.sh --master 'local[2]' run --train data/mnist_sample/train --valid data/mnist_sample/valid --report out/report
#   jobs/submit.sh --master spark://127.0.0.1:7077 --deploy-mode client --executor-memory 1g --total-executor-cores 2 \
#     --conf spark.driver.host=127.0.0.1 evaluate --model out/model --valid data/mnist_sample/valid --report out/report
#   APP_JAR=local:///opt/app/pixel-similarity.jar jobs/submit.sh --master k8s://https://host:6443 --deploy-mode cluster \
#     --conf spark.kubernetes.container.image=my/pixel-similarity:0.1.0 run --train /data/train ...
# Every option before the subcommand goes to spark-submit unchanged (--master, --deploy-mode, --executor-memory,
# --executor-cores, --num-executors, --total-executor-cores, --driver-memory, --conf K=V, --queue, ...); the
# first word that is not an option or an option's value must be the subcommand (or write `--` before it).
# Environment:
#   SPARK_HOME  a Spark install: its bin/spark-submit is used. Unset: jobs/spark-submit.sh with this repo's
#               target/spark-home (made by `mvn package`, no Spark download needed).
#   APP_JAR     the application jar as spark-submit should see it (default: target/pixel-similarity-<version>.jar,
#               built first when missing). For cluster deploy mode on YARN/Kubernetes give a path the cluster can
#               read (hdfs://..., s3a://..., local:///path/in/the/image.jar).
#   APP_MAIN    another main class of the jar (default the CLI); its arguments follow `--` (jobs/ml-example.sh).
#   PS_JIT      raised (default), jdk or hot: as for jobs/run-local.sh (jobs/jvm-options.sh)
#   PS_JVM_OPTIONS  "off" to leave the JVM options below out
# The JVM options jobs/run-local.sh gives its JVM (jobs/jvm-options.sh: G1, direct buffer cache, the JIT's
# thresholds) go to the driver and every executor, prepended to spark.driver.extraJavaOptions and
# spark.executor.extraJavaOptions (yours, from --conf, --driver-java-options or spark-defaults.conf, come after
# them and so win), and MALLOC_ARENA_MAX=2 to the executors' environment unless set (docs/cluster.md).
set -euo pipefail
jobs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$jobs_dir")
main_class=${APP_MAIN:-org.pixelsimilarity.cli.PixelSimilarityCli}

usage() {
  sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo "(see the comments at the top of $0; 'jobs/submit.sh run --help' shows the job's own flags)"
}

# spark-submit's options that take no value; every other option takes one (as the next word or after '=').
is_switch() {
  case "$1" in
    -h|--help|-v|--verbose|--version|--supervise|--usage-error|--load-spark-defaults) return 0 ;;
    *) return 1 ;;
  esac
}

# The master these spark-submit options run on: --master, else spark.master in --conf or spark-defaults.conf,
# else local[*], spark-submit's default.
master_of() {
  local master="" conf_master="" i
  local args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
      --master) master=${args[i + 1]:-} ;;
      --master=*) master=${args[i]#--master=} ;;
      --conf) [[ ${args[i + 1]:-} == spark.master=* ]] && conf_master=${args[i + 1]#spark.master=} ;;
      --conf=spark.master=*) conf_master=${args[i]#--conf=spark.master=} ;;
    esac
  done
  if [[ -z "$master" && -z "$conf_master" ]]; then
    local defaults="${SPARK_CONF_DIR:-${SPARK_HOME:-$repo/target/spark-home}/conf}/spark-defaults.conf"
    [[ -f "$defaults" ]] && conf_master=$(awk '$1 == "spark.master" { print $2 }' "$defaults" | tail -1)
  fi
  echo "${master:-${conf_master:-local[*]}}"
}

spark_args=()
job_args=()
while [[ $# -gt 0 ]]; do
  arg=$1
  case "$arg" in
    --)
      shift; job_args=("$@"); break ;;
    train|evaluate|run|ingest|predict|report)
      job_args=("$@"); break ;;
    -h|--help)
      if [[ ${#spark_args[@]} -eq 0 ]]; then usage; exit 0; fi
      spark_args+=("$arg"); shift ;;
    -*)
      spark_args+=("$arg"); shift
      if ! is_switch "$arg" && [[ "$arg" != *=* ]]; then
        if [[ $# -eq 0 ]]; then
          echo "error: spark-submit option $arg needs a value" >&2; exit 2
        fi
        spark_args+=("$1"); shift
      fi ;;
    *)
      echo "error: '$arg' is neither a spark-submit option nor a subcommand (train, evaluate, run, ingest, predict, report)" >&2
      usage >&2; exit 2 ;;
  esac
done
if [[ ${#job_args[@]} -eq 0 && -z ${APP_MAIN:-} ]]; then
  echo "error: no subcommand: give train, evaluate, run, ingest, predict or report after the spark-submit options" >&2
  usage >&2; exit 2
fi

if [[ -z "${APP_JAR:-}" ]]; then
  version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | sed -n 1p)
  APP_JAR="$repo/target/pixel-similarity-${version}.jar"
  if [[ ! -f "$APP_JAR" || ( -z "${SPARK_HOME:-}" && ! -d "$repo/target/spark-home/jars" ) ]]; then
    echo "building $APP_JAR (first run) ..." >&2
    (cd "$repo" && mvn -B -q -DskipTests package >&2)
  fi
fi

# In local mode driver and executors are one JVM: bind it to the loopback address. Otherwise Spark looks for a
# non-loopback address whenever the host name resolves to 127.0.x.x (usual on laptops and in containers) and
# warns "Your hostname, … resolves to a loopback address". With a cluster master the address must be one the
# executors can reach: set SPARK_LOCAL_IP (or --conf spark.driver.host) yourself, as docs/cluster.md says.
if [[ -z "${SPARK_LOCAL_IP:-}" && $(master_of "${spark_args[@]}") == local* ]]; then
  export SPARK_LOCAL_IP=127.0.0.1
fi

# spark_conf KEY: the value spark-submit would take for KEY from these options or spark-defaults.conf, and whether
# an option gave it (then spark_conf_at holds the index of its value in spark_args, else -1).
spark_conf() {
  local key=$1 i defaults
  spark_conf_value="" spark_conf_at=-1
  for ((i = 0; i < ${#spark_args[@]}; i++)); do
    case "${spark_args[i]}" in
      --conf) [[ ${spark_args[i + 1]:-} == "$key="* ]] && spark_conf_value=${spark_args[i + 1]#"$key="} \
        && spark_conf_at=$((i + 1)) ;;
      "--conf=$key="*) spark_conf_value=${spark_args[i]#"--conf=$key="}; spark_conf_at=$i ;;
    esac
  done
  if [[ $spark_conf_at -lt 0 ]]; then
    defaults="${SPARK_CONF_DIR:-${SPARK_HOME:-$repo/target/spark-home}/conf}/spark-defaults.conf"
    if [[ -f "$defaults" ]]; then
      spark_conf_value=$(awk -v k="$key" '$1 == k { $1 = ""; sub(/^ +/, ""); v = $0 } END { print v }' "$defaults")
    fi
  fi
  return 0
}

# with_jvm_options KEY: KEY's value with our JVM options first, set as one --conf (replacing the option that set it).
with_jvm_options() {
  local key=$1
  spark_conf "$key"
  local value="${jvm_options[*]}${spark_conf_value:+ $spark_conf_value}"
  if [[ $spark_conf_at -ge 0 ]]; then
    if [[ ${spark_args[spark_conf_at]} == --conf=* ]]; then
      spark_args[spark_conf_at]="--conf=$key=$value"
    else
      spark_args[spark_conf_at]="$key=$value"
    fi
  else
    spark_args+=(--conf "$key=$value")
  fi
}

# On YARN one attempt per application unless spark.yarn.maxAppAttempts is given (here or in spark-defaults.conf):
# with YARN's default of 2 a failed application is started again, in cluster mode the whole job (bad input fails
# again; a run that failed its quality gate, exit 3, is written a second time). docs/cluster.md "YARN".
if [[ $(master_of "${spark_args[@]}") == yarn* ]]; then
  spark_conf spark.yarn.maxAppAttempts
  if [[ -z $spark_conf_value ]]; then
    spark_args+=(--conf spark.yarn.maxAppAttempts=1)
  fi
fi

if [[ ${PS_JVM_OPTIONS:-on} != off ]]; then
  # shellcheck source=jobs/jvm-options.sh
  . "$jobs_dir/jvm-options.sh"
  jvm_options_for "$repo"
  # --driver-java-options wins over spark.driver.extraJavaOptions in spark-submit: ours go in front of it there.
  driver_opts_at=-1
  for ((i = 0; i < ${#spark_args[@]}; i++)); do
    case "${spark_args[i]}" in
      --driver-java-options) driver_opts_at=$((i + 1)) ;;
      --driver-java-options=*) driver_opts_at=$i ;;
    esac
  done
  if [[ $driver_opts_at -ge 0 ]]; then
    if [[ ${spark_args[driver_opts_at]} == --driver-java-options=* ]]; then
      spark_args[driver_opts_at]="--driver-java-options=${jvm_options[*]} ${spark_args[driver_opts_at]#--driver-java-options=}"
    else
      spark_args[driver_opts_at]="${jvm_options[*]} ${spark_args[driver_opts_at]}"
    fi
  else
    with_jvm_options spark.driver.extraJavaOptions
  fi
  with_jvm_options spark.executor.extraJavaOptions
  spark_conf spark.executorEnv.MALLOC_ARENA_MAX
  [[ -z $spark_conf_value ]] && spark_args+=(--conf spark.executorEnv.MALLOC_ARENA_MAX=2)
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
fi

if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  submit=("$SPARK_HOME/bin/spark-submit")
else
  submit=("$jobs_dir/spark-submit.sh")
fi
exec "${submit[@]}" "${spark_args[@]}" --class "$main_class" "$APP_JAR" "${job_args[@]}"
