// GW5 -pin-addresses: the assigned address is also written into the Gateway's spec (an update
// with resourceVersion of an object l4gw does not own), and a restarted controller keeps it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import { addressesOf, gateway, gatewayClass, GW, ipamConfigMap, startOperator } from './fixtures.js';

describe('-pin-addresses', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const id = uniq();
  const controllerName = `l4gw.test/pin-${id}`;
  const className = `pin-${id}`;
  let ns: string;
  let op: OperatorHandle | undefined;
  const start = () => startOperator(kc, { controllerName, ipamConfigMap: `${ns}/pools`, pinAddresses: true });

  beforeAll(async () => {
    ns = await client.namespace('pin');
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.68.0.10-10.68.0.20' }));
    await client.create(gatewayClass(className, controllerName));
    op = await start();
  });

  afterAll(async () => {
    await op?.stop();
  });

  it('should record the assigned address in spec.addresses and keep it across a restart (GW5, IP4)', async () => {
    await client.create(gateway(ns, 'gw', className, [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    const gw = await eventually('pinned and Programmed', async () => {
      const g = await client.get(GW, 'Gateway', ns, 'gw');
      const pinned = (g?.['spec'] as { addresses?: { type: string; value: string }[] }).addresses;
      const programmed = condition(g, 'Programmed') as { status: string; observedGeneration?: number } | undefined;
      // Pinning changes the spec (a new generation): wait for the status that observed it.
      const current = programmed?.observedGeneration === g?.metadata.generation;
      return programmed?.status === 'True' && current && (pinned?.length ?? 0) > 0 && g;
    });
    const [vip] = addressesOf(gw);
    expect((gw['spec'] as { addresses: unknown }).addresses).toEqual([{ type: 'IPAddress', value: vip }]);
    const managers = ((gw.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields ?? []).map(
      (m) => `${m.manager}:${m.operation}`,
    );
    expect(managers).toContain('l4gw:Update');

    await op!.stop();
    const writesBefore = op!.writes();
    op = await start();
    await op.whenSynced();
    await op.whenReconciled();
    expect(addressesOf(await client.get(GW, 'Gateway', ns, 'gw'))).toEqual([vip]);
    expect(op.writes()).toBe(0); // R2 + R1: a restart on an unchanged cluster writes nothing
    expect(writesBefore).toBeGreaterThan(0);
  });
});
