#!/usr/bin/env bash
# Plonk's own images (gateway, rollout-controller, queue-worker, echo), cached by a content key of everything Jib builds
# them from, so that Maven and Jib do not run when nothing the images depend on changed:
#   plonk-images.sh key               the key: devstack/build-key.sh of the four image modules (and every module they
#                                     depend on), this script, and the java base image's file (name, size, mtime)
#   plonk-images.sh find KEY          prints the cache folder holding the four tarballs of KEY; fails if there is none
#   plonk-images.sh store KEY SINCE   copies <module>/target/image/<name>.tar into the cache as KEY's, if all four were
#                                     written after the file SINCE and the key is still KEY (no source changed meanwhile)
#   plonk-images.sh materialize DIR   copies DIR's tarballs to <module>/target/image/, where -Pimages writes them
# The cache is $PLONK_CACHE/images/plonk/<key>/ (about 500 MB per key); a folder not used for 2 hours is removed once
# 4 newer ones exist.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
STORE="$CACHE/images/plonk"
IMAGES=(gateway-netty:gateway rollout-controller:rollout-controller queue-worker:queue-worker samples:echo)
log() { echo "[images $(date +%H:%M:%S)] $*" >&2; }

key() {
  local base="$CACHE/images/java-base.tar"
  [ -s "$base" ] || { echo "plonk-images: no java base image $base (devstack/images/build-base-images.sh)" >&2; exit 1; }
  bash devstack/build-key.sh gateway-netty rollout-controller queue-worker samples -- \
    "$(sha256sum devstack/images/plonk-images.sh)" "$(stat -L -c '%s %Y' "$base") $(readlink -f "$base")"
}

find_cached() {
  local dir="$STORE/$1" image
  [ -f "$dir/complete" ] || return 1
  for image in "${IMAGES[@]}"; do [ -s "$dir/${image#*:}.tar" ] || return 1; done
  touch "$dir"   # used: the pruning keeps it
  echo "$dir"
}

store() {
  local key="$1" since="$2" tmp image tar
  [ "$(key)" = "$key" ] || { log "sources changed during the build: Plonk's images not cached"; return 0; }
  for image in "${IMAGES[@]}"; do
    tar="${image%%:*}/target/image/${image#*:}.tar"
    [ -s "$tar" ] && [ "$tar" -nt "$since" ] || { log "$tar was not built by this run: Plonk's images not cached"; return 0; }
  done
  mkdir -p "$STORE"
  tmp="$(mktemp -d "$STORE/.store.XXXXXX")"
  for image in "${IMAGES[@]}"; do cp "${image%%:*}/target/image/${image#*:}.tar" "$tmp/"; done
  touch "$tmp/complete"
  chmod 755 "$tmp"
  # another build may have stored the same key meanwhile: its tarballs are the same (Jib is reproducible)
  mv -T "$tmp" "$STORE/$key" 2>/dev/null || rm -rf "$tmp"
  log "Plonk's images cached as $STORE/$key"
  prune
}

prune() {
  local dir
  find "$STORE" -mindepth 1 -maxdepth 1 -name '.store.*' -mmin +120 -exec rm -rf {} + 2>/dev/null || true
  ls -1dt "$STORE"/*/ 2>/dev/null | tail -n +5 | while read -r dir; do
    if [ -z "$(find "$dir" -maxdepth 0 -mmin -120)" ]; then rm -rf "$dir"; log "removed unused $dir"; fi
  done
}

materialize() {
  local image
  for image in "${IMAGES[@]}"; do
    mkdir -p "${image%%:*}/target/image"
    cp "$1/${image#*:}.tar" "${image%%:*}/target/image/${image#*:}.tar"
  done
}

case "${1:-}" in
  key) key ;;
  find) find_cached "$2" ;;
  store) store "$2" "$3" ;;
  materialize) materialize "$2" ;;
  *) echo "usage: plonk-images.sh key | find KEY | store KEY SINCE | materialize DIR" >&2; exit 2 ;;
esac
