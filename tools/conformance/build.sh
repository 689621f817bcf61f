#!/usr/bin/env bash
# Builds the conformance test binary (this directory's Go test package, which imports the upstream
# suite sigs.k8s.io/gateway-api/conformance) and prints its path on stdout. The binary is cached
# outside the repo, keyed by the Gateway API version and a hash of the sources it is built from:
#   ${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/conformance/<gateway-api-version>/conformance.test
# expectations.yaml is read at run time, so editing it needs no rebuild.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../envtest/versions.env
. "$here/../envtest/versions.env"

log() { printf 'conformance: %s\n' "$*" >&2; }
die() { printf 'conformance: error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "Go is not installed (1.26 or newer is needed to build the conformance suite; https://go.dev/dl)"
grep -q "sigs.k8s.io/gateway-api/conformance $GATEWAY_API_VERSION\$" "$here/go.mod" ||
  die "tools/conformance/go.mod does not require sigs.k8s.io/gateway-api/conformance $GATEWAY_API_VERSION (tools/envtest/versions.env); update both together"

out="${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/conformance/$GATEWAY_API_VERSION"
mkdir -p "$out"
binary="$out/conformance.test"
stamp="$(cd "$here" && find go.mod go.sum ./*.go harness -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -d' ' -f1)"

exec 9>"$out/.lock"
flock 9
if [ -x "$binary" ] && [ "$(cat "$binary.stamp" 2>/dev/null)" = "$stamp" ]; then
  log "reusing $binary"
else
  log "building $binary (cold: a few minutes on 2 cores)"
  started=$SECONDS
  (cd "$here" && CGO_ENABLED=0 go test -c -trimpath -o "$binary.partial" .) >&2
  mv -f "$binary.partial" "$binary"
  printf '%s\n' "$stamp" >"$binary.stamp"
  log "built in $((SECONDS - started)) s"
fi
printf '%s\n' "$binary"
