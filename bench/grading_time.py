#!/usr/bin/env python3
"""Where the time of one simulated grading goes, per lab, and how much memory its topology holds.

    python3 bench/grading_time.py [--runs 3] [--labs 1,3,7] [--starter] [--jar labs/target/switchboard-lab.jar]

Runs `lab grade <lab> --solution` (the reference solution, on the simulated backend) as an
instructor would, --runs times per lab, and watches it from outside: the tool's progress lines
and every container's log file (.lab/grading/<project>/logs/*.log) are time-stamped as they
appear, and the topology's processes (the proxy, each replica, the database) are sampled every
0.25 s in /proc for resident memory (RSS; PSS, which splits the pages processes share, such as a
class-data-sharing archive) and CPU time. Nothing in the lab tool is changed for the measurement.

Prints, per lab, the median of the runs:
  wall        launch of `lab grade` to its exit (what an instructor waits)
  cpu         CPU seconds of the tool and everything it started (user + system): the work itself,
              which a busy machine stretches in wall time but not in CPU
  tool        launch to the first progress line (the lab tool's JVM, parsing, the private copy)
  db          MariaDB's start (data files, server) and the schema scripts
  proxy/app   JVM start (spawn to Spring Boot's "Started", minus the time Spring reports) and
  jvm,spring  Spring Boot's own start ("Started ... in X seconds"), slowest replica
  health      from the slowest replica's "Started" to the last container reported healthy, plus
              the settle time before the first check
  checks      first check to the last result
  down        last result to the tool's exit (stopping the topology, reports)
and memory: the largest total RSS and PSS of the topology seen during the grading, and the
largest RSS of one process per service. The machine's load average is printed with each run:
figures from a busy machine are longer in wall time only.

Only the Python standard library. Linux only (/proc).
"""

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
CLK_TCK = os.sysconf("SC_CLK_TCK")
STARTED = re.compile(r"Started \S+ in ([\d.]+) seconds \(process running for ([\d.]+)\)")
GRADE_DIR = re.compile(r"-grade(\d+)-\d+$")


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                kids.setdefault(int(fields[1]), []).append(int(d))
            except (OSError, IndexError):
                pass
    return kids


def descendants(pid):
    kids = children_map()
    out, todo = [], list(kids.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def read(path, mode="r"):
    try:
        with open(path, mode) as f:
            return f.read()
    except OSError:
        return None


def container_of(pid):
    """The simulated container a process runs: service-replica, or None for helpers (kill, curl...)."""
    cmd = read(f"/proc/{pid}/cmdline", "rb")
    if not cmd:
        return None
    args = cmd.decode(errors="replace").split("\0")
    line = " ".join(args)
    m = re.search(r"--datadir=\S*/db/([^/\s]+)", line)
    if m:
        return m.group(1)
    if "mariadbd" in line and "switchboard-db-" in line:
        return "db (shared server)-1"
    m = re.search(r"-Djdk\.net\.hosts\.file=\S*/hosts-(\S+)", line)
    if m:
        env = read(f"/proc/{pid}/environ", "rb") or b""
        replica = "1"
        for kv in env.split(b"\0"):
            if kv.startswith(b"INSTANCE_REPLICA="):
                replica = kv.split(b"=", 1)[1].decode() or "1"
        return f"{m.group(1)}-{replica}"
    return None


def cpu_seconds(pid):
    stat = read(f"/proc/{pid}/stat")
    if not stat:
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def memory(pid):
    """(rss, pss) in bytes."""
    rss = pss = 0
    text = read(f"/proc/{pid}/smaps_rollup")
    if text:
        for line in text.splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    return rss, pss


class Watch:
    """Samples a `lab grade` process: its log files (time-stamped lines), memory and CPU of its containers."""

    def __init__(self, proc, t0):
        self.proc, self.t0 = proc, t0
        self.lines = []          # (t, container, line)
        self.offsets = {}
        self.dir = None
        self.peak_rss = self.peak_pss = 0
        self.peak_by_container = {}
        self.cpu_by_container = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        grading = ROOT / ".lab" / "grading"
        while not self.stop.is_set():
            now = time.monotonic() - self.t0
            if self.dir is None and grading.is_dir():
                for d in grading.iterdir():
                    m = GRADE_DIR.search(d.name)
                    if m and int(m.group(1)) == self.proc.pid:
                        self.dir = d / "logs"
            if self.dir is not None and self.dir.is_dir():
                for f in self.dir.glob("*.log"):
                    self.tail(f, now)
            total_rss = total_pss = 0
            for pid in descendants(self.proc.pid):
                name = container_of(pid)
                if name is None:
                    continue
                rss, pss = memory(pid)
                total_rss += rss
                total_pss += pss
                self.peak_by_container[name] = max(self.peak_by_container.get(name, 0), rss)
                self.cpu_by_container[name] = max(self.cpu_by_container.get(name, 0), cpu_seconds(pid))
            if total_rss > self.peak_rss:
                self.peak_rss, self.peak_pss = total_rss, total_pss
            self.stop.wait(0.25)
        if self.dir is not None and self.dir.is_dir():
            for f in self.dir.glob("*.log"):
                self.tail(f, time.monotonic() - self.t0)

    def tail(self, f, now):
        name = f.name[:-4]
        pos = self.offsets.get(name, 0)
        try:
            with open(f, "rb") as fh:
                fh.seek(pos)
                data = fh.read()
        except OSError:
            return
        end = data.rfind(b"\n")
        if end < 0:
            return
        self.offsets[name] = pos + end + 1
        for line in data[:end].decode(errors="replace").split("\n"):
            self.lines.append((now, name, line))

    def finish(self):
        self.stop.set()
        self.thread.join()


def grade(jar, lab, starter, out):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    cmd = ["java", f"-Dswitchboard.root={ROOT}", "-jar", str(jar), "grade", lab, "--out", str(out)]
    if not starter:
        cmd.append("--solution")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch = Watch(proc, t0)
    progress = []

    def pump():
        for line in proc.stderr:
            progress.append((time.monotonic() - t0, line.rstrip("\n")))

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    stdout = proc.stdout.read()
    proc.wait()
    reader.join()
    wall = time.monotonic() - t0
    watch.finish()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    score = re.search(r"\*\*Score: (\d+) / (\d+)\*\*", stdout)
    return analyse(lab, wall, cpu, progress, watch, score.group(0).strip("*") if score else "no score: " + stdout[-300:])


def analyse(lab, wall, cpu, progress, watch, score):
    steps = [(t, l.strip()) for t, l in progress if not l.startswith("20") and l.strip()]
    first = steps[0][0] if steps else wall

    def at(prefix, last=False):
        hits = [t for t, l in steps if l.startswith(prefix)]
        return (hits[-1] if last else hits[0]) if hits else None

    checks = [t for t, l in steps if l.startswith("check:")]
    results = [t for t, l in steps if l in ("passed", "not checked") or l.startswith("FAILED")]
    r = {"lab": lab, "wall": wall, "cpu": cpu, "score": score, "tool": first}
    db_start, db_wait = at("starting db"), at("waiting for db")
    db_ready = next((t for t, c, l in watch.lines if c.endswith("-db-1") and l.startswith("ready for connections")), None)
    db_lines = [(t, l) for t, c, l in watch.lines if c.endswith("-db-1")]
    schema = next((t for t, l in db_lines if l.startswith("running ")), None)
    r["db"] = (db_ready - db_start) if db_start is not None and db_ready is not None else None
    r["db_server"] = (schema - db_start) if schema is not None and db_start is not None else None
    r["db_schema"] = (db_ready - schema) if schema is not None and db_ready is not None else None
    # Spring Boot: spawn time = the "starting <service>" line; "Started ... in X (process running for Y)".
    spawned = {}
    for t, l in steps:
        m = re.match(r"starting (\S+)", l)
        if m:
            spawned[m.group(1)] = t
    jvm, spring, started_at, healthy_at = [], [], [], []
    for t, c, l in watch.lines:
        m = STARTED.search(l)
        if m:
            x, y = float(m.group(1)), float(m.group(2))
            jvm.append(y - x)
            spring.append(x)
            started_at.append(t)
        if l.startswith("health: healthy"):
            healthy_at.append(t)
    r["replicas"] = len(spring)
    r["jvm"] = max(jvm) if jvm else None
    r["spring"] = max(spring) if spring else None
    r["jvm_cpu_sum"] = sum(jvm) + sum(spring) if spring else None
    first_check = checks[0] if checks else None
    r["health"] = (first_check - max(started_at)) if started_at and first_check else None
    r["start"] = (first_check - first) if first_check else None
    r["checks"] = (results[-1] - first_check) if results and first_check else None
    r["down"] = (wall - results[-1]) if results else None
    r["rss"], r["pss"] = watch.peak_rss, watch.peak_pss
    r["by_container"] = dict(watch.peak_by_container)
    r["cpu_by_container"] = dict(watch.cpu_by_container)
    return r


def fmt(v, unit="s"):
    if v is None:
        return "-"
    if unit == "MiB":
        return f"{v / 2**20:.0f}"
    return f"{v:.1f}"


def load():
    return read("/proc/loadavg").split()[0]


def median(rs, key):
    vals = [r[key] for r in rs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--labs", default="1,2,3,4,5,6,7")
    ap.add_argument("--starter", action="store_true", help="grade the starters instead of the solutions")
    ap.add_argument("--jar", default=str(ROOT / "labs/target/switchboard-lab.jar"))
    args = ap.parse_args()
    jar = Path(args.jar)
    if not jar.is_file():
        sys.exit(f"{jar} is missing: build it with ./mvnw -q -B -DskipTests package")
    out = ROOT / ".lab" / "bench-grades"
    all_runs = {}
    for lab in [("lab" + x if x.isdigit() else x) for x in args.labs.split(",")]:
        runs = []
        for i in range(args.runs):
            la = load()
            r = grade(jar, lab, args.starter, out / f"{lab}-{i}")
            r["load"] = f"{la}->{load()}"
            runs.append(r)
            print(f"{lab} run {i + 1}: {r['score']}, wall {fmt(r['wall'])} s, cpu {fmt(r['cpu'])} s, "
                  f"start {fmt(r['start'])} s (db {fmt(r['db'])}, jvm {fmt(r['jvm'])} + spring {fmt(r['spring'])}, "
                  f"health {fmt(r['health'])}), checks {fmt(r['checks'])} s, down {fmt(r['down'])} s; "
                  f"RSS {fmt(r['rss'], 'MiB')} MiB, PSS {fmt(r['pss'], 'MiB')} MiB; load {r['load']}", flush=True)
        all_runs[lab] = runs
    print()
    print("| lab | score | wall s | CPU s | tool s | db s (server + schema) | replicas | JVM s | Spring s | health s "
          "| checks s | down s | RSS MiB | PSS MiB | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for lab, rs in all_runs.items():
        scores = sorted({r["score"] for r in rs})
        print(f"| {lab} | {', '.join(scores)} | {fmt(median(rs, 'wall'))} | {fmt(median(rs, 'cpu'))} | "
              f"{fmt(median(rs, 'tool'))} | {fmt(median(rs, 'db'))} ({fmt(median(rs, 'db_server'))} + "
              f"{fmt(median(rs, 'db_schema'))}) | {rs[0]['replicas']} | {fmt(median(rs, 'jvm'))} | "
              f"{fmt(median(rs, 'spring'))} | {fmt(median(rs, 'health'))} | {fmt(median(rs, 'checks'))} | "
              f"{fmt(median(rs, 'down'))} | {fmt(median(rs, 'rss'), 'MiB')} | {fmt(median(rs, 'pss'), 'MiB')} | "
              f"{', '.join(r['load'] for r in rs)} |")
    print()
    print("Per service, median of the runs: largest RSS of one process (MiB); CPU seconds of all its processes:")
    for lab, rs in all_runs.items():
        services, cpus = {}, {}
        for r in rs:
            per, cpu = {}, {}
            for name, rss in r["by_container"].items():
                svc = name.rsplit("-", 1)[0]
                per[svc] = max(per.get(svc, 0), rss)
                cpu[svc] = cpu.get(svc, 0) + r["cpu_by_container"].get(name, 0)
            for svc, v in per.items():
                services.setdefault(svc, []).append(v)
                cpus.setdefault(svc, []).append(cpu[svc])
        print(f"  {lab}: " + ", ".join(f"{s} {statistics.median(v) / 2**20:.0f} MiB, {statistics.median(cpus[s]):.1f} s CPU"
                                       for s, v in services.items()))


if __name__ == "__main__":
    main()
