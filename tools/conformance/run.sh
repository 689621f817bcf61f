#!/usr/bin/env bash
# Runs the upstream Gateway API conformance suite against l4gw (see README.md here):
#   tools/conformance/run.sh [--update-doc]
# The suite sends real TCP and UDP traffic to Gateway addresses, so the whole run happens on the
# data-plane test bed (packages/dataplane): its launcher creates network namespaces
# l4dp-<pid>-node, -client and -backend joined by veths, with no route out of any of them, and
# runs inside.ts in the node namespace; there the control plane, kube-proxy (nftables), l4gw and
# the suite's Pods (one namespace each, l4dp-<pid>-pod<n>) run, and the suite runs in the client
# namespace. The launcher deletes every one of those namespaces, with the processes inside, when
# the run ends, and those of a run that was killed outright when the next one starts.
# Needs root, ip and nft, and the envtest variables (tools/envtest/with-env.sh sets them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

die() { printf 'conformance: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'conformance: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || die "the conformance run needs root for the test bed's network namespaces; it is not skipped: run it as root"
[ -n "${KUBEBUILDER_ASSETS:-}" ] || die "KUBEBUILDER_ASSETS is not set: run through tools/envtest/with-env.sh (pnpm conformance does)"
[ -f "$repo/packages/dataplane/dist/launch.js" ] || die "packages/dataplane is not built: run pnpm build (pnpm conformance does)"

binaries="$("$here/build.sh")"

out="${L4GW_CONFORMANCE_OUT:-$here/out}"
mkdir -p "$out"
log "running on the data-plane test bed; output in $out"
# The launcher checks root, ip and nft, reaps namespaces of killed runs, and deletes its own at the end.
L4GW_CONFORMANCE_OUT="$out" node "$repo/packages/dataplane/dist/launch.js" -- \
  node "$here/inside.ts" "$binaries" "$@"
