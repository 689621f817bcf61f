#!/usr/bin/env bash
# Runs a command with the test binaries on hand: builds (or reuses from the cache) kube-apiserver,
# etcd, kube-proxy and MetalLB, except those the caller already points at (KUBEBUILDER_ASSETS,
# L4GW_KUBE_PROXY, L4GW_METALLB_*), and exports where they and the CRDs are. `pnpm test` and
# `pnpm bench` go through here, so a fresh clone with Go needs no extra step; without Go and
# without those variables, build.sh fails and says why.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# An assignment first, not `eval "$(…)"`, so that a failed build stops here (set -e).
exports="$("$here/build.sh" --print-env)"
eval "$exports"
# The chart tests' helm (tools/helm/build.sh, cached by version; L4GW_HELM overrides).
if [ -z "${L4GW_HELM:-}" ]; then
  L4GW_HELM="$("$here/../helm/build.sh")"
  export L4GW_HELM
fi
exec "$@"
