#!/usr/bin/env bash
# Starts one of Spark's classes (Master, Worker, SparkSubmit, ...) the way Spark's own bin/ scripts do: Spark's
# launcher library (org.apache.spark.launcher.Main) works out the java command line (classpath from
# $SPARK_HOME/jars and $SPARK_HOME/conf, JVM module flags, memory, spark-defaults.conf), this script runs it.
#   jobs/spark-class.sh org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077
#   jobs/spark-class.sh org.apache.spark.deploy.SparkSubmit --master local[2] target/pixel-similarity-0.1.0.jar ...
# The process execs into the java command, so its PID is the PID of the Spark JVM.
# Environment:
#   SPARK_HOME           a Spark home (folder with jars/); default: this repo's target/spark-home, made by
#                        `mvn package` from the Maven jars (no Spark download needed)
#   SPARK_SCALA_VERSION  default 2.13; the launcher (and every Worker, for its executors) needs it when the
#                        Spark home is not a Spark distribution, else "Cannot find any build directories"
#   JAVA_HOME            java to use, else the one on PATH
#   SPARK_PRINT_LAUNCH_COMMAND=1  prints the java command to stderr first
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ $# -eq 0 ]]; then
  echo "usage: $(basename "$0") <spark class> [arguments]" >&2
  exit 2
fi
export SPARK_HOME=${SPARK_HOME:-$repo/target/spark-home}
export SPARK_SCALA_VERSION=${SPARK_SCALA_VERSION:-2.13}
if [[ ! -d "$SPARK_HOME/jars" ]]; then
  echo "error: $SPARK_HOME/jars not found: run 'mvn -B -DskipTests package' first, or set SPARK_HOME to a Spark" \
    "install" >&2
  exit 1
fi
# Like Spark's bin/load-spark-env.sh: settings in spark-env.sh become environment variables.
spark_env="${SPARK_CONF_DIR:-$SPARK_HOME/conf}/spark-env.sh"
if [[ -f "$spark_env" ]]; then
  set -a
  # shellcheck disable=SC1090
  . "$spark_env"
  set +a
fi
java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

# The launcher prints any messages, then a NUL and a newline, then the command's arguments each ended by a NUL.
launch=$(mktemp "${TMPDIR:-/tmp}/spark-launch.XXXXXX")
trap 'rm -f "$launch"' EXIT
launcher_rc=0
"$java_bin" -Xmx128m ${SPARK_LAUNCHER_OPTS:-} -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@" \
  >"$launch" || launcher_rc=$?
parts=()
mapfile -d '' parts <"$launch"
rm -f "$launch"
trap - EXIT
if [[ $launcher_rc -ne 0 || ${#parts[@]} -lt 2 ]]; then
  [[ ${#parts[@]} -gt 0 && -n "${parts[0]}" ]] && printf '%s\n' "${parts[0]}" >&2
  echo "error: Spark's launcher failed (exit $launcher_rc) for: $*" >&2
  exit $((launcher_rc == 0 ? 1 : launcher_rc))
fi
[[ -n "${parts[0]}" ]] && printf '%s\n' "${parts[0]}"
cmd=("${parts[@]:1}")
cmd[0]=${cmd[0]#$'\n'}
# shellcheck source=jobs/jvm-stderr.sh
. "$repo/jobs/jvm-stderr.sh"
quiet_incubator_warning
exec "${cmd[@]}"
