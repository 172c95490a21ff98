#!/usr/bin/env python3
"""Start-up time of each proxy: from launch to its first 200 answer through to a backend.

    python3 bench/startup.py [--runs 5] [--proxies switchboard,nginx,haproxy]

Uses bench.py's backends and configurations. The backends are started once; then, in turn, each
proxy is launched, polled every 5 ms with GET /small until it answers 200, and stopped. Prints a
Markdown table (median, min and max, milliseconds). This is the time a student waits after
`docker compose up` or a restart; for Switchboard it includes the JVM's start and the first
configuration load, without the JIT warm-up (see bench.py's --warmup).
"""
import argparse
import http.client
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402


class Args:
    split = ""
    java = shutil.which("java") or "java"
    jar = os.environ.get("SWITCHBOARD_JAR", str(bench.ROOT / "proxy/target/switchboard-proxy.jar"))
    java_opts = os.environ.get("SWITCHBOARD_JAVA_OPTS", "")
    baseline_jar = None
    baseline_java_opts = ""


def first_answer(proc, port, timeout=60):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if not proc.alive():
            raise SystemExit(f"{proc.name} exited; see {proc.logfile.name}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/small")
            status = c.getresponse().status
            c.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.005)
    raise SystemExit(f"{proc.name}: no 200 within {timeout} s")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--proxies", default=",".join(bench.PROXIES))
    args = ap.parse_args()
    b = bench.Bench(Args())
    times = {}
    try:
        ports, _ = b.backends()
        for r in range(args.runs):
            for name in args.proxies.split(","):
                t0 = time.monotonic()
                p, port = b.start_proxy(name, ports)
                first_answer(p, port)
                times.setdefault(name, []).append((time.monotonic() - t0) * 1000)
                p.stop()
                b.procs.remove(p)
    finally:
        b.stop_all()
        shutil.rmtree(b.tmp, ignore_errors=True)
    print(f"| proxy | start-up to first 200, median ms | min | max | runs |")
    print("|---|---:|---:|---:|---:|")
    for name, ts in times.items():
        print(f"| {name} | {statistics.median(ts):.0f} | {min(ts):.0f} | {max(ts):.0f} | {len(ts)} |")


if __name__ == "__main__":
    main()
