#!/usr/bin/env bash
# Runs a pixel-similarity subcommand in local mode, no Spark download needed:
#   jobs/run-local.sh                      # `run` on the bundled MNIST 3-vs-7 sample
#   jobs/run-local.sh run --train … --valid … --report …
#   jobs/run-local.sh evaluate --help
# Builds the jar first when it is missing. Environment:
#   JAVA_OPTS     extra JVM options (default heap: -Xmx2g)
#   SPARK_MASTER  default local[*]; a --master flag wins
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
jar="target/pixel-similarity-${version}.jar"
jars="target/spark-home/jars"
if [[ ! -f "$jar" || ! -d "$jars" ]]; then
  echo "building $jar (first run) ..." >&2
  mvn -B -q -DskipTests package >&2
fi
if [[ $# -eq 0 ]]; then
  set -- run --train data/mnist_sample/train --valid data/mnist_sample/valid --report out/report
fi
mapfile -t module_flags < <(grep -v '^\s*#' conf/java-module-options | grep -v '^\s*$')
# shellcheck disable=SC2086
exec java -Xmx2g ${JAVA_OPTS:-} "${module_flags[@]}" \
  -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="file:${here}/conf/log4j2.properties" \
  ${SPARK_MASTER:+-Dspark.master=$SPARK_MASTER} \
  -cp "${jar}:${jars}/*" org.pixelsimilarity.cli.PixelSimilarityCli "$@"
