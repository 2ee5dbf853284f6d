#!/usr/bin/env bash
# Scheduled evaluation: scores a saved model against a dataset and appends the run to the report tables, with a
# run id made from the date, so a retried run (cron again, Airflow retry) replaces that day's rows, never adds a
# second copy.
#   jobs/scheduled-evaluate.sh --model DIR --valid PATH --report DIR [--date YYYY-MM-DD] [--name NAME]
#                              [--min-accuracy X] [--max-drop D]
#                              [other evaluate flags, e.g. --labels 3,7 --metric l2 --mode failfast]
# --min-accuracy / --max-drop: the quality gate, passed to evaluate (default from the environment, MIN_ACCURACY
# and MAX_DROP, else none): a run below X, or fallen more than D since the previous run on the same --valid, is
# written whole (tables and pages) and the job exits 3.
# Run id: <NAME>-<DATE>, NAME default "scheduled", DATE default today (UTC), e.g. scheduled-2026-11-24.
# Give --date to re-run a past day (a backfill replaces that day's run too).
# spark-submit options come from the environment, so a crontab line stays short:
#   SUBMIT_OPTS="--master spark://host:7077 --executor-memory 2g --total-executor-cores 8"
#   SPARK_HOME  a Spark install to submit with (else this repo's target/spark-home); APP_JAR as in jobs/submit.sh
# Two runs of the same NAME never overlap: a second one exits with code 75 while the first holds the lock.
# Exit code: the job's (0 ok, 1 data or run error, 2 usage, 3 written but failed the quality gate), or 75.
set -euo pipefail
jobs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

run_date=$(date -u +%Y-%m-%d)
name=scheduled
model=""
valid=""
report=""
rest=()
gate=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --date) run_date=${2:?--date needs YYYY-MM-DD}; shift 2 ;;
    --name) name=${2:?--name needs a value}; shift 2 ;;
    --model) model=${2:?--model needs a folder}; shift 2 ;;
    --valid) valid=${2:?--valid needs a path}; shift 2 ;;
    --report) report=${2:?--report needs a folder}; shift 2 ;;
    --run-id) echo "error: --run-id is made from --name and --date here" >&2; exit 2 ;;
    --min-accuracy) gate+=(--min-accuracy "${2:?--min-accuracy needs a value}"); shift 2 ;;
    --max-drop) gate+=(--max-drop "${2:?--max-drop needs a value}"); shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) rest+=("$1"); shift ;;
  esac
done
if [[ -z "$model" || -z "$valid" || -z "$report" ]]; then
  echo "error: --model, --valid and --report are required (see --help)" >&2
  exit 2
fi
if ! [[ "$run_date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || ! date -u -d "$run_date" +%F >/dev/null 2>&1; then
  echo "error: --date must be a date as YYYY-MM-DD, got '$run_date'" >&2
  exit 2
fi
if ! [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$ ]]; then
  echo "error: --name must be 1-101 letters, digits, '.', '_' or '-', starting with a letter or digit, got '$name'" >&2
  exit 2
fi
run_id="$name-$run_date"
if [[ ${#gate[@]} -eq 0 ]]; then
  [[ -n "${MIN_ACCURACY:-}" ]] && gate+=(--min-accuracy "$MIN_ACCURACY")
  [[ -n "${MAX_DROP:-}" ]] && gate+=(--max-drop "$MAX_DROP")
fi

lock="${TMPDIR:-/tmp}/pixel-similarity-$name.lock"
exec 9>"$lock"
if ! flock -n 9; then
  echo "$(date -u +%FT%TZ) $run_id: another run of '$name' is still going (lock $lock); not starting" >&2
  exit 75
fi

echo "$(date -u +%FT%TZ) $run_id: evaluating model $model on $valid into $report" >&2
# The lock stays held by the job's process (it inherits descriptor 9) until it ends.
# shellcheck disable=SC2086  # SUBMIT_OPTS is a list of spark-submit options, split on spaces on purpose
exec "$jobs_dir/submit.sh" ${SUBMIT_OPTS:-} evaluate --model "$model" --valid "$valid" --report "$report" \
  --run-id "$run_id" ${gate[@]+"${gate[@]}"} ${rest[@]+"${rest[@]}"}
