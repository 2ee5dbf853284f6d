#!/usr/bin/env bash
# spark-submit without a Spark download: Spark's SparkSubmit started through jobs/spark-class.sh, with the Spark
# home that `mvn package` makes in target/spark-home (or $SPARK_HOME when set). Same options as spark-submit:
#   jobs/spark-submit.sh --master spark://127.0.0.1:7077 --class org.example.Main app.jar args...
# Prefer jobs/submit.sh to run pixel-similarity: it adds the jar and the main class.
exec "$(dirname "${BASH_SOURCE[0]}")/spark-class.sh" org.apache.spark.deploy.SparkSubmit "$@"
