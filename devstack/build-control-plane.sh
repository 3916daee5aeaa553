#!/usr/bin/env bash
# Builds kube-apiserver and kubectl (from k8s.io/kubernetes) and etcd (from go.etcd.io/etcd/server/v3)
# with the installed Go, through wrapper modules, and caches them under ~/.cache/plonk/.
# Skips whatever is already cached. Prints progress: a cold build takes many minutes.
set -euo pipefail
BUILD_WHAT=control-plane
# shellcheck source=build-lib.sh
. "$(dirname "$0")/build-lib.sh"

ETCD_VERSION="${PLONK_ETCD_VERSION:-v3.6.16}"
KUBE_DIR="$CACHE/kube-apiserver-$K8S_VERSION"
ETCD_OUT="$CACHE/etcd-$ETCD_VERSION/etcd"

if all_cached "$ETCD_OUT"; then
  log "etcd $ETCD_VERSION cached at $ETCD_OUT"
else
  CGO_ENABLED=0 build_go_main "$ETCD_OUT" go.etcd.io/etcd/server/v3 "$ETCD_VERSION" \
    'package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }' -ldflags "-s -w"
fi
build_kube_cmds "$KUBE_DIR" kube-apiserver kubectl

"$KUBE_DIR/kube-apiserver" --version
"$KUBE_DIR/kubectl" version --client | sed -n 1p
"$ETCD_OUT" --version | sed -n 1p
