#!/usr/bin/env bash
# Builds the test binaries from the Go module proxy — the integration tests' control plane
# (kube-apiserver, etcd) and the data-plane test bed's kube-proxy and MetalLB (controller, speaker) —
# and locates the Gateway API and MetalLB CRDs, printing where they are as shell exports:
#
#   eval "$(tools/envtest/build.sh --print-env)"
#
# stdout carries only `export …` lines (KUBEBUILDER_ASSETS, L4GW_KUBE_PROXY, L4GW_METALLB_*,
# L4GW_GATEWAY_API_CRDS_*); progress goes to stderr. Binaries are cached outside the repo, keyed by
# version, and reused when present and built from the same go.mod/go.sum:
#   ${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/envtest/<k8s-version>-etcd<etcd-version>/{kube-apiserver,etcd,kube-proxy}
#   ${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/envtest/metallb-<metallb-version>/{controller,speaker}
# Each binary can come from elsewhere instead: KUBEBUILDER_ASSETS (the envtest convention, e.g.
# setup-envtest's directory) for kube-apiserver and etcd, L4GW_KUBE_PROXY, L4GW_METALLB_CONTROLLER
# and L4GW_METALLB_SPEAKER for the others; what is given is not built.
# Versions live in tools/envtest/versions.env.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$here/versions.env"
# shellcheck source=../lib/go-build.sh
. "$here/../lib/go-build.sh"

usage() {
  cat >&2 <<EOF
usage: tools/envtest/build.sh [--print-env]
  Builds kube-apiserver and kube-proxy $K8S_VERSION, etcd $ETCD_VERSION and MetalLB $METALLB_VERSION into the
  cache (or reuses them), locates the Gateway API CRDs ($GATEWAY_API_VERSION, legacy
  $GATEWAY_API_LEGACY_VERSION) and MetalLB's CRDs, and prints shell exports.
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
    $GATEWAY_API_VERSION, $GATEWAY_API_VERSION, $GATEWAY_API_LEGACY_VERSION and $GATEWAY_API_NEXT_VERSION, and for
    the data-plane tests L4GW_KUBE_PROXY (kube-proxy $K8S_VERSION), L4GW_METALLB_CONTROLLER,
    L4GW_METALLB_SPEAKER (MetalLB $METALLB_VERSION) and L4GW_METALLB_CRDS (its config/crd/bases directory).
EOF
}

# build_binary <target path> <module dir> <go package> <ldflags>: built (or reused) by
# tools/lib/go-build.sh, with a note on the long cold builds.
build_binary() {
  local note=""
  have_go || [ -x "$1" ] || die "$(no_go_message)"
  case "$(basename "$1")" in
    kube-apiserver) note="a cold kube-apiserver build takes 4-15 minutes on 2 cores and ~2 GB RAM" ;;
    controller) note="a cold MetalLB controller build takes ~6 minutes on 2 cores" ;;
  esac
  go_build_cached "$1" "$2" "$3" "$4" "$note"
}

# given_or_built <variable> <target path> <build_binary args after the target…>: the path of a binary,
# taken from <variable> when the caller set it, else built (or reused) at <target path>.
given_or_built() {
  local variable="$1" target="$2"
  shift 2
  if [ -n "${!variable:-}" ]; then
    [ -x "${!variable}" ] || die "$variable=${!variable} is not an executable file"
    log "$variable is set; not building $(basename "$target")"
    printf '%s\n' "${!variable}"
    return
  fi
  build_binary "$target" "$@"
  printf '%s\n' "$target"
}

# module_dir <module>@<version>: the directory of that module in the Go module cache.
module_dir() {
  local json dir
  json="$(cd / && go mod download -json "$1")" || die "go mod download $1 failed"
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -n "$dir" ] || die "go mod download -json $1 printed no Dir"
  printf '%s\n' "$dir"
}

# gateway_api_dir <version>: the module directory of sigs.k8s.io/gateway-api@<version>.
gateway_api_dir() { module_dir "sigs.k8s.io/gateway-api@$1"; }

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
cache="${L4GW_CACHE_DIR:-$HOME/.cache/l4gw}/envtest"
k8s_assets="$cache/${K8S_VERSION}-etcd${ETCD_VERSION}"
metallb_assets="$cache/metallb-${METALLB_VERSION}"
k8s_minor="${K8S_VERSION#v1.}"
k8s_minor="${k8s_minor%%.*}"
k8s_ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$k8s_minor -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
mkdir -p "$k8s_assets" "$metallb_assets"
# Several shells (engineers, CI steps) may run this at once; one builds, the others wait and reuse.
exec 9>"$k8s_assets/.lock"
flock 9
if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  assets="$KUBEBUILDER_ASSETS"
  log "KUBEBUILDER_ASSETS is set ($assets); not building kube-apiserver and etcd"
  for name in kube-apiserver etcd; do
    [ -x "$assets/$name" ] || die "KUBEBUILDER_ASSETS=$assets has no executable $name"
  done
else
  assets="$k8s_assets"
  build_binary "$assets/kube-apiserver" "$here/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ldflags"
  build_binary "$assets/etcd" "$here/etcd" . "-s -w"
  reported="$("$assets/kube-apiserver" --version 2>/dev/null || true)"
  [ "$reported" = "Kubernetes $K8S_VERSION" ] || die "$assets/kube-apiserver reports '$reported', expected 'Kubernetes $K8S_VERSION'"
fi
# kube-proxy comes from kube-apiserver's module: the same k8s.io/kubernetes and staging pins.
kube_proxy="$(given_or_built L4GW_KUBE_PROXY "$k8s_assets/kube-proxy" "$here/kube-apiserver" k8s.io/kubernetes/cmd/kube-proxy "$k8s_ldflags")"
flock -u 9
exec 9>"$metallb_assets/.lock"
flock 9
metallb_controller="$(given_or_built L4GW_METALLB_CONTROLLER "$metallb_assets/controller" "$here/metallb" go.universe.tf/metallb/controller "-s -w")"
metallb_speaker="$(given_or_built L4GW_METALLB_SPEAKER "$metallb_assets/speaker" "$here/metallb" go.universe.tf/metallb/speaker "-s -w")"
flock -u 9
if [ -n "${L4GW_METALLB_CRDS:-}" ]; then
  metallb_crds="$L4GW_METALLB_CRDS"
else
  have_go || die "$(no_go_message)"
  metallb_crds="$(module_dir "go.universe.tf/metallb@$METALLB_VERSION")/config/crd/bases"
fi
[ -d "$metallb_crds" ] || die "$metallb_crds (MetalLB's CRDs) does not exist"

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
printf 'export L4GW_KUBE_PROXY=%q L4GW_METALLB_CONTROLLER=%q L4GW_METALLB_SPEAKER=%q L4GW_METALLB_CRDS=%q\n' \
  "$kube_proxy" "$metallb_controller" "$metallb_speaker" "$metallb_crds"
printf 'export L4GW_GATEWAY_API_CRDS_V16_STANDARD=%q L4GW_GATEWAY_API_CRDS_V16_EXPERIMENTAL=%q L4GW_GATEWAY_API_CRDS_LEGACY_EXPERIMENTAL=%q L4GW_GATEWAY_API_CRDS_V17_EXPERIMENTAL=%q\n' \
  "$v16_standard" "$v16_experimental" "$legacy_experimental" "$v17_experimental"
