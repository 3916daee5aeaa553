#!/usr/bin/env bash
# Builds Linkerd's images for the devstack from the binaries devstack/build-linkerd.sh made (no registry here serves
# cr.l5d.io), each on a Debian root file system unpacked with mmdebstrap (no shell, no apt, no maintainer script):
#   plonk.local/linkerd/proxy:<version>       /usr/lib/linkerd/{linkerd2-proxy-identity (entrypoint), linkerd2-proxy,
#                                             linkerd2-proxy-init} + iptables (nft and legacy); proxy-init uses it too
#   plonk.local/linkerd/controller:<version>  /controller (destination, identity, proxy-injector, ...) and
#                                             /linkerd-policy-controller
#   plonk.local/linkerd/smi-adaptor:<smi version>  /smi-adaptor
# The tags say the images are local: install Linkerd with `--registry plonk.local/linkerd`. Left out of the upstream
# images, because mesh mode does not need them and they are not in the snapshots: linkerd-await (the proxy's
# post-start hook; install with proxy.await=false) and the CNI network validator (CNI mode only).
# Each image is a `docker save` tarball (devstack/image-tar.sh) under ~/.cache/plonk/linkerd-<version>/images/, rebuilt when a binary changes.
# Usage: build-linkerd-images.sh [proxy|controller|smi-adaptor ...]
set -euo pipefail

LINKERD_VERSION="${PLONK_LINKERD_VERSION:-edge-26.8.3}"
SMI_VERSION=v0.2.7
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
DIR="$CACHE/linkerd-$LINKERD_VERSION"
BIN="$DIR/bin"
OUT="$DIR/images"
SUITE="${PLONK_DEBIAN_SUITE:-bookworm}"
REGISTRY=plonk.local/linkerd
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1735689600}"
SELF="$(readlink -f "$0")"
HERE="$(dirname "$SELF")"
log() { echo "[linkerd-images $(date +%H:%M:%S)] $*"; }
die() { echo "build-linkerd-images: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap unpacks a root file system as root)"
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (apt-get install mmdebstrap)"

# build <name> <tag> <env> <packages> <hook: sh script, $1 = root fs> <entrypoint> <binaries...>: a Debian root file system with the
# binaries copied in, packed by devstack/image-tar.sh; cached by this script, the binaries and the packages' versions.
build() {
  local name="$1" tag="$2" env="$3" packages="$4" hook="$5" entrypoint="$6"; shift 6
  local b; for b in "$@"; do [ -x "$BIN/$b" ] || die "$BIN/$b is missing: run devstack/build-linkerd.sh first"; done
  local key; key="$({ sha256sum "$SELF" "$HERE/image-tar.sh" | cut -d' ' -f1; echo "$SUITE $packages"
    apt-cache policy ${packages//,/ } | awk '/^[^ ]/ {p=$1} /Candidate:/ {print p, $2}'
    (cd "$BIN" && sha256sum "$@"); } | sha256sum | cut -c1-16)"
  local file="$OUT/$name-$key.tar"
  mkdir -p "$OUT"
  if [ -s "$file" ]; then ln -sfn "$(basename "$file")" "$OUT/$name.tar"; log "$tag cached: $file"; return; fi
  log "$tag: building (Debian $SUITE: $packages)"
  local start=$SECONDS rootfs; rootfs="$(mktemp -d "$OUT/.$name.XXXXXX")"
  mmdebstrap --quiet --variant=extract --include="$packages" "$SUITE" "$rootfs" \
    || { rm -rf "$rootfs"; die "mmdebstrap failed for $tag"; }
  # mmdebstrap runs no customize hook for the extract variant: trim and add the binaries here
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info "$rootfs"/usr/share/locale
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete 2>/dev/null || true
  sh -ec "$hook" hook "$rootfs" || { rm -rf "$rootfs"; die "adding the binaries to $tag failed"; }
  IMAGE_ENV="$PATH_ENV $env" "$HERE/image-tar.sh" "$rootfs" "$tag" "$file.tmp" $entrypoint >/dev/null
  rm -rf "$rootfs"
  mv "$file.tmp" "$file"
  find "$OUT" -maxdepth 1 -name "$name-*.tar" ! -name "$(basename "$file")" -delete
  ln -sfn "$(basename "$file")" "$OUT/$name.tar"
  log "$tag: $(du -m "$file" | cut -f1) MB in $((SECONDS - start))s -> $file"
}

PATH_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export BIN   # read by the customize hooks

proxy() {
  # The injector runs the proxy as uid 2102 and proxy-init as root (proxyInit.runAsRoot=true) with NET_ADMIN and
  # NET_RAW, so no file capability is needed on the binaries.
  build proxy "$REGISTRY/proxy:$LINKERD_VERSION" \
    "LINKERD_CONTAINER_VERSION_OVERRIDE=$LINKERD_VERSION LINKERD2_PROXY_LOG=warn,linkerd=info LINKERD2_PROXY_LOG_FORMAT=plain" \
    libc6,libgcc-s1,iptables \
    'mkdir -p "$1/usr/lib/linkerd" "$1/var/run/linkerd" "$1/tmp" && chmod 1777 "$1/tmp"
     cp "$BIN/linkerd2-proxy" "$BIN/linkerd2-proxy-identity" "$BIN/linkerd2-proxy-init" "$1/usr/lib/linkerd/"
     cp "$BIN/linkerd2-proxy-version.txt" "$1/usr/lib/linkerd/"' \
    /usr/lib/linkerd/linkerd2-proxy-identity linkerd2-proxy linkerd2-proxy-identity linkerd2-proxy-init
}

controller() {
  build controller "$REGISTRY/controller:$LINKERD_VERSION" "LINKERD_CONTAINER_VERSION_OVERRIDE=$LINKERD_VERSION" \
    libc6,libgcc-s1 \
    'cp "$BIN/controller" "$BIN/linkerd-policy-controller" "$1/"' \
    /controller controller linkerd-policy-controller
}

smi_adaptor() {
  build smi-adaptor "$REGISTRY/smi-adaptor:$SMI_VERSION" "" \
    libc6 \
    'cp "$BIN/smi-adaptor" "$1/smi-adaptor"' \
    /smi-adaptor smi-adaptor
}

[ $# -gt 0 ] || set -- proxy controller smi-adaptor
for image in "$@"; do
  case "$image" in
    proxy) proxy ;;
    controller) controller ;;
    smi-adaptor) smi_adaptor ;;
    *) die "unknown image $image (proxy, controller, smi-adaptor)" ;;
  esac
done
