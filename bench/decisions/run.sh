#!/usr/bin/env bash
# Benchmark: decision quality of the analysis (issue 13). Seeded rollouts simulated on the pure state machine
# (rollout-controller's analysis code, no apiserver): fixed thresholds and comparison with the primary, same steps,
# same traffic draws, in one run. Results: target/bench/decisions/simulation.md. Bounded: a few minutes on 2 cores.
# BENCH_TRIALS (default 1000) trials per row; extra arguments go to DecisionBench (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/bench/decisions"
BENCH=decisions
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"
if smoke; then export BENCH_TRIALS="${BENCH_TRIALS:-20}"; fi
build_modules rollout-controller
mkdir -p "$OUT"
CP="rollout-controller/target/test-classes:rollout-controller/target/classes:$(cat rollout-controller/target/bench-classpath.txt)"
say "simulating ${BENCH_TRIALS:-1000} trials per setting and mode"
timeout 900 java -Xmx512m -cp "$CP" dev.plonk.controller.analysis.sim.DecisionBench \
  --trials "${BENCH_TRIALS:-1000}" --tolerance "${BENCH_TOLERANCE:-0.5,2}" --out "$OUT" "$@"
