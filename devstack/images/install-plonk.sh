#!/usr/bin/env bash
# Installs Plonk on the devstack's running node the way a user installs it: loads the locally built images into the
# node's containerd, applies the routers' CRDs and `kubectl apply -k deploy/overlays/devstack` (or $PLONK_OVERLAY), creates the gateway's
# basic-auth Secret, exposes the gateway on NodePort 30080 of the node (a devstack convenience, not part of deploy/),
# and waits until every pod of plonk-system and monitoring is Ready.
#   install-plonk.sh DEVSTACK_ENV IMAGE_LIST   (devstack.env of ./plonk up --node; IMAGE_LIST from build-images.sh)
# PLONK_OVERLAY: the overlay of deploy/overlays to apply (default devstack; devstack-linkerd for mesh mode, after
# devstack/install-linkerd.sh, since a pod created while Linkerd's injector is not there runs without a proxy).
# Appends GATEWAY_URL, GATEWAY_PASSWORD and FUNCTION_NAMESPACE to DEVSTACK_ENV.
set -euo pipefail
cd "$(dirname "$0")/../.."
env_file="$1" image_list="$2"
log() { echo "[install $(date +%H:%M:%S)] $*"; }
# shellcheck disable=SC1090
set -a; . "$env_file"; set +a
[ -n "${NODE_IP:-}" ] || { echo "install-plonk: $env_file describes no node (./plonk up --node)" >&2; exit 1; }
K=("$KUBECTL" --kubeconfig "$KUBECONFIG")
start=$SECONDS

# An image containerd already has (the same tag with the same config digest, which the CRI reports as the image's id)
# is not imported again: ./plonk up has the node load them while the control plane starts.
loaded_images="$("$CRICTL" --config "$CRI_CONFIG_FILE" images -o json 2>/dev/null \
  | jq -r '.images[] | .id as $id | .repoTags[]? | $id + " " + .')"
identity() {   # "sha256:<config digest> <tag>" of a docker-save tarball
  local manifest; manifest="$(tar --occurrence=1 -xOf "$1" manifest.json)"
  echo "sha256:$(tar --occurrence=1 -xOf "$1" "$(jq -r '.[0].Config' <<< "$manifest")" | sha256sum | cut -d' ' -f1)" \
    "$(jq -r '.[0].RepoTags[0]' <<< "$manifest")"
}
pids=() logs="$(mktemp -d)" skipped=0
while read -r tar; do   # ctr's stderr kept apart: it warns about cgroup v1 on every call
  if grep -qxF "$(identity "$tar")" <<< "$loaded_images"; then skipped=$((skipped + 1)); continue; fi
  "$CTR" --address "$CONTAINERD_ADDRESS" --namespace k8s.io images import --local "$tar" >/dev/null \
    2> "$logs/$(basename "$tar").log" &
  pids+=($!)
done < "$image_list"
log "loading ${#pids[@]} images into the node's containerd, in parallel ($skipped already there with the same digest)"
for pid in "${pids[@]}"; do
  wait "$pid" || { cat "$logs"/*.log >&2; echo "install-plonk: an image import failed (ctr images import)" >&2; exit 1; }
done
rm -rf "$logs"
loaded=$SECONDS

# the routers' CRDs: SMI TrafficSplit from the pinned copy in the checkout, Gateway API HTTPRoute from its Go module
gateway_api="$(cd "${PLONK_CACHE:-$HOME/.cache/plonk}" && GOTOOLCHAIN=local GOFLAGS=-mod=mod \
  go mod download -json "sigs.k8s.io/gateway-api@${PLONK_GATEWAY_API_VERSION:-v1.4.1}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
for crd in "${PLONK_UPSTREAM_CRDS:-mesh-integration/src/main/upstream-crds}/smi-trafficsplit.yaml" \
    "$gateway_api/config/crd/standard/gateway.networking.k8s.io_httproutes.yaml"; do
  [ -f "$crd" ] || { echo "install-plonk: $crd is missing (the routers' CRDs)" >&2; exit 1; }
  "${K[@]}" apply --server-side --force-conflicts -f "$crd" >/dev/null
done
overlay="deploy/overlays/${PLONK_OVERLAY:-devstack}"
[ -f "$overlay/kustomization.yaml" ] || { echo "install-plonk: PLONK_OVERLAY=$PLONK_OVERLAY: no $overlay/kustomization.yaml" >&2; exit 1; }
log "kubectl apply -k $overlay"
"${K[@]}" apply --server-side --force-conflicts -k "$overlay" | sed 's/^/    /'
password="$(openssl rand -hex 12)"
"${K[@]}" -n plonk-system create secret generic plonk-gateway-basic-auth --from-literal=basic-auth-user=admin \
  --from-literal=basic-auth-password="$password" --dry-run=client -o yaml | "${K[@]}" apply --server-side -f - >/dev/null
"${K[@]}" -n plonk-system create service nodeport plonk-gateway-node --tcp=8080:8080 --node-port=30080 \
  --dry-run=client -o yaml | sed 's/app: plonk-gateway-node/app.kubernetes.io\/name: plonk-gateway/' \
  | "${K[@]}" apply --server-side -f - >/dev/null

log "waiting for every Plonk pod to be Ready"
for ns in plonk-system monitoring; do
  if ! "${K[@]}" -n "$ns" wait deployment --all --for=condition=Available --timeout=300s >/dev/null; then
    "${K[@]}" -n "$ns" get pods -o wide >&2
    echo "install-plonk: Plonk's pods in $ns are not Ready after 300 s" >&2; exit 1
  fi
  "${K[@]}" -n "$ns" rollout status deployment --timeout=120s >/dev/null
done
"${K[@]}" get pods -n plonk-system -o wide | sed 's/^/    /'
"${K[@]}" get pods -n monitoring -o wide | sed 's/^/    /'
{
  echo "GATEWAY_URL=http://$NODE_IP:30080"
  echo "GATEWAY_PASSWORD=$password"
  echo "FUNCTION_NAMESPACE=openfaas-fn"
  echo "PROMETHEUS_URL=http://$("${K[@]}" -n monitoring get pod -l app.kubernetes.io/name=prometheus -o jsonpath='{.items[0].status.podIP}'):9090"
} >> "$env_file"
log "Plonk on pods: images loaded in $((loaded - start))s, every pod Ready $((SECONDS - loaded))s after kubectl apply -k"
