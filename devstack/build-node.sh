#!/usr/bin/env bash
# Builds the node components of the devstack's real single-node cluster with the installed Go and caches each one
# under ~/.cache/plonk/<name>-<version>/ (rebuilt only when missing; progress lines while building):
#   kubelet, kube-controller-manager, kube-scheduler, kube-proxy  (k8s.io/kubernetes, same wrapper as kube-apiserver)
#   containerd, containerd-shim-runc-v2, ctr                      (github.com/containerd/containerd/v2, no cgo)
#   runc                                                          (github.com/opencontainers/runc, cgo + seccomp)
#   coredns                                                       (github.com/coredns/coredns, only the plugins used)
#   crictl                                                        (sigs.k8s.io/cri-tools)
#   CNI plugins bridge, host-local, loopback, portmap             (github.com/containernetworking/plugins)
#   the pause (sandbox) image                                     (devstack/images/pause, a docker-save tar)
# Build needs: libseccomp-dev, pkg-config.
#   build-node.sh [all|kube|runtime]   (default all; kube = the four Kubernetes binaries, runtime = the rest)
set -euo pipefail
PART="${1:-all}"
BUILD_WHAT=node
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=build-lib.sh
. "$HERE/build-lib.sh"

CONTAINERD_VERSION="${PLONK_CONTAINERD_VERSION:-v2.4.2}"
RUNC_VERSION="${PLONK_RUNC_VERSION:-v1.4.3}"
COREDNS_VERSION="${PLONK_COREDNS_VERSION:-v1.14.7}"
CRICTL_VERSION="${PLONK_CRICTL_VERSION:-v1.37.0}"
CNI_VERSION="${PLONK_CNI_VERSION:-v1.9.1}"
PAUSE_VERSION=1   # bump when devstack/images/pause changes

if [ "$PART" != runtime ]; then
  for cmd in kubelet kube-controller-manager kube-scheduler kube-proxy; do
    build_kube_cmds "$CACHE/$cmd-$K8S_VERSION" "$cmd"
  done
  [ "$PART" = kube ] && exit 0
fi

CTRD="$CACHE/containerd-$CONTAINERD_VERSION"
if all_cached "$CTRD/containerd" "$CTRD/containerd-shim-runc-v2" "$CTRD/ctr"; then
  log "containerd $CONTAINERD_VERSION cached in $CTRD"
else
  m=github.com/containerd/containerd/v2
  CGO_ENABLED=0 build_go_pkgs "$CTRD" "$m" "$CONTAINERD_VERSION" "$m/cmd/containerd $m/cmd/containerd-shim-runc-v2 $m/cmd/ctr" \
    -tags "no_btrfs no_devmapper no_zfs" -ldflags "-s -w -X $m/version.Version=$CONTAINERD_VERSION"
fi

RUNC="$CACHE/runc-$RUNC_VERSION"
if all_cached "$RUNC/runc"; then
  log "runc $RUNC_VERSION cached in $RUNC"
else
  pkg-config --exists libseccomp || { echo "runc needs libseccomp-dev and pkg-config (apt-get install libseccomp-dev pkg-config)" >&2; exit 1; }
  CGO_ENABLED=1 build_go_pkgs "$RUNC" github.com/opencontainers/runc "$RUNC_VERSION" github.com/opencontainers/runc \
    -tags seccomp -ldflags "-s -w -X main.version=${RUNC_VERSION#v}"
fi

COREDNS="$CACHE/coredns-$COREDNS_VERSION"
if all_cached "$COREDNS/coredns"; then
  log "coredns $COREDNS_VERSION cached in $COREDNS"
else
  # Only the plugins the devstack's Corefile uses: no forwarder, no cloud back-ends.
  CGO_ENABLED=0 build_go_main "$COREDNS/coredns" github.com/coredns/coredns "$COREDNS_VERSION" 'package main

import (
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

func main() { coremain.Run() }' -ldflags "-s -w"
fi

CRICTL="$CACHE/crictl-$CRICTL_VERSION"
if all_cached "$CRICTL/crictl"; then
  log "crictl $CRICTL_VERSION cached in $CRICTL"
else
  CGO_ENABLED=0 build_go_pkgs "$CRICTL" sigs.k8s.io/cri-tools "$CRICTL_VERSION" sigs.k8s.io/cri-tools/cmd/crictl \
    -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION"
fi

PAUSE="$CACHE/pause-$PAUSE_VERSION/pause.tar"
if all_cached "$PAUSE"; then
  log "pause image $PAUSE_VERSION cached at $PAUSE"
else
  IMAGE_USER=65535:65535 bash "$HERE/go-image.sh" "$HERE/images/pause" "plonk.local/pause:$PAUSE_VERSION" "$PAUSE"
fi

CNI="$CACHE/cni-plugins-$CNI_VERSION"
if all_cached "$CNI/bridge" "$CNI/host-local" "$CNI/loopback" "$CNI/portmap"; then
  log "CNI plugins $CNI_VERSION cached in $CNI"
else
  m=github.com/containernetworking/plugins
  CGO_ENABLED=0 build_go_pkgs "$CNI" "$m" "$CNI_VERSION" \
    "$m/plugins/main/bridge $m/plugins/ipam/host-local $m/plugins/main/loopback $m/plugins/meta/portmap" \
    -ldflags "-s -w -X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$CNI_VERSION"
fi
[ "$PART" = runtime ] && exit 0
log "versions: kubelet $("$CACHE/kubelet-$K8S_VERSION/kubelet" --version | cut -d' ' -f2), containerd $("$CTRD/containerd" --version | cut -d' ' -f3)," \
  "runc $("$RUNC/runc" --version | sed -n '1s/runc version //p'), coredns $("$COREDNS/coredns" -version | sed -n 's/^CoreDNS-//p' | head -1)," \
  "crictl $("$CRICTL/crictl" --version | cut -d' ' -f3), CNI plugins $CNI_VERSION"
