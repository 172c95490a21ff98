#!/usr/bin/env bash
# Installs what bench/run.sh needs, from Debian's packages: wrk (load), nginx and haproxy (the peers,
# and nginx also as the backends), python3 (bench.py, its tables and the SVG chart).
# Idempotent: installs only what is missing. The packages' own services are never started here:
# while apt runs, a policy-rc.d that refuses service starts is in place (Debian's documented way),
# and any nginx/haproxy service the packages started anyway is stopped. bench/run.sh starts each
# program itself, with its own configuration, on 127.0.0.1 ports of its choosing.
set -euo pipefail

need=()
for pair in wrk:wrk nginx:nginx haproxy:haproxy python3:python3; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "provision: wrk, nginx, haproxy and python3 already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "provision: no apt-get here; install ${need[*]} yourself (Debian/Ubuntu package names)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "provision: need root or sudo to install ${need[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# bench/provision.sh: no service starts while it installs packages\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  added_policy=1
fi
cleanup() { if [ -n "$added_policy" ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"

# Packages installed on a machine with systemd may have enabled their services: stop them.
for svc in nginx haproxy; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    $SUDO systemctl stop "$svc" || true
    $SUDO systemctl disable "$svc" 2>/dev/null || true
  fi
done
echo "provision: installed ${need[*]}"
echo "provision: $(wrk -v 2>&1 | head -1); $(/usr/sbin/nginx -v 2>&1); $(/usr/sbin/haproxy -v 2>&1 | head -1)"
