#!/usr/bin/env bash
# Runs a pixel-similarity subcommand in local mode, no Spark download needed:
#   jobs/run-local.sh                      # `run` on the bundled MNIST 3-vs-7 sample
#   jobs/run-local.sh run --train … --valid … --report …
#   jobs/run-local.sh evaluate --help
# Paths are the caller's: relative ones are resolved against the folder the script is started from (the script
# finds its own files beside it and never changes folder); with no arguments the report goes to ./out/report.
# Builds the jar first when it is missing. Environment:
#   JAVA_OPTS     extra JVM options, after the defaults below (so -Xmx… there wins)
#   SPARK_MASTER  default local[*]; a --master flag wins
#   PS_CDS        "off" to run without the class-data-sharing archive (see below); "aot" for the JDK's
#                 ahead-of-time cache instead (JDK 25 or newer, see below)
#   PS_JAVA       the java to run (default: java on the PATH)
#   PS_JIT        raised (default), jdk or hot: the JIT's C2 thresholds (jobs/jvm-options.sh)
#   PS_MAIN       another main class to run with the same JVM set-up (the benchmark uses it)
#   PS_CLASSPATH  entries appended to the classpath (the benchmark's classes live in target/test-classes, not
#                 in the jar; appended after the jar and Spark, so the class-data-sharing archive still applies;
#                 relative entries are the caller's, like every path)
#
# JVM defaults, each measured with jobs/bench.sh on 2 cores (docs/performance.md, "Tuning settings"):
#   heap 512 MB + 64 MB per core: two tasks hold a 16 MB row group each; with G1 the GC costs ~1 s per 10M
#     images at 640 MB, and the driver stays under 1 GiB resident (2 GB heap: 1.6 GiB, same speed)
#   MALLOC_ARENA_MAX=2 and jdk.nio.maxCachedBufferSize (jobs/jvm-options.sh): without them glibc arenas and the
#     JDK's per-thread cache of temporary direct buffers (one per file read size) add ~250 MB resident
#   the options every launcher gives the job's JVMs (jobs/jvm-options.sh: direct buffer cache, G1, the JIT)
# Class-data sharing: Spark loads some 15,000 classes before the first image is read. The first run after a
# build records them in target/cds/pixel-similarity.jsa (a JDK AppCDS archive, ~170 MB; that run takes a few
# seconds longer to exit); later runs map it instead of loading and verifying those classes again.
# With PS_CDS=aot (JDK 25 or newer, PS_JAVA): the JDK's ahead-of-time cache, target/aot/pixel-similarity.aot, which
# keeps the classes loaded and linked and the methods' profiles of the run that recorded it (the first run after a
# build, -XX:AOTCacheOutput: it takes longer to exit), so the JIT can compile the hot methods sooner.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | sed -n 1p)
jar="$repo/target/pixel-similarity-${version}.jar"
jars="$repo/target/spark-home/jars"
if [[ ! -f "$jar" || ! -d "$jars" ]]; then
  echo "building $jar (first run) ..." >&2
  (cd "$repo" && mvn -B -q -DskipTests package >&2)
fi
if [[ $# -eq 0 && -z ${PS_MAIN:-} ]]; then
  # The bundled sample, named as README shows it when started from the repository.
  sample="$repo/data/mnist_sample"
  [[ $(pwd -P) == "$(cd "$repo" && pwd -P)" ]] && sample=data/mnist_sample
  set -- run --train "$sample/train" --valid "$sample/valid" --report out/report
fi
mapfile -t module_flags < <(grep -v '^\s*#' "$repo/conf/java-module-options" | grep -v '^\s*$')
cores=$(nproc 2>/dev/null || echo 2)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# shellcheck source=jobs/jvm-options.sh
. "$repo/jobs/jvm-options.sh"
jvm_options_for "$repo"
jvm_defaults=(-Xmx$((512 + 64 * cores))m "${jvm_options[@]}")
cmd=("${PS_JAVA:-java}" "${jvm_defaults[@]}" ${JAVA_OPTS:-} "${module_flags[@]}"
  -Djava.awt.headless=true
  -Dlog4j2.configurationFile="file:${repo}/conf/log4j2.properties"
  ${SPARK_MASTER:+-Dspark.master=$SPARK_MASTER}
  -cp "${jar}:${jars}/*${PS_CLASSPATH:+:$PS_CLASSPATH}" "${PS_MAIN:-org.pixelsimilarity.cli.PixelSimilarityCli}" "$@")

# shellcheck source=jobs/jvm-stderr.sh
. "$repo/jobs/jvm-stderr.sh"
quiet_incubator_warning
cds="$repo/target/cds/pixel-similarity.jsa"
aot="$repo/target/aot/pixel-similarity.aot"
if [[ ${PS_CDS:-on} == off ]]; then
  exec "${cmd[@]}"
elif [[ ${PS_CDS:-on} == aot && -f "$aot" && "$aot" -nt "$jar" ]]; then
  exec "${cmd[0]}" -XX:AOTCache="$aot" -Xlog:aot=off -Xlog:cds=off "${cmd[@]:1}"
elif [[ ${PS_CDS:-on} == aot ]]; then
  # Two steps, so the run's exit status is the job's: this run records (AOTMode=record), then the cache is made
  # from its configuration. Like class-data sharing, it takes only jars on the class path, no folders.
  mkdir -p "$(dirname "$aot")"
  tmp="$aot.$$.tmp"
  status=0
  "${cmd[0]}" -XX:AOTMode=record -XX:AOTConfiguration="$tmp.conf" -Xlog:aot=off -Xlog:cds=off "${cmd[@]:1}" \
    || status=$?
  if [[ $status -eq 0 && -f "$tmp.conf" ]] && "${cmd[0]}" -XX:AOTMode=create -XX:AOTConfiguration="$tmp.conf" \
      -XX:AOTCache="$tmp" -Xlog:aot=off -Xlog:cds=off "${cmd[@]:1}" >/dev/null 2>&1 && [[ -f "$tmp" ]]; then
    mv -f "$tmp" "$aot"
  fi
  rm -f "$tmp" "$tmp.conf"
  exit $status
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
