#!/usr/bin/env python3
"""Soak test: Switchboard under mixed traffic for a long time, with replica kills, slow clients and
configuration reloads, watching for errors and for leaks (resident memory, file descriptors,
threads, heap after a full GC).

Started by bench/soak.sh (which builds the jar when needed); see docs/reference/performance.md
("Soak test") for what it does and the figures of a run. Only the Python standard library.

What runs, all on 127.0.0.1 ports chosen here:
- three backend replicas (this script, `backend` mode, one process each): /app/small (64 B),
  /app/big (1 MiB), POST /app/echo (answers the body's length), /app/slow (1 s), /health, and a
  WebSocket echo on /app/ws;
- the proxy, with a file provider whose file this script rewrites (reloads), an active health
  check of 1 s on the service, and readTimeout 10 s on its entry point;
- traffic: keep-alive GET clients, POST bodies, 1 MiB downloads, slow answers, WebSocket sessions,
  and slow clients (request heads and bodies trickling in, a client that stops reading a download);
- every 45 s one replica is killed (SIGKILL) and started again 10 s later; every 20 s the file is
  rewritten (every fourth time with a YAML error, fixed at the next);
- every 5 s: the proxy's RSS, open file descriptors, threads, and the machine's load.

Errors are classified: those within 5 s of a kill (requests that were at or went to the killed
replica before the health check took it out) and the others, which should be none. At the end
traffic stops, the proxy gets 15 s to settle, and the leak figures compare the end with the first
minute.
"""

import argparse
import base64
import datetime as dt
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
SMALL = b"s" * 63 + b"\n"
BIG = b"b" * (1 << 20)


def log(msg):
    print(f"[soak {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the backend replicas

class Backend(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "soak-backend"

    def log_message(self, *args):
        pass

    def answer(self, body, status=200):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Replica", self.server.replica)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self.answer(b"ok")
        elif self.path.startswith("/app/ws") and self.headers.get("Upgrade", "").lower() == "websocket":
            self.websocket()
        elif self.path.startswith("/app/big"):
            self.answer(BIG)
        elif self.path.startswith("/app/slow"):
            time.sleep(1)
            self.answer(SMALL)
        else:
            self.answer(SMALL)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        got = 0
        while got < n:
            chunk = self.rfile.read(min(65536, n - got))
            if not chunk:
                break
            got += len(chunk)
        self.answer(str(got).encode())

    def websocket(self):
        key = self.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        while True:
            frame = read_frame(self.rfile)
            if frame is None or frame[0] == 0x8:
                write_frame(self.wfile, 0x8, b"\x03\xe8", mask=False)
                self.close_connection = True
                return
            self.wfile.write(encode_frame(frame[0], frame[1], mask=False))
            self.wfile.flush()


def read_frame(f):
    head = f.read(2)
    if len(head) < 2:
        return None
    opcode, n = head[0] & 0x0F, head[1] & 0x7F
    masked = head[1] & 0x80
    if n == 126:
        n = struct.unpack(">H", f.read(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", f.read(8))[0]
    key = f.read(4) if masked else b""
    data = f.read(n)
    if masked:
        data = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return opcode, data


def encode_frame(opcode, data, mask=True):
    head = bytes([0x80 | opcode])
    m = 0x80 if mask else 0
    if len(data) < 126:
        head += bytes([m | len(data)])
    elif len(data) < 65536:
        head += bytes([m | 126]) + struct.pack(">H", len(data))
    else:
        head += bytes([m | 127]) + struct.pack(">Q", len(data))
    if mask:
        key = os.urandom(4)
        return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return head + data


def write_frame(f, opcode, data, mask=True):
    f.write(encode_frame(opcode, data, mask))
    f.flush()


def run_backend(port, name):
    server = ThreadingHTTPServer(("127.0.0.1", port), Backend)
    server.daemon_threads = True
    server.replica = name
    server.serve_forever()


# ---------------------------------------------------------------- processes and /proc

class Proc:
    """A program started here, in its own process group, stopped by its pid."""

    def __init__(self, name, argv, logdir):
        self.name, self.argv, self.logdir = name, argv, logdir
        self.start()

    def start(self):
        self.logfile = open(self.logdir / f"{self.name}.out", "ab")
        self.popen = subprocess.Popen(self.argv, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.popen.pid

    def kill(self):
        if self.popen.poll() is None:
            os.killpg(self.pid, signal.SIGKILL)
            self.popen.wait()
        self.logfile.close()

    def stop(self):
        if self.popen.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.popen.wait()
        self.logfile.close()


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "Threads"):
                    out[k] = int(v.split()[0])
        out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        pass
    return out


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def heap_after_gc(pid):
    """Heap in use after a full GC, MiB, from jcmd (None if jcmd is not there)."""
    try:
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
        out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in out.splitlines():
        # "garbage-first heap   total 262144K, used 31234K [..." or "def new generation ..." (serial)
        if "total" in line and "used" in line and ("heap" in line or "generation" in line):
            used = line.split("used")[1].split("K")[0].strip().rstrip(",")
            if "heap" in line:
                return int(used) / 1024
    total = 0
    for line in out.splitlines():
        if "used" in line and "K" in line and ("generation" in line):
            total += int(line.split("used")[1].split("K")[0].strip().rstrip(","))
    return total / 1024 if total else None


# ---------------------------------------------------------------- the run

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok = {}
        self.errors = []  # (time, kind, detail)
        self.kills = []  # times of kills
        self.cuts = {"head": [], "body": []}  # (seconds until the proxy cut a slow client, time, its answer)

    def success(self, kind):
        with self.lock:
            self.ok[kind] = self.ok.get(kind, 0) + 1

    def error(self, kind, detail):
        with self.lock:
            self.errors.append((time.time(), kind, str(detail)[:200]))

    def near_kill(self, t):
        return any(k <= t <= k + 5 for k in self.kills)


def http_client(port, stop, stats, kind, method, path, body=None, expect_len=None, pause=0.0):
    conn = None
    while not stop.is_set():
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request(method, path, body=body, headers={"Host": "soak"})
            r = conn.getresponse()
            data = r.read()
            if r.status >= 500:
                stats.error(kind, f"HTTP {r.status} {data[:60]!r}")
            elif r.status != 200 or (expect_len is not None and len(data) != expect_len):
                stats.error(kind, f"HTTP {r.status}, {len(data)} bytes")
            else:
                stats.success(kind)
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            stats.error(kind, repr(e))
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)
        if pause:
            time.sleep(pause)


def websocket_client(port, stop, stats):
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                key = base64.b64encode(os.urandom(16)).decode()
                s.sendall((f"GET /app/ws HTTP/1.1\r\nHost: soak\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
                f = s.makefile("rb")
                status = f.readline()
                while f.readline() not in (b"\r\n", b""):
                    pass
                if b" 101 " not in status:
                    stats.error("websocket", status.strip())
                    time.sleep(0.2)
                    continue
                for i in range(20):
                    msg = f"message {i} {random.random()}".encode()
                    s.sendall(encode_frame(0x1, msg))
                    frame = read_frame(f)
                    if frame is None or frame[1] != msg:
                        raise OSError(f"echo {i}: {frame!r}")
                s.sendall(encode_frame(0x8, b"\x03\xe8"))
                read_frame(f)
                stats.success("websocket")
        except OSError as e:
            stats.error("websocket", repr(e))
            time.sleep(0.2)


def slow_clients(port, stop, stats, read_timeout):
    """Request heads and bodies that trickle in, and a client that stops reading a download."""
    while not stop.is_set():
        socks = []
        t0 = time.time()
        for i in range(20):
            s = socket.create_connection(("127.0.0.1", port), timeout=read_timeout * 3)
            if i % 2 == 0:
                s.sendall(b"GET /app/small HTTP/1.1\r\nHost: soak\r\nX-Slow: ")
            else:
                s.sendall(b"POST /app/echo HTTP/1.1\r\nHost: soak\r\nContent-Length: 100000\r\n\r\nstart")
            socks.append(s)
        stalled = socket.create_connection(("127.0.0.1", port), timeout=5)
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stalled.sendall(b"GET /app/big HTTP/1.1\r\nHost: soak\r\n\r\n")
        kinds = {s: ("head" if i % 2 == 0 else "body") for i, s in enumerate(socks)}
        answers = {s: b"" for s in socks}
        open_ = list(socks)
        while open_ and not stop.is_set() and time.time() - t0 < read_timeout * 3:
            for s in list(open_):
                try:
                    s.sendall(b"a")
                    s.setblocking(False)
                    try:
                        data = s.recv(4096)
                        if data == b"":
                            raise OSError("closed")
                        answers[s] += data
                    except BlockingIOError:
                        pass
                    finally:
                        s.setblocking(True)
                except OSError:
                    status = answers[s].split(b"\r\n", 1)[0].decode(errors="replace") or "closed, no answer"
                    stats.cuts[kinds[s]].append((time.time() - t0, time.time(), status))
                    open_.remove(s)
                    s.close()
            time.sleep(1)
        for s in open_:
            if not stop.is_set():
                stats.error("slow-client", f"{kinds[s]} still open after 3 x readTimeout")
            s.close()
        if open_ == [] and socks:
            stats.success("slow-clients-cut")
        stalled.close()
        time.sleep(2)


def dynamic_yaml(replicas, generation, broken=False):
    servers = "\n".join(f'          - url: "http://127.0.0.1:{p}"' for p in replicas)
    text = f"""# written by bench/soak.py, generation {generation}
http:
  routers:
    app:
      rule: "PathPrefix(`/app`)"
      service: app
      middlewares: [tag]
  middlewares:
    tag:
      headers:
        customResponseHeaders:
          X-Soak-Generation: "{generation}"
  services:
    app:
      loadBalancer:
        healthCheck: {{path: /health, interval: 1s, timeout: 500ms}}
        servers:
{servers}
"""
    return text + ("  broken: [unclosed\n" if broken else "")


def write_atomically(path, text):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--jar", default=str(ROOT / "proxy/target/switchboard-proxy.jar"))
    ap.add_argument("--read-timeout", type=int, default=10)
    ap.add_argument("backend", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.backend and args.backend[0] == "backend":
        run_backend(int(args.backend[1]), args.backend[2])
        return

    tmp = Path(tempfile.mkdtemp(prefix="switchboard-soak-"))
    stats = Stats()
    replicas = [free_port() for _ in range(3)]
    backends = [Proc(f"replica-{i}", [sys.executable, __file__, "backend", str(p), f"r{i}"], tmp)
                for i, p in enumerate(replicas)]
    port, api = free_port(), free_port()
    dynamic = tmp / "dynamic.yml"
    write_atomically(dynamic, dynamic_yaml(replicas, 0))
    java_opts = os.environ.get("SWITCHBOARD_JAVA_OPTS", "-Xms128m -Xmx256m").split()
    proxy = Proc("proxy", ["java", *java_opts, "-jar", args.jar,
                           f"--entrypoints.web.address=127.0.0.1:{port}",
                           f"--entrypoints.web.transport.respondingTimeouts.readTimeout={args.read_timeout}s",
                           f"--entrypoints.traefik.address=127.0.0.1:{api}", "--api.insecure", "--ping",
                           f"--providers.file.filename={dynamic}", "--providers.providersThrottleDuration=100ms"], tmp)
    deadline = time.time() + 90
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/app/small", headers={"Host": "soak"})
            if c.getresponse().status == 200:
                break
        except OSError:
            pass
        if time.time() > deadline or proxy.popen.poll() is not None:
            raise SystemExit(f"the proxy did not start; see {tmp}/proxy.out")
        time.sleep(0.5)
    log(f"proxy pid {proxy.pid} on {port}, replicas on {replicas}, files in {tmp}; load {loadavg():.1f}")

    stop = threading.Event()
    threads = []

    def spawn(target, *a):
        t = threading.Thread(target=target, args=a, daemon=True)
        t.start()
        threads.append(t)

    for _ in range(6):
        spawn(http_client, port, stop, stats, "get-small", "GET", "/app/small", None, 64)
    spawn(http_client, port, stop, stats, "post-64k", "POST", "/app/echo", b"p" * 65536, 5)
    spawn(http_client, port, stop, stats, "post-64k", "POST", "/app/echo", b"p" * 65536, 5)
    spawn(http_client, port, stop, stats, "get-1mib", "GET", "/app/big", None, 1 << 20)
    spawn(http_client, port, stop, stats, "get-slow-1s", "GET", "/app/slow", None, 64)
    spawn(websocket_client, port, stop, stats)
    spawn(websocket_client, port, stop, stats)
    spawn(slow_clients, port, stop, stats, args.read_timeout)

    samples = []
    reloads = {"applied": 0, "broken": 0}
    start = time.time()
    end = start + args.minutes * 60
    next_kill, next_reload, next_sample = start + 45, start + 20, start
    generation = 0
    victim = None
    heap_start = None
    while time.time() < end:
        now = time.time()
        if now >= next_sample:
            s = proc_status(proxy.pid)
            s.update(t=round(now - start), load=loadavg(), ok=sum(stats.ok.values()), errors=len(stats.errors))
            samples.append(s)
            next_sample += 5
            if heap_start is None and now - start >= 60:
                heap_start = heap_after_gc(proxy.pid)
        if now >= next_kill:
            i = random.randrange(len(backends))
            backends[i].kill()
            stats.kills.append(now)
            victim = (i, now + 10)
            next_kill += 45
            log(f"killed replica {i}")
        if victim and now >= victim[1]:
            backends[victim[0]].start()
            log(f"replica {victim[0]} started again")
            victim = None
        if now >= next_reload:
            generation += 1
            broken = generation % 4 == 0
            write_atomically(dynamic, dynamic_yaml(replicas, generation, broken))
            reloads["broken" if broken else "applied"] += 1
            next_reload += 20
        time.sleep(0.2)

    stop.set()
    log("traffic stopped; 15 s for the proxy to settle")
    for t in threads:
        t.join(timeout=40)
    write_atomically(dynamic, dynamic_yaml(replicas, generation + 1))
    time.sleep(15)
    final = proc_status(proxy.pid)  # before the full GC, which touches memory of its own
    heap_end = heap_after_gc(proxy.pid)
    final["t"] = round(time.time() - start)
    proxy_log = (tmp / "proxy.out").read_text(errors="replace")
    stack_traces = proxy_log.count("\tat ")
    proxy.stop()
    for b in backends:
        b.kill()
    report(args, samples, final, stats, reloads, heap_start, heap_end, stack_traces, proxy_log, tmp)


def cut_summary(cuts, stats):
    """How the proxy ended slow clients: when (seconds after they started), and with which answer;
    those within 5 s of a replica kill apart (their request was at the killed replica: 502)."""
    apart = [c for c in cuts if stats.near_kill(c[1])]
    rest = [c for c in cuts if not stats.near_kill(c[1])]
    answers = {}
    for _, _, status in rest:
        answers[status] = answers.get(status, 0) + 1
    return {"count": len(cuts), "within_5s_of_a_kill": len(apart),
            "others_after_s": {"min": round(min(c[0] for c in rest), 1) if rest else None,
                               "max": round(max(c[0] for c in rest), 1) if rest else None},
            "others_answers": answers}


def report(args, samples, final, stats, reloads, heap_start, heap_end, stack_traces, proxy_log, tmp):
    first = [s for s in samples if 30 <= s["t"] <= 90] or samples[:1]
    last = [s for s in samples if s["t"] >= samples[-1]["t"] - 60]
    mean = lambda rows, k: sum(r.get(k, 0) for r in rows) / max(1, len(rows))
    near = [e for e in stats.errors if stats.near_kill(e[0])]
    other = [e for e in stats.errors if not stats.near_kill(e[0])]
    by_kind = {}
    for _, kind, detail in other:
        by_kind.setdefault(kind, []).append(detail)
    result = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "minutes": args.minutes,
        "load": {"min": min(s["load"] for s in samples), "max": max(s["load"] for s in samples),
                 "mean": round(mean(samples, "load"), 1)},
        "succeeded": stats.ok,
        "errors_within_5s_of_a_kill": len(near),
        "errors_otherwise": {k: (len(v), v[:3]) for k, v in by_kind.items()},
        "kills": len(stats.kills),
        "reloads": reloads,
        "slow_clients_cut": {kind: cut_summary(c, stats) for kind, c in stats.cuts.items()},
        "rss_mib": {"first_minute": round(mean(first, "VmRSS") / 1024), "last_minute": round(mean(last, "VmRSS") / 1024),
                    "peak": round(max(s.get("VmRSS", 0) for s in samples) / 1024),
                    "after_settling": round(final.get("VmRSS", 0) / 1024)},
        "fds": {"first_minute": round(mean(first, "fds")), "last_minute": round(mean(last, "fds")),
                "peak": max(s.get("fds", 0) for s in samples), "after_settling": final.get("fds")},
        "threads": {"first_minute": round(mean(first, "Threads")), "last_minute": round(mean(last, "Threads")),
                    "after_settling": final.get("Threads")},
        "heap_after_full_gc_mib": {"at_1_minute": heap_start and round(heap_start, 1),
                                   "at_the_end": heap_end and round(heap_end, 1)},
        "proxy_log": {"stack_trace_lines": stack_traces,
                      "error_lines": sum(1 for l in proxy_log.splitlines() if " ERR " in l),
                      "warning_lines": sum(1 for l in proxy_log.splitlines() if " WRN " in l)},
        "samples": samples,
    }
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"soak-{stamp}.json").write_text(json.dumps(result, indent=1))
    brief = {k: v for k, v in result.items() if k != "samples"}
    print(json.dumps(brief, indent=1))
    log(f"written: bench/results/soak-{stamp}.json (the proxy's log: {tmp}/proxy.out)")


if __name__ == "__main__":
    main()
