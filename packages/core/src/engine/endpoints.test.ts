import { describe, expect, it } from 'vitest';
import type { BackendTarget } from '../model/graph.js';
import type { ParsedEndpointSlice, ParsedService } from '../model/parsed.js';
import { rememberingEndpointsSteps } from './endpoints.js';

// DP1 mirroring (dataplane/mirror.ts) and its memo: with an engine's memory, the groups of a
// backend are remembered by its first parsed slice, so these tests change everything else a
// backend's groups depend on and expect fresh results. One memory serves the whole file, as one
// engine's would.
const { mirrorEndpoints } = rememberingEndpointsSteps(new WeakMap());

function slice(name: string, addresses: string[], port = 8080): ParsedEndpointSlice {
  return {
    meta: { name, namespace: 'default', uid: `uid-${name}`, generation: 1, creationTimestamp: '', resourceVersion: '1', labels: {}, annotations: {}, finalizers: [] },
    serviceName: 'web',
    addressType: 'IPv4',
    ports: [{ name: 'http', port, protocol: 'TCP' }],
    endpoints: addresses.map((a) => ({ addresses: [a], ready: true })),
    raw: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'default' } },
  };
}

const web = { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } as unknown as ParsedService;

/** The groups of a backend on port `portName` of `web` with these slices. */
function mirror(slices: ParsedEndpointSlice[], targetPort?: number, portName = 'http'): ReturnType<typeof mirrorEndpoints> {
  const target: BackendTarget = { service: web, servicePort: { name: portName, port: 80, protocol: 'TCP' }, ...(targetPort === undefined ? {} : { targetPort }) };
  return mirrorEndpoints(target, slices);
}

const addressesOf = (groups: ReturnType<typeof mirrorEndpoints>): string[][] => groups.map((g) => g.endpoints.flatMap((e) => e.addresses));

describe('mirrorEndpoints remembered (DP1)', () => {
  const first = slice('web-a', ['10.0.0.2', '10.0.0.1']);
  const second = slice('web-b', ['10.0.0.4']);

  it('should mirror sorted, de-duplicated endpoints and return the same groups for the same slices', () => {
    const groups = mirror([first, slice('web-b', ['10.0.0.1', '10.0.0.3'])]);
    expect(addressesOf(groups)).toEqual([['10.0.0.1', '10.0.0.2', '10.0.0.3']]);
    expect(mirror([first, second])).toBe(mirror([first, second]));
  });

  it('should mirror again when a later slice is replaced, added or removed behind the same first slice', () => {
    expect(addressesOf(mirror([first, slice('web-b', ['10.0.0.9'])]))).toEqual([['10.0.0.1', '10.0.0.2', '10.0.0.9']]);
    expect(addressesOf(mirror([first]))).toEqual([['10.0.0.1', '10.0.0.2']]);
    expect(addressesOf(mirror([first, slice('web-c', ['10.0.0.7']), slice('web-d', ['10.0.0.8'])]))).toEqual([
      ['10.0.0.1', '10.0.0.2', '10.0.0.7', '10.0.0.8'],
    ]);
  });

  it('should mirror again when the target port or the named port changes', () => {
    expect(mirror([first]).map((g) => g.targetPort)).toEqual([8080]);
    expect(mirror([first], 9090).map((g) => g.targetPort)).toEqual([9090]);
    expect(mirror([first], undefined, 'other')).toEqual([]);
  });
});
