// IP8 on a real API server: an address a deleted Gateway released goes to no other Gateway until
// the hold is over, and a Gateway left waiting for it gets it once the hold ends, with no other
// event to wake the operator.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient } from './helpers.js';
import { addressesOf, generated, GW, gateway, gatewayClass, ipamConfigMap, startOperator } from './fixtures.js';

const HOLD_MS = 3_000;

describe('released addresses are held back (IP8)', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const controllerName = `l4gw.test/held-back-${Date.now()}`;
  const className = `held-back-${Date.now()}`;
  let ns: string;
  let op: OperatorHandle | undefined;

  const addressOf = (name: string) =>
    eventually(`Gateway ${name} with an address`, async () => {
      const addresses = addressesOf(await client.get(GW, 'Gateway', ns, name));
      return addresses.length > 0 && addresses;
    });

  beforeAll(async () => {
    ns = await client.namespace('held-back');
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.94.0.10-10.94.0.11' }));
    await client.create(gatewayClass(className, controllerName));
    op = await startOperator(kc, { controllerName, ipamConfigMap: `${ns}/pools`, addressHoldMs: HOLD_MS });
  });

  afterAll(async () => {
    await op?.stop();
  });

  it('should give a new Gateway another address while the released one is held back, and the released one after the hold', async () => {
    const listeners = [{ name: 'tcp', port: 80, protocol: 'TCP' as const }];
    await client.create(gateway(ns, 'first', className, listeners));
    expect(await addressOf('first')).toEqual(['10.94.0.10']);
    await eventually('the first Gateway Service', async () => (await generated(client, ns, 'first')).services.length === 1);

    // Released: the Gateway and then its Service are gone. A Gateway created now must not get .10.
    await client.delete(GW, 'Gateway', ns, 'first');
    await eventually('the first Gateway Service deleted', async () => (await generated(client, ns, 'first')).services.length === 0);
    const releasedAt = Date.now();
    await client.create(gateway(ns, 'second', className, listeners));
    expect(await addressOf('second')).toEqual(['10.94.0.11']);

    // The pool's only other address is held back: the third Gateway waits, and is told why.
    await client.create(gateway(ns, 'third', className, listeners));
    const waiting = await eventually('the third Gateway not programmed for lack of an address', async () => {
      const gw = await client.get(GW, 'Gateway', ns, 'third');
      return condition(gw, 'Programmed')?.reason === 'AddressNotAssigned' && gw;
    });
    expect(condition(waiting, 'Programmed')?.message).toContain('held back briefly');
    // After the hold the operator wakes by itself (nothing else changes) and hands out .10.
    expect(await addressOf('third')).toEqual(['10.94.0.10']);
    // The operator released it a moment before the test saw the Service go: allow for that.
    expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(HOLD_MS - 1_000);
  });
});
