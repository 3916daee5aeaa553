#!/usr/bin/env bash
# Builds every image the devstack's node runs Plonk with, and lists them with their sizes:
#   1. the bases from Debian packages and Go modules (build-base-images.sh: java-base, nats, prometheus; cached);
#   2. Plonk's own, by Maven with Jib on the java base (./mvnw -Pimages package): gateway, rollout-controller,
#      queue-worker and the sample echo function, in <module>/target/image/<name>.tar.
# Prints the list of image tarballs, one path per line, to the file given as $1 (if any).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
log() { echo "[images $(date +%H:%M:%S)] $*"; }

start=$SECONDS
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo -E"
$sudo bash devstack/images/build-base-images.sh
log "Plonk's images: ./mvnw -Pimages package (Jib on plonk.local/java-base:17)"
mvn_start=$SECONDS
./mvnw -B -q -Dstyle.color=never -Pimages package -DskipTests -Dplonk.image.base="$CACHE/images/java-base.tar" \
  -pl gateway-netty,rollout-controller,queue-worker,samples -am
log "Plonk's images built in $((SECONDS - mvn_start))s"

images=("$CACHE/images/nats.tar" "$CACHE/images/prometheus.tar"
  gateway-netty/target/image/gateway.tar rollout-controller/target/image/rollout-controller.tar
  queue-worker/target/image/queue-worker.tar samples/target/image/echo.tar)
for image in "${images[@]}"; do
  [ -s "$image" ] || { echo "build-images: $image is missing" >&2; exit 1; }
  tag="$(tar -xOf "$image" manifest.json | sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p')"
  printf '  %-36s %5s MB  %s\n' "$tag" "$(( $(stat -L -c %s "$image") / 1048576 ))" "$image"
done
if [ -n "${1:-}" ]; then for image in "${images[@]}"; do readlink -f "$image"; done > "$1"; fi
log "all images ready in $((SECONDS - start))s"
