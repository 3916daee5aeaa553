#!/usr/bin/env bash
# Builds the images Plonk runs on, from Debian packages, with no registry and no Docker engine:
#   plonk.local/java-base:17   openjdk-17-jre-headless + ca-certificates (the base of Plonk's own images, see pom.xml -Pimages)
#   plonk.local/nats:dev       nats-server (JetStream is enabled by deploy/components/nats)
#   plonk.local/prometheus:dev Prometheus built from its Go module (Debian's lacks kubernetes_sd)
# Each is a `docker save`-format tarball (manifest.json, a config JSON, one layer tar) that
# `ctr -n k8s.io images import` loads, with the non-root user plonk (uid/gid 10001).
#
# Reproducible: mmdebstrap with a fixed SOURCE_DATE_EPOCH and sorted, owner-normalised tars, so the same packages give
# the same image ID. Cached under $PLONK_CACHE/images/, keyed by the code that builds each image and the versions apt
# resolves for its packages; rebuilt only when that key changes. Usage: build-base-images.sh [java-base|nats|prometheus ...]
set -euo pipefail

CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
OUT="$CACHE/images"
SUITE="${PLONK_DEBIAN_SUITE:-bookworm}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1735689600}"   # 2025-01-01: every file time is clamped to it
log() { echo "[images $(date +%H:%M:%S)] $*"; }
die() { echo "build-base-images: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap installs packages into a root file system as root); run it with sudo"
if ! command -v mmdebstrap >/dev/null; then
  log "installing mmdebstrap (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null; }
fi

# The recipe of an image: the code of the functions that build it (as bash prints them, so comments do not count) and
# the hooks they pass.
recipe() { declare -f docker_archive cached build "$@"; echo "$ADD_USER $TRIM $SOURCE_DATE_EPOCH"; }

# The cache key: the recipe of the calling image ($RECIPE), the suite, and the version apt resolves for each package (a
# new Debian point release or security update changes it, and the image is rebuilt).
cache_key() {
  local versions; versions="$(apt-cache policy "$@" | awk '/^[^ ]/ {p=$1} /Candidate:/ {print p, $2}')"
  [ "$(echo "$versions" | grep -vc ' (none)$')" -eq $# ] || die "apt resolves no version for one of: $* (apt-get update?)"
  { echo "$RECIPE"; echo "$SUITE"; echo "$versions"; } | sha256sum | cut -c1-16
}

# The non-root user every image runs as, written directly (the smallest variants have no useradd).
ADD_USER='grep -qs "^root:" "$1/etc/passwd" || { echo "root:x:0:0:root:/root:/usr/sbin/nologin" >> "$1/etc/passwd"; echo "root:x:0:" >> "$1/etc/group"; }
  echo "plonk:x:10001:10001:plonk:/nonexistent:/usr/sbin/nologin" >> "$1/etc/passwd";
  echo "plonk:x:10001:" >> "$1/etc/group"; mkdir -p "$1/tmp"; chmod 1777 "$1/tmp"'
# Files no container reads: documentation (copyright notices stay), manual pages, locales, apt's lists and caches.
TRIM='rm -rf "$1"/usr/share/man/* "$1"/usr/share/info "$1"/usr/share/locale "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* \
  "$1"/var/log/* "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old;
  find "$1/usr/share/doc" -type f ! -name copyright -delete 2>/dev/null || true'

# Wraps a root file system tar into a docker-save tarball: $1 rootfs tar (moved), $2 tag, $3 config JSON (the "config"
# object), $4 output file.
docker_archive() {
  local rootfs="$1" tag="$2" config="$3" out="$4" dir diff cfg cfgsum
  dir="$(mktemp -d "$OUT/.archive.XXXXXX")"
  diff="$(sha256sum "$rootfs" | cut -d' ' -f1)"
  mkdir -p "$dir/$diff"
  mv "$rootfs" "$dir/$diff/layer.tar"
  cfg="$(jq -cn --argjson config "$config" --arg diff "sha256:$diff" --arg tag "$tag" \
    --arg created "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)" \
    '{architecture: "amd64", os: "linux", created: $created, config: $config,
      rootfs: {type: "layers", diff_ids: [$diff]},
      history: [{created: $created, created_by: ("plonk devstack/images/build-base-images.sh: " + $tag)}]}')"
  cfgsum="$(printf '%s' "$cfg" | sha256sum | cut -d' ' -f1)"
  printf '%s' "$cfg" > "$dir/$cfgsum.json"
  jq -cn --arg cfg "$cfgsum.json" --arg tag "$tag" --arg layer "$diff/layer.tar" \
    '[{Config: $cfg, RepoTags: [$tag], Layers: [$layer]}]' > "$dir/manifest.json"
  tar -C "$dir" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -cf "$out.tmp" \
    manifest.json "$cfgsum.json" "$diff"
  mv "$out.tmp" "$out"
  rm -rf "$dir"
  log "$tag: image $(echo "sha256:$cfgsum" | cut -c1-19), $(du -m "$out" | cut -f1) MB -> $out"
}

# True when the image for these package versions is cached; points $OUT/<name>.tar at it.
cached() {
  local name="$1" tag="$2" file; file="$OUT/$name-$(cache_key $3).tar"
  mkdir -p "$OUT"
  [ -s "$file" ] || return 1
  ln -sfn "$(basename "$file")" "$OUT/$name.tar"
  log "$tag cached: $file"
}

# Builds one image unless cached: $1 name, $2 tag, $3 config JSON, $4 the packages that key the cache (space-separated),
# rest: mmdebstrap arguments (variant, packages, hooks).
build() {
  local name="$1" tag="$2" config="$3" packages="$4"; shift 4
  cached "$name" "$tag" "$packages" && return
  local key; key="$(cache_key $packages)"
  local file="$OUT/$name-$key.tar" link="$OUT/$name.tar"
  log "$tag: building from Debian $SUITE packages ($packages), key $key"
  local start=$SECONDS rootfs="$OUT/.$name-$key.rootfs.tar"
  mmdebstrap --quiet "$@" \
    "$SUITE" "$rootfs" || { rm -f "$rootfs"; die "mmdebstrap failed for $tag"; }
  log "$tag: root file system $(du -m "$rootfs" | cut -f1) MB in $((SECONDS - start))s"
  docker_archive "$rootfs" "$tag" "$config" "$file"
  find "$OUT" -maxdepth 1 -name "$name-*.tar" ! -name "$(basename "$file")" -delete   # keep only the current key
  ln -sfn "$(basename "$file")" "$link"
  log "$tag built in $((SECONDS - start))s"
}

PATH_ENV='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'

java_base() {
  RECIPE="$(recipe java_base)"
  # essential: dpkg installs the JRE (its post-install scripts need it) but neither apt nor its lists stay in the image.
  # update-alternatives wants /usr/share/man/man1 even though manual pages are not installed.
  build java-base plonk.local/java-base:17 \
    "{\"User\": \"10001:10001\", \"WorkingDir\": \"/\", \"Env\": [$PATH_ENV, \"JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64\", \"LANG=C.UTF-8\"]}" \
    "openjdk-17-jre-headless ca-certificates" \
    --variant="${PLONK_JAVA_BASE_VARIANT:-essential}" --include=openjdk-17-jre-headless,ca-certificates \
    --customize-hook="$ADD_USER" --customize-hook="$TRIM" \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
}

# nats-server and prometheus are Go programs linked against the C library. Their images hold the C library (extracted
# with its dependencies, no maintainer script runs: no shell, no dpkg, no apt in the image) and the files of the
# program's own package, without its Depends (adduser and, through it, perl).
go_program() {
  local name="$1" tag="$2" config="$3" package="$4" debs
  cached "$name" "$tag" "libc6 $package" && return
  debs="$(mktemp -d)"
  (cd "$debs" && chmod 755 . && apt-get download -qq "$package" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  ls "$debs"/*.deb >/dev/null 2>&1 || die "apt-get download $package failed"
  build "$name" "$tag" "$config" "libc6 $package" --variant=extract --include=libc6 \
    --extract-hook="for deb in $debs/*.deb; do dpkg-deb -x \"\$deb\" \"\$1\"; done" \
    --extract-hook="$ADD_USER" --extract-hook="$TRIM" "${@:5}"
  rm -rf "$debs"
}

nats() {
  RECIPE="$(recipe go_program nats)"
  go_program nats plonk.local/nats:dev \
    "{\"User\": \"10001:10001\", \"WorkingDir\": \"/\", \"Env\": [$PATH_ENV], \"Entrypoint\": [\"/usr/sbin/nats-server\"], \"ExposedPorts\": {\"4222/tcp\": {}, \"8222/tcp\": {}}}" \
    nats-server
}

# Debian's prometheus is built without kubernetes_sd (its patches drop it), so Prometheus is built from its Go module:
# a static binary with only the file, http and kubernetes service discoveries, on a root file system that holds
# nothing else (passwd/group for the plonk user, /tmp, the data folder /prometheus).
PROMETHEUS_VERSION="${PLONK_PROMETHEUS_VERSION:-v0.316.0}"   # the Go module version of Prometheus 3.16.0

prometheus() {
  local name=prometheus tag=plonk.local/prometheus:dev
  local key; key="$({ recipe prometheus; echo "$PROMETHEUS_VERSION"; go version; } | sha256sum | cut -c1-16)"
  local file="$OUT/$name-$key.tar"
  mkdir -p "$OUT"
  if [ -s "$file" ]; then ln -sfn "$(basename "$file")" "$OUT/$name.tar"; log "$tag cached: $file"; return; fi
  command -v go >/dev/null || die "Go is required to build Prometheus (the Debian package lacks kubernetes_sd)"
  log "$tag: building Prometheus $PROMETHEUS_VERSION from its Go module (cold: a few minutes), key $key"
  local start=$SECONDS dir v="${PROMETHEUS_VERSION#v0.}"; dir="$(mktemp -d)"
  cat > "$dir/go.mod" <<MOD
module plonk.dev/devstack/prometheus

go 1.26

require github.com/prometheus/prometheus $PROMETHEUS_VERSION
MOD
  cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/prometheus/prometheus/cmd/prometheus"
GO
  mkdir -p "$dir/root/usr/bin" "$dir/root/etc" "$dir/root/tmp" "$dir/root/prometheus"
  (cd "$dir" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod tidy \
   && GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -tags remove_all_sd,enable_kubernetes_sd \
     -ldflags "-s -w -X github.com/prometheus/common/version.Version=${v:0:1}.${v:1} -X github.com/prometheus/common/version.Branch=module" \
     -o "$dir/root/usr/bin/prometheus" github.com/prometheus/prometheus/cmd/prometheus) \
    || { rm -rf "$dir"; die "building Prometheus $PROMETHEUS_VERSION failed"; }
  log "$tag: binary built in $((SECONDS - start))s"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nplonk:x:10001:10001:plonk:/nonexistent:/usr/sbin/nologin\n' > "$dir/root/etc/passwd"
  printf 'root:x:0:\nplonk:x:10001:\n' > "$dir/root/etc/group"
  chmod 1777 "$dir/root/tmp"; chown 10001:10001 "$dir/root/prometheus"
  tar -C "$dir/root" --sort=name --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -cf "$dir/rootfs.tar" .
  docker_archive "$dir/rootfs.tar" "$tag" \
    "{\"User\": \"10001:10001\", \"WorkingDir\": \"/prometheus\", \"Env\": [$PATH_ENV], \"Entrypoint\": [\"/usr/bin/prometheus\"], \"ExposedPorts\": {\"9090/tcp\": {}}}" \
    "$file"
  find "$OUT" -maxdepth 1 -name "$name-*.tar" ! -name "$(basename "$file")" -delete
  ln -sfn "$(basename "$file")" "$OUT/$name.tar"
  rm -rf "$dir"
  log "$tag built in $((SECONDS - start))s"
}

[ $# -gt 0 ] || set -- java-base nats prometheus
for image in "$@"; do
  case "$image" in
    java-base) java_base ;;
    nats) nats ;;
    prometheus) prometheus ;;
    *) die "unknown image $image (java-base, nats, prometheus)" ;;
  esac
done
