#!/usr/bin/env bash
# Builds a static Go program (a main package folder with no dependencies outside the standard library) into a
# one-binary image tarball (`docker save` format, see image-tar.sh) running as a non-root user.
#   go-image.sh MAIN_DIR TAG OUT.tar [ARG...]   (the entrypoint is /<basename of MAIN_DIR> ARG...)
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 MAIN_DIR TAG OUT.tar [ARG...]" >&2; exit 2; }
src="$1" tag="$2" out="$3"; shift 3
name="$(basename "$src")"
rootfs="$(mktemp -d)"; trap 'rm -rf "$rootfs"' EXIT
(cd "$src" && GOTOOLCHAIN=local CGO_ENABLED=0 GO111MODULE=off go build -trimpath -ldflags "-s -w" -o "$rootfs/$name" .)
mkdir -p "$rootfs/tmp" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0::/:/nonexistent\nnobody:x:65532:65532::/:/nonexistent\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnobody:x:65532:\n' > "$rootfs/etc/group"
IMAGE_USER="${IMAGE_USER:-65532:65532}" bash "$(dirname "$0")/image-tar.sh" "$rootfs" "$tag" "$out" "/$name" "$@"
