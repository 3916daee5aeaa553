#!/usr/bin/env bash
# Builds kube-apiserver (from k8s.io/kubernetes) and etcd (from go.etcd.io/etcd/server/v3)
# with the installed Go, through wrapper modules, and caches them under ~/.cache/plonk/.
# Skips whatever is already cached. Prints progress: a cold build takes many minutes.
set -euo pipefail

K8S_VERSION="${PLONK_K8S_VERSION:-v1.36.3}"
ETCD_VERSION="${PLONK_ETCD_VERSION:-v3.6.16}"
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

KUBE_DIR="$CACHE/kube-apiserver-$K8S_VERSION"
KUBE_OUT="$KUBE_DIR/kube-apiserver"
KUBECTL_OUT="$KUBE_DIR/kubectl"
ETCD_OUT="$CACHE/etcd-$ETCD_VERSION/etcd"
log() { echo "[control-plane $(date +%H:%M:%S)] $*"; }

# Runs a long command while printing a heartbeat every 30 s.
with_progress() {
  local what="$1"; shift
  local start=$SECONDS
  "$@" & local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    (( (SECONDS - start) % 30 == 0 )) && kill -0 "$pid" 2>/dev/null && log "$what ... $((SECONDS - start))s"
  done
  wait "$pid"
  log "$what done in $((SECONDS - start))s"
}

build_etcd() {
  [ -x "$ETCD_OUT" ] && { log "etcd $ETCD_VERSION cached at $ETCD_OUT"; return; }
  local dir; dir="$(mktemp -d)"
  cat > "$dir/go.mod" <<MOD
module plonk.dev/devstack/etcd

go 1.24

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
MOD
  cat > "$dir/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  log "resolving etcd $ETCD_VERSION modules"
  (cd "$dir" && go mod tidy)
  mkdir -p "$(dirname "$ETCD_OUT")"
  (cd "$dir" && with_progress "building etcd $ETCD_VERSION" \
    go build -trimpath -ldflags "-s -w" -o "$ETCD_OUT.tmp" .)
  mv "$ETCD_OUT.tmp" "$ETCD_OUT"
  rm -rf "$dir"
}

build_kube() {
  [ -x "$KUBE_OUT" ] && [ -x "$KUBECTL_OUT" ] && { log "kube-apiserver and kubectl $K8S_VERSION cached in $KUBE_DIR"; return; }
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local staging_version="v0.${K8S_VERSION#v1.}"
  local dir; dir="$(mktemp -d)"
  log "reading the staging module list of k8s.io/kubernetes $K8S_VERSION"
  local gomod
  gomod="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  local staging
  staging="$(awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print $1}' "$gomod")"
  local goline; goline="$(grep -m1 '^go ' "$gomod")"
  {
    echo "module plonk.dev/devstack/kube"
    echo
    echo "$goline"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    for m in $staging; do echo "	$m => $m $staging_version"; done
    echo ")"
  } > "$dir/go.mod"
  cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  log "resolving kubernetes $K8S_VERSION modules ($(echo "$staging" | wc -w) staging modules replaced with $staging_version)"
  (cd "$dir" && with_progress "go mod tidy" go mod tidy)
  local pkg=k8s.io/component-base/version cpkg=k8s.io/client-go/pkg/version
  local date; date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local ld="-s -w"
  for p in $pkg $cpkg; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  mkdir -p "$KUBE_DIR"
  local cmd
  for cmd in kube-apiserver kubectl; do
    (cd "$dir" && with_progress "building $cmd $K8S_VERSION (cold: many minutes)" \
      go build -trimpath -tags selinux,notest -ldflags "$ld" -o "$KUBE_DIR/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd")
    mv "$KUBE_DIR/$cmd.tmp" "$KUBE_DIR/$cmd"
  done
  rm -rf "$dir"
}

build_etcd
build_kube
"$KUBE_OUT" --version
"$KUBECTL_OUT" version --client | sed -n 1p
"$ETCD_OUT" --version | sed -n 1p
