#!/usr/bin/env bash
# Benchmark: N Rollouts (default 1000) on one rollout-controller process against the devstack.
# Results: target/bench/controller/results.md (and controller.log). Bounded: about 5-8 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl devstack,crds,mesh-integration,rollout-controller install -DskipTests
./mvnw -B -q -pl rollout-controller dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p target/bench/controller
CP="rollout-controller/target/test-classes:rollout-controller/target/classes:$(cat rollout-controller/target/bench-classpath.txt)"
timeout 900 java -Xmx1g -cp "$CP" dev.plonk.controller.ControllerBench --out target/bench/controller "$@"
