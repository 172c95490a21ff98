"""The benchmark's Markdown table and SVG chart (standard library only, no external service)."""

from xml.sax.saxutils import escape

ORDER = ("switchboard", "switchboard-base", "nginx", "haproxy", "direct")
COLORS = {"switchboard": "#2f6db5", "switchboard-base": "#9ec5f0", "nginx": "#2f9e44", "haproxy": "#d9822b",
          "direct": "#999999"}
GOAL_RPS = 0.9
GOAL_P99 = 1.5


def _by(summary):
    return {(s["scenario"], s["proxy"]): s for s in summary}


def goal(summary):
    """The small-GET goal: Switchboard at least 0.9x nginx's requests/s, p99 at most 1.5x nginx's."""
    by = _by(summary)
    sb, ng = by.get(("small", "switchboard")), by.get(("small", "nginx"))
    if not sb or not ng:
        return None
    rps_ratio = sb["rps"] / ng["rps"]
    p99_ratio = sb["p99_ms"] / ng["p99_ms"]
    return {"rps_ratio": rps_ratio, "p99_ratio": p99_ratio,
            "met": rps_ratio >= GOAL_RPS and p99_ratio <= GOAL_P99}


def markdown(meta, summary, scenarios, stamp):
    by = _by(summary)
    v = meta["versions"]
    pin = (f"wrk and backends on CPU {meta['split'].split('/')[0]}, the proxy on CPU {meta['split'].split('/')[1]} (taskset)"
           if meta["split"] else "no pinning: wrk, backends and proxy share all CPUs")
    lines = [
        f"# Benchmark {stamp}" + (f" ({meta['label']})" if meta["label"] else ""),
        "",
        *([] if meta.get("complete", True) else ["**Incomplete run**: interrupted or still running; the scenarios below are those measured.", ""]),
        f"{meta['cpus']} CPUs; {pin}. Load: wrk, {meta['wrk_threads']} threads, keep-alive; "
        f"{meta['warmup_s']} s warm-up per proxy and scenario, then {meta['runs']} runs of {meta['duration_s']} s "
        "each, round robin over the proxies; the table shows the median run (by requests/s), "
        "with every run's requests/s and p99 in the last columns.",
        "",
        f"Switchboard JVM options: `{meta['java_opts'] or '(none)'}`. "
        + (f"`switchboard-base` is the earlier build `{meta['baseline_jar']}`, JVM options "
           f"`{meta['baseline_java_opts'] or '(none)'}`, measured in the same run. " if meta.get("baseline_jar") else "")
        + f"Versions: {v['switchboard']}; {v['java']}; {v['nginx']}; {v['haproxy']}; {v['wrk']}; kernel {v['kernel']}.",
        "",
        "CPU is the proxy's user+sys time during one measured run (all its processes and threads); "
        "µs/req is that divided by the requests served (user and system parts in brackets, of the median run). Peak RSS is VmHWM over the whole scenario "
        "(warm-up included), summed over the proxy's processes. `direct` is wrk against one backend, "
        "without a proxy: the backends' own capacity.",
        "",
    ]
    g = goal(summary)
    if g:
        lines += [
            f"**Small-GET goal** (≥ {GOAL_RPS}x nginx's requests/s, p99 ≤ {GOAL_P99}x nginx's): "
            f"requests/s {g['rps_ratio']:.2f}x, p99 {g['p99_ratio']:.2f}x: **{'met' if g['met'] else 'not met'}**.",
            "",
        ]
    lines += [
        "| scenario | proxy | req/s | vs nginx | p50 ms | p99 ms | p99.9 ms | p99 vs nginx | CPU s | CPU µs/req "
        "(user+sys) | peak RSS MiB | errors | runs: req/s | runs: p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for sc in scenarios:
        ng = by.get((sc, "nginx"))
        for proxy in ORDER:
            s = by.get((sc, proxy))
            if not s:
                continue
            vs = f"{s['rps'] / ng['rps']:.2f}x" if ng else ""
            p99vs = f"{s['p99_ms'] / ng['p99_ms']:.2f}x" if ng else ""
            noisy = f" ({s['noisy_runs']} noisy)" if s["noisy_runs"] else ""
            lines.append(
                f"| {sc} | {proxy}{noisy} | {s['rps']:,.0f} | {vs} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | "
                f"{s['p999_ms']:.2f} | {p99vs} | {s['cpu_s']:.1f} | {s['cpu_us_per_req']:.0f} "
                f"({s.get('user_us_per_req', 0):.0f}+{s.get('sys_us_per_req', 0):.0f}) | "
                f"{s['peak_rss_mib']:.0f} | {s['error_count']:.0f} | "
                f"{', '.join(f'{x:,}' for x in s['rps_all'])} | {', '.join(str(x) for x in s['p99_all'])} |")
    lines += ["", "Scenarios:", ""]
    for sc, (path, conns, desc) in scenarios.items():
        if any(k[0] == sc for k in by):
            lines.append(f"- `{sc}`: {desc}; `GET {path}`")
    lines.append("")
    return "\n".join(lines)


def svg(meta, summary, scenarios):
    """Two panels of grouped bars: requests/s and p99 latency, per scenario and proxy."""
    by = _by(summary)
    scs = [sc for sc in scenarios if any(k[0] == sc for k in by)]
    proxies = [p for p in ORDER if p != "direct" and any(k[1] == p for k in by)]
    panel_w, panel_h, top, left, bottom = 440, 300, 60, 60, 50
    width = left + 2 * panel_w + 40
    height = top + panel_h + bottom + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">'
           f'{escape("Switchboard vs nginx vs HAProxy" + (" (" + meta["label"] + ")" if meta["label"] else ""))}'
           f'</text>',
           f'<text x="{width / 2}" y="40" text-anchor="middle" fill="#555">'
           f'{escape(meta["started"] + ", median of " + str(meta["runs"]) + " runs of " + str(meta["duration_s"]) + " s")}'
           f'</text>']
    for i, (key, title, fmt) in enumerate((("rps", "requests/s (higher is better)", "{:,.0f}"),
                                           ("p99_ms", "p99 latency, ms (lower is better)", "{:.2f}"))):
        x0 = left + i * (panel_w + 20)
        values = [by[(sc, p)][key] for sc in scs for p in proxies if (sc, p) in by]
        vmax = max(values) * 1.15 if values else 1
        out.append(f'<text x="{x0 + panel_w / 2}" y="{top - 4}" text-anchor="middle" font-size="13">{title}</text>')
        out.append(f'<line x1="{x0}" y1="{top + panel_h}" x2="{x0 + panel_w}" y2="{top + panel_h}" stroke="#333"/>')
        for t in range(5):
            y = top + panel_h - t * panel_h / 4
            out.append(f'<line x1="{x0}" y1="{y}" x2="{x0 + panel_w}" y2="{y}" stroke="#eee"/>')
            out.append(f'<text x="{x0 - 4}" y="{y + 4}" text-anchor="end" fill="#555">'
                       f'{escape(_short(vmax * t / 4))}</text>')
        group_w = panel_w / max(1, len(scs))
        bar_w = (group_w - 16) / max(1, len(proxies))
        for gi, sc in enumerate(scs):
            gx = x0 + gi * group_w + 8
            out.append(f'<text x="{gx + (group_w - 16) / 2}" y="{top + panel_h + 16}" text-anchor="middle">'
                       f'{escape(sc)}</text>')
            for pi, p in enumerate(proxies):
                s = by.get((sc, p))
                if not s:
                    continue
                h = s[key] / vmax * panel_h
                bx = gx + pi * bar_w
                out.append(f'<rect x="{bx:.1f}" y="{top + panel_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                           f'fill="{COLORS[p]}"><title>{escape(p + " " + sc + ": " + fmt.format(s[key]))}</title></rect>')
                out.append(f'<text x="{bx + (bar_w - 2) / 2:.1f}" y="{top + panel_h - h - 3:.1f}" '
                           f'text-anchor="middle" font-size="9">{escape(_short(s[key]))}</text>')
    ly = top + panel_h + 40
    for i, p in enumerate(proxies):
        lx = left + i * 130
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{COLORS[p]}"/>')
        out.append(f'<text x="{lx + 18}" y="{ly}">{escape(p)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _short(v):
    if v >= 10000:
        return f"{v / 1000:.0f}k"
    if v >= 1000:
        return f"{v / 1000:.1f}k"
    if v >= 10:
        return f"{v:.0f}"
    return f"{v:.2f}"
