#!/usr/bin/env bash
# Builds the integration tests' control plane (kube-apiserver and etcd) from the Go module proxy
# and locates the Gateway API CRDs, printing where they are as shell exports:
#
#   eval "$(tools/envtest/build.sh --print-env)"
#
# stdout carries only `export …` lines (KUBEBUILDER_ASSETS and L4GW_GATEWAY_API_CRDS_*); progress
# goes to stderr. Binaries are cached outside the repo, keyed by version:
#   ${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/envtest/<k8s-version>-etcd<etcd-version>/{kube-apiserver,etcd}
# and reused when present and built from the same go.mod/go.sum. If KUBEBUILDER_ASSETS is already
# set (the envtest convention, e.g. binaries from setup-envtest), nothing is built.
# Versions live in tools/envtest/versions.env.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$here/versions.env"

usage() {
  cat >&2 <<EOF
usage: tools/envtest/build.sh [--print-env]
  Builds kube-apiserver $K8S_VERSION and etcd $ETCD_VERSION into the cache (or reuses them), locates the
  Gateway API CRDs ($GATEWAY_API_VERSION, legacy $GATEWAY_API_LEGACY_VERSION) and prints shell exports.
EOF
}

case "${1:-}" in
  --print-env | "") ;;
  -h | --help) usage; exit 0 ;;
  *) usage; exit 2 ;;
esac

log() { printf 'envtest: %s\n' "$*" >&2; }
die() { printf 'envtest: error: %s\n' "$*" >&2; exit 1; }

have_go() { command -v go >/dev/null 2>&1; }

no_go_message() {
  cat <<EOF
Go is not installed, so the test control plane cannot be built. Either
  - install Go (1.26 or newer; https://go.dev/dl) and run: eval "\$(tools/envtest/build.sh --print-env)", or
  - set KUBEBUILDER_ASSETS to a directory holding kube-apiserver and etcd binaries (for example from
    setup-envtest: KUBEBUILDER_ASSETS="\$(setup-envtest use -p path ${K8S_VERSION#v})"), and set
    L4GW_GATEWAY_API_CRDS_V16_STANDARD, L4GW_GATEWAY_API_CRDS_V16_EXPERIMENTAL,
    L4GW_GATEWAY_API_CRDS_LEGACY_EXPERIMENTAL and L4GW_GATEWAY_API_CRDS_V17_EXPERIMENTAL to the
    config/crd/{standard,experimental,experimental,experimental} directories of sigs.k8s.io/gateway-api
    $GATEWAY_API_VERSION, $GATEWAY_API_VERSION, $GATEWAY_API_LEGACY_VERSION and $GATEWAY_API_NEXT_VERSION.
EOF
}

# Hash of a wrapper module's go.mod and go.sum: a cached binary built from other pins is rebuilt.
module_stamp() { cat "$1/go.mod" "$1/go.sum" | sha256sum | cut -d' ' -f1; }

# build_binary <name> <module dir> <go package> <ldflags>
build_binary() {
  local name="$1" module="$2" package="$3" ldflags="$4"
  local target="$assets/$name" stamp_file="$assets/$name.stamp" stamp
  stamp="$(module_stamp "$module")"
  if [ -x "$target" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
    log "reusing $target"
    return
  fi
  log "building $name from tools/envtest/$(basename "$module")/go.mod"
  [ "$name" != kube-apiserver ] || log "(a cold kube-apiserver build takes 4-15 minutes on 2 cores and ~2 GB RAM)"
  local started=$SECONDS
  # Build next to the target and rename, so an interrupted build never leaves a truncated binary.
  (cd "$module" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$target.partial" "$package") >&2
  mv -f "$target.partial" "$target"
  printf '%s\n' "$stamp" >"$stamp_file"
  log "built $target in $((SECONDS - started)) s"
}

# gateway_api_dir <version>: the module directory of sigs.k8s.io/gateway-api@<version>.
gateway_api_dir() {
  local json dir
  json="$(cd / && go mod download -json "sigs.k8s.io/gateway-api@$1")" ||
    die "go mod download sigs.k8s.io/gateway-api@$1 failed"
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -n "$dir" ] || die "go mod download -json sigs.k8s.io/gateway-api@$1 printed no Dir"
  printf '%s\n' "$dir"
}

# gateway_api_zip_crds <version>: config/crd of sigs.k8s.io/gateway-api@<version> extracted from
# the module zip into the cache, for a version whose module this Go cannot build (it needs a newer
# Go): `go mod download` then still fetches the zip, but reports an error instead of a Dir.
gateway_api_zip_crds() {
  local version="$1" target="${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/gateway-api/$1" json zip
  if [ ! -d "$target/config/crd/standard" ]; then
    command -v unzip >/dev/null 2>&1 || die "unzip is needed to read the Gateway API $version CRDs (apt-get install unzip)"
    json="$(cd / && GOTOOLCHAIN=local go mod download -json "sigs.k8s.io/gateway-api@$version" 2>/dev/null || true)"
    zip="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Zip": "\(.*\)",\{0,1\}$/\1/p')"
    [ -n "$zip" ] && [ -f "$zip" ] || die "go mod download sigs.k8s.io/gateway-api@$version fetched no module zip"
    rm -rf "$target.partial" && mkdir -p "$target.partial"
    unzip -q "$zip" "sigs.k8s.io/gateway-api@$version/config/crd/*" -d "$target.partial"
    mv "$target.partial/sigs.k8s.io/gateway-api@$version/config" "$target.partial/config"
    rm -rf "$target.partial/sigs.k8s.io" "$target"
    mv "$target.partial" "$target"
  fi
  printf '%s\n' "$target"
}

crd_dir() {
  local dir="$1/config/crd/$2"
  [ -d "$dir" ] || die "$dir does not exist"
  printf '%s\n' "$dir"
}

# 1. Binaries.
if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  assets="$KUBEBUILDER_ASSETS"
  log "KUBEBUILDER_ASSETS is set ($assets); building nothing"
  for name in kube-apiserver etcd; do
    [ -x "$assets/$name" ] || die "KUBEBUILDER_ASSETS=$assets has no executable $name"
  done
else
  have_go || die "$(no_go_message)"
  assets="${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/envtest/${K8S_VERSION}-etcd${ETCD_VERSION}"
  mkdir -p "$assets"
  # Several shells (engineers, CI steps) may run this at once; one builds, the others wait and reuse.
  exec 9>"$assets/.lock"
  flock 9
  k8s_minor="${K8S_VERSION#v1.}"
  k8s_minor="${k8s_minor%%.*}"
  build_binary kube-apiserver "$here/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver \
    "-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$k8s_minor -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
  build_binary etcd "$here/etcd" . "-s -w"
  flock -u 9
  reported="$("$assets/kube-apiserver" --version 2>/dev/null || true)"
  [ "$reported" = "Kubernetes $K8S_VERSION" ] || die "$assets/kube-apiserver reports '$reported', expected 'Kubernetes $K8S_VERSION'"
fi

# 2. Gateway API CRDs (from the Go module cache; the variables may also be preset by the caller).
if [ -n "${L4GW_GATEWAY_API_CRDS_V16_STANDARD:-}" ] && [ -n "${L4GW_GATEWAY_API_CRDS_V16_EXPERIMENTAL:-}" ] &&
  [ -n "${L4GW_GATEWAY_API_CRDS_LEGACY_EXPERIMENTAL:-}" ] && [ -n "${L4GW_GATEWAY_API_CRDS_V17_EXPERIMENTAL:-}" ]; then
  v16_standard="$L4GW_GATEWAY_API_CRDS_V16_STANDARD"
  v16_experimental="$L4GW_GATEWAY_API_CRDS_V16_EXPERIMENTAL"
  legacy_experimental="$L4GW_GATEWAY_API_CRDS_LEGACY_EXPERIMENTAL"
  v17_experimental="$L4GW_GATEWAY_API_CRDS_V17_EXPERIMENTAL"
else
  have_go || die "$(no_go_message)"
  current="$(gateway_api_dir "$GATEWAY_API_VERSION")"
  legacy="$(gateway_api_dir "$GATEWAY_API_LEGACY_VERSION")"
  v16_standard="$(crd_dir "$current" standard)"
  v16_experimental="$(crd_dir "$current" experimental)"
  legacy_experimental="$(crd_dir "$legacy" experimental)"
  next="$(gateway_api_zip_crds "$GATEWAY_API_NEXT_VERSION")"
  v17_experimental="$(crd_dir "$next" experimental)"
  log "Gateway API CRDs: $GATEWAY_API_VERSION in $current, legacy $GATEWAY_API_LEGACY_VERSION in $legacy, next $GATEWAY_API_NEXT_VERSION in $next"
fi

printf 'export KUBEBUILDER_ASSETS=%q\n' "$assets"
printf 'export L4GW_GATEWAY_API_CRDS_V16_STANDARD=%q L4GW_GATEWAY_API_CRDS_V16_EXPERIMENTAL=%q L4GW_GATEWAY_API_CRDS_LEGACY_EXPERIMENTAL=%q L4GW_GATEWAY_API_CRDS_V17_EXPERIMENTAL=%q\n' \
  "$v16_standard" "$v16_experimental" "$legacy_experimental" "$v17_experimental"
