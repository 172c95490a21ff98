#!/usr/bin/env bash
# Quick start: builds the proxy if needed, starts two whoami backends and the proxy in front of them.
# Try: curl http://localhost:8000/whoami   (twice: the answer alternates between whoami-1 and whoami-2)
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=proxy/target/switchboard-proxy.jar
testkit=testkit/target/switchboard-testkit.jar
if [ ! -f "$jar" ] || [ ! -f "$testkit" ]; then
  echo "Building the proxy and the test kit (first run only)..."
  ./mvnw -q -B -pl proxy,testkit -am -DskipTests package
fi
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
# whoami is in the test kit; the proxy's jar brings the Jetty and Jackson it runs on.
java -cp "$testkit:$jar" dev.switchboard.testkit.Whoami --name=whoami-1 --address=127.0.0.1:8081 & pids+=($!)
java -cp "$testkit:$jar" dev.switchboard.testkit.Whoami --name=whoami-2 --address=127.0.0.1:8082 & pids+=($!)
echo "Proxy on http://localhost:8000 -- try: curl http://localhost:8000/whoami"
java -jar "$jar" --configFile=examples/quickstart/traefik.yml "$@"
