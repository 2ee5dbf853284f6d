# The JVM options of the job's JVMs, one list for every launcher: jobs/run-local.sh gives them to its one JVM,
# jobs/submit.sh to the driver and the executors (spark.driver/executor.extraJavaOptions). Sourced; sets the array
# jvm_options. No heap size here (spark-submit has --driver-memory and --executor-memory). Each measured with
# jobs/bench.sh on 2 cores (docs/performance.md, "Tuning settings" and "A JVM's first query"):
#   jdk.nio.maxCachedBufferSize: caps the JDK's per-thread cache of temporary direct buffers (one per file read
#     size; with MALLOC_ARENA_MAX=2, ~250 MB less resident, see jobs/run-local.sh)
#   G1 without adaptive IHOP, concurrent marking from 75% occupancy: parquet reads column chunks into 8 MB
#     buffers, "humongous" objects for G1 at small heaps; with the adaptive threshold each one started a
#     concurrent mark cycle (~1,000 per 10M images) and in some runs the GC threads took 5-9 CPU-s per stage
#     instead of ~1 (live data after a collection is ~150 MB, so marking later is safe)
#   the JIT's C2 thresholds, by PS_JIT:
#     raised (the default) x10 for every method: the JIT compiled ~1,300 methods (13 s of CPU on 2 cores) for the
#             first query, most of them Spark's planning code run a few thousand times; with x10 only the
#             per-image loops reach C2: -45% JIT CPU. But they reach it 10x later too, and after each
#             deoptimization again 10x later
#     jdk     the JDK's own thresholds
#     hot     x10 for every method but those of conf/jit-hot-methods (the scans' per-image code: our kernels,
#             Spark's generated code, aggregation, column vectors, parquet's readers), which keep the JDK's own
# shellcheck disable=SC2034
jvm_options_for() {
  local repo=$1 jit=${PS_JIT:-raised}
  jvm_options=(-Djdk.nio.maxCachedBufferSize=1048576 -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=75)
  case "$jit" in
    raised|hot)
      jvm_options+=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000
        -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000) ;;
    jdk) ;;
    *) echo "PS_JIT must be raised, jdk or hot, got '$jit'" >&2; return 2 ;;
  esac
  if [[ $jit == hot ]]; then
    local line
    jvm_options+=(-XX:CompileCommand=quiet)
    while read -r line; do
      [[ -z $line || $line == \#* ]] || jvm_options+=("-XX:CompileCommand=$line")
    done <"$repo/conf/jit-hot-methods"
  fi
}
