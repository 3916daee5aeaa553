#!/usr/bin/env bash
# bench/queue: the async path in one run, on loopback (see bench/queue/README.md).
#   a  raw jnats JetStream async publish rate, stream configured like plonk-calls
#   b  gateway POST /async-function 202 rate under wrk (16 connections)
#   c  queue-worker drain rate at --max-inflight 16 (through the gateway's sync path)
#   d  sync invocation rate of the same function through the gateway at 16 connections (wrk)
#   c2/d2  the same with a function that takes 5 ms, where keeping 16 calls in flight matters more than CPU
# Goals: b >= 0.5 x a, c >= 0.8 x d. Bounded: every step has a count and/or a time limit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/bench/queue"
if [ "${BENCH_SMOKE:-0}" = 1 ]; then
  : "${BENCH_DURATION:=2s}" "${BENCH_RAW_COUNT:=2000}" "${BENCH_DRAIN_COUNT:=1000}" "${BENCH_WARMUP_COUNT:=200}"
  : "${BENCH_WARMUP_SECONDS:=1}" "${BENCH_SLOW_COUNT:=2000}" "${BENCH_SLOW_WARMUP_COUNT:=100}"
fi
DURATION="${BENCH_DURATION:-10s}"
RAW_COUNT="${BENCH_RAW_COUNT:-50000}"
DRAIN_COUNT="${BENCH_DRAIN_COUNT:-30000}"
WARMUP="${BENCH_WARMUP_COUNT:-10000}" # calls (c) and seconds of wrk (b, d) that warm the JITs up, not timed
WARMUP_S="${BENCH_WARMUP_SECONDS:-3}"
SLOW_MS="${BENCH_SLOW_MS:-5}"           # latency of the second function (rows c2, d2)
SLOW_COUNT="${BENCH_SLOW_COUNT:-10000}"
SLOW_WARMUP="${BENCH_SLOW_WARMUP_COUNT:-1000}"
rm -rf "$OUT" && mkdir -p "$OUT"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
BENCH=queue
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"

build_modules devstack,gateway-netty,queue-worker
TOOLS="queue-worker/target/test-classes:queue-worker/target/classes:$(cat queue-worker/target/bench-classpath.txt)"
start_devstack

FN_PORT="$(free_port)"; GW_PORT="$(free_port)"; WORKER_PORT="$(free_port)"; SLOW_PORT="$(free_port)"
say "function: nginx answering 200 on 127.0.0.1:$FN_PORT"
nginx_conf nginx 1 <<NGINX
  server { listen 127.0.0.1:$FN_PORT; keepalive_requests 100000; location / { return 200 "ok\n"; } }
NGINX
nginx -c "$OUT/nginx.conf" -p "$OUT" &
NGINX_PID=$!
PIDS+=($NGINX_PID)
wait_ok "http://127.0.0.1:$FN_PORT/" 10 nginx
NGINX_WORKER="$(pgrep -P "$NGINX_PID" | head -1)"

say "function echo.bench (nginx) and slow.bench (${SLOW_MS} ms per call): Services + EndpointSlices"
bench_function echo "$FN_PORT" 10.244.0.10
java -Dsun.net.httpserver.nodelay=true -cp "$TOOLS" dev.plonk.queue.bench.SlowFunction "$SLOW_PORT" "$SLOW_MS" > "$OUT/slow.log" 2>&1 &
PIDS+=($!)
wait_ok "http://127.0.0.1:$SLOW_PORT/" 20 "the slow function"
bench_function slow "$SLOW_PORT" 10.244.0.11

say "gateway on 127.0.0.1:$GW_PORT (direct routing, async on $NATS_URL)"
JVM="${BENCH_JVM:-$PLONK_GATEWAY_JVM}"
WORKER_JVM="${BENCH_WORKER_JVM:-$PLONK_C1_JVM}"
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=2 java $JVM -jar gateway-netty/target/plonk-gateway.jar --port "$GW_PORT" --kubeconfig "$KUBECONFIG" \
  --endpoint-host 127.0.0.1 --no-basic-auth --nats-url "$NATS_URL" > "$OUT/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
wait_ok "http://127.0.0.1:$GW_PORT/healthz" 60 "the gateway"
wait_ok "http://127.0.0.1:$GW_PORT/function/echo.bench" 30 "the gateway to route echo.bench"
wait_ok "http://127.0.0.1:$GW_PORT/function/slow.bench" 30 "the gateway to route slow.bench"

cat > "$OUT/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "payload"
wrk.headers["Content-Type"] = "text/plain"
LUA
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
requests() { awk '/requests in/ {print $1}' "$1"; }
us_per_call() { awk -v t="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.0f", t * 10000 / n; else print "n/a" }'; }
rate() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $NF}' "$1"; }

say "(a) raw JetStream async publish: $RAW_COUNT messages"
java -cp "$TOOLS" dev.plonk.queue.bench.PublishBench raw "$NATS_URL" "$RAW_COUNT" | tee "$OUT/a.txt"
A="$(awk -F= '/raw_publish_per_s/ {print $2}' "$OUT/a.txt")"

say "(d) sync POST /function/echo.bench through the gateway, wrk -c16 for $DURATION (after ${WARMUP_S}s warm-up)"
wrk -t2 -c16 -d"${WARMUP_S}s" -s "$OUT/post.lua" "http://127.0.0.1:$GW_PORT/function/echo.bench" > "$OUT/d-warmup.txt"
G0="$(ticks "$GW_PID")"; N0="$(ticks "$PID_NATS_SERVER")"; F0="$(ticks "$NGINX_WORKER")"
wrk -t2 -c16 -d"$DURATION" -s "$OUT/post.lua" "http://127.0.0.1:$GW_PORT/function/echo.bench" | tee "$OUT/d.txt"
D="$(rate "$OUT/d.txt")"; D_N="$(requests "$OUT/d.txt")"
D_CPU="gateway $(us_per_call $(( $(ticks "$GW_PID") - G0 )) "$D_N"), nats $(us_per_call $(( $(ticks "$PID_NATS_SERVER") - N0 )) "$D_N"), nginx $(us_per_call $(( $(ticks "$NGINX_WORKER") - F0 )) "$D_N"), wrk (not measured)"

say "(b) POST /async-function/echo.bench (202), wrk -c16 for $DURATION (after ${WARMUP_S}s warm-up)"
wrk -t2 -c16 -d"${WARMUP_S}s" -s "$OUT/post.lua" "http://127.0.0.1:$GW_PORT/async-function/echo.bench" > "$OUT/b-warmup.txt"
wrk -t2 -c16 -d"$DURATION" -s "$OUT/post.lua" "http://127.0.0.1:$GW_PORT/async-function/echo.bench" | tee "$OUT/b.txt"
B="$(rate "$OUT/b.txt")"; B_ERR="$(non2xx "$OUT/b.txt")"

say "(c) drain $WARMUP (warm-up) + $DRAIN_COUNT (timed) queued calls with one worker at --max-inflight 16"
java -cp "$TOOLS" dev.plonk.queue.bench.PublishBench purge "$NATS_URL" 0
java -cp "$TOOLS" dev.plonk.queue.bench.PublishBench queue "$NATS_URL" "$((WARMUP + DRAIN_COUNT))" bench echo | tee "$OUT/c-publish.txt"
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=2 java $WORKER_JVM -jar queue-worker/target/plonk-queue-worker.jar --nats-url "$NATS_URL" --gateway-url "http://127.0.0.1:$GW_PORT" \
  --max-inflight 16 --bind 127.0.0.1 --port "$WORKER_PORT" > "$OUT/worker.log" 2>&1 &
WORKER_PID=$!
PIDS+=($WORKER_PID)
wait_ok "http://127.0.0.1:$WORKER_PORT/healthz" 30 "the queue-worker"
java -cp "$TOOLS" dev.plonk.queue.bench.DrainBench "http://127.0.0.1:$WORKER_PORT" echo.bench "$WARMUP" "$DRAIN_COUNT" 180 \
  "worker=$WORKER_PID" "gateway=$GW_PID" "nats=$PID_NATS_SERVER" "nginx=$NGINX_WORKER" | tee "$OUT/c.txt"
C="$(awk -F= '/drain_per_s/ {print $2}' "$OUT/c.txt")"
C_CPU="$(awk -F'[_=]' '/cpu_us_per_call/ {printf "%s%s %s", sep, $5, $6; sep=", "}' "$OUT/c.txt")"

say "(d2) sync POST /function/slow.bench (${SLOW_MS} ms per call) through the gateway, wrk -c16 for $DURATION"
wrk -t2 -c16 -d"$DURATION" -s "$OUT/post.lua" "http://127.0.0.1:$GW_PORT/function/slow.bench" | tee "$OUT/d2.txt"
D2="$(rate "$OUT/d2.txt")"

say "(c2) drain $SLOW_WARMUP (warm-up) + $SLOW_COUNT (timed) calls of slow.bench with the same worker"
java -cp "$TOOLS" dev.plonk.queue.bench.PublishBench queue "$NATS_URL" "$((SLOW_WARMUP + SLOW_COUNT))" bench slow | tee "$OUT/c2-publish.txt"
java -cp "$TOOLS" dev.plonk.queue.bench.DrainBench "http://127.0.0.1:$WORKER_PORT" slow.bench "$SLOW_WARMUP" "$SLOW_COUNT" 180 \
  | tee "$OUT/c2.txt"
C2="$(awk -F= '/drain_per_s/ {print $2}' "$OUT/c2.txt")"

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0 && x ~ /^[0-9.]+$/) printf "%.2f", x / y; else print "n/a" }'; }
{
  echo "| id | what | rate (/s) |"
  echo "|---|---|---|"
  echo "| a | raw jnats JetStream async publish ($RAW_COUNT msgs, window 2000) | $A |"
  echo "| b | gateway /async-function 202s, wrk -t2 -c16 -d$DURATION after ${WARMUP_S}s warm-up (non-2xx: ${B_ERR:-0}) | $B |"
  echo "| c | queue-worker drain, --max-inflight 16, $DRAIN_COUNT calls via gateway sync path (after $WARMUP warm-up) | $C |"
  echo "| d | sync /function via gateway, wrk -t2 -c16 -d$DURATION (after ${WARMUP_S}s warm-up) | $D |"
  echo "| c2 | as c, function slow.bench taking ${SLOW_MS} ms per call, $SLOW_COUNT calls | $C2 |"
  echo "| d2 | as d, function slow.bench taking ${SLOW_MS} ms per call | $D2 |"
  echo
  echo "b / a = $(ratio "$B" "$A") (goal >= 0.8); c / d = $(ratio "$C" "$D") (goal >= 0.8); c2 / d2 = $(ratio "$C2" "$D2") (goal >= 0.9)"
  echo "CPU per call in c (us): $C_CPU"
  echo "CPU per call in d (us): $D_CPU"
  echo "RSS at the end, MiB (peak): gateway $(rss_mib "$GW_PID") ($(peak_rss_mib "$GW_PID")), worker $(rss_mib "$WORKER_PID") ($(peak_rss_mib "$WORKER_PID")); JVM: gateway $JVM, worker $WORKER_JVM"
  echo "conditions: $(nproc) cores, $(date -u +%FT%TZ), nats-server $(nats-server --version 2>&1 | awk '{print $NF}'),"
  echo "echo = nginx return 200 (1 worker process), slow = JDK HttpServer sleeping ${SLOW_MS} ms;"
  echo "gateway, worker, nats-server, functions, wrk and the devstack share the same cores; load before: $LOAD"
} | tee "$OUT/results.md"
