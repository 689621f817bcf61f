// A controller killed (SIGKILL) in the middle of converging many Gateways, then restarted: every
// Gateway ends up Programmed, and no Gateway that had an address loses or changes it (R2, IP4).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import { addressesOf, backendSlice, gateway, gatewayClass, generated, GW, ipamConfigMap, route, startOperator } from './fixtures.js';
import { forkOperator } from './process.js';

describe('controller restart mid-convergence', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const id = uniq();
  const controllerName = `l4gw.test/restart-${id}`;
  const className = `restart-${id}`;
  const total = 80;
  let ns: string;
  let second: OperatorHandle | undefined;

  const addressesNow = async (): Promise<Map<string, string>> => {
    const list = await client.list(GW, 'Gateway', ns);
    const out = new Map<string, string>();
    for (const g of list) {
      const [address] = addressesOf(g);
      if (address) out.set(g.metadata.name, address);
    }
    return out;
  };

  beforeAll(async () => {
    ns = await client.namespace('restart');
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.66.0.0/24' }));
    await client.create(gatewayClass(className, controllerName));
  });

  afterAll(async () => {
    await second?.stop();
  });

  it('should converge after a kill without changing any assigned address (IP4)', async () => {
    const first = await forkOperator({
      kubeconfig: inject('l4gwKubeconfigPath'),
      controllerName,
      ipamConfigMap: `${ns}/pools`,
      metricsBindAddress: '0',
      healthProbeBindAddress: '0',
      logLevel: 'error',
      writeConcurrency: 1, // slow enough to be caught mid-way
    });
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        client.create(gateway(ns, `gw-${String(i).padStart(3, '0')}`, className, [{ name: 'tcp', port: 80, protocol: 'TCP' }])),
      ),
    );
    await eventually('some addresses assigned', async () => (await addressesNow()).size > 0, 60_000);
    await first.kill();
    const atKill = await addressesNow();
    expect(atKill.size).toBeLessThan(total); // really mid-convergence

    second = await startOperator(kc, { controllerName, ipamConfigMap: `${ns}/pools` });
    await eventually('all Programmed', async () => {
      const list = await client.list(GW, 'Gateway', ns);
      return list.length === total && list.every((g) => condition(g, 'Programmed')?.status === 'True');
    }, 60_000);
    const final = await addressesNow();
    for (const [name, address] of atKill) expect(final.get(name)).toBe(address);
    expect(new Set(final.values()).size).toBe(total); // no address given twice
  });

  it('should give a Gateway whose status was lost the address of its generated Service back (IP4)', async () => {
    // A class and controller of its own: the operator above must not see this test's pool. It
    // keeps running, so this also proves two instances leave each other's objects alone (DP8).
    const restoreController = `l4gw.test/restore-${id}`;
    const restoreClass = `restore-${id}`;
    const restoreNs = await client.namespace('restore');
    await client.create(gatewayClass(restoreClass, restoreController));
    await client.create(ipamConfigMap(restoreNs, 'pools', { 'range-global': '10.66.1.10-10.66.1.20' }));
    await client.create({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: restoreNs, name: 'echo' }, spec: { selector: { app: 'echo' }, ports: [{ name: 'tcp', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    await client.create(backendSlice(restoreNs, 'echo', { name: 'tcp', port: 8080, protocol: 'TCP' }, ['10.244.3.3']));
    const start = () => startOperator(kc, { controllerName: restoreController, ipamConfigMap: `${restoreNs}/pools` });
    let op = await start();
    try {
      // `first` takes the pool's lowest address, so `gw` holds the second one.
      await client.create(gateway(restoreNs, 'first', restoreClass, [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
      await eventually('first Programmed', async () =>
        condition(await client.get(GW, 'Gateway', restoreNs, 'first'), 'Programmed')?.status === 'True');
      await client.create(gateway(restoreNs, 'gw', restoreClass, [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
      await client.create(route('TCPRoute', restoreNs, 'r', { name: 'gw' }, [{ name: 'echo', port: 80 }]));
      const address = await eventually('gw Service with its VIP', async () => {
        const { services } = await generated(client, restoreNs, 'gw');
        const vip = (services[0]?.['spec'] as { loadBalancerIP?: string } | undefined)?.loadBalancerIP;
        return vip && addressesOf(await client.get(GW, 'Gateway', restoreNs, 'gw'))[0] === vip && vip;
      });
      expect(address).toBe('10.66.1.11');
      await op.stop();
      // A restore without status: `gw` lost its address record, and `first` was deleted, so a
      // fresh allocation would hand `gw` the lowest address instead of the one it serves on.
      await client.delete(GW, 'Gateway', restoreNs, 'first');
      await client.patch({ apiVersion: GW, kind: 'Gateway', metadata: { namespace: restoreNs, name: 'gw' } }, { status: null }, 'status');
      op = await start();
      await eventually('gw Programmed again', async () =>
        condition(await client.get(GW, 'Gateway', restoreNs, 'gw'), 'Programmed')?.status === 'True');
      expect(addressesOf(await client.get(GW, 'Gateway', restoreNs, 'gw'))).toEqual([address]);
    } finally {
      await op.stop();
    }
  });
});
