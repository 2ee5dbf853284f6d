#!/usr/bin/env bash
# The launchers started from another folder, with relative paths: every path a user types is resolved against
# the folder the launcher is started from, never against the repository. In a fresh folder outside the repository
# holding a copy of the bundled sample (sample/train, sample/valid):
#   1. jobs/run-local.sh train --train sample/train --model m: the model lands in ./m;
#   2. jobs/run-local.sh evaluate --model m --valid sample/valid --report r: the report lands in ./r, with the
#      sample's 421 validation images scored;
#   3. jobs/scheduled-evaluate.sh (through jobs/submit.sh and spark-submit) --model m --valid sample/valid
#      --report r2 --date 2026-01-01: the run scheduled-2026-01-01 lands in ./r2;
#   4. jobs/run-local.sh with no arguments (README's first command): the bundled sample read from the repository,
#      the report in ./out/report;
#   5. jobs/ml-example.sh with no paths: the bundled sample read from the repository, the pipeline in
#      ./out/models/digits.
# None of them may create those names in the repository. Builds the jar first when it is missing (the launchers
# do); jobs/test.sh runs it after `mvn verify`. Prints PASS/FAIL lines and "launcher-test: N passed, N failed";
# exits non-zero on any failure. The folder is removed when every check passed, else kept for its logs.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/launcher-test.XXXXXX")
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() {
  local rc=$?
  trap - EXIT
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then
    fail "the test stopped early (exit $rc); logs in $work"
  fi
  echo "launcher-test: $passed passed, $failed failed"
  if [[ $failed -eq 0 ]]; then
    rm -rf "$work"
  else
    echo "logs: $work" >&2
    exit 1
  fi
}
trap finish EXIT

# Names the runs below create relative to their folder: none may appear in the repository.
names=(m r r2 out/report out/models/digits)
absent_before=()
for n in "${names[@]}"; do [[ -e "$repo/$n" ]] || absent_before+=("$n"); done

cp -r "$repo/data/mnist_sample" "$work/sample"
cd "$work"

# launch NAME COMMAND...: runs it from $work, its output in $work/NAME.log; true when it exits 0.
launch() {
  local name=$1 rc=0
  shift
  "$@" >"$work/$name.log" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    tail -20 "$work/$name.log"
    fail "$name: exit $rc (log $work/$name.log)"
    return 1
  fi
}

if launch train "$repo/jobs/run-local.sh" train --train sample/train --model m; then
  if [[ -f m/model.json && -d m/data ]]; then
    pass "train --train sample/train --model m: model in $work/m"
  else
    fail "train: no model.json and data/ in $work/m"
  fi
fi

if launch evaluate "$repo/jobs/run-local.sh" evaluate --model m --valid sample/valid --report r; then
  runs=$(find r/runs -name '*.parquet' | wc -l)
  if [[ $runs -eq 1 ]] && grep -q "421 images, 421 scored" evaluate.log && grep -q "file:$work/r" evaluate.log; then
    pass "evaluate --model m --valid sample/valid --report r: 421 images scored, the run in $work/r"
  else
    fail "evaluate: expected one run in $work/r/runs and 421 images scored; runs files: $runs"
  fi
fi

if SUBMIT_OPTS="--master local[2] --conf spark.ui.enabled=false" launch scheduled \
  "$repo/jobs/scheduled-evaluate.sh" --model m --valid sample/valid --report r2 --date 2026-01-01 \
  --name launcher-test; then
  if [[ -n $(find r2/runs -name 'launcher-test-2026-01-01.parquet') ]]; then
    pass "scheduled-evaluate.sh (spark-submit) --model m --valid sample/valid --report r2: run launcher-test-2026-01-01 in $work/r2"
  else
    fail "scheduled-evaluate.sh: no launcher-test-2026-01-01.parquet under $work/r2/runs"
  fi
fi

if launch default "$repo/jobs/run-local.sh"; then
  if [[ -n $(find out/report/runs -name '*.parquet') ]] && grep -q "train  $repo/data/mnist_sample/train" default.log
  then
    pass "run-local.sh without arguments: the bundled sample from $repo, the report in $work/out/report"
  else
    fail "run-local.sh without arguments: expected the sample of $repo and a report in $work/out/report"
  fi
fi

if launch ml-example "$repo/jobs/ml-example.sh" --master 'local[2]'; then
  if [[ -d out/models/digits ]] && grep -q '^accuracy (l2) ' ml-example.log; then
    pass "ml-example.sh: the bundled sample from $repo, the pipeline in $work/out/models/digits"
  else
    fail "ml-example.sh: expected an accuracy line and $work/out/models/digits"
  fi
fi

made=()
for n in ${absent_before[@]+"${absent_before[@]}"}; do [[ -e "$repo/$n" ]] && made+=("$n"); done
if [[ ${#made[@]} -eq 0 ]]; then
  pass "nothing written in the repository under the relative names (${names[*]})"
else
  fail "written in the repository instead of $work: ${made[*]}"
fi
