#!/usr/bin/env bash
# Installs Debian's headless browser for the dashboard browser test (proxy: DashboardBrowserTest):
# /usr/bin/chromium and /usr/bin/chromedriver, from Debian's packages, so the test downloads nothing.
# Idempotent: does nothing when both are there. Where they cannot be installed (not Debian, no root),
# it says so and exits 0: the browser test then skips with that reason, every other test still runs.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "provision-chromium: chromium and chromedriver already installed ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "provision-chromium: no apt-get here; install Chromium and chromedriver as /usr/bin/chromium and /usr/bin/chromedriver" >&2
  echo "provision-chromium: the dashboard browser test will be skipped" >&2
  exit 0
fi

. /etc/os-release 2>/dev/null || true
if [ "${ID:-}" != "debian" ]; then
  # Ubuntu's chromium packages only point to a snap, which does not run in CI containers.
  echo "provision-chromium: this is ${PRETTY_NAME:-not Debian}; Debian's chromium and chromium-driver packages are expected" >&2
  echo "provision-chromium: the dashboard browser test will be skipped" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "provision-chromium: need root (or sudo) to apt-get install chromium chromium-driver" >&2
    echo "provision-chromium: the dashboard browser test will be skipped" >&2
    exit 0
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium chromium-driver
echo "provision-chromium: installed $(/usr/bin/chromium --version 2>/dev/null) and $(/usr/bin/chromedriver --version 2>/dev/null | head -1)"
