#!/usr/bin/env bash
# The whole test suite, as README and CI run it:
#   1. mvn verify: unit, integration and end-to-end tests in one JVM, then the jar and target/spark-home;
#   2. docker-compose.yml validated offline, when docker-compose is installed (CI installs it);
#   3. the cluster test: a real standalone cluster (Master + 2 Workers) from target/spark-home, submit, kill an
#      executor, compare with local mode. Its last line is "cluster-test: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B verify
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose config -q && echo "docker-compose.yml: valid"
else
  echo "docker-compose not installed: docker-compose.yml not validated (apt-get install docker-compose)"
fi
bash jobs/cluster-test.sh
