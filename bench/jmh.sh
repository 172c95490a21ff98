#!/usr/bin/env bash
# Runs the JMH microbenchmarks (bench/jmh: rule matching over 100 routers, balancer selection per
# strategy). Builds bench/jmh/target/switchboard-bench.jar with the jmh profile, then runs it;
# arguments go to JMH (e.g. `bench/jmh.sh Balancer -p servers=4`, `bench/jmh.sh -h`).
# The normal build (./mvnw verify) only compiles the benchmarks; it never runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pjmh -pl bench/jmh -am package -DskipTests
exec java -jar bench/jmh/target/switchboard-bench.jar "$@"
