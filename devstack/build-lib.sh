# Shared by devstack/build-*.sh (sourced, not run): versions, the cache folder, progress lines, and the two ways
# the devstack builds Go programs: a k8s.io/kubernetes wrapper module, and a one-line wrapper around any module.
# Everything lands in $PLONK_CACHE/<name>-<version>/ and is built only when missing.

K8S_VERSION="${PLONK_K8S_VERSION:-v1.36.3}"
CACHE="${PLONK_CACHE:-$HOME/.cache/plonk}"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

log() { echo "[${BUILD_WHAT:-build} $(date +%H:%M:%S)] $*"; }

# Runs a long command while printing a heartbeat every 30 s.
with_progress() {
  local what="$1"; shift
  local start=$SECONDS next=30
  "$@" & local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (( SECONDS - start >= next )) && kill -0 "$pid" 2>/dev/null; then
      log "$what ... $((SECONDS - start))s"
      next=$((next + 30))
    fi
  done
  wait "$pid"
  log "$what done in $((SECONDS - start))s"
}

# all_cached FILE...: true when every file is an executable (or, for *.tar, a regular file).
all_cached() {
  local f
  for f in "$@"; do
    case "$f" in *.tar) [ -f "$f" ] || return 1 ;; *) [ -x "$f" ] || return 1 ;; esac
  done
}

# build_kube_cmds DEST_DIR CMD...: builds k8s.io/kubernetes/cmd/<CMD> for $K8S_VERSION into DEST_DIR/<CMD>
# through a wrapper module that replaces every staging module with its published v0.Y.Z, with the version
# ldflags upstream sets (so /version and --version report $K8S_VERSION). Skips commands already built.
build_kube_cmds() {
  local dest="$1"; shift
  local todo=() cmd
  for cmd in "$@"; do [ -x "$dest/$cmd" ] || todo+=("$cmd"); done
  [ ${#todo[@]} -eq 0 ] && { log "$* $K8S_VERSION cached in $dest"; return; }
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local staging_version="v0.${K8S_VERSION#v1.}"
  local dir; dir="$(mktemp -d)"
  log "reading the staging module list of k8s.io/kubernetes $K8S_VERSION"
  local gomod
  gomod="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  local staging
  staging="$(awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print $1}' "$gomod")"
  {
    echo "module plonk.dev/devstack/kube"
    echo
    grep -m1 '^go ' "$gomod"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    for m in $staging; do echo "	$m => $m $staging_version"; done
    echo ")"
  } > "$dir/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for cmd in "${todo[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$cmd"; done
    printf ')\n'
  } > "$dir/tools.go"
  log "resolving kubernetes $K8S_VERSION modules ($(echo "$staging" | wc -w) staging modules replaced with $staging_version)"
  (cd "$dir" && with_progress "go mod tidy" go mod tidy)
  local date; date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local ld="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  mkdir -p "$dest"
  for cmd in "${todo[@]}"; do
    (cd "$dir" && CGO_ENABLED=0 with_progress "building $cmd $K8S_VERSION" \
      go build -trimpath -tags selinux,notest -ldflags "$ld" -o "$dest/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd")
    mv "$dest/$cmd.tmp" "$dest/$cmd"
  done
  rm -rf "$dir"
}

# build_go_main DEST MODULE VERSION MAIN_GO [go build args...]: writes MAIN_GO (the text of a main package) into a
# wrapper module that requires MODULE@VERSION, then `go build`s it to DEST. CGO and tags come from the caller's
# environment and arguments.
build_go_main() {
  local dest="$1" module="$2" version="$3" main="$4"; shift 4
  local dir; dir="$(mktemp -d)"
  printf 'module plonk.dev/devstack/%s\n\ngo 1.24\n\nrequire %s %s\n' "$(basename "$dest")" "$module" "$version" > "$dir/go.mod"
  printf '%s\n' "$main" > "$dir/main.go"
  log "resolving $module $version"
  (cd "$dir" && go mod tidy)
  mkdir -p "$(dirname "$dest")"
  (cd "$dir" && with_progress "building $(basename "$dest") $version" go build -trimpath "$@" -o "$dest.tmp" .)
  mv "$dest.tmp" "$dest"
  rm -rf "$dir"
}

# build_go_pkgs DEST_DIR MODULE VERSION "PKG..." [go build args...]: builds each main package PKG of MODULE@VERSION into
# DEST_DIR/<last path element> through a wrapper module (a module whose go.mod has replace directives refuses
# `go install pkg@version`). CGO and tags come from the caller's environment and arguments.
build_go_pkgs() {
  local dest="$1" module="$2" version="$3" pkgs="$4"; shift 4
  local dir pkg; dir="$(mktemp -d)"
  printf 'module plonk.dev/devstack/wrapper\n\ngo 1.24\n\nrequire %s %s\n' "$module" "$version" > "$dir/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for pkg in $pkgs; do printf '\t_ "%s"\n' "$pkg"; done
    printf ')\n'
  } > "$dir/tools.go"
  log "resolving $module $version"
  (cd "$dir" && go mod tidy)
  mkdir -p "$dest"
  for pkg in $pkgs; do
    (cd "$dir" && with_progress "building $(basename "$pkg") $version" go build -trimpath "$@" -o "$dest/$(basename "$pkg").tmp" "$pkg")
    mv "$dest/$(basename "$pkg").tmp" "$dest/$(basename "$pkg")"
  done
  rm -rf "$dir"
}
