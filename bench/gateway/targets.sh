# Sourced by bench/gateway/run.sh and jvm.sh after bench/lib.sh and start_devstack: the upstream and the proxies
# under test, all on loopback (see bench/gateway/README.md).
#   A  the upstream: nginx, 1 worker, `return 200`                   start_upstream
#   B  nginx proxy_pass to A with upstream keepalive                   start_nginx_proxy <port>
#   C  the Plonk gateway, direct mode, function echo.bench -> A        start_plonk_gateway <port> <jvm flags>...
#      (after `bench_function echo "$A_PORT" <any IP>` of lib.sh)
#   D  the OpenFaaS CE gateway (bench/gateway/openfaas.sh) -> A        start_openfaas_gateway <binary> <port>
# Each start_* appends the process to PIDS (stopped by lib.sh's cleanup) and sets LAST_PID.
PATH_="/function/echo.bench"

start_upstream() { # sets A_PORT
  A_PORT="$(free_port)"
  nginx_conf upstream 1 <<NGINX
  server {
    listen 127.0.0.1:$A_PORT backlog=1024;
    keepalive_requests 1000000;
    client_body_buffer_size 16k;
    location / { return 200 "ok\n"; }
  }
NGINX
  nginx -c "$OUT/upstream.conf" -p "$OUT" & PIDS+=($!)
  wait_ok "http://127.0.0.1:$A_PORT$PATH_" 30 "the upstream"
}

start_nginx_proxy() { # port
  nginx_conf proxy auto <<NGINX
  upstream fn { server 127.0.0.1:$A_PORT; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$1 backlog=1024;
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
NGINX
  nginx -c "$OUT/proxy.conf" -p "$OUT" & LAST_PID=$!; PIDS+=($LAST_PID)
  wait_ok "http://127.0.0.1:$1$PATH_" 30 "nginx proxy"
}


# GATEWAY_ENV: extra NAME=value words for the gateway's environment (after MALLOC_ARENA_MAX=2, as deploy/ sets it).
start_plonk_gateway() { # port jvm-flags (one word each)...
  local port="$1"; shift
  # shellcheck disable=SC2086
  env MALLOC_ARENA_MAX=2 ${GATEWAY_ENV:-} java "$@" -Dio.netty.leakDetection.level=disabled \
    -jar gateway-netty/target/plonk-gateway.jar --port "$port" --kubeconfig "$KUBECONFIG" --routing direct \
    --endpoint-host 127.0.0.1 --no-basic-auth ${BENCH_GATEWAY_FLAGS:-} > "$OUT/gateway-$port.log" 2>&1 &
  LAST_PID=$!; PIDS+=($LAST_PID)
  wait_ok "http://127.0.0.1:$port/healthz" 60 "the gateway on $port"
  wait_ok "http://127.0.0.1:$port$PATH_" 30 "the gateway on $port to route echo.bench"
}

# The OpenFaaS gateway forwards /function/<name> to functions_provider_url (faas-netes in OpenFaaS CE); pointed at A
# it measures the gateway alone, without the provider hop a real OpenFaaS adds. Keep-alive pool sized like nginx's.
start_openfaas_gateway() { # binary port
  port="$2" metrics_port="$(free_port)" functions_provider_url="http://127.0.0.1:$A_PORT/" basic_auth=false \
    max_idle_conns=128 max_idle_conns_per_host=128 read_timeout=30s write_timeout=30s upstream_timeout=25s \
    "$1" > "$OUT/openfaas-gateway.log" 2>&1 &
  LAST_PID=$!; PIDS+=($LAST_PID)
  wait_ok "http://127.0.0.1:$2$PATH_" 30 "the OpenFaaS gateway"
}
