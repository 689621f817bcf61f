// Core remembers work between reconciles, keyed by object identity: parse results per raw object
// (parse/cache.ts), de-duplicated lists (parse/snapshot.ts), the address assignment
// (gateway/addresses.ts) and mirrored endpoints (dataplane/mirror.ts). Each is invisible: the
// result is always what a reconcile without memory would give. This switch turns all of them
// off, so that tests can compute that reference result; it is not part of the public API.

let enabled = true;

/** True unless a test is computing a reference result without memory. */
export function rememberAcrossCalls(): boolean {
  return enabled;
}

/** Runs `compute` with every cross-call memo bypassed (neither read nor written). */
export function withoutMemory<T>(compute: () => T): T {
  const before = enabled;
  enabled = false;
  try {
    return compute();
  } finally {
    enabled = before;
  }
}
