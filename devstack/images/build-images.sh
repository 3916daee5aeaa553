#!/usr/bin/env bash
# Builds every image the devstack's node runs Plonk with, and lists them with their sizes:
#   1. the bases from Debian packages and Go modules (build-base-images.sh: java-base, nats, prometheus; cached);
#   2. Plonk's own, by Maven with Jib on the java base (./mvnw -Pimages package): gateway, rollout-controller,
#      queue-worker and the sample echo function, in <module>/target/image/<name>.tar; cached by a content key of
#      their inputs (plonk-images.sh), so Maven and Jib run only when something they are built from changed.
# build-images.sh LIST: writes the image tarballs' paths, one a line, to the file LIST (cached ones where they are).
# build-images.sh: copies cached tarballs to <module>/target/image/ (where the e2e suites read them by default).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
log() { echo "[images $(date +%H:%M:%S)] $*"; }

start=$SECONDS
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo -E"
$sudo bash devstack/images/build-base-images.sh
key="$(bash devstack/images/plonk-images.sh key)"
if dir="$(bash devstack/images/plonk-images.sh find "$key")"; then
  [ -n "${1:-}" ] || bash devstack/images/plonk-images.sh materialize "$dir"
  log "Plonk's images: their inputs are unchanged (key $key), Maven and Jib skipped: $dir"
else
  log "Plonk's images: ./mvnw -Pimages package (Jib on plonk.local/java-base:17), key $key"
  mvn_start=$SECONDS since="$(mktemp)"
  ./mvnw -B -q -Dstyle.color=never -Pimages package -DskipTests -Dplonk.image.base="$CACHE/images/java-base.tar" \
    -pl gateway-netty,rollout-controller,queue-worker,samples -am
  log "Plonk's images built in $((SECONDS - mvn_start))s"
  bash devstack/images/plonk-images.sh store "$key" "$since"
  rm -f "$since"
  dir="$(bash devstack/images/plonk-images.sh find "$key")" || dir=""
fi
[ -n "${1:-}" ] || dir=""   # the tarballs in target/ (copied there from the cache, or built there)

images=("$CACHE/images/nats.tar" "$CACHE/images/prometheus.tar")
if [ -n "$dir" ]; then
  images+=("$dir/gateway.tar" "$dir/rollout-controller.tar" "$dir/queue-worker.tar" "$dir/echo.tar")
else
  images+=(gateway-netty/target/image/gateway.tar rollout-controller/target/image/rollout-controller.tar
    queue-worker/target/image/queue-worker.tar samples/target/image/echo.tar)
fi
for image in "${images[@]}"; do
  [ -s "$image" ] || { echo "build-images: $image is missing" >&2; exit 1; }
  tag="$(tar -xOf "$image" manifest.json | sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p')"
  printf '  %-36s %5s MB  %s\n' "$tag" "$(( $(stat -L -c %s "$image") / 1048576 ))" "$image"
done
if [ -n "${1:-}" ]; then for image in "${images[@]}"; do readlink -f "$image"; done > "$1"; fi
log "all images ready in $((SECONDS - start))s"
