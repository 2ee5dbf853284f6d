#!/usr/bin/env bash
# The first query's JIT evidence over fresh JVMs (docs/performance.md, "A JVM's first query"):
#   jobs/jit-spread.sh <table> <jvms> <out dir>
# Runs <jvms> fresh JVMs of the spread stage (ScoreSpread: train_first, train_second, score_first, score_second)
# over the parquet pixel table, one after the other, each with HotSpot's compilation log
# (-XX:+LogCompilation into <out dir>/jit-pid<pid>.log) and GC and safepoint log (<out dir>/gc-<pid>.log); then
# prints the spread's summary and, per JVM, when the hot methods got C2 code and how often it was thrown away
# (jobs/jit-timeline.py --keys). Environment as for jobs/run-local.sh: PS_JIT=raised|jdk|hot, JAVA_OPTS.
# Builds nothing: run `mvn -B -DskipTests package` first. A JVM's LogCompilation file is ~70 MB at 1M images.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $# -ne 3 || ! $2 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: jobs/jit-spread.sh <table> <jvms> <out dir>" >&2
  exit 2
fi
table=$(cd "$1" && pwd)
jvms=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
cd "$repo"
for ((i = 1; i <= jvms; i++)); do
  echo "== JVM $i of $jvms, PS_JIT=${PS_JIT:-raised}, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)" \
    | tee -a "$out/out.txt"
  JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$out/jit-pid%p.log
    -Xlog:gc,gc+cpu,safepoint:file=$out/gc-%p.log:uptime ${JAVA_OPTS:-}" \
    PS_MAIN=org.pixelsimilarity.bench.ScoreSpread PS_CLASSPATH=target/test-classes \
    jobs/run-local.sh "$table" 'local[2]' "$out/run" "$out/spread.txt" 2>/dev/null | grep '^stage=' \
    | tee -a "$out/out.txt"
done
PS_CDS=off PS_MAIN=org.pixelsimilarity.bench.ScoreSpread PS_CLASSPATH=target/test-classes \
  jobs/run-local.sh summary "$out/spread.txt" 2>/dev/null | grep -E '^(stage|ratio)='
# The logs in the order the JVMs ran, to pair each with its stage lines.
mapfile -t logs < <(ls -tr "$out"/jit-pid*.log)
python3 jobs/jit-timeline.py --keys --stages "$out/out.txt" "${logs[@]}"
