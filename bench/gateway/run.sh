#!/usr/bin/env bash
# bench/gateway: four targets on loopback (see bench/gateway/README.md and targets.sh):
#   A  straight to a fast upstream (nginx, 1 worker, return 200)
#   B  nginx (Debian) proxy_pass to A with upstream keepalive
#   C  the Plonk gateway in direct mode (TrafficSplit-free function: Service + EndpointSlice on the real apiserver)
#   D  the OpenFaaS CE gateway 0.27.14, built from ../shared/third-party/openfaas (bench/gateway/openfaas.sh), to A
# 1. closed loop: wrk, same threads/duration/1 KB POST body for each target, at each concurrency in BENCH_CONNECTIONS,
#    interleaved A/B/C/D for $ROUNDS rounds; req/s, p50, p99 (median of the rounds), CPU per call of C and D, ratios.
# 2. open loop: the latency each proxy adds at a fixed rate (OpenLoopLoad, constant rate per target, the targets
#    interleaved call by call, latency from each call's due time), p50/p99 against A's in the same run. Never asserted; the load average is written next to every round.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/bench/gateway"
if [ "${BENCH_SMOKE:-0}" = 1 ]; then
  : "${BENCH_DURATION:=2s}" "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=1s}" "${BENCH_CONNECTIONS:=32}"
  : "${BENCH_OPEN_RATE:=200}" "${BENCH_OPEN_SECONDS:=2}" "${BENCH_OPEN_WARMUP:=1}" "${BENCH_OPEN_TARGETS:=A C}"
fi
DURATION="${BENCH_DURATION:-10s}"
ROUNDS="${BENCH_ROUNDS:-3}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-32 64}"
WARMUP="${BENCH_WARMUP:-10s}" # per target; the JVM needs its JIT warm, nginx does not
TARGETS="${BENCH_TARGETS:-A B C D}"
OPEN_RATE="${BENCH_OPEN_RATE:-1000}"
OPEN_SECONDS="${BENCH_OPEN_SECONDS:-30}"
OPEN_WARMUP="${BENCH_OPEN_WARMUP:-5}"
OPEN_TARGETS="${BENCH_OPEN_TARGETS:-A C}" # A (the anchor) first
rm -rf "$OUT" && mkdir -p "$OUT"
BENCH=gateway
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"
# shellcheck source=targets.sh
. "$ROOT/bench/gateway/targets.sh"
for tool in wrk nginx curl python3 java go; do
  command -v "$tool" >/dev/null || { echo "$tool is required (./plonk bench installs wrk and nginx)" >&2; exit 1; }
done
loadavg() { cut -d' ' -f1 /proc/loadavg; }
echo "start $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT/conditions.txt"

OPENFAAS="$(bash bench/gateway/openfaas.sh)" # fails with a message if the snapshot is missing
build_modules devstack,gateway-netty
start_devstack

B_PORT="$(free_port)"; C_PORT="$(free_port)"; D_PORT="$(free_port)"
start_upstream
say "A: nginx upstream (1 worker) on 127.0.0.1:$A_PORT; B: nginx proxy (auto workers, keepalive 64) on $B_PORT"
start_nginx_proxy "$B_PORT"
bench_function echo "$A_PORT" 10.244.0.2
GATEWAY_JVM="${BENCH_GATEWAY_OPTS:-$PLONK_GATEWAY_JVM}"
say "C: Plonk gateway (direct mode) on 127.0.0.1:$C_PORT, JVM $GATEWAY_JVM; function echo.bench -> 127.0.0.1:$A_PORT"
# shellcheck disable=SC2086
start_plonk_gateway "$C_PORT" $GATEWAY_JVM
C_PID=$LAST_PID
say "D: OpenFaaS CE gateway ($OPENFAAS) on 127.0.0.1:$D_PORT -> 127.0.0.1:$A_PORT"
start_openfaas_gateway "$OPENFAAS" "$D_PORT"
D_PID=$LAST_PID

cat > "$OUT/post1k.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA
port() { case "$1" in A) echo "$A_PORT";; B) echo "$B_PORT";; C) echo "$C_PORT";; D) echo "$D_PORT";; esac; }
pid_of() { case "$1" in C) echo "$C_PID";; D) echo "$D_PID";; *) echo "";; esac; }
cpu_ms() { [ -z "$1" ] && { echo 0; return; }; awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
run_wrk() { # target connections duration file; appends the process's CPU ms (C, D) and the load average
  local pid before; pid="$(pid_of "$1")"; before="$(cpu_ms "$pid")"
  timeout 120 wrk -t"$THREADS" -c"$2" -d"$3" --latency -s "$OUT/post1k.lua" "http://127.0.0.1:$(port "$1")$PATH_" > "$4"
  echo "cpu_ms=$(( $(cpu_ms "$pid") - before )) loadavg=$(loadavg)" >> "$4"
}

say "warm-up: $WARMUP per target (not counted)"
for t in $TARGETS; do run_wrk "$t" "${CONNECTIONS%% *}" "$WARMUP" "$OUT/warmup-$t.txt"; done
for c in $CONNECTIONS; do
  for r in $(seq 1 "$ROUNDS"); do
    for t in $TARGETS; do
      say "c=$c round $r/$ROUNDS target $t: wrk -t$THREADS -c$c -d$DURATION, 1 KB POST (load average $(loadavg))"
      run_wrk "$t" "$c" "$DURATION" "$OUT/c$c-round$r-$t.txt"
    done
  done
done

TOOLS="gateway-netty/target/test-classes:$(cat gateway-netty/target/bench-classpath.txt)"
BODY="$(head -c 1024 /dev/zero | tr '\0' x)"
OPEN_LOAD_START="$(loadavg)"; URLS=""; for t in $OPEN_TARGETS; do URLS="$URLS,http://127.0.0.1:$(port "$t")$PATH_"; done
say "open loop, targets $OPEN_TARGETS interleaved call by call: $OPEN_RATE calls/s each for $OPEN_SECONDS s after $OPEN_WARMUP s of warm-up (load average $(loadavg))"
java -Xmx128m -XX:+UseSerialGC -Dhttp.maxConnections=64 -cp "$TOOLS" dev.plonk.gateway.bench.OpenLoopLoad \
  "${URLS#,}" "$OPEN_RATE" "$OPEN_SECONDS" "$BODY" 64 "$OPEN_WARMUP" > "$OUT/open.txt"
echo "loadavg=$OPEN_LOAD_START-$(loadavg)" >> "$OUT/open.txt"
echo "end $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/conditions.txt"

python3 bench/gateway/report.py "$OUT" "$ROUNDS" "$THREADS" "$DURATION" "$CONNECTIONS" "$TARGETS" "$OPEN_RATE" \
  "$OPEN_SECONDS" "$OPEN_TARGETS" | tee "$OUT/results.md"
echo "RSS at the end (peak): C $(rss_mib "$C_PID") MiB ($(peak_rss_mib "$C_PID")), D $(rss_mib "$D_PID") MiB ($(peak_rss_mib "$D_PID")); C's JVM: $GATEWAY_JVM" | tee -a "$OUT/results.md"
cat "$OUT/conditions.txt" | tee -a "$OUT/results.md"
say "results in $OUT (results.md, c*-round*-*.txt, open.txt)"
