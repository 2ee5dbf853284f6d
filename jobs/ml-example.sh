#!/usr/bin/env bash
# The Spark ML example (docs/spark-ml.md) through spark-submit, as a user's own program would run:
#   jobs/ml-example.sh [--master URL] [train [valid [model dir [l1|l2]]]]
# Defaults: local[2], the bundled sample, out/models/digits, l2. Prints the accuracy of the saved and reloaded
# Pipeline(StringIndexer, NearestIdealClassifier). Relative paths are the caller's (./out/models/digits by
# default). SPARK_HOME and APP_JAR as for jobs/submit.sh, which it calls.
set -euo pipefail
jobs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$jobs_dir")
master='local[2]'
if [[ ${1:-} == --master ]]; then
  master=$2
  shift 2
fi
# The bundled sample wherever the script is started from; the model folder stays relative to the caller.
sample="$repo/data/mnist_sample"
[[ $(pwd -P) == "$(cd "$repo" && pwd -P)" ]] && sample=data/mnist_sample
[[ $# -ge 1 ]] || set -- "$sample/train"
[[ $# -ge 2 ]] || set -- "$1" "$sample/valid"
APP_MAIN=org.pixelsimilarity.examples.DigitsPipeline exec "$jobs_dir/submit.sh" --master "$master" \
  --conf spark.ui.enabled=false -- "$@"
