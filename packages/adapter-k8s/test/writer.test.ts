// The writer against the real API server (R1, R3): server-side apply as `l4gw`, optimistic
// concurrency on status and updates, uid preconditions on deletes, and write-through.

import type { KubeObject, ObjectRef } from '@l4gw/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { KubeRest } from '../src/kube/rest.js';
import { Writer, type WriteResult, type WriteVerb } from '../src/kube/writer.js';
import { sharedKubeConfig, TestClient, uniq } from './helpers.js';
import { gateway, GW } from './fixtures.js';

describe('Writer', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const cache = new Map<string, KubeObject>();
  const counted: string[] = [];
  const key = (r: { kind: string; namespace?: string; name: string }) => `${r.kind}/${r.namespace}/${r.name}`;
  const writer = new Writer(new KubeRest(kc), {
    lookup: (ref: ObjectRef) => cache.get(key(ref)),
    written: (obj) => cache.set(key({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }), obj),
    deleted: (ref) => cache.delete(key(ref)),
    count: (kind: string, verb: WriteVerb, result: WriteResult) => counted.push(`${kind}/${verb}/${result}`),
    mayWrite: () => true,
  });
  let ns: string;

  const generatedService = (name: string, port: number): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: ns, name, labels: { 'app.kubernetes.io/managed-by': 'l4gw' } },
    spec: { type: 'ClusterIP', ports: [{ name: 'p', port, protocol: 'TCP' }] },
  });

  beforeAll(async () => {
    ns = await client.namespace('writer');
  });

  it('should create and update generated objects by server-side apply as field manager l4gw', async () => {
    expect(await writer.apply({ verb: 'create', object: generatedService('svc', 80) })).toBe('ok');
    const created = await client.get('v1', 'Service', ns, 'svc');
    const managers = (created?.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields?.map(
      (m) => `${m.manager}:${m.operation}`,
    );
    expect(managers).toEqual(['l4gw:Apply']);
    expect(cache.get(`Service/${ns}/svc`)?.metadata.resourceVersion).toBe(created?.metadata.resourceVersion); // write-through
    expect(counted).toContain('Service/apply/success');
  });

  it('should answer conflict to an update at a stale resourceVersion (R3)', async () => {
    const current = (await client.get('v1', 'Service', ns, 'svc'))!;
    await client.patch(current, { metadata: { annotations: { touched: 'by-someone-else' } } });
    const stale = { ...generatedService('svc', 81), metadata: { ...generatedService('svc', 81).metadata, resourceVersion: current.metadata.resourceVersion } };
    expect(await writer.apply({ verb: 'update', object: stale })).toBe('conflict');
    expect(((await client.get('v1', 'Service', ns, 'svc'))!['spec'] as { ports: { port: number }[] }).ports[0]!.port).toBe(80);
  });

  it('should write status through the subresource and refuse a stale resourceVersion (R3)', async () => {
    const gw = await client.create(gateway(ns, `gw-${uniq()}`, 'none', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    cache.set(key({ kind: 'Gateway', namespace: ns, name: gw.metadata.name }), gw);
    const target = { apiVersion: GW, kind: 'Gateway', namespace: ns, name: gw.metadata.name };
    const status = {
      conditions: [{ type: 'Accepted', status: 'False', reason: 'Pending', message: 'test', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }],
    };
    expect(await writer.apply({ verb: 'updateStatus', target, status, resourceVersion: gw.metadata.resourceVersion! })).toBe('ok');
    const written = await client.get(GW, 'Gateway', ns, gw.metadata.name);
    expect((written?.['status'] as { conditions: { reason: string }[] }).conditions[0]!.reason).toBe('Pending');
    expect(await writer.apply({ verb: 'updateStatus', target, status, resourceVersion: gw.metadata.resourceVersion! })).toBe('conflict');
  });

  it('should chain an update and a status write of one object planned at the same resourceVersion', async () => {
    const gw = await client.create(gateway(ns, `gw-${uniq()}`, 'none', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    cache.set(key({ kind: 'Gateway', namespace: ns, name: gw.metadata.name }), gw);
    const rv = gw.metadata.resourceVersion!;
    const target = { apiVersion: GW, kind: 'Gateway', namespace: ns, name: gw.metadata.name };
    const status = {
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }],
    };
    const outcome = await writer.applyAll([
      { verb: 'update', object: { ...gw, metadata: { ...gw.metadata, labels: { pinned: 'yes' } } } },
      { verb: 'updateStatus', target, status, resourceVersion: rv },
    ]);
    expect(outcome).toEqual({ yielded: false, applied: 2, conflicts: 0, errors: [] });
    const after = await client.get(GW, 'Gateway', ns, gw.metadata.name);
    expect(after?.metadata.labels).toEqual({ pinned: 'yes' });
    expect((after?.['status'] as { conditions: { reason: string }[] }).conditions[0]!.reason).toBe('Accepted');
  });

  it('should write statuses only once every object write has been answered', async () => {
    const gw = await client.create(gateway(ns, `gw-${uniq()}`, 'none', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    const order: string[] = [];
    const ordered = new Writer(new KubeRest(kc), {
      // A status write looks its object up just before sending: the moment it starts.
      lookup: () => (order.push('status started'), gw),
      written: () => {},
      deleted: () => {},
      count: () => {},
      mayWrite: () => true,
      onWrite: (record) => order.push(record.verb === 'updateStatus' ? 'status answered' : 'object answered'),
    });
    const target = { apiVersion: GW, kind: 'Gateway', namespace: ns, name: gw.metadata.name };
    const status = {
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }],
    };
    const outcome = await ordered.applyAll([
      // Listed first, so only the writer's ordering can hold it back.
      { verb: 'updateStatus', target, status, resourceVersion: gw.metadata.resourceVersion! },
      { verb: 'create', object: generatedService('order-a', 80) },
      { verb: 'create', object: generatedService('order-b', 80) },
    ]);
    expect(outcome).toEqual({ yielded: false, applied: 3, conflicts: 0, errors: [] });
    expect(order).toEqual(['object answered', 'object answered', 'status started', 'status answered']);
  });

  it('should not delete an object recreated under the same name (uid precondition) and treat 404 as done', async () => {
    const old = (await client.get('v1', 'Service', ns, 'svc'))!;
    await client.delete('v1', 'Service', ns, 'svc');
    await writer.apply({ verb: 'create', object: generatedService('svc', 80) });
    const target = { apiVersion: 'v1', kind: 'Service', namespace: ns, name: 'svc' };
    expect(await writer.apply({ verb: 'delete', target, uid: old.metadata.uid! })).toBe('conflict');
    expect(await client.get('v1', 'Service', ns, 'svc')).toBeDefined();
    expect(await writer.apply({ verb: 'delete', target, uid: (await client.get('v1', 'Service', ns, 'svc'))!.metadata.uid! })).toBe('ok');
    expect(await writer.apply({ verb: 'delete', target })).toBe('ok');
    expect(counted).toContain('Service/delete/notfound');
  });

  it('should stop writing as soon as mayWrite turns false (R4)', async () => {
    let allowed = 1;
    const gated = new Writer(new KubeRest(kc), {
      lookup: () => undefined,
      written: () => {},
      deleted: () => {},
      count: () => {},
      mayWrite: () => allowed-- > 0,
    }, 1);
    const outcome = await gated.applyAll([
      { verb: 'create', object: generatedService('gated-a', 80) },
      { verb: 'create', object: generatedService('gated-b', 80) },
    ]);
    expect(outcome.applied).toBe(1);
    expect(await client.get('v1', 'Service', ns, 'gated-b')).toBeUndefined();
  });

  it('should stop taking new objects once asked to yield, reporting it', async () => {
    let calls = 0;
    const outcome = await writer.applyAll(
      [
        { verb: 'create', object: generatedService('yield-a', 80) },
        { verb: 'create', object: generatedService('yield-b', 80) },
        { verb: 'create', object: generatedService('yield-c', 80) },
      ],
      () => calls++ >= 1,
    );
    expect(outcome.yielded).toBe(true);
    expect(outcome.applied).toBeLessThan(3);
    expect(await client.get('v1', 'Service', ns, 'yield-c')).toBeUndefined();
  });
});
