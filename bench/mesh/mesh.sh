#!/usr/bin/env bash
# bench/mesh: what Linkerd's proxies add to a gateway -> function call, measured in one run on the devstack's node
# (see bench/mesh/README.md). Not a bench/*/run.sh on purpose: it needs the real node and Linkerd built from source
# (devstack/build-linkerd.sh, about 90 minutes cold), which `./plonk bench --smoke` (CI) must not depend on.
#   M  meshed:   wrk -> NodePort 30080 -> plonk-gateway pod (Linkerd proxy in, out; --routing=mesh) -> mTLS ->
#                bench-echo pod (Linkerd proxy in)
#   P  plain:    wrk -> NodePort 30081 -> plonk-gateway-plain pod (no proxy; --routing=direct) -> bench-echo-plain pod
#                (no proxy)
# Both gateways run the same image and settings, both echo pods the same image, on the same node at the same time;
# the targets are interleaved for $ROUNDS rounds. Prints p50, p99 and req/s per target (median of the rounds).
# Bounded: every wrk run has a duration and a timeout; traffic goes only to the node's address.
#   bash bench/mesh/mesh.sh [--smoke]     (root; BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_WARMUP;
#                                          PLONK_RUN_DIR for the devstack's state, default a new temp folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
[ "${1:-}" = --smoke ] && export BENCH_SMOKE=1
OUT="$ROOT/target/bench/mesh"
if [ "${BENCH_SMOKE:-0}" = 1 ]; then : "${BENCH_DURATION:=2s}" "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=2s}"; fi
DURATION="${BENCH_DURATION:-15s}"
ROUNDS="${BENCH_ROUNDS:-3}"
THREADS="${BENCH_THREADS:-1}"
CONNECTIONS="${BENCH_CONNECTIONS:-4}"
WARMUP="${BENCH_WARMUP:-15s}"
BENCH=mesh
RUN="${PLONK_RUN_DIR:-$(mktemp -d -t plonk-bench-mesh.XXXXXX)}"   # short: unix socket paths live under it
say() { printf '[bench/%s %s] %s\n' "$BENCH" "$(date +%H:%M:%S)" "$*" >&2; }
for tool in wrk curl python3 java; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install wrk)" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "bench/mesh needs root (the devstack's node)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"
down() { PLONK_RUN_DIR="$RUN" ./plonk down >> "$OUT/plonk.log" 2>&1 || true; }
trap down EXIT

say "./plonk up --mesh (node, Linkerd built from source and checked, Plonk from deploy/overlays/devstack-linkerd) in $RUN"
start=$SECONDS
# every line of ./plonk up stamped with the seconds since the start: the time to a passing `linkerd check` is read there
PLONK_RUN_DIR="$RUN" ./plonk up --mesh 2>&1 | while IFS= read -r line; do printf '%5ss %s\n' "$((SECONDS - start))" "$line"; done \
  > "$OUT/plonk.log" || { tail -40 "$OUT/plonk.log" >&2; exit 1; }
say "up in $((SECONDS - start))s; $(grep 'Linkerd up, linkerd check passed' "$OUT/plonk.log" | sed 's/ *==>//')"
set -a; . "$RUN/devstack.env"; set +a
K=("$KUBECTL" --kubeconfig "$KUBECONFIG")
# install-linkerd.sh is re-runnable: a second run upgrades in place and `linkerd check` passes again
again=$SECONDS
PLONK_RUN_DIR="$RUN" bash devstack/install-linkerd.sh install > "$OUT/reinstall.log" 2>&1 \
  || { tail -30 "$OUT/reinstall.log" >&2; echo "devstack/install-linkerd.sh install failed on a cluster that has Linkerd" >&2; exit 1; }
say "install-linkerd.sh run again: $(grep -o 'installed (upgrade) and checked in [0-9]*s' "$OUT/reinstall.log") ($((SECONDS - again))s)"

say "bench-echo (meshed), bench-echo-plain (linkerd.io/inject: disabled), plonk-gateway-plain (no proxy, direct mode)"
for fn in bench-echo bench-echo-plain; do
  inject=enabled; [ "$fn" = bench-echo-plain ] && inject=disabled
  "${K[@]}" apply -f - > /dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $fn, namespace: openfaas-fn, labels: {faas_function: $fn}}
spec:
  replicas: 1
  selector: {matchLabels: {app: $fn}}
  template:
    metadata: {labels: {app: $fn, faas_function: $fn}, annotations: {linkerd.io/inject: $inject}}
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
      - name: echo
        image: plonk.local/echo:dev
        imagePullPolicy: IfNotPresent
        env: [{name: BIND, value: 0.0.0.0}, {name: VERSION, value: v1}, {name: JAVA_TOOL_OPTIONS, value: -Xmx64m}]
        ports: [{containerPort: 8080, name: http}]
        readinessProbe: {httpGet: {path: /_/health, port: 8080}, periodSeconds: 1}
        securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
        volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes: [{name: tmp, emptyDir: {}}]
---
apiVersion: v1
kind: Service
metadata: {name: $fn, namespace: openfaas-fn, labels: {faas_function: $fn}}
spec:
  selector: {app: $fn}
  ports: [{name: http, port: 8080, targetPort: 8080}]
YAML
done
# the plain gateway: the installed gateway's Deployment, renamed, without the proxy, in direct mode
"${K[@]}" -n plonk-system get deployment plonk-gateway -o json | python3 -c '
import json, sys
d = json.load(sys.stdin)
name = "plonk-gateway-plain"
d["metadata"] = {"name": name, "namespace": "plonk-system", "labels": {"app.kubernetes.io/name": name}}
d.pop("status", None)
d["spec"]["replicas"] = 1
d["spec"]["selector"] = {"matchLabels": {"app.kubernetes.io/name": name}}
t = d["spec"]["template"]["metadata"]
t["labels"] = {"app.kubernetes.io/name": name}
t["annotations"] = {"linkerd.io/inject": "disabled"}
args = d["spec"]["template"]["spec"]["containers"][0]["args"]
d["spec"]["template"]["spec"]["containers"][0]["args"] = ["--routing=direct" if a.startswith("--routing=") else a for a in args]
print(json.dumps(d))' | "${K[@]}" apply -f - > /dev/null
"${K[@]}" apply -f - > /dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: plonk-gateway-plain, namespace: plonk-system}
spec:
  type: NodePort
  selector: {app.kubernetes.io/name: plonk-gateway-plain}
  ports: [{name: http, port: 8080, targetPort: 8080, nodePort: 30081}]
YAML
"${K[@]}" -n plonk-system wait deployment/plonk-gateway-plain --for=condition=Available --timeout=300s > /dev/null
"${K[@]}" -n openfaas-fn wait deployment/bench-echo deployment/bench-echo-plain --for=condition=Available \
  --timeout=300s > /dev/null
"${K[@]}" get pods -n openfaas-fn -o custom-columns='POD:.metadata.name,CONTAINERS:.spec.containers[*].name,INIT:.spec.initContainers[*].name' >&2
url() { case "$1" in M) echo "http://$NODE_IP:30080/function/bench-echo.openfaas-fn/";;
                      P) echo "http://$NODE_IP:30081/function/bench-echo-plain.openfaas-fn/";; esac; }
for t in M P; do
  for _ in $(seq 1 120); do curl -fsS -o /dev/null -d x "$(url $t)" 2>/dev/null && break; sleep 1; done
  curl -fsS -o /dev/null -d x "$(url $t)" || { echo "target $t ($(url $t)) does not answer" >&2; exit 1; }
done
# the meshed call really is mTLS from the gateway's identity (the echo function reports l5d-client-id)
curl -fsS -D - -o /dev/null -d x "$(url M)" | grep -i '^x-caller-identity: plonk-gateway.plonk-system' >&2 \
  || { echo "the meshed target is not called over Linkerd mTLS by the gateway" >&2; exit 1; }
curl -fsS -D - -o /dev/null -d x "$(url P)" | grep -qi '^x-caller-identity' \
  && { echo "the plain target is meshed" >&2; exit 1; }

# a 1 KB POST; at the end wrk prints one JSON line with its exact percentiles (microseconds) and error counts
cat > "$OUT/post1k.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %.3f, "p50_us": %d, "p99_us": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
LUA
run_wrk() { timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" -s "$OUT/post1k.lua" "$(url "$1")" > "$3"; }
say "warm-up: $WARMUP per target (not counted)"
for t in M P; do run_wrk "$t" "$WARMUP" "$OUT/warmup-$t.txt"; done
for r in $(seq 1 "$ROUNDS"); do
  for t in M P; do
    say "round $r/$ROUNDS target $t: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, 1 KB POST"
    run_wrk "$t" "$DURATION" "$OUT/round$r-$t.txt"
  done
done
python3 - "$OUT" "$ROUNDS" "wrk -t$THREADS -c$CONNECTIONS -d$DURATION" <<'PY' | tee "$OUT/results.md"
import json, statistics, sys
out, rounds, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
names = {"M": "meshed: gateway and function under Linkerd (mTLS)", "P": "plain: no proxy"}
med = {}
print(f"{how}, 1 KB POST, {rounds} interleaved rounds; median of the rounds (each round in brackets)\n")
print("| target | req/s | p50 ms | p99 ms | failed |")
print("|---|---|---|---|---|")
for t in "MP":
    runs = [json.loads(open(f"{out}/round{r}-{t}.txt").read().strip().splitlines()[-1]) for r in range(1, rounds + 1)]
    cols = [[x["requests"] / x["seconds"] for x in runs], [x["p50_us"] / 1000 for x in runs],
            [x["p99_us"] / 1000 for x in runs]]
    med[t] = [statistics.median(c) for c in cols]
    cell = lambda i, f: f.format(med[t][i]) + " [" + ", ".join(f.format(v) for v in cols[i]) + "]"
    failed = sum(x["non2xx"] + x["socket_errors"] for x in runs)
    print(f"| {names[t]} | {cell(0, '{:.0f}')} | {cell(1, '{:.2f}')} | {cell(2, '{:.2f}')} | {failed} |")
print(f"\nadded by the two proxies: p50 +{med['M'][1] - med['P'][1]:.2f} ms, p99 +{med['M'][2] - med['P'][2]:.2f} ms")
PY
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT/results.md"
