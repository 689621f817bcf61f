// Informer against the real API server (R2, R3): initial list, watch events, a watch that ends
// is restarted. (410 Gone needs a compacting server: resilience.test.ts.)

import type { KubeObject } from '@l4gw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer } from '../src/cache/informer.js';
import { KubeRest } from '../src/kube/rest.js';
import { CORE_TYPES } from '../src/kube/resources.js';
import { createLogger } from '../src/observability/logger.js';
import { eventually, sharedKubeConfig, TestClient } from './helpers.js';

function managedFieldsOf(obj: KubeObject | undefined): unknown[] {
  const fields = (obj?.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  return Array.isArray(fields) ? fields : [];
}

describe('Informer', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  let ns: string;
  let informer: Informer;
  let changes = 0;

  beforeAll(async () => {
    ns = await client.namespace('informer');
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: ns }, data: { a: '1' } });
    informer = new Informer({
      rest: new KubeRest(kc),
      type: CORE_TYPES.configMaps,
      log: createLogger('error'),
      onChange: () => changes++,
      // Short server-side timeout: the watch ends every second and must be restarted.
      watchTimeoutSeconds: 1,
    });
    informer.start();
    await informer.whenSynced();
  });

  afterAll(async () => {
    await informer.stop();
  });

  it('should hold every object listed before the first reconcile (R2)', () => {
    expect(informer.hasSynced()).toBe(true);
    expect(informer.get(ns, 'before')?.['data']).toEqual({ a: '1' });
  });

  it('should drop managedFields from objects it lists, watches and is handed after a write', async () => {
    // The API server's own copy has them: otherwise the checks below would prove nothing.
    const served = await client.get('v1', 'ConfigMap', ns, 'before');
    expect(managedFieldsOf(served)).not.toEqual([]);
    expect(informer.get(ns, 'before')?.metadata).not.toHaveProperty('managedFields');

    const created = await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slim', namespace: ns }, data: { a: '1' } });
    expect(managedFieldsOf(created)).not.toEqual([]);
    await eventually('watched create seen', () => informer.get(ns, 'slim'));
    expect(informer.get(ns, 'slim')?.metadata).not.toHaveProperty('managedFields');

    const written = await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name: 'slim' } }, { data: { a: '2' } });
    expect(managedFieldsOf(written)).not.toEqual([]);
    informer.recordWrite(written);
    expect((informer.get(ns, 'slim')?.['data'] as { a?: string }).a).toBe('2');
    expect(informer.get(ns, 'slim')?.metadata).not.toHaveProperty('managedFields');
  });

  it('should see creates, updates and deletes through the watch', async () => {
    const before = changes;
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: ns }, data: { v: '1' } });
    await eventually('create seen', () => informer.get(ns, 'watched'));
    await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name: 'watched' } }, { data: { v: '2' } });
    await eventually('update seen', () => (informer.get(ns, 'watched')?.['data'] as { v?: string })?.v === '2');
    await client.delete('v1', 'ConfigMap', ns, 'watched');
    await eventually('delete seen', () => informer.get(ns, 'watched') === undefined);
    expect(changes).toBeGreaterThanOrEqual(before + 3);
  });

  it('should keep receiving events after the server ends the watch (R3)', async () => {
    await new Promise((r) => setTimeout(r, 2500)); // at least two server-side watch timeouts
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-timeout', namespace: ns } });
    await eventually('event after restart', () => informer.get(ns, 'after-timeout'));
    expect(informer.lists).toBe(1); // restarted from the last resourceVersion, not relisted
  });

  it('should ignore a stale watch event older than an object it wrote itself', async () => {
    const cm = await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'written', namespace: ns }, data: { v: '1' } });
    await eventually('create seen', () => informer.get(ns, 'written'));
    const newer = await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name: 'written' } }, { data: { v: '2' } });
    informer.recordWrite(newer);
    informer.recordWrite(cm); // an older version arriving late must not win
    expect((informer.get(ns, 'written')?.['data'] as { v: string }).v).toBe('2');
  });

  it('should keep its own newer writes when a relist returns an older list', async () => {
    const cm: KubeObject = await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'relisted', namespace: ns }, data: { v: '1' } });
    await eventually('create seen', () => informer.get(ns, 'relisted'));
    // A write the operator made "after" the list: simulated by a future resourceVersion.
    const future = { ...cm, metadata: { ...cm.metadata, resourceVersion: String(Number(cm.metadata.resourceVersion) + 1_000_000) } };
    informer.recordWrite(future);
    const lists = informer.lists;
    informer.relist();
    await eventually('relisted', () => informer.lists > lists);
    expect(informer.get(ns, 'relisted')?.metadata.resourceVersion).toBe(future.metadata.resourceVersion);
  });

  it('should not bring back an object it deleted itself when a relist still lists it', async () => {
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'doomed', namespace: ns } });
    const seen = await eventually('create seen', () => informer.get(ns, 'doomed'));
    informer.recordDelete(ns, 'doomed', seen.metadata.uid); // the object still exists on the server
    const lists = informer.lists;
    informer.relist();
    await eventually('relisted', () => informer.lists > lists);
    expect(informer.get(ns, 'doomed')).toBeUndefined();
  });
});
