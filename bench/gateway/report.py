"""Summarises bench/gateway's raw files (wrk output per round and target, OpenLoopLoad output per target) as markdown.

Usage: report.py <out dir> <rounds> <threads> <duration> "<connections...>" "<targets...>" <open rate> <open seconds>
"<open targets...>". Every figure is read against its anchor from the same run: C/B (Plonk vs nginx), C/D (Plonk vs
OpenFaaS), and for the open loop each proxy's p50/p99 minus A's (the upstream alone).
"""
import os
import re
import statistics
import sys

out, rounds, threads, duration = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
conns, targets = sys.argv[5].split(), sys.argv[6].split()
open_rate, open_seconds, open_targets = sys.argv[7], sys.argv[8], sys.argv[9].split()
NAMES = {"A": "A straight to the upstream (nginx return 200)", "B": "B nginx proxy_pass, upstream keepalive",
         "C": "C Plonk gateway, direct mode", "D": "D OpenFaaS CE gateway 0.27.14"}


def ms(v):
    n, u = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[u]


def wrk(path):
    text = open(path).read()
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket = re.search(r"Socket errors: (.*)", text)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            "p50": ms(re.search(r"\s50%\s+(\S+)", text).group(1)),
            "p99": ms(re.search(r"\s99%\s+(\S+)", text).group(1)),
            "cpu_us": int(re.search(r"cpu_ms=(-?\d+)", text).group(1)) * 1000 / max(requests, 1),
            "load": float(re.search(r"loadavg=([\d.]+)", text).group(1)),
            "errors": (int(errors.group(1)) if errors else 0), "socket": socket.group(1) if socket else ""}


def cell(rows, key, fmt):
    return fmt.format(statistics.median(r[key] for r in rows)) + " [" + ", ".join(fmt.format(r[key]) for r in rows) + "]"


def ratio(med, a, b, key):
    return f"{med[a][key] / med[b][key]:.2f}x" if a in med and b in med else "n/a"


for c in conns:
    res = {t: [wrk(f"{out}/c{c}-round{r}-{t}.txt") for r in range(1, rounds + 1)] for t in targets}
    print(f"### c={c}: wrk -t{threads} -c{c} -d{duration}, 1 KB POST, {rounds} interleaved rounds "
          f"(median [each round]); load average (1 min) at each round's start: "
          + ", ".join(f"{res[targets[0]][r]['load']:.1f}" for r in range(rounds)))
    print()
    print("| target | req/s | p50 ms | p99 ms | CPU per call µs | non-2xx, socket errors |")
    print("|---|---|---|---|---|---|")
    med = {}
    for t in targets:
        rows = res[t]
        med[t] = {k: statistics.median(r[k] for r in rows) for k in ("rps", "p50", "p99", "cpu_us")}
        cpu = cell(rows, "cpu_us", "{:.0f}") if t in "CD" else "-"
        errs = f"{sum(r['errors'] for r in rows)}" + "".join(f"; {r['socket']}" for r in rows if r["socket"])
        print(f"| {NAMES[t]} | {cell(rows, 'rps', '{:.0f}')} | {cell(rows, 'p50', '{:.2f}')} | "
              f"{cell(rows, 'p99', '{:.2f}')} | {cpu} | {errs} |")
    print()
    wins = ""
    if "C" in res and "D" in res:
        wins = " (C ahead of D in every round)" if all(
            res["C"][r]["rps"] > res["D"][r]["rps"] for r in range(rounds)) else " (**D ahead of C in a round**)"
    print(f"c={c}: req/s C/B = {ratio(med, 'C', 'B', 'rps')}, C/A = {ratio(med, 'C', 'A', 'rps')}, "
          f"C/D = {ratio(med, 'C', 'D', 'rps')}{wins}, D/B = {ratio(med, 'D', 'B', 'rps')}; "
          f"p99 C/B = {ratio(med, 'C', 'B', 'p99')}, p99 C/D = {ratio(med, 'C', 'D', 'p99')}; "
          f"CPU per call C/D = {ratio(med, 'C', 'D', 'cpu_us')} (goal: C >= 1.0x B in req/s with p99 <= B's)")
    print()

if open_targets and os.path.exists(f"{out}/open.txt"):
    raw = dict(line.split("=", 1) for line in open(f"{out}/open.txt").read().split() if "=" in line)
    one = len(open_targets) == 1
    stats = {t: {k[len(f"t{i}."):] if not one else k: v for k, v in raw.items() if one or k.startswith(f"t{i}.")}
             for i, t in enumerate(open_targets)}
    print(f"### open loop: {open_rate} calls/s to each of {', '.join(open_targets)} for {open_seconds} s, interleaved "
          "call by call (OpenLoopLoad: constant rate, latency from each call's due time, 1 KB POST, 64 keep-alive "
          f"connections); load average (1 min) at the start and end: {raw.get('loadavg')}")
    print()
    print("| target | achieved/s | answered (non-200) | p50 ms | p99 ms | max ms | p50 - A's | p99 - A's |")
    print("|---|---|---|---|---|---|---|---|")
    for t, s in stats.items():
        bad = int(s.get("answered", 0)) - int(s.get("code_200", 0))
        d50 = f"{float(s['p50_ms']) - float(stats['A']['p50_ms']):+.3f}" if "A" in stats and t != "A" else "-"
        d99 = f"{float(s['p99_ms']) - float(stats['A']['p99_ms']):+.3f}" if "A" in stats and t != "A" else "-"
        print(f"| {NAMES[t]} | {float(s['achieved_per_s']):.0f} | {s.get('answered')} ({bad}) | {float(s['p50_ms']):.3f} | "
              f"{float(s['p99_ms']):.3f} | {float(s['max_ms']):.1f} | {d50} | {d99} |")
    print()
    print("Goal for C: p50 <= +0.3 ms and p99 <= +2 ms over A's.")
