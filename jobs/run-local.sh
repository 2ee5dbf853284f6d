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
#   PS_CDS        "off" to run without the class-data-sharing archive (see below)
#   PS_MAIN       another main class to run with the same JVM set-up (the benchmark uses it)
#   PS_CLASSPATH  entries appended to the classpath (the benchmark's classes live in target/test-classes, not
#                 in the jar; appended after the jar and Spark, so the class-data-sharing archive still applies;
#                 relative entries are the caller's, like every path)
#
# JVM defaults, each measured with jobs/bench.sh on 2 cores (docs/performance.md, "Tuning settings"):
#   heap 512 MB + 64 MB per core: two tasks hold a 16 MB row group each; with G1 the GC costs ~1 s per 10M
#     images at 640 MB, and the driver stays under 1 GiB resident (2 GB heap: 1.6 GiB, same speed)
#   MALLOC_ARENA_MAX=2 and jdk.nio.maxCachedBufferSize: without them glibc arenas and the JDK's per-thread
#     cache of temporary direct buffers (one per file read size) add ~250 MB resident
#   C2 thresholds x10: the JIT compiled ~1,300 methods (13 s of CPU on 2 cores) for the first query, most of
#     them Spark's planning code run a few thousand times; now only really hot code (the per-image loops) is
#     compiled by C2: -45% JIT CPU, same task speed
#   G1 without adaptive IHOP, concurrent marking from 75% occupancy: parquet reads column chunks into 8 MB
#     buffers, "humongous" objects for G1 at this heap size; with the adaptive threshold each one started a
#     concurrent mark cycle (~1,000 per 10M images) and in some runs the GC threads took 5-9 CPU-s per stage
#     instead of ~1 (10M images, 8 runs before, 3 after: score 6.9-13.3 s -> 6.7-7.6 s, train 13.3-22.1 s
#     -> 12.3-13.3 s; live data after a collection is ~150 MB, so marking later is safe)
# Class-data sharing: Spark loads some 15,000 classes before the first image is read. The first run after a
# build records them in target/cds/pixel-similarity.jsa (a JDK AppCDS archive, ~170 MB; that run takes a few
# seconds longer to exit); later runs map it instead of loading and verifying those classes again.
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
jvm_defaults=(-Xmx$((512 + 64 * cores))m -Djdk.nio.maxCachedBufferSize=1048576
  -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000
  -XX:Tier4BackEdgeThreshold=400000 -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=75)
cmd=(java "${jvm_defaults[@]}" ${JAVA_OPTS:-} "${module_flags[@]}"
  -Djava.awt.headless=true
  -Dlog4j2.configurationFile="file:${repo}/conf/log4j2.properties"
  ${SPARK_MASTER:+-Dspark.master=$SPARK_MASTER}
  -cp "${jar}:${jars}/*${PS_CLASSPATH:+:$PS_CLASSPATH}" "${PS_MAIN:-org.pixelsimilarity.cli.PixelSimilarityCli}" "$@")

# shellcheck source=jobs/jvm-stderr.sh
. "$repo/jobs/jvm-stderr.sh"
quiet_incubator_warning
cds="$repo/target/cds/pixel-similarity.jsa"
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
