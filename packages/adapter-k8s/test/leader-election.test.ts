// R4: two replicas share one Lease; only the leader writes, and when it stops (releasing the
// Lease) the standby takes over and converges without moving any address (IP4).

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import { addressesOf, gateway, gatewayClass, GW, ipamConfigMap, startOperator } from './fixtures.js';
import { forkOperator } from './process.js';

describe('leader election', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const id = uniq();
  const controllerName = `l4gw.test/leader-${id}`;
  const className = `leader-${id}`;
  const leaseName = `l4gw-test-${id}`;
  let ns: string;
  let a: OperatorHandle;
  let b: OperatorHandle;

  const replica = (identity: string) =>
    startOperator(kc, {
      controllerName,
      ipamConfigMap: `${ns}/pools`,
      leaderElect: true,
      leaderElectionNamespace: ns,
      leaderElectionId: leaseName,
      identity,
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 500,
    });

  beforeAll(async () => {
    ns = await client.namespace('leader');
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.63.0.10-10.63.0.20' }));
    await client.create(gatewayClass(className, controllerName));
    a = await replica('replica-a');
    await eventually('replica-a leads', () => a.isLeader());
    b = await replica('replica-b');
    await b.whenSynced();
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('should have exactly one leader, recorded in the Lease (R4)', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // several retry periods
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    const lease = await client.get('coordination.k8s.io/v1', 'Lease', ns, leaseName);
    expect((lease?.['spec'] as { holderIdentity: string }).holderIdentity).toBe('replica-a');
  });

  it('should let only the leader write while the standby keeps its cache warm', async () => {
    await client.create(gateway(ns, 'gw1', className, [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    await eventually('gw1 Programmed', async () => condition(await client.get(GW, 'Gateway', ns, 'gw1'), 'Programmed')?.status === 'True');
    await eventually('standby sees gw1', () => b.cache.lookup({ apiVersion: GW, kind: 'Gateway', namespace: ns, name: 'gw1' }));
    expect(a.writes()).toBeGreaterThan(0);
    expect(b.writes()).toBe(0);
    expect(b.isReady()).toBe(true); // a standby is ready: it would take over at once
  });

  it('should fail over to the standby when the leader stops, keeping addresses (R4, IP4)', async () => {
    const before = addressesOf(await client.get(GW, 'Gateway', ns, 'gw1'));
    await a.stop();
    const lease = await client.get('coordination.k8s.io/v1', 'Lease', ns, leaseName);
    const holder = (lease?.['spec'] as { holderIdentity?: string }).holderIdentity;
    expect(holder === '' || holder === 'replica-b').toBe(true); // released on shutdown
    await eventually('replica-b leads', () => b.isLeader(), 10_000);
    await client.create(gateway(ns, 'gw2', className, [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    const gw2 = await eventually('gw2 Programmed by the new leader', async () => {
      const g = await client.get(GW, 'Gateway', ns, 'gw2');
      return condition(g, 'Programmed')?.status === 'True' && g;
    });
    expect(addressesOf(gw2)).toHaveLength(1);
    expect(addressesOf(await client.get(GW, 'Gateway', ns, 'gw1'))).toEqual(before);
    expect(b.writes()).toBeGreaterThan(0);
  });
});

describe('graceful shutdown on SIGTERM', () => {
  it('should release the Lease when the operator process receives SIGTERM (R4)', async () => {
    const kc = sharedKubeConfig();
    const client = new TestClient(kc);
    const ns = await client.namespace('sigterm');
    const lease = `l4gw-sigterm-${uniq()}`;
    const proc = await forkOperator({
      kubeconfig: inject('l4gwKubeconfigPath'),
      controllerName: `l4gw.test/sigterm-${uniq()}`,
      metricsBindAddress: '0',
      healthProbeBindAddress: '0',
      logLevel: 'error',
      leaderElect: true,
      leaderElectionNamespace: ns,
      leaderElectionId: lease,
      identity: 'sigterm-replica',
    });
    const holder = async () =>
      ((await client.get('coordination.k8s.io/v1', 'Lease', ns, lease))?.['spec'] as { holderIdentity?: string } | undefined)
        ?.holderIdentity;
    await eventually('lease acquired', async () => (await holder()) === 'sigterm-replica');
    await proc.terminate();
    expect(proc.child.exitCode ?? proc.child.signalCode).toBe(0);
    expect(await holder()).toBe('');
  });
});
