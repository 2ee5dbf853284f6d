#!/usr/bin/env bash
# Runs a pixel-similarity subcommand in local mode, no Spark download needed:
#   jobs/run-local.sh                      # `run` on the bundled MNIST 3-vs-7 sample
#   jobs/run-local.sh run --train … --valid … --report …
#   jobs/run-local.sh evaluate --help
# Builds the jar first when it is missing. Environment:
#   JAVA_OPTS     extra JVM options (default heap: -Xmx2g)
#   SPARK_MASTER  default local[*]; a --master flag wins
#   PS_CDS        "off" to run without the class-data-sharing archive (see below)
#   PS_MAIN       another main class of the jar to run with the same JVM set-up (the benchmark uses it)
#
# Class-data sharing: Spark loads some 15,000 classes before the first image is read. The first run after a
# build records them in target/cds/pixel-similarity.jsa (a JDK AppCDS archive, ~170 MB; that run takes a few
# seconds longer to exit); later runs map it instead of loading and verifying those classes again.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | sed -n 1p)
jar="target/pixel-similarity-${version}.jar"
jars="target/spark-home/jars"
if [[ ! -f "$jar" || ! -d "$jars" ]]; then
  echo "building $jar (first run) ..." >&2
  mvn -B -q -DskipTests package >&2
fi
if [[ $# -eq 0 && -z ${PS_MAIN:-} ]]; then
  set -- run --train data/mnist_sample/train --valid data/mnist_sample/valid --report out/report
fi
mapfile -t module_flags < <(grep -v '^\s*#' conf/java-module-options | grep -v '^\s*$')
cmd=(java -Xmx2g ${JAVA_OPTS:-} "${module_flags[@]}"
  -Djava.awt.headless=true
  -Dlog4j2.configurationFile="file:${here}/conf/log4j2.properties"
  ${SPARK_MASTER:+-Dspark.master=$SPARK_MASTER}
  -cp "${jar}:${jars}/*" "${PS_MAIN:-org.pixelsimilarity.cli.PixelSimilarityCli}" "$@")

cds="target/cds/pixel-similarity.jsa"
if [[ ${PS_CDS:-on} == off ]]; then
  exec "${cmd[@]}"
elif [[ -f "$cds" && "$cds" -nt "$jar" ]]; then
  # A stale or mismatched archive is ignored by the JVM; -Xlog keeps that quiet.
  exec "${cmd[0]}" -XX:SharedArchiveFile="$cds" -Xlog:cds=off -Xlog:cds+dynamic=off "${cmd[@]:1}"
else
  mkdir -p "$(dirname "$cds")"
  tmp="$cds.$$.tmp"
  status=0
  "${cmd[0]}" -XX:ArchiveClassesAtExit="$tmp" -Xlog:cds=off -Xlog:cds+dynamic=off "${cmd[@]:1}" || status=$?
  if [[ $status -eq 0 && -f "$tmp" ]]; then
    mv -f "$tmp" "$cds"
  else
    rm -f "$tmp"
  fi
  exit $status
fi
