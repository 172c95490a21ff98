#!/usr/bin/env python3
"""Switchboard against nginx and HAProxy, same load, same backends, same run, on loopback.

Started by bench/run.sh (which provisions the tools and builds the jar); see
docs/reference/performance.md for what is measured and why. Only the Python standard library.

For each scenario: two nginx backends and the three proxies are started fresh, each with the
configuration this script writes into a temporary directory (pid files and logs there too),
listening on 127.0.0.1 ports chosen here. Every proxy is warmed up, then measured runs go round
robin over the proxies (A B C A B C ...) so that a slow drift in the machine's load hits all of
them alike. Before each run the machine must be quiet (CPU used by other programs below a
threshold); a run during which other programs used CPU is run again. The median run is reported.
"""

import argparse
import datetime as dt
import http.client
import json
import resource
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import chart

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
NCPU = os.cpu_count() or 1

SMALL_BODY = ("switchboard bench: a small response body of 64 bytes, plain text\n")[:63] + "\n"
assert len(SMALL_BODY) == 64

# name -> (path requested, wrk connections, description)
SCENARIOS = {
    "small": ("/small", 50, "small GET (64 B body), keep-alive, 50 connections"),
    "64k": ("/64k", 50, "64 KiB responses, keep-alive, 50 connections"),
    "c200": ("/small", 200, "small GET, keep-alive, 200 concurrent connections"),
    "middlewares": ("/mw/small", 50, "router with stripPrefix + headers + rateLimit (set high), 50 connections"),
}
PROXIES = ("switchboard", "nginx", "haproxy")
BASELINE = "switchboard-base"  # with --baseline-jar: an earlier Switchboard, for before/after in one run


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- /proc readings

def descendants(pid):
    """pid and all its descendants (nginx workers, java's children if any)."""
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(d))
            except (OSError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_times(pids):
    """(user, sys) CPU seconds of the processes (all their threads), from /proc/<pid>/stat."""
    user = system = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            user += int(fields[11])  # utime (field 14)
            system += int(fields[12])  # stime (field 15)
        except (OSError, IndexError):
            pass
    return user / CLK_TCK, system / CLK_TCK


def cpu_seconds(pids):
    """user+sys CPU seconds of the processes."""
    return sum(cpu_times(pids))


def peak_rss_mib(pids):
    """Sum of VmHWM (peak resident set) of the processes, MiB."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def machine_busy_seconds():
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


# ---------------------------------------------------------------- processes

class Proc:
    """A program this script started, in its own process group, stopped by its pid."""

    def __init__(self, name, argv, cpus, logdir, env=None):
        self.name = name
        if cpus:
            argv = ["taskset", "-c", cpus] + argv
        self.logfile = open(logdir / f"{name}.out", "wb")
        self.popen = subprocess.Popen(argv, stdout=self.logfile, stderr=subprocess.STDOUT,
                                      start_new_session=True, env=env)
        self.pid = self.popen.pid

    def pids(self):
        return descendants(self.pid)

    def alive(self):
        return self.popen.poll() is None

    def stop(self):
        if self.alive():
            try:
                os.killpg(self.pid, signal.SIGTERM)  # its own group: nginx master and workers, java
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.popen.wait()
        self.logfile.close()


def http_get(port, path, timeout=2.0):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        return r.status, dict(r.getheaders()), body
    finally:
        c.close()


def wait_ready(proc, port, path, expect_len, timeout=60):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        if not proc.alive():
            raise SystemExit(f"{proc.name} exited during start-up; see {proc.logfile.name}")
        try:
            status, headers, body = http_get(port, path)
            if status == 200 and len(body) == expect_len:
                return headers
            last = f"status {status}, {len(body)} bytes"
        except OSError as e:
            last = str(e)
        time.sleep(0.2)
    raise SystemExit(f"{proc.name} not ready on port {port}{path} after {timeout}s: {last}")


# ---------------------------------------------------------------- configurations

def nginx_backend_conf(tmp, name, port, docroot):
    """A backend: one nginx worker, the small body from memory, the 64 KiB file with sendfile."""
    return f"""# {name}: a backend of the benchmark (written by bench/bench.py)
worker_processes 1;
daemon off;
pid {tmp}/{name}.pid;
error_log {tmp}/{name}.error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=16;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    client_body_temp_path {tmp}/{name}-body;
    proxy_temp_path {tmp}/{name}-proxy;
    fastcgi_temp_path {tmp}/{name}-fastcgi;
    uwsgi_temp_path {tmp}/{name}-uwsgi;
    scgi_temp_path {tmp}/{name}-scgi;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {docroot};
        location = /small {{ default_type text/plain; return 200 "{SMALL_BODY.strip()}\\n"; }}
        location = /64k {{ default_type application/octet-stream; }}
    }}
}}
"""


def forwarded_headers_nginx():
    # The same X-Forwarded-* set Switchboard (Traefik) sends, so all three do the same work.
    return """
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-Ip $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Port $server_port;
            proxy_set_header X-Forwarded-Server $hostname;"""


def nginx_proxy_conf(tmp, port, backends, workers):
    fwd = forwarded_headers_nginx()
    servers = "\n".join(f"        server 127.0.0.1:{b};" for b in backends)
    return f"""# nginx as the reverse proxy under test (written by bench/bench.py)
worker_processes {workers};
daemon off;
pid {tmp}/nginx-proxy.pid;
error_log {tmp}/nginx-proxy.error.log warn;
worker_rlimit_nofile 65536;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    client_body_temp_path {tmp}/nginx-proxy-body;
    proxy_temp_path {tmp}/nginx-proxy-temp;
    fastcgi_temp_path {tmp}/nginx-proxy-fastcgi;
    uwsgi_temp_path {tmp}/nginx-proxy-uwsgi;
    scgi_temp_path {tmp}/nginx-proxy-scgi;
    # Buffers large enough that a 64 KiB answer never goes to a temporary file.
    proxy_buffer_size 16k;
    proxy_buffers 8 16k;
    limit_req_zone $binary_remote_addr zone=bench:10m rate=1000000r/s;
    upstream backends {{
{servers}
        keepalive 256;
        keepalive_requests 1000000;
        keepalive_timeout 300s;
    }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{
            proxy_pass http://backends;{fwd}
        }}
        # Three middlewares: strip prefix (proxy_pass with a URI), headers, rate limit set high.
        location /mw/ {{
            limit_req zone=bench burst=1000000 nodelay;
            add_header X-Bench-Response 1;
            proxy_pass http://backends/;{fwd}
            proxy_set_header X-Bench-Request 1;
        }}
    }}
}}
"""


def haproxy_conf(tmp, port, backends, threads):
    servers = "\n".join(f"    server b{i} 127.0.0.1:{b}" for i, b in enumerate(backends, 1))
    return f"""# HAProxy as the reverse proxy under test (written by bench/bench.py)
global
    nbthread {threads}
    maxconn 8000
    pidfile {tmp}/haproxy.pid
    log stderr format short local0 warning

defaults
    mode http
    log global
    option http-keep-alive
    option forwardfor
    http-reuse always
    timeout connect 5s
    timeout client 300s
    timeout server 300s
    timeout http-keep-alive 300s

frontend web
    bind 127.0.0.1:{port}
    # The same X-Forwarded-* set Switchboard (Traefik) sends.
    http-request set-header X-Real-Ip %[src]
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    http-request set-header X-Forwarded-Port %[dst_port]
    http-request set-header X-Forwarded-Server {socket.gethostname()}
    use_backend middlewares if {{ path_beg /mw/ }}
    default_backend backends

backend backends
    balance roundrobin
{servers}

# Three middlewares: rate limit set high (stick table), strip prefix, headers.
backend middlewares
    balance roundrobin
    stick-table type ip size 100k expire 30s store http_req_rate(1s)
    http-request track-sc0 src
    http-request deny deny_status 429 if {{ sc_http_req_rate(0) gt 1000000 }}
    http-request set-path %[path,regsub(^/mw/,/)]
    http-request set-header X-Bench-Request 1
    http-response set-header X-Bench-Response 1
{servers}
"""


def switchboard_dynamic(backends):
    servers = "\n".join(f"          - url: http://127.0.0.1:{b}" for b in backends)
    return f"""# Switchboard's file-provider configuration for the benchmark (written by bench/bench.py)
http:
  routers:
    bench:
      rule: PathPrefix(`/`)
      entryPoints: [web]
      service: backends
    bench-middlewares:
      rule: PathPrefix(`/mw/`)
      entryPoints: [web]
      middlewares: [strip, headers, ratelimit]
      service: backends
  middlewares:
    strip:
      stripPrefix:
        prefixes: [/mw]
    headers:
      headers:
        customRequestHeaders:
          X-Bench-Request: "1"
        customResponseHeaders:
          X-Bench-Response: "1"
    ratelimit:
      rateLimit:
        average: 1000000
        burst: 1000000
  services:
    backends:
      loadBalancer:
        strategy: wrr
        servers:
{servers}
"""


# ---------------------------------------------------------------- load and measurement

def run_wrk(port, path, conns, seconds, cpus, threads):
    argv = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s",
            "-s", str(HERE / "report.lua"), f"http://127.0.0.1:{port}{path}"]
    if cpus:
        argv = ["taskset", "-c", cpus] + argv
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p


def wrk_result(p):
    out, err = p.communicate()
    for line in out.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"wrk gave no result: {out}\n{err}")


def wait_quiet(ours, args):
    """Waits until programs other than ours use less than --quiet-threshold of one core."""
    waited = 0.0
    while True:
        b0, o0 = machine_busy_seconds(), cpu_seconds(ours())
        time.sleep(args.quiet_sample)
        b1, o1 = machine_busy_seconds(), cpu_seconds(ours())
        foreign = max(0.0, (b1 - b0) - (o1 - o0)) / args.quiet_sample
        if foreign <= args.quiet_threshold:
            return foreign, waited
        if waited >= args.max_wait:
            log(f"  machine still busy ({foreign:.0%} of a core used by other programs, load {loadavg()}) "
                f"after {waited:.0f}s; measuring anyway, the run is marked")
            return foreign, waited
        if waited == 0:
            log(f"  waiting: other programs use {foreign:.0%} of a core (load {loadavg()})")
        time.sleep(args.quiet_sample)
        waited += 2 * args.quiet_sample


def measure(name, proc, port, scenario, args, ours, wrk_cpus):
    path, conns, _ = SCENARIOS[scenario]
    for attempt in range(1, args.retries + 2):
        quiet_before, waited = wait_quiet(ours, args)
        pids = proc.pids()
        all_ours = ours()
        b0, (u0, s0), o0 = machine_busy_seconds(), cpu_times(pids), cpu_seconds(all_ours)
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = wrk_result(run_wrk(port, path, conns, args.duration, wrk_cpus, args.wrk_threads))
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # wrk is the only child reaped during the run: its CPU time is the growth of the children's.
        w_cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
        b1, (u1, s1), o1 = machine_busy_seconds(), cpu_times(pids), cpu_seconds(all_ours)
        c0, c1 = u0 + s0, u1 + s1
        secs = r["duration_us"] / 1e6
        foreign = max(0.0, (b1 - b0) - (o1 - o0) - w_cpu) / secs
        errors = sum(r["errors"].values())
        run = {
            "proxy": name, "scenario": scenario, "rps": r["requests"] / secs, "requests": r["requests"],
            "seconds": secs, "p50_ms": r["latency_us"]["p50"] / 1000, "p90_ms": r["latency_us"]["p90"] / 1000,
            "p99_ms": r["latency_us"]["p99"] / 1000, "p999_ms": r["latency_us"]["p999"] / 1000,
            "max_ms": r["latency_us"]["max"] / 1000, "errors": r["errors"], "error_count": errors,
            "cpu_s": c1 - c0, "cpu_us_per_req": (c1 - c0) / max(1, r["requests"]) * 1e6,
            "user_us_per_req": (u1 - u0) / max(1, r["requests"]) * 1e6,
            "sys_us_per_req": (s1 - s0) / max(1, r["requests"]) * 1e6,
            "wrk_cpu_s": w_cpu, "foreign_cores": foreign, "quiet_before": quiet_before,
            "waited_s": waited, "load": loadavg(), "attempt": attempt,
        }
        if foreign <= args.foreign_threshold or attempt > args.retries:
            run["noisy"] = foreign > args.foreign_threshold
            log(f"  {name:12} {run['rps']:9.0f} req/s  p50 {run['p50_ms']:6.2f}  p99 {run['p99_ms']:6.2f}  "
                f"p99.9 {run['p999_ms']:6.2f} ms  cpu {run['cpu_s']:5.1f}s  errors {errors}  "
                f"other programs {foreign:.0%}{'  NOISY' if run['noisy'] else ''}")
            return run
        log(f"  {name}: other programs used {foreign:.0%} of a core during the run; running it again")


# ---------------------------------------------------------------- one scenario

class Bench:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="switchboard-bench-"))
        self.tmp.chmod(0o755)  # nginx workers run as an unprivileged user and read the docroot
        self.procs = []
        cores = [c.strip() for c in args.split.split("/")] if args.split else None
        self.load_cpus = cores[0] if cores else None
        self.proxy_cpus = cores[1] if cores else None
        self.proxy_cores = len(expand_cpus(self.proxy_cpus)) if cores else NCPU
        docroot = self.tmp / "www"
        docroot.mkdir()
        (docroot / "64k").write_bytes(bytes((i * 7 + 13) % 251 for i in range(65536)))

    def start(self, name, argv, env=None, cpus="proxy"):
        p = Proc(name, argv, self.proxy_cpus if cpus == "proxy" else self.load_cpus, self.tmp, env)
        self.procs.append(p)
        return p

    def stop_all(self):
        for p in reversed(self.procs):
            p.stop()
        self.procs.clear()

    def nginx(self, name, conf, cpus):
        path = self.tmp / f"{name}.conf"
        path.write_text(conf)
        return self.start(name, ["/usr/sbin/nginx", "-p", str(self.tmp), "-c", str(path),
                                 "-e", str(self.tmp / f"{name}.error.log")], cpus=cpus)

    def backends(self):
        ports = [free_port(), free_port()]
        procs = []
        for i, port in enumerate(ports, 1):
            name = f"backend{i}"
            p = self.nginx(name, nginx_backend_conf(self.tmp, name, port, self.tmp / "www"), cpus="load")
            procs.append(p)
        for p, port in zip(procs, ports):
            wait_ready(p, port, "/small", 64)
            wait_ready(p, port, "/64k", 65536)
        return ports, procs

    def start_proxy(self, name, backends):
        port = free_port()
        a = self.args
        if name == "nginx":
            p = self.nginx("nginx-proxy", nginx_proxy_conf(self.tmp, port, backends, self.proxy_cores), "proxy")
        elif name == "haproxy":
            conf = self.tmp / "haproxy.cfg"
            conf.write_text(haproxy_conf(self.tmp, port, backends, self.proxy_cores))
            p = self.start("haproxy", ["/usr/sbin/haproxy", "-db", "-f", str(conf)])
        else:
            base = name == BASELINE
            jar, opts = (a.baseline_jar, a.baseline_java_opts) if base else (a.jar, a.java_opts)
            dyn = self.tmp / "switchboard.yml"
            dyn.write_text(switchboard_dynamic(backends))
            p = self.start(name, [a.java, *opts.split(), "-jar", str(jar),
                                           f"--entrypoints.web.address=127.0.0.1:{port}",
                                           f"--providers.file.filename={dyn}", "--log.level=WARN"])
        return p, port

    def scenario(self, scenario, proxies):
        a = self.args
        path, conns, desc = SCENARIOS[scenario]
        log(f"scenario {scenario}: {desc}")
        ports, backend_procs = self.backends()
        started = {}
        for name in proxies:
            p, port = self.start_proxy(name, ports)
            started[name] = (p, port)
        for name, (p, port) in started.items():
            expect = 65536 if scenario == "64k" else 64
            headers = wait_ready(p, port, path, expect, timeout=90)
            if scenario == "middlewares" and {k.lower(): v for k, v in headers.items()}.get("x-bench-response") != "1":
                raise SystemExit(f"{name}: the middleware route answered without X-Bench-Response: {headers}")

        def ours():
            pids = []
            for pr in self.procs:
                pids.extend(pr.pids())
            return pids

        if a.direct and scenario in ("small", "64k"):
            # The backend alone, for reference: far above the proxies means it is not the bottleneck.
            log(f"  direct to one backend (reference), {min(a.warmup, 5)}s warm-up")
            wrk_result(run_wrk(ports[0], path, conns, min(a.warmup, 5), self.load_cpus, a.wrk_threads))
        for name, (p, port) in started.items():
            log(f"  warm-up {name}: {a.warmup}s")
            wrk_result(run_wrk(port, path, conns, a.warmup, self.load_cpus, a.wrk_threads))
        runs = []
        for r in range(a.runs):
            log(f"  round {r + 1}/{a.runs}")
            if a.direct and scenario in ("small", "64k"):
                runs.append(measure("direct", backend_procs[0], ports[0], scenario, a, ours, self.load_cpus))
            for name, (p, port) in started.items():
                runs.append(measure(name, p, port, scenario, a, ours, self.load_cpus))
        peaks = {name: peak_rss_mib(p.pids()) for name, (p, port) in started.items()}
        peaks["direct"] = peak_rss_mib(backend_procs[0].pids())
        for run in runs:
            run["peak_rss_mib"] = peaks[run["proxy"]]
        self.stop_all()
        return runs


def expand_cpus(spec):
    out = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            out.extend(range(int(lo), int(hi) + 1))
        else:
            out.append(int(part))
    return out


def summarize(runs):
    """Median run per (scenario, proxy), by requests/s; every run is kept in the JSON."""
    groups = {}
    for r in runs:
        groups.setdefault((r["scenario"], r["proxy"]), []).append(r)
    out = []
    for (scenario, proxy), rs in groups.items():
        med = {
            "scenario": scenario, "proxy": proxy, "runs": len(rs),
            "noisy_runs": sum(1 for r in rs if r["noisy"]),
            "peak_rss_mib": rs[0]["peak_rss_mib"],
        }
        for k in ("rps", "p50_ms", "p99_ms", "p999_ms", "cpu_s", "cpu_us_per_req", "error_count", "foreign_cores"):
            med[k] = statistics.median(r[k] for r in rs)
        mid = sorted(rs, key=lambda r: r["rps"])[len(rs) // 2]  # the median run, for figures that go together
        med["user_us_per_req"], med["sys_us_per_req"] = mid["user_us_per_req"], mid["sys_us_per_req"]
        med["rps_all"] = [round(r["rps"]) for r in rs]
        med["p99_all"] = [round(r["p99_ms"], 2) for r in rs]
        out.append(med)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default=str(ROOT / "proxy/target/switchboard-proxy.jar"))
    ap.add_argument("--java", default=shutil.which("java") or "java")
    ap.add_argument("--java-opts", default=os.environ.get("SWITCHBOARD_JAVA_OPTS", ""),
                    help="JVM options for Switchboard (default: $SWITCHBOARD_JAVA_OPTS)")
    ap.add_argument("--baseline-jar", help=f"also measure this Switchboard jar, as {BASELINE} (before/after)")
    ap.add_argument("--baseline-java-opts", default="", help=f"JVM options for {BASELINE}")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--proxies", default=",".join(PROXIES))
    ap.add_argument("--duration", type=int, default=15, help="seconds per measured run")
    ap.add_argument("--warmup", type=int, default=20, help="seconds of warm-up per proxy and scenario")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per proxy and scenario (median reported)")
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--split", default="0/1",
                    help="CPUS_FOR_LOAD/CPUS_FOR_PROXY for taskset (wrk and backends / proxy); '' for no pinning")
    ap.add_argument("--direct", action=argparse.BooleanOptionalAction, default=True,
                    help="also measure one backend directly (reference)")
    ap.add_argument("--quiet-threshold", type=float, default=0.15,
                    help="most CPU (cores) other programs may use before a run starts")
    ap.add_argument("--quiet-sample", type=float, default=1.0)
    ap.add_argument("--foreign-threshold", type=float, default=0.15,
                    help="most CPU (cores) other programs may use during a run; more: run again")
    ap.add_argument("--retries", type=int, default=3, help="re-runs of a run disturbed by other programs")
    ap.add_argument("--max-wait", type=float, default=300, help="longest wait for a quiet machine, seconds")
    ap.add_argument("--label", default="", help="a word for the result's title (e.g. before, after)")
    ap.add_argument("--out", default=str(HERE / "results"))
    args = ap.parse_args()

    if not Path(args.jar).is_file():
        raise SystemExit(f"no {args.jar}: build it with ./mvnw -q -B -pl proxy -am package -DskipTests")
    for tool in ("wrk", "taskset"):
        if not shutil.which(tool):
            raise SystemExit(f"no {tool}: run bench/provision.sh")
    for tool in ("/usr/sbin/nginx", "/usr/sbin/haproxy"):
        if not os.access(tool, os.X_OK):
            raise SystemExit(f"no {tool}: run bench/provision.sh")
    if args.split and NCPU < 2:
        raise SystemExit("--split needs two CPUs; use --split ''")

    proxies = [p for p in args.proxies.split(",") if p]
    if args.baseline_jar:
        if not Path(args.baseline_jar).is_file():
            raise SystemExit(f"no {args.baseline_jar}")
        proxies.insert(1, BASELINE)

    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # also when started in the background, where SIGINT is ignored
    bench = Bench(args)
    started = dt.datetime.now()
    meta = {
        "started": started.isoformat(timespec="seconds"), "label": args.label,
        "duration_s": args.duration, "warmup_s": args.warmup, "runs": args.runs,
        "wrk_threads": args.wrk_threads, "split": args.split, "java_opts": args.java_opts,
        "baseline_jar": args.baseline_jar, "baseline_java_opts": args.baseline_java_opts,
        "cpus": NCPU, "versions": versions(args), "complete": False,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S") + (f"-{args.label}" if args.label else "")
    runs = []
    try:
        for scenario in args.scenarios.split(","):
            runs.extend(bench.scenario(scenario, proxies))
            # Written after every scenario: an interrupted run keeps what it measured.
            write_results(out, stamp, meta, runs)
        meta["complete"] = True
    except KeyboardInterrupt:
        log("interrupted: the results hold the scenarios measured so far")
    finally:
        bench.stop_all()
        shutil.rmtree(bench.tmp, ignore_errors=True)
    if runs:
        md = write_results(out, stamp, meta, runs)
        print(md)
        log(f"results: {out}/{stamp}.md (and latest.md, latest.svg)")
    if not meta["complete"]:
        sys.exit(130)


def write_results(out, stamp, meta, runs):
    summary = summarize(runs)
    md = chart.markdown(meta, summary, SCENARIOS, stamp)
    (out / f"{stamp}.md").write_text(md)
    (out / f"{stamp}.svg").write_text(chart.svg(meta, summary, SCENARIOS))
    (out / f"{stamp}.json").write_text(json.dumps({"meta": meta, "summary": summary, "runs": runs}, indent=1))
    for ext in ("md", "svg", "json"):
        shutil.copyfile(out / f"{stamp}.{ext}", out / f"latest.{ext}")
    return md


def versions(args):
    def first_line(argv):
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
            return (r.stdout + r.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    return {
        "nginx": first_line(["/usr/sbin/nginx", "-v"]),
        "haproxy": first_line(["/usr/sbin/haproxy", "-v"]),
        "wrk": first_line(["wrk", "-v"]),
        "java": first_line([args.java, "-version"]),
        "switchboard": first_line([args.java, "-jar", args.jar, "version"]),
        "kernel": os.uname().release,
    }


if __name__ == "__main__":
    main()
