#!/usr/bin/env bash
# The proxy benchmark: Switchboard, nginx and HAProxy under the same wrk load, in the same run, on
# loopback, in front of the same two backends. Installs the tools (bench/provision.sh), builds the
# proxy jar when it is missing or older than the sources, then runs bench/bench.py with the
# arguments given (bench/run.sh --help lists them). Results: bench/results/<timestamp>.md, .svg,
# .json, and latest.* copies. See docs/reference/performance.md.
#
#   bench/run.sh                                  # all scenarios, 3 runs each (about 15 minutes)
#   bench/run.sh --scenarios small --runs 5       # only the small-GET scenario
#   SWITCHBOARD_JAVA_OPTS="-Xms64m" bench/run.sh  # other JVM options for Switchboard
set -euo pipefail
cd "$(dirname "$0")/.."
bench/provision.sh
jar=proxy/target/switchboard-proxy.jar
if [ ! -f "$jar" ] || [ -n "$(find proxy/src/main proxy/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
  echo "run: building $jar"
  ./mvnw -q -B -pl proxy -am package -DskipTests
fi
: "${SWITCHBOARD_JAVA_OPTS=$( { grep -v '^#' bench/jvm.options || true; } | tr '\n' ' ')}"
export SWITCHBOARD_JAVA_OPTS
exec python3 bench/bench.py "$@"
