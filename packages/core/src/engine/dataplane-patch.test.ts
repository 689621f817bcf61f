// Realising after a few Gateways or EndpointSlices changed starts from the last result
// (./dataplane-patch.ts); it must give exactly what realising from nothing gives. Each step
// replaces objects by edited copies, in place, as an informer does, and is compared with the
// pure reconcile.

import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot.js';
import { remembering } from './test-support.js';
import { reconcile } from '../reconcile.js';
import * as f from '../gateway/test-support.js';

const slice = (service: string, addresses: string[], name = `${service}-1`): f.Json => f.endpointSlice(name, service, addresses);
const route = (name: string, gateway: string, service: string, labels?: Record<string, string>): f.Json =>
  f.tcpRoute(name, [f.parent(gateway)], [f.backend(service, 80)], labels === undefined ? {} : { labels });

const first: Snapshot = f.snapshot({
  gatewayClasses: [f.gatewayClass('l4')],
  gateways: [f.gateway('a', [{ name: 'l', port: 80 }]), f.gateway('b', [{ name: 'l', port: 80 }]), f.gateway('c', [{ name: 'l', port: 80 }])],
  tcpRoutes: [route('ra', 'a', 's1'), route('rb', 'b', 's2'), route('rc', 'c', 's1')],
  namespaces: [f.namespace('default')],
  services: ['s1', 's2', 's3'].map((name) => f.service(name, [{ port: 80, targetPort: 8080 }], { selector: { app: name } })),
  endpointSlices: [slice('s1', ['10.1.0.1']), slice('s2', ['10.2.0.1']), slice('s3', ['10.3.0.1'])],
  configMaps: [f.kubevip()],
});

/** `snapshot` with item `index` of `list` replaced by `edited`, the others the same instances. */
function edit(snapshot: Snapshot, list: 'tcpRoutes' | 'endpointSlices', index: number, edited: f.Json): Snapshot {
  const items = [...snapshot[list]];
  items[index] = edited;
  return { ...snapshot, [list]: items };
}

function expectSameAsFresh(steps: Snapshot[]): void {
  const opts = f.options();
  const engine = remembering();
  for (const [i, step] of steps.entries()) {
    expect(engine.reconcile(step, opts), `step ${i}`).toEqual(reconcile(step, opts));
  }
}

describe('dataplane after Gateways or slices changed in place (R1)', () => {
  it('should mirror a changed slice into every Gateway that reads its Service, and no other (DP1)', () => {
    const more = edit(first, 'endpointSlices', 0, slice('s1', ['10.1.0.1', '10.1.0.2']));
    const none = edit(more, 'endpointSlices', 0, slice('s1', []));
    expectSameAsFresh([first, more, none]);
  });

  it('should follow a Gateway to the Service its route now names, for the slice changes after (DP1)', () => {
    const sliceChanged = edit(first, 'endpointSlices', 1, slice('s2', ['10.2.0.9']));
    const moved = edit(sliceChanged, 'tcpRoutes', 0, route('ra', 'a', 's3'));
    const newBackendChanged = edit(moved, 'endpointSlices', 2, slice('s3', ['10.3.0.7', '10.3.0.8']));
    const oldBackendChanged = edit(newBackendChanged, 'endpointSlices', 0, slice('s1', ['10.1.0.5']));
    expectSameAsFresh([first, sliceChanged, moved, newBackendChanged, oldBackendChanged]);
  });

  it('should follow a slice that moves to another Service, or to none (DP1)', () => {
    const moved = edit(first, 'endpointSlices', 0, slice('s2', ['10.1.0.1'], 's1-1'));
    const orphan = edit(moved, 'endpointSlices', 0, { ...slice('s2', ['10.1.0.1'], 's1-1'), metadata: { name: 's1-1', namespace: 'default' } });
    expectSameAsFresh([first, moved, orphan, first]);
  });

  it('should realise again a Gateway whose winner turns to a selector behaviour and back (DP2)', () => {
    const create = edit(first, 'tcpRoutes', 1, route('rb', 'b', 's2', { serviceBehaviour: 'create' }));
    const sliceChanged = edit(create, 'endpointSlices', 1, slice('s2', ['10.2.0.3']));
    const back = edit(sliceChanged, 'tcpRoutes', 1, route('rb', 'b', 's2'));
    expectSameAsFresh([first, create, sliceChanged, back]);
  });
});
