#!/usr/bin/env bash
# Runs a command with the integration tests' control plane on hand: unless KUBEBUILDER_ASSETS is
# already set, builds (or reuses from the cache) kube-apiserver and etcd and exports where they and
# the Gateway API CRDs are. `pnpm test` and `pnpm bench` go through here, so a fresh clone with Go
# needs no extra step; without Go and without KUBEBUILDER_ASSETS, build.sh fails and says why.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${KUBEBUILDER_ASSETS:-}" ]; then
  # An assignment first, not `eval "$(…)"`, so that a failed build stops here (set -e).
  exports="$("$here/build.sh" --print-env)"
  eval "$exports"
fi
# The chart tests' helm (tools/helm/build.sh, cached by version; L4GW_HELM overrides).
if [ -z "${L4GW_HELM:-}" ]; then
  L4GW_HELM="$("$here/../helm/build.sh")"
  export L4GW_HELM
fi
exec "$@"
