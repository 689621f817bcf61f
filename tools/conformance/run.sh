#!/usr/bin/env bash
# Runs the upstream Gateway API conformance suite against l4gw (see README.md here):
#   tools/conformance/run.sh [--update-doc]
# The suite dials Gateway addresses, so everything (etcd, kube-apiserver, the operator, the suite)
# runs inside a network namespace this script creates, named l4cf-<pid>, holding only a loopback
# interface and no routes. It is deleted by name on exit; namespaces left by a runner that was
# killed outright are deleted (and the processes still inside them stopped) at the next start.
# Needs root (ip netns) and the envtest variables (tools/envtest/with-env.sh sets them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
prefix=l4cf-

die() { printf 'conformance: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'conformance: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || die "the conformance run needs root to create its network namespace (ip netns add); it is not skipped: run it as root"
command -v ip >/dev/null 2>&1 || die "ip (iproute2) is not installed: apt-get install -y iproute2"
[ -n "${KUBEBUILDER_ASSETS:-}" ] || die "KUBEBUILDER_ASSETS is not set: run through tools/envtest/with-env.sh (pnpm conformance does)"

# Stops the processes inside a namespace of ours (by pid), then deletes the namespace by name.
remove_namespace() {
  local ns="$1" pids
  pids="$(ip netns pids "$ns" 2>/dev/null || true)"
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 50); do
      pids="$(ip netns pids "$ns" 2>/dev/null || true)"
      [ -z "$pids" ] && break
      sleep 0.1
    done
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  fi
  ip netns delete "$ns" 2>/dev/null || true
}

# Orphans: l4cf-<pid> whose runner <pid> is gone.
for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix" || true); do
  owner="${ns#"$prefix"}"
  if ! kill -0 "$owner" 2>/dev/null; then
    log "removing network namespace $ns left by runner $owner"
    remove_namespace "$ns"
  fi
done

binary="$("$here/build.sh")"

ns="$prefix$$"
ip netns add "$ns"
trap 'remove_namespace "$ns"' EXIT
trap 'exit 130' INT TERM
ip -n "$ns" link set lo up

out="${L4GW_CONFORMANCE_OUT:-$here/out}"
mkdir -p "$out"
log "running in network namespace $ns; output in $out"
# No `exec`: this shell stays to delete the namespace when the run ends.
ip netns exec "$ns" env L4GW_CONFORMANCE_NETNS="$ns" L4GW_CONFORMANCE_OUT="$out" \
  node "$here/inside.ts" "$binary" "$@"
