#!/usr/bin/env bash
# Builds the helm CLI (the chart tests render, lint and apply charts/l4gw with it) from the Go module
# proxy and prints its path:
#
#   helm="$(tools/helm/build.sh)"
#
# stdout carries only the path; progress goes to stderr. The binary is cached outside the repo,
# keyed by version: ${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/helm/<version>/helm, reused while built from
# the same go.mod/go.sum (tools/lib/go-build.sh). If L4GW_HELM is set, it is used as is.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/go-build.sh
. "$here/../lib/go-build.sh"

log() { printf 'helm: %s\n' "$*" >&2; }
die() { printf 'helm: error: %s\n' "$*" >&2; exit 1; }

if [ -n "${L4GW_HELM:-}" ]; then
  [ -x "$L4GW_HELM" ] || die "L4GW_HELM=$L4GW_HELM is not an executable"
  printf '%s\n' "$L4GW_HELM"
  exit 0
fi

command -v go >/dev/null 2>&1 ||
  die "Go is not installed, so helm cannot be built: install Go 1.26 or newer, or set L4GW_HELM to a helm v3 binary"

# The version is the one go.mod requires; the k8s minor helm reports as its default capability is
# that of the client-go it links (what helm's own Makefile derives).
version="$(sed -n 's/^[[:space:]]*\(require \)\{0,1\}helm\.sh\/helm\/v3 \(v[^ ]*\).*/\2/p' "$here/go.mod" | head -n1)"
[ -n "$version" ] || die "tools/helm/go.mod requires no helm.sh/helm/v3"
k8s_minor="$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$here/go.mod")"
[ -n "$k8s_minor" ] || die "tools/helm/go.mod requires no k8s.io/client-go"

dir="${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/helm/$version"
mkdir -p "$dir"
# Several test processes may ask at once; one builds, the others wait and reuse.
exec 9>"$dir/.lock"
flock 9
go_build_cached "$dir/helm" "$here" helm.sh/helm/v3/cmd/helm \
  "-s -w -X helm.sh/helm/v3/internal/version.version=$version -X helm.sh/helm/v3/internal/version.gitTreeState=clean -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor" \
  "a cold helm build takes a few minutes on 2 cores"
flock -u 9
printf '%s\n' "$dir/helm"
