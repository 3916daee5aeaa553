#!/usr/bin/env bash
# Benchmark: N Rollouts (default 1000) on one rollout-controller process against the devstack.
# Results: target/bench/controller/results.md (and controller.log). Bounded: about 5-8 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT="$ROOT/target/bench/controller"
BENCH=controller
# shellcheck source=../lib.sh
. "$ROOT/bench/lib.sh"
if smoke; then export BENCH_ROLLOUTS="${BENCH_ROLLOUTS:-5}" BENCH_MEASURE_SECONDS="${BENCH_MEASURE_SECONDS:-6}" BENCH_INTERVAL="${BENCH_INTERVAL:-2s}"; fi
build_modules devstack,rollout-controller
mkdir -p "$OUT"
CP="rollout-controller/target/test-classes:rollout-controller/target/classes:$(cat rollout-controller/target/bench-classpath.txt)"
timeout 1800 java -Xmx1g -cp "$CP" dev.plonk.controller.ControllerBench --out "$OUT" "$@"
