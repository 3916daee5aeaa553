#!/usr/bin/env bash
# bench/peers: Plonk and Flagger v1.36.1 side by side on one devstack, same function, same analysis settings, same
# traffic (see bench/peers/README.md). Flagger is built from the Go module proxy and cached; its CRDs come from the
# module. Each controller runs one canary of its own copy of the echo function behind the same Plonk gateway
# (direct mode honours both controllers' TrafficSplits), through a healthy release and then a bad one (50% errors).
# Prints, per controller: new revision noticed, time to promote, time to roll back, failed calls during the bad
# canary, RSS and CPU. Bounded: every wait has a time limit, the load has a call count.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/bench/peers"
BENCH=peers
if [ "${BENCH_SMOKE:-0}" = 1 ]; then
  : "${BENCH_RATE:=20}" "${BENCH_PHASE_TIMEOUT:=120}" "${BENCH_SCALE:=5}"
  export BENCH_MEASURE_SECONDS="${BENCH_MEASURE_SECONDS:-6}" BENCH_INTERVAL="${BENCH_INTERVAL:-2s}" # for ControllerBench
fi
RATE="${BENCH_RATE:-60}"                 # calls per second per function, open loop
PHASE_TIMEOUT="${BENCH_PHASE_TIMEOUT:-240}"
SCALE="${BENCH_SCALE:-1000}"             # rollouts (canaries) per controller in the second part; 0 skips it
FLAGGER_VERSION=v1.36.1
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
NS=peers
rm -rf "$OUT" && mkdir -p "$OUT"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"
command -v go >/dev/null || { echo "go is required to build Flagger (https://go.dev/dl)" >&2; exit 1; }

FLAGGER="$CACHE/flagger-$FLAGGER_VERSION/bin/flagger"
if [ ! -x "$FLAGGER" ]; then
  say "building Flagger $FLAGGER_VERSION from the Go module proxy into $(dirname "$FLAGGER") (cold: minutes)"
  GOBIN="$(dirname "$FLAGGER")" go install "github.com/fluxcd/flagger/cmd/flagger@$FLAGGER_VERSION"
fi
FLAGGER_MODULE="$(go env GOMODCACHE)/github.com/fluxcd/flagger@$FLAGGER_VERSION"
[ -f "$FLAGGER_MODULE/artifacts/flagger/crd.yaml" ] || go mod download "github.com/fluxcd/flagger@$FLAGGER_VERSION"

build_modules devstack,gateway-netty,rollout-controller,queue-worker,samples
start_devstack --with-plonk --function-namespace "$NS"
K="$KUBECTL --kubeconfig $KUBECONFIG"
PLONK_PID="$PID_ROLLOUT_CONTROLLER"

say "Flagger $FLAGGER_VERSION: CRDs from $FLAGGER_MODULE/artifacts/flagger/crd.yaml; -mesh-provider smi:v1alpha2"
$K apply -f "$FLAGGER_MODULE/artifacts/flagger/crd.yaml" > "$OUT/kubectl.log"
"$FLAGGER" -kubeconfig "$KUBECONFIG" -mesh-provider smi:v1alpha2 -metrics-server "$PROMETHEUS_URL" -namespace "$NS" \
  -port "$(free_port)" -log-level info > "$OUT/flagger.log" 2>&1 &
FLAGGER_PID=$!
PIDS+=($FLAGGER_PID)

say "two copies of the echo function (v1): echo-plonk under a Plonk Rollout, echo-flagger under a Flagger Canary"
function_yaml() { # name
  echo_for_process_runtime | sed -e "s/namespace: openfaas-fn/namespace: $NS/" \
    -e "s/\bname: echo\$/name: $1/" -e "s/app: echo\b/app: $1/g" -e "s/faas_function: echo\b/faas_function: $1/g" \
    -e "s/app.kubernetes.io\/name: echo\b/app.kubernetes.io\/name: $1/"
}
{ function_yaml echo-plonk; echo "---"; function_yaml echo-flagger; } > "$OUT/functions.yaml"
$K apply -f "$OUT/functions.yaml" >> "$OUT/kubectl.log"
cat > "$OUT/controllers.yaml" <<YAML
# Same analysis for both: interval 2 s, threshold 2, stepWeight 20, maxWeight 60, success rate >= 99% over 10 s,
# read from the gateway's per-backend series.
apiVersion: plonk.dev/v1alpha1
kind: Rollout
metadata: {name: echo-plonk, namespace: $NS}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: echo-plonk}
  service: {port: 8080}
  provider: smi
  progressDeadlineSeconds: 120
  analysis:
    interval: 2s
    threshold: 2
    stepWeight: 20
    maxWeight: 60
    metricsObserver: gateway
    metrics:
    - {name: request-success-rate, interval: 10s, thresholdRange: {min: 99}}
---
apiVersion: flagger.app/v1beta1
kind: MetricTemplate
metadata: {name: gateway-success-rate, namespace: $NS}
spec:
  provider: {type: prometheus, address: "$PROMETHEUS_URL"}
  query: |
    sum(rate(plonk_gateway_backend_requests_total{namespace="{{ namespace }}",function="{{ target }}",backend="{{ target }}-canary",code!~"5.."}[{{ interval }}]))
    / sum(rate(plonk_gateway_backend_requests_total{namespace="{{ namespace }}",function="{{ target }}",backend="{{ target }}-canary"}[{{ interval }}])) * 100
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: echo-flagger, namespace: $NS}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: echo-flagger}
  # the gateway routes to function Services (label faas_function); Flagger rewrites its Services' labels on each
  # sync, so the label is part of the Canary rather than added afterwards
  service:
    port: 8080
    apex: {labels: {faas_function: echo-flagger}}
    primary: {labels: {faas_function: echo-flagger}}
    canary: {labels: {faas_function: echo-flagger}}
  progressDeadlineSeconds: 120
  analysis:
    interval: 2s
    threshold: 2
    stepWeight: 20
    maxWeight: 60
    metrics:
    - name: gateway-success-rate
      templateRef: {name: gateway-success-rate}
      interval: 10s
      thresholdRange: {min: 99}
YAML
$K apply -f "$OUT/controllers.yaml" >> "$OUT/kubectl.log"

phases() { $K get "rollouts.plonk.dev/echo-plonk" "canaries.flagger.app/echo-flagger" -n "$NS" \
  -o jsonpath='{range .items[*]}{.status.phase}{" "}{end}' 2>/dev/null || true; }
# Waits until each controller's object reaches one of the wanted phases; sets T_PLONK and T_FLAGGER to the seconds
# since $1 (an epoch with nanoseconds) at which it was first seen there ("timeout" if never).
await() { # start-epoch wanted-phases...
  local start="$1"; shift
  T_PLONK=""; T_FLAGGER=""
  local deadline=$((SECONDS + PHASE_TIMEOUT)) p f now
  while [ $SECONDS -lt $deadline ] && { [ -z "$T_PLONK" ] || [ -z "$T_FLAGGER" ]; }; do
    read -r p f <<< "$(phases)"
    now="$(date +%s.%N)"
    [ -z "$T_PLONK" ] && [[ " $* " == *" ${p:-none} "* ]] && T_PLONK="$(awk -v a="$now" -v b="$start" 'BEGIN{printf "%.1f", a-b}')"
    [ -z "$T_FLAGGER" ] && [[ " $* " == *" ${f:-none} "* ]] && T_FLAGGER="$(awk -v a="$now" -v b="$start" 'BEGIN{printf "%.1f", a-b}')"
    sleep 0.2
  done
  echo "[$(phases)] plonk=${T_PLONK:-timeout} flagger=${T_FLAGGER:-timeout}" >> "$OUT/phases.log"
  T_PLONK="${T_PLONK:-timeout}"; T_FLAGGER="${T_FLAGGER:-timeout}"
}

# Seconds from $1 (epoch) to the first Event of each controller that says it saw the new revision (Events carry
# whole seconds, so +-1 s): Plonk's NewRevision, Flagger's "New revision detected".
noticed() { # start-epoch
  $K get events -n "$NS" -o json | python3 -c '
import json, sys, datetime
start = float(sys.argv[1]); seen = {}
for e in json.load(sys.stdin)["items"]:
    name, reason, msg = e["involvedObject"]["name"], e.get("reason", ""), e.get("message", "")
    if not (reason == "NewRevision" or msg.startswith("New revision detected")):
        continue
    # an Event repeated with the same message keeps its firstTimestamp: take the first stamp after the start
    for key in ("eventTime", "firstTimestamp", "lastTimestamp"):
        if e.get(key):
            t = datetime.datetime.fromisoformat(e[key].replace("Z", "+00:00")).timestamp()
            if t >= int(start):
                seen[name] = min(seen.get(name, 1e18), t)
for name in ("echo-plonk", "echo-flagger"):
    print("%.0f" % max(0, seen[name] - start) if name in seen else "n/a", end=" ")
' "$1"
}

say "waiting for both to initialize (Flagger creates echo-flagger-primary and its Services and TrafficSplit)"
await "$(date +%s.%N)" Initialized Succeeded
INIT_P="$T_PLONK"; INIT_F="$T_FLAGGER"
wait_ok "$GATEWAY_URL/function/echo-plonk.$NS" 60 "the gateway to route echo-plonk"
wait_ok "$GATEWAY_URL/function/echo-flagger.$NS" 60 "the gateway to route echo-flagger"

TOOLS="gateway-netty/target/test-classes:$(cat gateway-netty/target/bench-classpath.txt)"
load() { # function seconds out
  java -Xmx64m -cp "$TOOLS" dev.plonk.gateway.bench.OpenLoopLoad "$GATEWAY_URL/function/$1.$NS" "$RATE" "$2" > "$3" 2>&1 &
  PIDS+=($!)
  echo $!
}
stop_load() { kill -TERM "$1" 2>/dev/null || true; for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done; }
sent() { awk -F= '/^sent=/ {print $2}' "$1"; }
failed() { awk -F= '/^code_/ { split($1, c, "_"); if (c[2] < 200 || c[2] >= 300) n += $2 } END { print n + 0 }' "$1"; }
cpu0() { CPU_P0="$(cpu_seconds "$PLONK_PID")"; CPU_F0="$(cpu_seconds "$FLAGGER_PID")"; }
cpu_used() { awk -v a="$(cpu_seconds "$1")" -v b="$2" 'BEGIN{printf "%.1f", a-b}'; }

say "traffic: $RATE calls/s per function through the gateway (open loop), 15 s before the first release"
LP="$(load echo-plonk 900 "$OUT/load-plonk-healthy.txt")"; LF="$(load echo-flagger 900 "$OUT/load-flagger-healthy.txt")"
sleep 15
cpu0
say "release a healthy v2 to both: kubectl set env VERSION=v2"
T0="$(date +%s.%N)"
$K set env deploy/echo-plonk deploy/echo-flagger -n "$NS" VERSION=v2 >> "$OUT/kubectl.log"
await "$T0" Progressing Promoting Finalising Succeeded
START_P="$T_PLONK"; START_F="$T_FLAGGER"
await "$T0" Succeeded Failed
read -r NOTICE_P NOTICE_F <<< "$(noticed "$T0")"
PROMOTE_P="$T_PLONK"; PROMOTE_F="$T_FLAGGER"
PHASE_P="$($K get rollouts.plonk.dev/echo-plonk -n "$NS" -o jsonpath='{.status.phase}')"
PHASE_F="$($K get canaries.flagger.app/echo-flagger -n "$NS" -o jsonpath='{.status.phase}')"
stop_load "$LP"; stop_load "$LF"
sleep 5

say "release a bad v3 to both (FAIL_RATE=0.5): count the failed user calls until each rolls back"
LP="$(load echo-plonk 900 "$OUT/load-plonk-bad.txt")"; LF="$(load echo-flagger 900 "$OUT/load-flagger-bad.txt")"
sleep 10
T1="$(date +%s.%N)"
$K set env deploy/echo-plonk deploy/echo-flagger -n "$NS" VERSION=v3 FAIL_RATE=0.5 >> "$OUT/kubectl.log"
await "$T1" Progressing Promoting Finalising Succeeded Failed
START2_P="$T_PLONK"; START2_F="$T_FLAGGER"
# Stop each function's load as soon as its controller has rolled back.
deadline=$((SECONDS + PHASE_TIMEOUT)); RB_P=""; RB_F=""
while [ $SECONDS -lt $deadline ] && { [ -z "$RB_P" ] || [ -z "$RB_F" ]; }; do
  read -r p f <<< "$(phases)"
  now="$(date +%s.%N)"
  if [ -z "$RB_P" ] && [ "$p" = Failed ]; then RB_P="$(awk -v a="$now" -v b="$T1" 'BEGIN{printf "%.1f", a-b}')"; stop_load "$LP"; fi
  if [ -z "$RB_F" ] && [ "$f" = Failed ]; then RB_F="$(awk -v a="$now" -v b="$T1" 'BEGIN{printf "%.1f", a-b}')"; stop_load "$LF"; fi
  sleep 0.2
done
stop_load "$LP"; stop_load "$LF"
read -r NOTICE2_P NOTICE2_F <<< "$(noticed "$T1")"
CPU_P="$(cpu_used "$PLONK_PID" "$CPU_P0")"; CPU_F="$(cpu_used "$FLAGGER_PID" "$CPU_F0")"

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (x ~ /^[0-9.]+$/ && y ~ /^[0-9.]+$/ && x > 0) printf "%.2fx", y / x; else print "-" }'; }
{
  echo "Plonk (this checkout) and Flagger $FLAGGER_VERSION on one devstack, $(date -u +%FT%TZ); same function (samples echo),"
  echo "analysis interval 2s, threshold 2, stepWeight 20, maxWeight 60, success >= 99% over 10s from the gateway's"
  echo "per-backend series; $RATE calls/s per function through the Plonk gateway (direct mode), open loop."
  echo
  echo "| | Plonk | Flagger | Flagger / Plonk |"
  echo "|---|---|---|---|"
  echo "| initialized after apply (s) | $INIT_P | $INIT_F | $(ratio "$INIT_P" "$INIT_F") |"
  echo "| healthy v2: new revision noticed (first Event, s, +-1) | $NOTICE_P | $NOTICE_F | $(ratio "$NOTICE_P" "$NOTICE_F") |"
  echo "| healthy v2: phase Progressing (s) | $START_P | $START_F | $(ratio "$START_P" "$START_F") |"
  echo "| healthy v2: promoted (s, final phase) | $PROMOTE_P ($PHASE_P) | $PROMOTE_F ($PHASE_F) | $(ratio "$PROMOTE_P" "$PROMOTE_F") |"
  echo "| bad v3 (50% errors): new revision noticed (first Event, s, +-1) | $NOTICE2_P | $NOTICE2_F | $(ratio "$NOTICE2_P" "$NOTICE2_F") |"
  echo "| bad v3: phase Progressing (s) | $START2_P | $START2_F | $(ratio "$START2_P" "$START2_F") |"
  echo "| bad v3: rolled back (s) | ${RB_P:-timeout} | ${RB_F:-timeout} | $(ratio "${RB_P:-x}" "${RB_F:-x}") |"
  echo "| healthy v2: failed user calls (of $(sent "$OUT/load-plonk-healthy.txt") / $(sent "$OUT/load-flagger-healthy.txt")) | $(failed "$OUT/load-plonk-healthy.txt") | $(failed "$OUT/load-flagger-healthy.txt") | |"
  echo "| bad v3: failed user calls until rollback | $(failed "$OUT/load-plonk-bad.txt") | $(failed "$OUT/load-flagger-bad.txt") | $(ratio "$(failed "$OUT/load-plonk-bad.txt")" "$(failed "$OUT/load-flagger-bad.txt")") |"
  echo "| controller RSS at 1 rollout (MiB) | $(rss_mib "$PLONK_PID") | $(rss_mib "$FLAGGER_PID") | $(ratio "$(rss_mib "$PLONK_PID")" "$(rss_mib "$FLAGGER_PID")") |"
  echo "| controller CPU during both releases (s) | $CPU_P | $CPU_F | $(ratio "$CPU_P" "$CPU_F") |"
  echo
  echo "conditions: $(nproc) cores shared by everything (devstack, gateway, worker, both controllers, the functions,"
  echo "the load); load average before: $LOAD, after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Plonk controller JVM: $(tr '\0' ' ' < "/proc/$PLONK_PID/cmdline" | grep -o -- ' -X[^ ]*' | tr -d '\n')"
} | tee "$OUT/results.md"

# Second part, at scale: each controller alone on a fresh devstack with $SCALE targets (a kubelet stand-in marks them
# ready; no function runs) and as many Rollouts or Canaries, same analysis (interval 20 s, threshold 3, stepWeight 10,
# maxWeight 50, success rate over 10 s from a fake gateway's series). bench/controller's ControllerBench drives both.
[ "$SCALE" -gt 0 ] || exit 0
cleanup; PIDS=()
CP="rollout-controller/target/test-classes:rollout-controller/target/classes:$(cat rollout-controller/target/bench-classpath.txt)"
for who in plonk flagger; do
  say "at scale: $SCALE targets under $who, alone on a fresh devstack (log: $OUT/scale-$who.log)"
  args=(--rollouts "$SCALE" --out "$OUT/scale-$who")
  [ "$who" = flagger ] && args+=(--flagger "$FLAGGER" --flagger-crds "$FLAGGER_MODULE/artifacts/flagger/crd.yaml")
  timeout 1800 java -Xmx1g -cp "$CP" dev.plonk.controller.ControllerBench "${args[@]}" > "$OUT/scale-$who.log" 2>&1
done
read -r N_P BOOT_P BURST_P RSS_P PEAK_P CPU_P < "$OUT/scale-plonk/summary.txt"
read -r N_F BOOT_F BURST_F RSS_F PEAK_F CPU_F < "$OUT/scale-flagger/summary.txt"
{
  echo
  echo "At scale, $(date -u +%FT%TZ): each controller alone on a fresh devstack with $SCALE targets and as many Rollouts"
  echo "/ Canaries (interval ${BENCH_INTERVAL:-20s}, threshold 3, stepWeight 10, maxWeight 50; kubelet stand-in; details in scale-*/results.md)."
  echo
  echo "| at $SCALE | Plonk | Flagger | Flagger / Plonk |"
  echo "|---|---|---|---|"
  echo "| Initialized | $N_P | $N_F | |"
  echo "| bootstrap: first Rollout / Canary applied to all Initialized (s) | $BOOT_P | $BOOT_F | $(ratio "$BOOT_P" "$BOOT_F") |"
  echo "| new revision to all Progressing (s) | $BURST_P | $BURST_F | $(ratio "$BURST_P" "$BURST_F") |"
  echo "| controller RSS at the end (MiB) | $RSS_P | $RSS_F | $(ratio "$RSS_P" "$RSS_F") |"
  echo "| controller peak RSS (MiB) | $PEAK_P | $PEAK_F | $(ratio "$PEAK_P" "$PEAK_F") |"
  echo "| controller CPU while progressing (cores) | $CPU_P | $CPU_F | $(ratio "$CPU_P" "$CPU_F") |"
} | tee -a "$OUT/results.md"
