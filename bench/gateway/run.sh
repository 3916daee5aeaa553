#!/usr/bin/env bash
# bench/gateway: wrk on loopback, same threads/connections/duration/1 KB POST body for each target,
# interleaved A/B/C for $ROUNDS rounds (see bench/gateway/README.md):
#   A  straight to a fast upstream (nginx, 1 worker, return 200)
#   B  nginx (Debian) proxy_pass to A with upstream keepalive
#   C  the Plonk gateway in direct mode (TrafficSplit-free function: Service + EndpointSlice on the real apiserver)
# Prints req/s, p50, p99 per target (median of the rounds) and the ratios C/B, C/A. Never asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/bench/gateway"
if [ "${BENCH_SMOKE:-0}" = 1 ]; then : "${BENCH_DURATION:=2s}" "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=1s}"; fi
DURATION="${BENCH_DURATION:-10s}"
ROUNDS="${BENCH_ROUNDS:-3}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WARMUP="${BENCH_WARMUP:-10s}" # per target; the JVM needs its JIT warm, nginx does not
rm -rf "$OUT" && mkdir -p "$OUT"
BENCH=gateway
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"
for tool in wrk nginx curl python3 java; do
  command -v "$tool" >/dev/null || { echo "$tool is required (./plonk bench installs wrk and nginx)" >&2; exit 1; }
done

build_modules devstack,gateway-netty
start_devstack

A_PORT="$(free_port)"; B_PORT="$(free_port)"; C_PORT="$(free_port)"
say "A: nginx upstream (1 worker) on 127.0.0.1:$A_PORT; B: nginx proxy (auto workers, keepalive 64) on $B_PORT"
cat > "$OUT/upstream.conf" <<NGINX
daemon off;
worker_processes 1;
pid $OUT/upstream.pid;
error_log $OUT/upstream-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/upstream-body;
  server {
    listen 127.0.0.1:$A_PORT backlog=1024;
    keepalive_requests 1000000;
    client_body_buffer_size 16k;
    location / { return 200 "ok\n"; }
  }
}
NGINX
cat > "$OUT/proxy.conf" <<NGINX
daemon off;
worker_processes auto;
pid $OUT/proxy.pid;
error_log $OUT/proxy-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/proxy-body;
  proxy_temp_path $OUT/proxy-temp;
  upstream fn { server 127.0.0.1:$A_PORT; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$B_PORT backlog=1024;
    keepalive_requests 1000000;
    client_body_buffer_size 16k;
    location / {
      proxy_pass http://fn;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Host \$host;
    }
  }
}
NGINX
nginx -c "$OUT/upstream.conf" -p "$OUT" & PIDS+=($!)
nginx -c "$OUT/proxy.conf" -p "$OUT" & PIDS+=($!)

say "C: gateway (direct mode) on 127.0.0.1:$C_PORT; function echo.bench = Service + EndpointSlice -> 127.0.0.1:$A_PORT"
"$KUBECTL" --kubeconfig "$KUBECONFIG" apply -f - > "$OUT/kubectl.log" <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: bench, annotations: {openfaas: "1"}}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: bench}
spec:
  selector: {faas_function: echo}
  ports: [{name: http, port: 8080, targetPort: $A_PORT}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: echo-$A_PORT
  namespace: bench
  labels: {kubernetes.io/service-name: echo}
addressType: IPv4
endpoints: [{addresses: ["10.244.0.2"], conditions: {ready: true}}]
ports: [{name: http, port: $A_PORT, protocol: TCP}]
YAML
java -Xms512m -Xmx512m ${BENCH_GATEWAY_OPTS:--XX:+UseSerialGC -Xmn256m} -Dio.netty.leakDetection.level=disabled -jar gateway-netty/target/plonk-gateway.jar \
  --port "$C_PORT" --kubeconfig "$KUBECONFIG" --routing direct --endpoint-host 127.0.0.1 --no-basic-auth ${BENCH_GATEWAY_FLAGS:-} > "$OUT/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
PATH_="/function/echo.bench"
wait_ok "http://127.0.0.1:$A_PORT$PATH_" 30 "the upstream"
wait_ok "http://127.0.0.1:$B_PORT$PATH_" 30 "nginx proxy"
wait_ok "http://127.0.0.1:$C_PORT/healthz" 60 "the gateway"
wait_ok "http://127.0.0.1:$C_PORT$PATH_" 30 "the gateway to route echo.bench"

cat > "$OUT/post1k.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA
url() { case "$1" in A) echo "http://127.0.0.1:$A_PORT$PATH_";; B) echo "http://127.0.0.1:$B_PORT$PATH_";; C) echo "http://127.0.0.1:$C_PORT$PATH_";; esac; }
run_wrk() { # target duration file
  timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s "$OUT/post1k.lua" "$(url "$1")" > "$3"
}

say "warm-up: $WARMUP per target (not counted)"
for t in ${BENCH_TARGETS:-A B C}; do run_wrk "$t" "$WARMUP" "$OUT/warmup-$t.txt"; done
for r in $(seq 1 "$ROUNDS"); do
  for t in ${BENCH_TARGETS:-A B C}; do
    say "round $r/$ROUNDS target $t: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, 1 KB POST"
    run_wrk "$t" "$DURATION" "$OUT/round$r-$t.txt"
  done
done

[ "${BENCH_TARGETS:-A B C}" = "A B C" ] || { grep -h Requests/sec "$OUT"/round*; exit 0; }
python3 - "$OUT" "$ROUNDS" "$THREADS" "$CONNECTIONS" "$DURATION" <<'PY' | tee "$OUT/results.md"
import re, statistics, sys
out, rounds, threads, conns, duration = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def ms(v):
    n, u = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[u]
res = {}
for t in "ABC":
    rows = []
    for r in range(1, rounds + 1):
        text = open(f"{out}/round{r}-{t}.txt").read()
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
        p50 = ms(re.search(r"\s50%\s+(\S+)", text).group(1))
        p99 = ms(re.search(r"\s99%\s+(\S+)", text).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        rows.append((rps, p50, p99, int(errors.group(1)) if errors else 0))
    res[t] = rows
names = {"A": "A straight to the upstream (nginx return 200)", "B": "B nginx proxy_pass, upstream keepalive",
         "C": "C Plonk gateway, direct mode"}
print(f"wrk -t{threads} -c{conns} -d{duration}, 1 KB POST, {rounds} interleaved rounds; median of rounds (each round's value in brackets)")
print()
print("| target | req/s | p50 ms | p99 ms | non-2xx |")
print("|---|---|---|---|---|")
med = {}
for t in "ABC":
    rows = res[t]
    m = tuple(statistics.median(x[i] for x in rows) for i in range(3))
    med[t] = m
    fmt = lambda i, f: f.format(m[i]) + " [" + ", ".join(f.format(x[i]) for x in rows) + "]"
    print(f"| {names[t]} | {fmt(0, '{:.0f}')} | {fmt(1, '{:.2f}')} | {fmt(2, '{:.2f}')} | {sum(x[3] for x in rows)} |")
print()
print(f"C/B req/s = {med['C'][0] / med['B'][0]:.2f}x, C/A req/s = {med['C'][0] / med['A'][0]:.2f}x; "
      f"p99 C/B = {med['C'][2] / med['B'][2]:.2f}x (goal: C >= 1.0x B in req/s with p99 <= B's)")
PY
echo "gateway (C) RSS at the end $(rss_mib "$GW_PID") MiB, peak $(peak_rss_mib "$GW_PID") MiB" | tee -a "$OUT/results.md"
say "results in $OUT (results.md, round*-*.txt)"
