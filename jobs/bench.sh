#!/usr/bin/env bash
# The benchmark (docs/performance.md):
#   jobs/bench.sh [--images N] [--folder-images N] [--colour-images N]
#                 [--stages parquet,folder,folder-s3,colour,folder-colour,spread,history,history-s3]
#                 [--jvms N] [--runs N] [--master local[2]]
# 1. Makes one parquet pixel table of N images from the bundled sample (train and valid folders): random shifts
#    of up to ±2 px, ink noise and specks, fixed seed. Not timed; kept in target/bench-data/N and reused. Train
#    and score both read it, so that at 10M (7.7 GB) it still fits in the page cache and the stages measure CPU.
# 2. In one fresh JVM (started like jobs/run-local.sh starts the job): stage start (JVM launch to SparkSession),
#    train (read + validate + fit + save the model), score (read + validate + score L1 and L2 + count + write
#    the report), predict (read + validate + rank L1 and L2 + write the one-row-per-image predictions table)
#    and its time over score's, then train_again, score_again and predict_again (the same work once the JIT has
#    compiled it), then the Spark ML face: ml_fit (fit + save) and ml_transform (transform + evaluator
#    accuracy), and both again; CPU seconds per kind of thread; a `first_query=<stage> first_s= again_s= ratio=
#    first_jit_cpu_s= again_jit_cpu_s=` line for each of the five (folder_train_stage too, in step 4); the
#    driver's peak RSS; the accuracy; the
#    arithmetic limit (a plain one-thread Java loop over the same pixels in memory) and our ratio to it.
# 3. end_to_end: `jobs/run-local.sh run` with train = valid = the table, as one fresh process (images = 2N),
#    and end_to_end_sample: the same over the bundled sample.
# 4. Folder stages (--folder-images N, default 100,000; 0 skips them): N PNG files in <label>/<file>.png trees
#    (6/7 in train/, 1/7 in valid/) made from the bundled sample, untimed, kept in target/bench-data/folder-N and
#    reused; then folder_train, folder_run (train + valid) and folder_ingest as fresh run-local.sh processes, and
#    folder_list, folder_train_stage(_again) in one JVM (FolderBench), with CPU seconds, peak RSS and the time
#    to the first task.
# 5. Colour (--colour-images N, default 1,000,000; 0 skips it): a parquet pixel table of N 32x32x3 images (CIFAR's
#    shape; 10 classes of colour gradients with noise, fixed seed), untimed, kept in target/bench-data/colour-N and
#    reused; then colour_train and colour_score in one JVM (ColourBench), each with images/s and bytes/s (pixel
#    bytes per second, to set beside the gray stages' images/s x 784).
# 6. Colour folder (--stages folder-colour, not in the default): the --folder-images tree of 4. and the same images
#    recoloured as 8-bit RGB PNG files (ink and background colour pairs by image index; untimed, kept in
#    target/bench-data/folder-colour-N), then `jobs/run-local.sh run` (train + valid + report) on each as fresh
#    processes, alternating, twice each (ColourFolderBench): folder_run_gray, folder_run_colour and
#    folder_colour_over_gray, the colour tree's median time over the gray tree's (the bar: 1.3).
# 7. Spread (--stages spread, not in the default): the train and score stages' spread over fresh JVMs, for a bar
#    of ±10% that one run cannot settle. --jvms N (default 5) JVMs one after the other, each: train_first (the
#    stage as a scheduled run meets it), train_second, score_first and score_second; then the median, least and
#    most of each, and of each JVM's first over second (ScoreSpread).
# 8. History (--stages history, not in the default): a report folder that nightly runs have filled for --runs N
#    days (default 365; one real run over the sample copied N times, one per day; made once, kept in
#    target/bench-data/history-N/history-copies and copied afresh), then history_evaluate_first (the first
#    evaluate into it, which writes its summary of runs) and history_evaluate (an evaluate of the sample into it:
#    score, commit, pages) against history_evaluate_empty (into an empty folder), and history_rebuild
#    (`report --report DIR`: every run's page and the index) (HistoryBench); CPU seconds beside each.
# 9. Folder on S3 (--stages folder-s3, not in the default): the train/ folder of stage 4's tree served by s3proxy
#    (started as the storage tests start it, target/s3proxy/s3proxy.jar in a JVM of its own; the files put straight
#    into its bucket folder, untimed) through s3a (the storage tier's jars); in one JVM folder_list and
#    folder_s3_list (the driver's listing), folder_train_stage and folder_s3_train_stage (train), with s3a's
#    list, GET and HEAD requests (FolderS3Bench).
# 10. History on S3 (--stages history-s3, not in the default): stage 8's history (made if missing) put straight into
#    the bucket folder of stage 9's s3proxy (untimed), then in one JVM history_s3_evaluate_first,
#    history_s3_evaluate_empty (into an empty S3 report) and history_s3_evaluate, each with CPU seconds, s3a's
#    request counts and the requests s3proxy served, by method (its log at debug level) (HistoryS3Bench).
# Prints `stage=<name> images=<N> seconds=<s> images_per_s=<r> ...` lines and writes the same as JSON into
# bench/results/. Environment: JAVA_OPTS as for run-local.sh.
# It takes no paths: it works in the repository (target/bench-data, bench/results), whatever the caller's folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
images=1000000
folder_images=100000
colour_images=1000000
stages=parquet,folder,colour
master='local[2]'
jvms=5
runs=365
while [[ $# -gt 0 ]]; do
  case "$1" in
    --images) images=$2; shift 2 ;;
    --folder-images) folder_images=$2; shift 2 ;;
    --colour-images) colour_images=$2; shift 2 ;;
    --stages) stages=$2; shift 2 ;;
    --master) master=$2; shift 2 ;;
    --jvms) jvms=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (usage: jobs/bench.sh [--images N] [--folder-images N] [--colour-images N]"\
         "[--stages parquet,folder,folder-s3,colour,folder-colour,spread,history,history-s3] [--jvms N] [--runs N] [--master local[2]])" >&2; exit 2 ;;
  esac
done
# Whether --stages names a stage (whole names: folder-colour is neither folder nor colour, folder-s3 not folder).
has() { [[ ",$stages," == *",$1,"* ]]; }
drop() { stages=$(tr , '\n' <<< "$stages" | { grep -vx "$1" || true; } | paste -sd, -); }
if ! [[ $images =~ ^[1-9][0-9]*$ ]]; then
  echo "--images must be a positive whole number, got '$images'" >&2
  exit 2
fi
if ! [[ $folder_images =~ ^[0-9]+$ ]]; then
  echo "--folder-images must be a whole number, got '$folder_images'" >&2
  exit 2
fi
if [[ $folder_images -eq 0 ]]; then
  drop folder
  drop folder-s3
  drop folder-colour
fi
if ! [[ $colour_images =~ ^[0-9]+$ ]]; then
  echo "--colour-images must be a whole number, got '$colour_images'" >&2
  exit 2
fi
if [[ $colour_images -eq 0 ]]; then
  drop colour
fi
data="target/bench-data/$images"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | sed -n 1p)
# The benchmark's classes are test classes (not in the spark-submit jar); -DskipTests still compiles them, and
# PS_CLASSPATH puts them on the benchmark's classpath (not on the job's: the runs it times are the job alone).
bench_cp=target/test-classes
if [[ ! -f "target/pixel-similarity-${version}.jar" || ! -d target/spark-home/jars
      || ! -f target/test-classes/org/pixelsimilarity/bench/Bench.class ]]; then
  echo "building the jar and the benchmark ..." >&2
  mvn -B -q -DskipTests package >&2
fi
if ! [[ $jvms =~ ^[1-9][0-9]*$ ]]; then
  echo "--jvms must be a positive whole number, got '$jvms'" >&2
  exit 2
fi
if { has parquet || has spread; } && [[ ! -f "$data/_COMPLETE" ]]; then
  echo "generating $images images into $data (once) ..." >&2
  PS_CDS=off JAVA_OPTS="-Xmx3g ${JAVA_OPTS:-}" PS_MAIN=org.pixelsimilarity.bench.BenchData PS_CLASSPATH=$bench_cp \
    jobs/run-local.sh "$images" data/mnist_sample "$data"
fi
# The class-data-sharing archive is made by the first run after a build; make it now, outside the timings.
cds="target/cds/pixel-similarity.jsa"
if [[ ! -f "$cds" || ! "$cds" -nt "target/pixel-similarity-${version}.jar" ]]; then
  echo "recording the class-data-sharing archive (one run on the sample) ..." >&2
  jobs/run-local.sh run --master "$master" --train data/mnist_sample/train --valid data/mnist_sample/valid \
    --report "target/bench-data/cds-report" > /dev/null
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
if has parquet; then
  JAVA_OPTS="-Dbench.launchedAtMs=$(date +%s%3N) ${JAVA_OPTS:-}" PS_MAIN=org.pixelsimilarity.bench.Bench \
    PS_CLASSPATH=$bench_cp jobs/run-local.sh "$images" "$master" "$data" bench/results
fi
if has spread; then
  spread="bench/results/spread-$images-$(date -u +%Y%m%dT%H%M%SZ).txt"
  mkdir -p bench/results
  for ((run = 1; run <= jvms; run++)); do
    echo "spread: JVM $run of $jvms, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    PS_MAIN=org.pixelsimilarity.bench.ScoreSpread PS_CLASSPATH=$bench_cp \
      jobs/run-local.sh "$data/images" "$master" "$data/run-spread" "$spread"
  done
  PS_CDS=off PS_MAIN=org.pixelsimilarity.bench.ScoreSpread PS_CLASSPATH=$bench_cp \
    jobs/run-local.sh summary "$spread" 2>/dev/null | grep -E '^(stage|ratio)='
fi
if { has history || has history-s3; } && ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "--runs must be a positive whole number, got '$runs'" >&2
  exit 2
fi
if has history; then
  PS_MAIN=org.pixelsimilarity.bench.HistoryBench PS_CLASSPATH=$bench_cp \
    jobs/run-local.sh "$runs" "$master" "target/bench-data/history-$runs" bench/results
fi
tree="target/bench-data/folder-$folder_images"
if { has folder || has folder-s3 || has folder-colour; } && [[ ! -f "$tree/_COMPLETE" ]]; then
  echo "writing $folder_images PNG files into $tree (once) ..." >&2
  PS_CDS=off PS_MAIN=org.pixelsimilarity.bench.FolderTree PS_CLASSPATH=$bench_cp \
    jobs/run-local.sh "$folder_images" data/mnist_sample "$tree"
fi
if has folder; then
  PS_MAIN=org.pixelsimilarity.bench.FolderBench PS_CLASSPATH=$bench_cp \
    jobs/run-local.sh "$folder_images" "$master" "$tree" bench/results
fi
if has folder-s3 || has history-s3; then
  # s3a and the AWS SDK modules it needs: the storage tier's test-scope jars (the job's jar holds none)
  s3a_cp="target/bench-data/s3a-classpath.txt"
  if [[ ! -s "$s3a_cp" || pom.xml -nt "$s3a_cp" ]]; then
    mkdir -p target/bench-data
    mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$s3a_cp.all" >&2
    tr ':' '\n' < "$s3a_cp.all" | grep -E '/software/amazon/|/org/reactivestreams/|/hadoop-aws-|/httpcomponents/' \
      | paste -sd: > "$s3a_cp"
  fi
  [[ -f target/s3proxy/s3proxy.jar ]] || mvn -B -q process-test-resources >&2
fi
if has folder-s3; then
  PS_MAIN=org.pixelsimilarity.bench.FolderS3Bench PS_CLASSPATH="$bench_cp:$(cat "$s3a_cp")" \
    jobs/run-local.sh "$folder_images" "$master" "$tree" bench/results
fi
if has history-s3; then
  PS_MAIN=org.pixelsimilarity.bench.HistoryS3Bench PS_CLASSPATH="$bench_cp:$(cat "$s3a_cp")" \
    jobs/run-local.sh "$runs" "$master" "target/bench-data/history-$runs" bench/results
fi
if has colour; then
  PS_MAIN=org.pixelsimilarity.bench.ColourBench PS_CLASSPATH=$bench_cp \
    jobs/run-local.sh "$colour_images" "$master" "target/bench-data/colour-$colour_images" bench/results
fi
if has folder-colour; then
  coloured="target/bench-data/folder-colour-$folder_images"
  if [[ ! -f "$coloured/_COMPLETE" ]]; then
    echo "writing $folder_images RGB PNG files into $coloured (once) ..." >&2
    PS_CDS=off PS_MAIN=org.pixelsimilarity.bench.FolderTree PS_CLASSPATH=$bench_cp \
      jobs/run-local.sh "$folder_images" data/mnist_sample "$coloured" colour
  fi
  PS_MAIN=org.pixelsimilarity.bench.ColourFolderBench PS_CLASSPATH=$bench_cp \
    jobs/run-local.sh "$folder_images" "$master" "$tree" "$coloured" bench/results
fi
