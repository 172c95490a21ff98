#!/usr/bin/env bash
# The soak test: 10 minutes of mixed traffic through Switchboard with replica kills, slow clients
# and configuration reloads, reporting errors, RSS, file descriptors, threads and heap over time.
# Builds the proxy jar when it is missing or older than the sources, then runs bench/soak.py with
# the arguments given. Results: bench/results/soak-<timestamp>.json. Needs only python3 and a JDK.
# See docs/reference/performance.md, "Soak test".
#
#   bench/soak.sh                  # 10 minutes
#   bench/soak.sh --minutes 2      # a shorter run
set -euo pipefail
cd "$(dirname "$0")/.."
jar=proxy/target/switchboard-proxy.jar
if [ ! -f "$jar" ] || [ -n "$(find proxy/src/main proxy/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
  echo "soak: building $jar"
  ./mvnw -q -B -pl proxy -am package -DskipTests
fi
exec python3 bench/soak.py "$@"
