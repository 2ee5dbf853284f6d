#!/usr/bin/env bash
# The whole test suite, as README and CI run it:
#   0. what it needs, checked first: a JDK 17 (javac), Maven, Debian's chromium and chromium-driver (the browser
#      test of the report pages); missing ones are named in one line with the apt-get command that installs them;
#   1. mvn verify: target/spark-home, the unit test tier, the storage tier (HDFS, S3, YARN: real servers), then
#      the jar and the dependency checks;
#   2. docker-compose.yml validated offline, when docker-compose is installed (README's install line has it);
#   3. the launcher test (jobs/launcher-test.sh): the jobs/ scripts started from another folder with relative
#      paths. Its last line is "launcher-test: N passed, N failed";
#   4. the cluster test: a real standalone cluster (Master + 2 Workers) from target/spark-home, submit, kill an
#      executor, compare with local mode. Its last line is "cluster-test: N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
missing=()
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "jobs/test.sh: missing ${missing[*]}; install what README's quick start lists:" \
    "apt-get install -y openjdk-17-jdk-headless maven chromium chromium-driver docker-compose" >&2
  exit 2
fi
mvn -B verify
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose config -q && echo "docker-compose.yml: valid"
else
  echo "docker-compose not installed: docker-compose.yml not validated (apt-get install docker-compose)"
fi
bash jobs/launcher-test.sh
bash jobs/cluster-test.sh
