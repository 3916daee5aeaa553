#!/usr/bin/env bash
# Benchmark: decision quality of the analysis (issue 13). Seeded rollouts simulated on the pure state machine
# (rollout-controller's analysis code, no apiserver): fixed thresholds and comparison with the primary, same steps,
# same traffic draws, in one run. Results: target/bench/decisions/simulation.md. Bounded: a few minutes on 2 cores.
# BENCH_TRIALS (default 1000) trials per row; extra arguments go to DecisionBench (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl crds,mesh-integration,rollout-controller -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p target/bench/decisions
CP="rollout-controller/target/test-classes:rollout-controller/target/classes:$(cat rollout-controller/target/bench-classpath.txt)"
timeout 900 java -Xmx512m -cp "$CP" dev.plonk.controller.analysis.sim.DecisionBench \
  --trials "${BENCH_TRIALS:-1000}" --tolerance "${BENCH_TOLERANCE:-0.5,2}" --out target/bench/decisions "$@"
