#!/usr/bin/env bash
# Packs a root filesystem folder into a one-layer image tarball in `docker save` format (manifest.json, a config
# JSON with rootfs.diff_ids, the layer tar), which `ctr -n k8s.io images import` loads. Reproducible: sorted
# entries, mtime 0, numeric owner root unless the files say otherwise.
#   image-tar.sh ROOTFS_DIR TAG OUT.tar [ENTRYPOINT ARG...]
#   env IMAGE_USER (e.g. 65532:65532), IMAGE_WORKDIR, IMAGE_ENV (space-separated K=V)
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 ROOTFS_DIR TAG OUT.tar [ENTRYPOINT ARG...]" >&2; exit 2; }
rootfs="$1" tag="$2" out="$3"; shift 3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
json_array() { local first=1 s; printf '['; for s in "$@"; do [ $first = 1 ] || printf ','; first=0; printf '"%s"' "${s//\"/\\\"}"; done; printf ']'; }

tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$work/layer.tar" .
diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
mkdir "$work/$diff_id"; mv "$work/layer.tar" "$work/$diff_id/layer.tar"
env_json='[]'; [ -n "${IMAGE_ENV:-}" ] && env_json="$(json_array $IMAGE_ENV)"
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Entrypoint":$(json_array "$@"),"User":"${IMAGE_USER:-}","WorkingDir":"${IMAGE_WORKDIR:-/}","Env":$env_json},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"plonk devstack/image-tar.sh"}]}
JSON
config_id="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mv "$work/config.json" "$work/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config_id" "$tag" "$diff_id" > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$work" -cf "$out.tmp" manifest.json "$config_id.json" "$diff_id"
mv "$out.tmp" "$out"
echo "$out: $tag (layer sha256:$diff_id)"
