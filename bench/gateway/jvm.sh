#!/usr/bin/env bash
# bench/gateway/jvm.sh: JVM settings for the Plonk gateway, side by side in one run. Starts one gateway per candidate
# (bench/gateway/jvm-candidates.txt or $1: `name | NAME=value env words | JVM flags` per line) against the same upstream
# (target A of run.sh), then runs wrk at c=$BENCH_CONNECTIONS on each in turn, interleaved over $BENCH_ROUNDS rounds.
# Reports per candidate: req/s (median and ratio to the first candidate, the anchor), p99, CPU per call, RSS after
# each round and peak RSS (VmHWM). Not a run.sh: `./plonk bench` does not run it; `bash bench/gateway/jvm.sh`.
# BENCH_NGINX=1 adds nginx proxy_pass (target B of run.sh) as a row, for the gateway-vs-nginx ratio in the same run;
# BENCH_STRACE=1 then counts system calls per request of each row (strace -c -f during a bounded wrk run).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/bench/gateway-jvm"
CANDIDATES="${1:-bench/gateway/jvm-candidates.txt}"
DURATION="${BENCH_DURATION:-10s}"
ROUNDS="${BENCH_ROUNDS:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WARMUP="${BENCH_WARMUP:-15s}"
rm -rf "$OUT" && mkdir -p "$OUT"
BENCH=gateway-jvm
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"
# shellcheck source=targets.sh
. "$ROOT/bench/gateway/targets.sh"
[ -f "$CANDIDATES" ] || { echo "no candidates file $CANDIDATES" >&2; exit 2; }
build_modules devstack,gateway-netty
start_devstack
start_upstream
bench_function echo "$A_PORT" 10.244.0.2
NAMES=(); PORTS=(); GPIDS=()
while IFS='|' read -r name envs flags; do
  name="$(echo "$name" | xargs)"; [ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
  port="$(free_port)"
  say "candidate $name on $port: env [$(echo "$envs" | xargs)] JVM [$(echo "$flags" | xargs)]"
  # shellcheck disable=SC2086
  GATEWAY_ENV="$envs" start_plonk_gateway "$port" $flags
  NAMES+=("$name"); PORTS+=("$port"); GPIDS+=("$LAST_PID")
  echo "$name|$(echo "$envs" | xargs)|$(echo "$flags" | xargs)" >> "$OUT/candidates.txt"
done < "$CANDIDATES"
if [ "${BENCH_NGINX:-0}" = 1 ]; then
  port="$(free_port)"; start_nginx_proxy "$port"
  NAMES+=("nginx"); PORTS+=("$port"); GPIDS+=("$LAST_PID"); echo "nginx|-|proxy_pass (2 workers)" >> "$OUT/candidates.txt"
fi
cat > "$OUT/post1k.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA
cpu_ms() { # a process and its children (nginx's workers)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$(( total + $(awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' "/proc/$p/stat") ))
  done
  echo "$total"
}
run() { # index duration file
  local before; before="$(cpu_ms "${GPIDS[$1]}")"
  timeout 120 wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -s "$OUT/post1k.lua" "http://127.0.0.1:${PORTS[$1]}$PATH_" > "$3"
  echo "cpu_ms=$(( $(cpu_ms "${GPIDS[$1]}") - before )) rss_mib=$(rss_mib "${GPIDS[$1]}") loadavg=$(cut -d' ' -f1 /proc/loadavg)" >> "$3"
}
say "warm-up: $WARMUP per candidate"
for i in "${!NAMES[@]}"; do run "$i" "$WARMUP" "$OUT/warmup-$i.txt"; done
for r in $(seq 1 "$ROUNDS"); do
  for i in "${!NAMES[@]}"; do
    say "round $r/$ROUNDS ${NAMES[$i]} (load average $(cut -d' ' -f1 /proc/loadavg))"
    run "$i" "$DURATION" "$OUT/round$r-$i.txt"
  done
done
for i in "${!NAMES[@]}"; do
  echo "peak_rss_mib=$(peak_rss_mib "${GPIDS[$i]}") threads=$(awk '/^Threads/ {print $2}' "/proc/${GPIDS[$i]}/status")" > "$OUT/peak-$i.txt"
  # jcmd's attach signal (SIGQUIT) would stop nginx: ask only the JVMs started with NativeMemoryTracking
  if grep -q "^${NAMES[$i]}|.*NativeMemoryTracking" "$OUT/candidates.txt"; then
    jcmd "${GPIDS[$i]}" VM.native_memory summary > "$OUT/nmt-$i.txt" 2>&1 || true
  fi
done
if [ "${BENCH_STRACE:-0}" = 1 ]; then
  for i in "${!NAMES[@]}"; do
    say "strace -c -f on ${NAMES[$i]} during wrk -d5s"
    args=(); for p in "${GPIDS[$i]}" $(pgrep -P "${GPIDS[$i]}" || true); do args+=(-p "$p"); done
    timeout 20 strace -c -f -o "$OUT/strace-$i.txt" "${args[@]}" & st=$!
    sleep 2
    timeout 30 wrk -t2 -c"$CONNECTIONS" -d5s -s "$OUT/post1k.lua" "http://127.0.0.1:${PORTS[$i]}$PATH_" > "$OUT/strace-wrk-$i.txt"
    kill -INT "$st" 2>/dev/null || true; wait "$st" 2>/dev/null || true
  done
fi
python3 - "$OUT" "$ROUNDS" "$CONNECTIONS" "$DURATION" <<'PY' | tee "$OUT/results.md"
import re, statistics, sys
out, rounds, conns, duration = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cands = [line.rstrip("\n").split("|") for line in open(f"{out}/candidates.txt")]
def parse(path):
    t = open(path).read()
    req = int(re.search(r"(\d+) requests in", t).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", t)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)),
            "p99": float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)],
            "cpu": int(re.search(r"cpu_ms=(-?\d+)", t).group(1)) * 1000 / max(req, 1),
            "rss": int(re.search(r"rss_mib=(\d+)", t).group(1)), "load": float(re.search(r"loadavg=([\d.]+)", t).group(1))}
print(f"wrk -t2 -c{conns} -d{duration}, 1 KB POST, {rounds} interleaved rounds; median [each round]; "
      "load average at each round's end: " + ", ".join(
          str(parse(f"{out}/round{r}-{len(cands) - 1}.txt")["load"]) for r in range(1, rounds + 1)))
print()
print("| candidate | env | JVM flags | req/s | vs first | p99 ms | CPU per call µs | RSS after each round MiB | peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|---|")
base = None
for i, (name, envs, flags) in enumerate(cands):
    rows = [parse(f"{out}/round{r}-{i}.txt") for r in range(1, rounds + 1)]
    med = lambda k: statistics.median(x[k] for x in rows)
    base = base or med("rps")
    peak = re.search(r"peak_rss_mib=(\d+)", open(f"{out}/peak-{i}.txt").read()).group(1)
    each = lambda k, f: f.format(med(k)) + " [" + ", ".join(f.format(x[k]) for x in rows) + "]"
    print(f"| {name} | {envs or '-'} | {flags} | {each('rps', '{:.0f}')} | {med('rps') / base:.2f}x | {each('p99', '{:.2f}')} | "
          f"{each('cpu', '{:.0f}')} | {', '.join(str(x['rss']) for x in rows)} | {peak} |")
import os
if os.path.exists(f"{out}/strace-0.txt"):
    print()
    print("System calls per request under wrk (strace -c -f; strace slows the process, the counts are what matter):")
    print()
    print("| row | requests | calls per request | top calls per request |")
    print("|---|---|---|---|")
    for i, (name, _, _) in enumerate(cands):
        text = open(f"{out}/strace-{i}.txt").read()
        req = int(re.search(r"(\d+) requests in", open(f"{out}/strace-wrk-{i}.txt").read()).group(1))
        calls = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$", text, re.M)}
        calls.pop("total", None); total = sum(calls.values())
        top = ", ".join(f"{k} {v / max(req, 1):.2f}" for k, v in sorted(calls.items(), key=lambda kv: -kv[1])[:6])
        print(f"| {name} | {req} | {total / max(req, 1):.2f} | {top} |")
PY
say "results in $OUT (results.md, nmt-*.txt when NativeMemoryTracking was on)"
