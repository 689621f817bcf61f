import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

// The root entry is what an embedder calls; everything else it exports becomes a promise to keep.
const MAX_ROOT_RUNTIME_EXPORTS = 15;

describe('@l4gw/core public API', () => {
  it('should export at most 15 runtime values from the root entry', () => {
    // Types leave no key in the module namespace: every key is a runtime value.
    const names = Object.keys(root);
    expect(names).toContain('reconcile');
    expect(names.length).toBeLessThanOrEqual(MAX_ROOT_RUNTIME_EXPORTS);
  });

  it('should keep the stages and IPAM out of the root entry', () => {
    const names = new Set(Object.keys(root));
    for (const internal of ['parseSnapshot', 'resolveGraph', 'buildStatuses', 'realiseDataplane', 'allocateAddresses']) {
      expect(names.has(internal), internal).toBe(false);
    }
  });

  it('should resolve the ipam subpath of the built package to the allocator', async () => {
    // Through the package's `exports` map, as an embedder's import would.
    const ipam: Record<string, unknown> = await import('@l4gw/core/ipam');
    expect(typeof ipam['allocateAddresses']).toBe('function');
    expect(typeof ipam['parseIpamConfigMap']).toBe('function');
  });
});
