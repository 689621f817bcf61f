// A controller killed (SIGKILL) in the middle of converging many Gateways, then restarted: every
// Gateway ends up Programmed, and no Gateway that had an address loses or changes it (R2, IP4).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import { addressesOf, gateway, gatewayClass, GW, ipamConfigMap, startOperator } from './fixtures.js';
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
});
