#!/usr/bin/env bash
# Builds what the conformance run executes and prints the directory holding it on stdout:
#   conformance.test  this directory's Go test package, which imports the upstream suite
#                     sigs.k8s.io/gateway-api/conformance
#   echo-basic        the suite's own echo server (sigs.k8s.io/gateway-api/conformance/echo-basic,
#                     a `tool` of go.mod), run for the Pods of the suite's echo Deployments
#   dns-whoami        ./cmd/dns-whoami, run for the Pods of its coredns Deployment
# They are cached outside the repo, keyed by the Gateway API version and a hash of the sources
# they are built from, so two checkouts with different sources never overwrite each other's:
#   ${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/conformance/<gateway-api-version>/<hash>/
# expectations.yaml is read at run time, so editing it needs no rebuild. Directories of other
# hashes unused for a week are removed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../envtest/versions.env
. "$here/../envtest/versions.env"

log() { printf 'conformance: %s\n' "$*" >&2; }
die() { printf 'conformance: error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "Go is not installed (1.26 or newer is needed to build the conformance suite; https://go.dev/dl)"
grep -q "sigs.k8s.io/gateway-api/conformance $GATEWAY_API_VERSION\$" "$here/go.mod" ||
  die "tools/conformance/go.mod does not require sigs.k8s.io/gateway-api/conformance $GATEWAY_API_VERSION (tools/envtest/versions.env); update both together"

version_dir="${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/conformance/$GATEWAY_API_VERSION"
stamp="$(cd "$here" && find go.mod go.sum ./*.go harness cmd -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -d' ' -f1)"
out="$version_dir/${stamp:0:16}"
mkdir -p "$out"
binary="$out/conformance.test"

exec 9>"$out/.lock"
flock 9
if [ -x "$binary" ] && [ -x "$out/echo-basic" ] && [ -x "$out/dns-whoami" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
  log "reusing $out"
else
  log "building into $out (cold: a few minutes on 2 cores)"
  started=$SECONDS
  (cd "$here" && CGO_ENABLED=0 go test -c -trimpath -o "$binary.partial" .) >&2
  log "conformance.test built in $((SECONDS - started)) s"
  step=$SECONDS
  (cd "$here" && CGO_ENABLED=0 go build -trimpath -o "$out/echo-basic.partial" sigs.k8s.io/gateway-api/conformance/echo-basic) >&2
  (cd "$here" && CGO_ENABLED=0 go build -trimpath -o "$out/dns-whoami.partial" ./cmd/dns-whoami) >&2
  log "echo-basic and dns-whoami built in $((SECONDS - step)) s"
  for file in conformance.test echo-basic dns-whoami; do mv -f "$out/$file.partial" "$out/$file"; done
  printf '%s\n' "$stamp" >"$out/stamp"
  log "built in $((SECONDS - started)) s"
fi
touch "$out"
# Other checkouts' builds that nobody has used for a week.
find "$version_dir" -mindepth 1 -maxdepth 1 -type d ! -name "${stamp:0:16}" -mtime +7 -exec rm -rf {} + 2>/dev/null || true
printf '%s\n' "$out"
