# Shared helpers for bench/*/run.sh (sourced; the caller sets BENCH and OUT first).
# BENCH_SMOKE=1 (./plonk bench --smoke) asks every benchmark for tiny settings: it proves the script still runs
# end to end in a few seconds of measuring, and its numbers mean nothing.
PIDS=()
cleanup() { # TERM, up to 20 s for the devstack to stop what it started, then KILL
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
say() { printf '[bench/%s] %s\n' "$BENCH" "$*" >&2; }
smoke() { [ "${BENCH_SMOKE:-0}" = 1 ]; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ok() { # url seconds what
  for _ in $(seq 1 $(( $2 * 5 ))); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "timed out after $2 s waiting for $3 ($1); logs in $OUT" >&2; exit 1
}
# Writes $OUT/<name>.conf, an nginx config with its pid, logs and temp files under $OUT; the http block's servers
# (and anything else in it) come on stdin. Run it with: nginx -c "$OUT/<name>.conf" -p "$OUT".
nginx_conf() { # name worker_processes
  { cat <<NGINX
daemon off;
worker_processes $2;
pid $OUT/$1.pid;
error_log $OUT/$1-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/$1-body;
  proxy_temp_path $OUT/$1-temp;
NGINX
    cat; echo "}"; } > "$OUT/$1.conf"
}
# A function for a gateway in direct mode with --endpoint-host 127.0.0.1 in namespace bench: a Service and an
# EndpointSlice on the devstack's apiserver, whose one endpoint (any IP: it is dialled as 127.0.0.1) has the port given.
bench_function() { # name port endpoint-ip
  "$KUBECTL" --kubeconfig "$KUBECONFIG" apply -f - > /dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: bench, annotations: {openfaas: "1"}}
---
apiVersion: v1
kind: Service
metadata: {name: $1, namespace: bench, labels: {faas_function: $1}}
spec:
  selector: {faas_function: $1}
  ports: [{name: http, port: $2, targetPort: $2, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: $1-1, namespace: bench, labels: {kubernetes.io/service-name: $1}}
addressType: IPv4
endpoints: [{addresses: [$3], conditions: {ready: true}}]
ports: [{name: http, port: $2, protocol: TCP}]
YAML
}
# Builds the given modules and what they depend on in one reactor (-am), so a fresh clone with an empty ~/.m2 works
# and nothing is installed; writes each module's class path (test scope) to <module>/target/bench-classpath.txt.
build_modules() { # comma-separated modules
  say "building $1 and what it depends on (reactor package, class paths; nothing installed)"
  ./mvnw -B -q -Dstyle.color=never -pl "$1" -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
}
# Starts the devstack (kube-apiserver + etcd, Prometheus, NATS) in $OUT/devstack and exports its devstack.env;
# arguments go to DevStackMain (e.g. --with-plonk).
start_devstack() {
  say "starting the devstack (kube-apiserver + etcd, Prometheus, NATS) in $OUT/devstack $*"
  java -cp "devstack/target/classes:$(cat devstack/target/bench-classpath.txt)" dev.plonk.devstack.DevStackMain \
    --dir "$OUT/devstack" "$@" > "$OUT/devstack.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do [ -f "$OUT/devstack/devstack.env" ] && break; sleep 1; done
  [ -f "$OUT/devstack/devstack.env" ] || { tail -30 "$OUT/devstack.log" >&2; echo "devstack did not start" >&2; exit 1; }
  set -a; . "$OUT/devstack/devstack.env"; set +a
}
# The JVM memory settings Plonk's processes run with (devstack PlonkComponents, deploy/ JAVA_TOOL_OPTIONS): RSS budget
# 128 MiB. The controller and the queue-worker run C1 only (PLONK_C1_JVM).
PLONK_JVM="-XX:+UseSerialGC -Xms8m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Xss256k -XX:ReservedCodeCacheSize=32m"
PLONK_C1_JVM="$PLONK_JVM -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
# The gateway keeps C2 (C1 cost it 1.8x the CPU per call) and adds what bench/gateway/jvm.sh measured to stay under the
# budget (bench/README.md; devstack PlonkComponents.GATEWAY_JVM, deploy/base/gateway.yaml).
PLONK_GATEWAY_JVM="$PLONK_JVM -Xmn4m -XX:TrimNativeHeapInterval=1000 -XX:MetaspaceReclaimPolicy=aggressive \
-Dio.netty.allocator.type=pooled -Dio.netty.allocator.numDirectArenas=2 -Dio.netty.allocator.numHeapArenas=0 \
-Dio.netty.allocator.maxOrder=6"
# Resident set size of a process in MiB (VmRSS), and its CPU seconds (user + system) so far.
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
peak_rss_mib() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# samples/manifests/echo.yaml for the devstack's process runtime, which runs a container's command as a local process
# (the manifest itself names only the image, for the real node): adds the command that runs the built classes.
# The preStop sleep goes: the process runtime has no preStop, and Flagger v1.36.1 (bench/peers), whose Kubernetes types
# predate the sleep handler, would copy an empty preStop into echo-flagger-primary, which the apiserver refuses.
echo_for_process_runtime() {
  sed -e 's|^\(        image: plonk.local/echo:dev\)$|\1\n        command: [java, -Xmx64m, -cp, "$(PLONK_HOME)/samples/target/classes", dev.plonk.samples.EchoFunction]|' \
    -e '/^        lifecycle:/d' -e '/^          preStop:/d' samples/manifests/echo.yaml
}
