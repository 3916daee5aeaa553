#!/usr/bin/env bash
# Prints a content key of what Maven builds MODULE... from, so a build whose inputs did not change can be skipped:
#   build-key.sh MODULE... [-- EXTRA...]
# It hashes, path by path, the root pom.xml, mvnw and .mvn/, and for each module and every module it depends on
# (plonk-* dependencies that are not test-scoped, recursively) its pom.xml and every file under src/main (tracked or
# not); then the JDK that builds them (java -version) and the EXTRA strings (e.g. a base image's name and mtime).
# Third-party dependencies are pinned releases, so their versions in the poms stand for their content.
set -euo pipefail
cd "$(dirname "$0")/.."

# The folders of the plonk-* artifacts a module depends on outside the test scope (artifact plonk-<folder>).
deps() {
  awk '/<dependency>/ {a = ""; s = ""}
    /<artifactId>/ {a = $0; gsub(/.*<artifactId>|<\/artifactId>.*/, "", a)}
    /<scope>/ {s = $0; gsub(/.*<scope>|<\/scope>.*/, "", s)}
    /<\/dependency>/ && a ~ /^plonk-/ && s != "test" {sub(/^plonk-/, "", a); print a}' "$1/pom.xml"
}

modules=() extra=()
while [ $# -gt 0 ]; do
  if [ "$1" = -- ]; then shift; extra=("$@"); break; fi
  modules+=("$1"); shift
done
[ ${#modules[@]} -gt 0 ] || { echo "usage: build-key.sh MODULE... [-- EXTRA...]" >&2; exit 2; }
closure=() todo=("${modules[@]}")
while [ ${#todo[@]} -gt 0 ]; do
  m="${todo[0]}"; todo=("${todo[@]:1}")
  [[ " ${closure[*]} " == *" $m "* ]] && continue
  [ -f "$m/pom.xml" ] || { echo "build-key: no module $m (no $m/pom.xml)" >&2; exit 1; }
  closure+=("$m")
  mapfile -t more < <(deps "$m")
  todo+=("${more[@]}")
done
paths=(pom.xml mvnw .mvn)
for m in "${closure[@]}"; do paths+=("$m/pom.xml"); [ -d "$m/src/main" ] && paths+=("$m/src/main"); done
{
  find "${paths[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1
  printf '%s\n' "${extra[@]}"
} | sha256sum | cut -c1-16
