#!/usr/bin/env bash
# Builds Linkerd for the devstack from the source snapshots in ../shared/third-party/linkerd (no registry here
# serves Linkerd's binaries or images): the data-plane proxy and the policy controller (Rust), the `linkerd` CLI,
# the Go control plane (destination, identity, proxy-injector, ...), proxy-identity, proxy-init and the
# linkerd-smi adaptor (Go). Sources are unpacked into a build folder under the cache, never into the repo, and the
# fixes the snapshots need here are applied there at build time (see ../shared/third-party/linkerd/README.md):
#   - `cargo +stable` instead of the pinned 1.90.0 toolchain (only stable is installed);
#   - a [patch."https://github.com/linkerd/linkerd-kubert.git"] section pointing at the unpacked kubert crates
#     (cargo cannot reach git hosts);
#   - RUSTFLAGS='--cfg tokio_unstable', as upstream's justfile and Dockerfiles set it.
# Output: ~/.cache/plonk/linkerd-<version>/bin/. Each part is rebuilt only when its binary is missing.
# Usage: build-linkerd.sh [proxy|policy|go|all]   (default all; the two Rust workspaces are built one after the other)
# Env: PLONK_THIRD_PARTY (snapshot folder), PLONK_CACHE, CARGO_BUILD_JOBS (default 2), PLONK_NICE (default 10),
#      PLONK_LINKERD_KEEP_TARGETS=1 keeps cargo's target folders (GBs; they only speed up a rebuild of a changed source).
set -euo pipefail

LINKERD_VERSION="${PLONK_LINKERD_VERSION:-edge-26.8.3}"
PROXY_VERSION="${PLONK_LINKERD_PROXY_VERSION:-v2.366.0}"
KUBERT_VERSION=v0.27.0
PROXY_INIT_VERSION=v2.4.9
SMI_VERSION=v0.2.7
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The snapshots sit next to the main checkout (../shared); a git worktree finds it through its common git dir.
if [ -z "${PLONK_THIRD_PARTY:-}" ]; then
  PLONK_THIRD_PARTY="$(cd "$HERE" && cd "$(git rev-parse --git-common-dir)/../.." && pwd)/shared/third-party/linkerd"
fi
THIRD_PARTY="$PLONK_THIRD_PARTY"
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
DIR="$CACHE/linkerd-$LINKERD_VERSION"
SRC="$DIR/src"
BIN="$DIR/bin"
NICE="nice -n ${PLONK_NICE:-10}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}" CARGO_INCREMENTAL=0 CARGO_NET_GIT_FETCH_WITH_CLI=false
export GOTOOLCHAIN=local CGO_ENABLED=0
log() { echo "[linkerd $(date +%H:%M:%S)] $*"; }
fail() { echo "[linkerd] $*" >&2; exit 1; }

# Runs a long command while printing a heartbeat every 60 s; records its duration in $DIR/build-times.txt.
with_progress() {
  local what="$1"; shift
  local start=$SECONDS
  "$@" & local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    (( (SECONDS - start) % 60 == 0 )) && kill -0 "$pid" 2>/dev/null && log "$what ... $((SECONDS - start))s"
  done
  wait "$pid" || fail "$what failed after $((SECONDS - start))s"
  log "$what done in $((SECONDS - start))s"
  echo "$(date -u +%FT%TZ) $what $((SECONDS - start))s" >> "$DIR/build-times.txt"
}

# unpack <snapshot file name> <folder under src>: each snapshot holds one top-level folder.
unpack() {
  local file="$THIRD_PARTY/$1" into="$SRC/$2"
  [ -d "$into" ] && return
  [ -f "$file" ] || fail "snapshot $file is missing (set PLONK_THIRD_PARTY)"
  log "unpacking $1"
  mkdir -p "$into.tmp"
  tar -xzf "$file" -C "$into.tmp" --strip-components=1
  mv "$into.tmp" "$into"
}

# The workspace's Cargo.toml names linkerd-kubert crates by git tag: point them at the unpacked snapshot.
patch_kubert() {
  local toml="$1/Cargo.toml"
  grep -q '^\[patch."https://github.com/linkerd/linkerd-kubert.git"\]' "$toml" && return
  cat >> "$toml" <<TOML

# Added by plonk devstack/build-linkerd.sh: cargo cannot reach git hosts here.
[patch."https://github.com/linkerd/linkerd-kubert.git"]
kubert = { path = "$SRC/linkerd-kubert/kubert" }
kubert-prometheus-process = { path = "$SRC/linkerd-kubert/kubert-prometheus-process" }
kubert-prometheus-tokio = { path = "$SRC/linkerd-kubert/kubert-prometheus-tokio" }
TOML
}

cargo_build() { # <workspace dir> <target dir> <package> <what>
  local ws="$1" target="$2" package="$3" what="$4"
  command -v cargo >/dev/null || fail "cargo is not installed"
  (cd "$ws" && RUSTFLAGS='--cfg tokio_unstable' CARGO_TARGET_DIR="$target" \
    with_progress "$what" $NICE cargo +stable build --release --package="$package")
}

build_proxy() {
  local out="$BIN/linkerd2-proxy"
  [ -x "$out" ] && { log "linkerd2-proxy $PROXY_VERSION cached at $out"; return; }
  unpack "linkerd-kubert-$KUBERT_VERSION.tar.gz" linkerd-kubert
  unpack "linkerd2-proxy-$PROXY_VERSION.tar.gz" linkerd2-proxy
  patch_kubert "$SRC/linkerd2-proxy"
  log "building linkerd2-proxy $PROXY_VERSION (cold: about 10 min on 2 cores)"
  LINKERD2_PROXY_VERSION="${PROXY_VERSION#v}" LINKERD2_PROXY_VENDOR=plonk-devstack \
    cargo_build "$SRC/linkerd2-proxy" "$DIR/target-proxy" linkerd2-proxy "cargo build linkerd2-proxy"
  mkdir -p "$BIN"
  objcopy --strip-unneeded "$DIR/target-proxy/release/linkerd2-proxy" "$out.tmp" 2>/dev/null \
    || cp "$DIR/target-proxy/release/linkerd2-proxy" "$out.tmp"
  mv "$out.tmp" "$out"
  echo "$PROXY_VERSION" > "$BIN/linkerd2-proxy-version.txt"
  drop_target "$DIR/target-proxy"
}

# A Rust target folder holds GBs of intermediate files that only help rebuild a changed source; the binary is cached.
drop_target() {
  [ "${PLONK_LINKERD_KEEP_TARGETS:-0}" = 1 ] && return
  log "removing $1 ($(du -sh "$1" | cut -f1); PLONK_LINKERD_KEEP_TARGETS=1 keeps it)"
  rm -rf "$1"
}

build_policy() {
  local out="$BIN/linkerd-policy-controller"
  [ -x "$out" ] && { log "linkerd-policy-controller $LINKERD_VERSION cached at $out"; return; }
  unpack "linkerd-kubert-$KUBERT_VERSION.tar.gz" linkerd-kubert
  unpack "linkerd2-$LINKERD_VERSION.tar.gz" linkerd2
  patch_kubert "$SRC/linkerd2"
  log "building linkerd-policy-controller (cold: about 5 min on 2 cores)"
  cargo_build "$SRC/linkerd2" "$DIR/target-policy" linkerd-policy-controller "cargo build linkerd-policy-controller"
  mkdir -p "$BIN"
  objcopy --strip-unneeded "$DIR/target-policy/release/linkerd-policy-controller" "$out.tmp" 2>/dev/null \
    || cp "$DIR/target-policy/release/linkerd-policy-controller" "$out.tmp"
  mv "$out.tmp" "$out"
  drop_target "$DIR/target-policy"
}

go_build() { # <module dir> <output> <package> [ldflags...]; GO_BUILD_FLAGS (default: -trimpath -tags prod -mod=readonly)
  local mod="$1" out="$2" pkg="$3"; shift 3
  (cd "$mod" && with_progress "go build $(basename "$out")" \
    $NICE go build ${GO_BUILD_FLAGS--trimpath -tags prod -mod=readonly} -ldflags "-s -w $*" -o "$out.tmp" "$pkg")
  mv "$out.tmp" "$out"
}

build_go() {
  command -v go >/dev/null || fail "go is not installed"
  unpack "linkerd2-$LINKERD_VERSION.tar.gz" linkerd2
  unpack "linkerd2-proxy-init-$PROXY_INIT_VERSION.tar.gz" linkerd2-proxy-init
  unpack "linkerd-smi-$SMI_VERSION.tar.gz" linkerd-smi
  mkdir -p "$BIN"
  local version="-X github.com/linkerd/linkerd2/pkg/version.Version=$LINKERD_VERSION"
  [ -x "$BIN/linkerd" ] || go_build "$SRC/linkerd2" "$BIN/linkerd" ./cli "$version"
  [ -x "$BIN/controller" ] || go_build "$SRC/linkerd2" "$BIN/controller" ./controller/cmd "$version"
  [ -x "$BIN/linkerd2-proxy-identity" ] || go_build "$SRC/linkerd2" "$BIN/linkerd2-proxy-identity" ./proxy-identity "$version"
  [ -x "$BIN/linkerd2-proxy-init" ] || go_build "$SRC/linkerd2-proxy-init" "$BIN/linkerd2-proxy-init" ./proxy-init
  # linkerd-smi's CLI reads its chart from the source tree unless built with a generated file (`-tags production`
  # after `go generate`): build it without -trimpath, so it finds $SRC/linkerd-smi/charts. Its go.mod is not tidy for
  # this Go: -mod=mod lets go update it in the build folder.
  [ -x "$BIN/linkerd-smi" ] || GO_BUILD_FLAGS="-mod=mod" go_build "$SRC/linkerd-smi" "$BIN/linkerd-smi" ./cli \
    "-X github.com/linkerd/linkerd-smi/pkg/version.Version=$SMI_VERSION"
  [ -x "$BIN/smi-adaptor" ] || GO_BUILD_FLAGS="-trimpath -mod=mod" go_build "$SRC/linkerd-smi" "$BIN/smi-adaptor" ./adaptor
  log "Go parts in $BIN"
}

mkdir -p "$DIR"
case "${1:-all}" in
  proxy) build_proxy ;;
  policy) build_policy ;;
  go) build_go ;;
  all) build_go; build_proxy; build_policy ;;
  *) fail "usage: $0 [proxy|policy|go|all]" ;;
esac
log "cache: $(du -sh "$DIR" | cut -f1) in $DIR"
