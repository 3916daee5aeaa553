#!/usr/bin/env bash
# Builds the OpenFaaS CE gateway (target D of bench/gateway) from the source snapshot in ../shared/third-party/openfaas
# (a `git archive` of openfaas/faas, tag 0.27.14, vendored: it builds offline) and prints the binary's path.
# The source is unpacked under the cache, never into the repo, and cached by version:
# ${PLONK_CACHE:-~/.cache/plonk}/openfaas-gateway-0.27.14/bin/gateway. One change is applied there at build time:
# upstream listens on :8080 and :8082 (all interfaces, fixed ports); the build makes it listen on 127.0.0.1 and read
# the two ports from the environment (`port`, `metrics_port`), so benchmarks on one machine cannot collide.
# Env: PLONK_OPENFAAS_SNAPSHOTS (the folder holding the snapshot), PLONK_CACHE. Fails with a message if the snapshot is missing.
set -euo pipefail
VERSION=0.27.14
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
DIR="$CACHE/openfaas-gateway-$VERSION"
BIN="$DIR/bin/gateway"
log() { echo "[openfaas-gateway $(date +%H:%M:%S)] $*" >&2; }
fail() { echo "[openfaas-gateway] $*" >&2; exit 1; }
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi

# ../shared sits beside the main checkout: a worktree finds it through its common git dir, a local clone through
# the checkout it was cloned from.
snapshots() {
  [ -n "${PLONK_OPENFAAS_SNAPSHOTS:-}" ] && { echo "$PLONK_OPENFAAS_SNAPSHOTS"; return; }
  local common origin
  common="$(cd "$HERE" && cd "$(git rev-parse --git-common-dir)/../.." && pwd)"
  if [ -d "$common/shared/third-party" ]; then echo "$common/shared/third-party/openfaas"; return; fi
  origin="$(git -C "$HERE" config --get remote.origin.url || true)"
  if [ -d "$origin" ]; then
    common="$(cd "$origin" && cd "$(git rev-parse --git-common-dir)/../.." && pwd)"
    [ -d "$common/shared/third-party" ] && { echo "$common/shared/third-party/openfaas"; return; }
  fi
  echo "$common/shared/third-party/openfaas"
}
SNAPSHOT="$(snapshots)/openfaas-gateway-$VERSION.tar.gz"
[ -f "$SNAPSHOT" ] || fail "snapshot $SNAPSHOT is missing: bench/gateway needs the OpenFaaS CE gateway's source
(../shared/third-party/openfaas beside the checkout, or set PLONK_OPENFAAS_SNAPSHOTS to the folder holding it)"
command -v go >/dev/null || fail "go is required to build the OpenFaaS gateway (https://go.dev/dl)"

log "unpacking $SNAPSHOT into $DIR/src"
rm -rf "$DIR/src" && mkdir -p "$DIR/src" "$DIR/bin"
tar -xzf "$SNAPSHOT" -C "$DIR/src" --strip-components=1
MAIN="$DIR/src/gateway/main.go"
log "patching $MAIN: listen on 127.0.0.1, ports from \$port and \$metrics_port"
sed -i -e 's|^\ttcpPort := 8080$|&\n\tfmt.Sscan(types.OsEnv{}.Getenv("port"), \&tcpPort)|' \
  -e 's|^\tport := 8082$|&\n\tfmt.Sscan(types.OsEnv{}.Getenv("metrics_port"), \&port)|' \
  -e 's|fmt.Sprintf(":%d", |fmt.Sprintf("127.0.0.1:%d", |' "$MAIN"
[ "$(grep -c 'Getenv("port")\|Getenv("metrics_port")\|"127.0.0.1:%d"' "$MAIN")" = 4 ] \
  || fail "the listen-address patch did not apply to $MAIN (has the snapshot changed?)"
log "building (GOFLAGS=-mod=vendor CGO_ENABLED=0 go build; about 10 s warm, a minute cold)"
start=$SECONDS
(cd "$DIR/src/gateway" && GOFLAGS=-mod=vendor CGO_ENABLED=0 GOTOOLCHAIN=local go build -o "$BIN.tmp" .) \
  || fail "go build failed in $DIR/src/gateway"
mv "$BIN.tmp" "$BIN"
log "built $BIN in $((SECONDS - start)) s"
echo "$BIN"
