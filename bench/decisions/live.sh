#!/usr/bin/env bash
# bench/decisions, part 2: live trials on the devstack (gateway in direct mode, rollout-controller, Prometheus, the echo
# function with FAIL_RATE), ~50 rps through the gateway on loopback. Trials alternate a bad canary (10% errors) and a
# healthy one (0%); each is timed from the controller's Events. BENCH_LIVE_TRIALS (default 10). Results:
# target/bench/decisions/live.md. Bounded: each trial at most 11 minutes, the load at most 2 hours, then ./plonk down.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/bench/decisions"
BENCH=decisions
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"
TRIALS="${BENCH_LIVE_TRIALS:-10}"
export PLONK_RUN_DIR="${PLONK_RUN_DIR:-$OUT/run}"
mkdir -p "$OUT"
trap 'touch "$OUT/stop"; cleanup; ./plonk down >/dev/null 2>&1 || true' EXIT
./plonk up
set -a; . "$PLONK_RUN_DIR/devstack.env"; set +a
K="$KUBECTL --kubeconfig $KUBECONFIG"
NS="$FUNCTION_NAMESPACE"

phase() { $K get rollout echo -n "$NS" -o jsonpath='{.status.phase}' 2>/dev/null || true; }
await_phase() { # "phases" seconds
  local start=$SECONDS
  while (( SECONDS - start < $2 )); do [[ " $1 " == *" $(phase) "* ]] && return 0; sleep 1; done
  echo "rollout did not reach $1 in $2 s (phase $(phase))" >&2; return 1
}
# Seconds (Event lastTimestamp) of the newest Event with this reason whose message contains the pattern.
event_time() {
  $K get events -n "$NS" --field-selector involvedObject.kind=Rollout -o \
    jsonpath='{range .items[*]}{.lastTimestamp}{"\t"}{.reason}{"\t"}{.message}{"\n"}{end}' \
    | awk -F'\t' -v r="$1" -v p="$2" '$2 == r && index($3, p) {t = $1} END {print t}' \
    | xargs -r -I{} date -u -d {} +%s
}

say "deploying echo and its Rollout (comparison: primary, tolerance 2pp at 99%; interval 10s, steps 10..50)"
echo_for_process_runtime | $K apply -f - >/dev/null
$K apply -f bench/decisions/rollout.yaml >/dev/null
await_phase "Initialized Succeeded" 180
rm -f "$OUT/stop"
python3 bench/decisions/load.py "$GATEWAY_URL/function/echo.$NS/" 50 7200 "$OUT/stop" > "$OUT/load.txt" 2>&1 &
PIDS+=($!)
sleep 15
printf '| trial | canary errors | outcome | from first traffic (s) | from analysis start (s) | decision |\n|---|---|---|---|---|---|\n' \
  > "$OUT/live.md"
for i in $(seq 1 "$TRIALS"); do
  rate=$([ $((i % 2)) = 1 ] && echo 0.1 || echo 0)
  say "trial $i/$TRIALS: canary FAIL_RATE=$rate"
  $K set env deploy/echo -n "$NS" VERSION="v$((i + 1))" FAIL_RATE="$rate" >/dev/null
  await_phase "Waiting Progressing" 120
  await_phase "Failed Succeeded" 660
  sleep 2
  ready=$(event_time CanaryReady "")
  first=$(event_time WeightChanged "canary weight 0 -> ")
  if [ "$(phase)" = Failed ]; then
    decided=$(event_time RolledBack ""); outcome="rolled back"
    why=$($K get rollout echo -n "$NS" -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}')
  else
    decided=$(event_time Promoting ""); outcome="promoted"
    why=$($K get rollout echo -n "$NS" -o jsonpath='{.status.conditions[?(@.type=="Analysis")].message}')
  fi
  printf '| %d | %s%% | %s | %s | %s | %s |\n' "$i" "$(python3 -c "print(round($rate * 100))")" "$outcome" \
    "$((decided - first))" "$((decided - ready))" "${why//|/\\|}" >> "$OUT/live.md"
  tail -1 "$OUT/live.md" >&2
done
touch "$OUT/stop"
wait "${PIDS[0]}" || true
say "load: $(cat "$OUT/load.txt")"
cat "$OUT/live.md"
