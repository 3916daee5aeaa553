#!/usr/bin/env bash
# Installs Linkerd on the devstack's node with the `linkerd` CLI built from source (devstack/build-linkerd.sh) and the
# local images (devstack/build-linkerd-images.sh, loaded into the node's containerd beforehand):
#   0. the Gateway API CRDs (HTTPRoute, GRPCRoute: Linkerd needs them installed first), from the Go module
#      sigs.k8s.io/gateway-api, as the devstack's other upstream CRDs;
#   1. a trust anchor and an identity issuer for this devstack (ECDSA P-256, made with openssl in $PLONK_RUN_DIR);
#   2. `linkerd install --crds`, then `linkerd install` with that identity and `--registry plonk.local/linkerd`
#      (`linkerd upgrade --crds` / `linkerd upgrade` when Linkerd is installed already: the script is re-runnable);
#   3. `linkerd-smi install` (the TrafficSplit CRD and the adaptor that turns TrafficSplits into Linkerd routes), its
#      namespace annotated so the adaptor's proxy is an ordinary sidecar (linkerd-smi v0.2.7's check needs that);
#   4. `linkerd check`, which must pass.
# On a cluster that can pull cr.l5d.io, install the published Linkerd release instead (see the README).
# Settings that differ from upstream's defaults, and why:
#   --set proxy.await=false         linkerd-await is not among the snapshots (a post-start hook only)
#   --set proxyInit.runAsRoot=true  the images carry no file capabilities, so proxy-init runs as root (NET_ADMIN,
#                                   NET_RAW), as upstream allows
#   --disable-heartbeat             the heartbeat CronJob calls versioncheck.linkerd.io, unreachable here
#   --image-pull-policy Never       nothing is pulled: every image is imported into containerd
#   check --expected-version        the version check would ask versioncheck.linkerd.io; we pin the built version
# Env: the running devstack's $PLONK_RUN_DIR/devstack.env (KUBECONFIG, KUBECTL, CTR, CONTAINERD_ADDRESS) unless
#      KUBECONFIG is set; PLONK_CACHE; PLONK_LINKERD_CHECK_WAIT (default 5m).
# Usage: install-linkerd.sh [up|install|check|uninstall]
#   up       build Linkerd and its images if not cached, import the images into the node's containerd, install
#   install  install only (the images must be in containerd already)
set -euo pipefail

LINKERD_VERSION="${PLONK_LINKERD_VERSION:-edge-26.8.3}"
SMI_VERSION=v0.2.7
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
BIN="$CACHE/linkerd-$LINKERD_VERSION/bin"
RUN_DIR="${PLONK_RUN_DIR:-$CACHE/run}"
PKI="$RUN_DIR/linkerd-identity"
REGISTRY=plonk.local/linkerd
GATEWAY_API_VERSION="${PLONK_GATEWAY_API_VERSION:-v1.4.1}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[linkerd-install $(date +%H:%M:%S)] $*"; }
die() { echo "install-linkerd: $*" >&2; exit 1; }
if [ -z "${KUBECONFIG:-}" ] && [ -f "$RUN_DIR/devstack.env" ]; then
  set -a; . "$RUN_DIR/devstack.env"; set +a
fi
: "${KUBECONFIG:?is not set and there is no devstack.env in $RUN_DIR: start the devstack with ./plonk up --node}"
KUBECTL="${KUBECTL:-kubectl}"
export KUBECONFIG
command -v openssl >/dev/null || die "openssl is missing (apt-get install openssl)"
linkerd() { "$BIN/linkerd" --kubeconfig "$KUBECONFIG" "$@"; }
export PATH="$BIN:$PATH"   # `linkerd check` runs the linkerd-smi extension's checks through `linkerd-smi` on the PATH
need_cli() {
  local b; for b in linkerd linkerd-smi; do
    [ -x "$BIN/$b" ] || die "$BIN/$b is missing: run devstack/build-linkerd.sh first"
  done
}

# Builds what is not cached, and imports Linkerd's three images into the node's containerd.
up() {
  bash "$HERE/build-linkerd.sh"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo -E"
  $sudo bash "$HERE/build-linkerd-images.sh"
  : "${CTR:?is not set: the devstack runs no node (./plonk up --node)}"
  local image
  for image in proxy controller smi-adaptor; do
    log "importing $image into the node's containerd"
    "$CTR" images import "$CACHE/linkerd-$LINKERD_VERSION/images/$image.tar" >/dev/null
  done
  install
}

# The trust anchor (root) and the issuer the identity controller signs proxies' certificates with. Linkerd wants
# ECDSA P-256; the issuer is a CA (path length 0) named identity.linkerd.cluster.local.
make_identity() {
  [ -s "$PKI/issuer.crt" ] && return
  mkdir -p "$PKI"
  log "making the trust anchor and identity issuer in $PKI"
  (cd "$PKI"
   openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
   openssl req -x509 -new -key ca.key -days 3650 -subj "/CN=root.linkerd.cluster.local" \
     -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt
   openssl ecparam -name prime256v1 -genkey -noout -out issuer.key 2>/dev/null
   openssl req -new -key issuer.key -subj "/CN=identity.linkerd.cluster.local" -out issuer.csr
   printf '%s\n' "basicConstraints=critical,CA:TRUE,pathlen:0" "keyUsage=critical,keyCertSign,cRLSign" \
     "subjectAltName=DNS:identity.linkerd.cluster.local" > issuer.ext
   openssl x509 -req -in issuer.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -extfile issuer.ext \
     -out issuer.crt 2>/dev/null
   rm -f issuer.csr issuer.ext)
}

gateway_api_crds() {
  local json dir
  json=$(cd "$CACHE" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION")
  dir=$(printf '%s\n' "$json" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -d "$dir/config/crd/standard" ] || die "no Gateway API CRDs from sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION: is Go installed?"
  log "Gateway API $GATEWAY_API_VERSION CRDs (standard channel)"
  "$KUBECTL" apply --server-side -f "$dir/config/crd/standard" >/dev/null
}

install() {
  need_cli
  make_identity
  gateway_api_crds
  local start=$SECONDS
  # re-runnable: `linkerd install` refuses a cluster that has Linkerd already; `linkerd upgrade` renders the same
  # objects from the configuration stored in the cluster (same identity, same webhook certificates), and kubectl apply
  # changes nothing that is already as rendered
  local verb=install
  "$KUBECTL" -n linkerd get configmap linkerd-config >/dev/null 2>&1 && verb=upgrade
  log "linkerd $verb --crds"
  local crds; crds=$(linkerd "$verb" --crds | "$KUBECTL" apply -o name -f -)
  "$KUBECTL" wait --for condition=established --timeout=60s $crds >/dev/null
  if [ "$verb" = install ]; then
    log "linkerd install (registry $REGISTRY, identity from $PKI)"
    linkerd install \
      --registry "$REGISTRY" --image-pull-policy Never --disable-heartbeat \
      --identity-trust-anchors-file "$PKI/ca.crt" \
      --identity-issuer-certificate-file "$PKI/issuer.crt" --identity-issuer-key-file "$PKI/issuer.key" \
      --set proxy.await=false --set proxyInit.runAsRoot=true \
      | "$KUBECTL" apply -f - >/dev/null
  else
    log "linkerd upgrade (Linkerd is installed: the settings and identity stored in the cluster are kept)"
    linkerd upgrade | "$KUBECTL" apply -f - >/dev/null
  fi
  check
  # after the control plane: the proxy injector (a webhook that ignores its own absence) must be up to inject the
  # adaptor's pod. linkerd-smi v0.2.7's own check looks for the proxy among the pod's containers, so its namespace asks
  # for the proxy as an ordinary sidecar container instead of Linkerd's default native sidecar (an init container);
  # the annotation is on the namespace before the adaptor's pod exists (the injector reads it at admission)
  log "linkerd-smi install"
  "$KUBECTL" create namespace linkerd-smi --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null
  "$KUBECTL" annotate --overwrite namespace linkerd-smi config.linkerd.io/proxy-enable-native-sidecar=false >/dev/null
  "$BIN/linkerd-smi" --kubeconfig "$KUBECONFIG" install --skip-checks \
    --set adaptor.image.registry="$REGISTRY" --set adaptor.image.tag="$SMI_VERSION" \
    --set adaptor.image.pullPolicy=Never \
    | "$KUBECTL" apply -f - >/dev/null
  "$KUBECTL" -n linkerd-smi rollout status deploy/smi-adaptor --timeout=180s
  check
  log "Linkerd $LINKERD_VERSION installed ($verb) and checked in $((SECONDS - start))s"
}

check() {
  need_cli
  log "linkerd check"
  linkerd check --expected-version "$LINKERD_VERSION" --wait "${PLONK_LINKERD_CHECK_WAIT:-5m}"
}

uninstall() {
  "$BIN/linkerd-smi" --kubeconfig "$KUBECONFIG" uninstall | "$KUBECTL" delete --ignore-not-found -f - || true
  linkerd uninstall | "$KUBECTL" delete --ignore-not-found -f -
}

case "${1:-up}" in
  up) up ;;
  install) install ;;
  check) check ;;
  uninstall) uninstall ;;
  *) die "usage: $0 [up|install|check|uninstall]" ;;
esac
