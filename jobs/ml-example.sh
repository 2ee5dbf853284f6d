#!/usr/bin/env bash
# The Spark ML example (docs/spark-ml.md) through spark-submit, as a user's own program would run:
#   jobs/ml-example.sh [--master URL] [train [valid [model dir [l1|l2]]]]
# Defaults: local[2], the bundled sample, out/models/digits, l2. Prints the accuracy of the saved and reloaded
# Pipeline(StringIndexer, NearestIdealClassifier). SPARK_HOME and APP_JAR as for jobs/submit.sh.
set -euo pipefail
jobs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$jobs_dir")
master='local[2]'
if [[ ${1:-} == --master ]]; then
  master=$2
  shift 2
fi
if [[ -z "${APP_JAR:-}" ]]; then
  version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | sed -n 1p)
  APP_JAR="$repo/target/pixel-similarity-${version}.jar"
  if [[ ! -f "$APP_JAR" || ( -z "${SPARK_HOME:-}" && ! -d "$repo/target/spark-home/jars" ) ]]; then
    echo "building $APP_JAR (first run) ..." >&2
    (cd "$repo" && mvn -B -q -DskipTests package >&2)
  fi
fi
if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  submit=("$SPARK_HOME/bin/spark-submit")
else
  submit=("$jobs_dir/spark-submit.sh")
fi
cd "$repo"
exec "${submit[@]}" --master "$master" --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.ui.enabled=false --class org.pixelsimilarity.examples.DigitsPipeline "$APP_JAR" "$@"
