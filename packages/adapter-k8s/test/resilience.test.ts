// R3 on a control plane of its own (restarting it would disturb the other files): a watch whose
// resourceVersion was compacted relists (410 Gone), and an API server restart under a running
// controller interrupts nothing for good: convergence resumes and no address moves (IP4).

import { startControlPlane, type ControlPlane } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer } from '../src/cache/informer.js';
import { KubeRest } from '../src/kube/rest.js';
import { CORE_TYPES } from '../src/kube/resources.js';
import { createLogger } from '../src/observability/logger.js';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, TestClient } from './helpers.js';
import { addressesOf, gateway, gatewayClass, GW, ipamConfigMap, startOperator } from './fixtures.js';

describe('resilience to the API server', () => {
  let cp: ControlPlane;
  let client: TestClient;

  beforeAll(async () => {
    // Compact etcd every second, and serve watches from etcd rather than the watch cache (which
    // answers an old resourceVersion with its whole state): an old resourceVersion is then gone.
    cp = await startControlPlane({ apiServerArgs: ['--etcd-compaction-interval=1s', '--watch-cache=false'] });
    client = new TestClient(cp.kubeConfig);
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('should relist when a watch resumes from a compacted resourceVersion (R3: 410 Gone)', async () => {
    const ns = await client.namespace('gone');
    const informer = new Informer({
      rest: new KubeRest(cp.kubeConfig),
      type: CORE_TYPES.configMaps,
      log: createLogger('error'),
      onChange: () => {},
    });
    informer.start();
    try {
      await informer.whenSynced();
      for (let i = 0; i < 5; i++) {
        await client.create(ipamConfigMap(ns, `churn-${i}`, { i: String(i) }));
      }
      await new Promise((r) => setTimeout(r, 3000)); // let the compactor pass
      const lists = informer.lists;
      informer.rewatchFrom('1');
      await client.create(ipamConfigMap(ns, 'after-gone', {}));
      await eventually('relist after 410', () => informer.lists > lists);
      await eventually('object present after relist', () => informer.get(ns, 'after-gone'));
    } finally {
      await informer.stop();
    }
  });

  describe('an API server restart under a running controller', () => {
    const controllerName = 'l4gw.test/resilience';
    let op: OperatorHandle;
    let ns: string;

    beforeAll(async () => {
      ns = await client.namespace('restart');
      await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.62.0.10-10.62.0.40' }));
      await client.create(gatewayClass('resilience', controllerName));
      op = await startOperator(cp.kubeConfig, { controllerName, ipamConfigMap: `${ns}/pools` });
      await op.whenSynced();
    });

    afterAll(async () => {
      await op?.stop();
    });

    async function programmedAddress(name: string): Promise<string> {
      const gw = await eventually(`${name} Programmed`, async () => {
        const g = await client.get(GW, 'Gateway', ns, name);
        return condition(g, 'Programmed')?.status === 'True' && g;
      }, 60_000);
      return addressesOf(gw)[0]!;
    }

    it('should resume converging after the restart without moving any address (R3, IP4)', async () => {
      await client.create(gateway(ns, 'before', 'resilience', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
      const before = await programmedAddress('before');

      await cp.restartApiServer();

      await client.create(gateway(ns, 'after', 'resilience', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
      const after = await programmedAddress('after');
      expect(after).not.toBe(before);
      expect(addressesOf(await client.get(GW, 'Gateway', ns, 'before'))).toEqual([before]);
      expect(op.isReady()).toBe(true);
    });
  });

  it('should step down while the API server is unreachable and lead again once it is back (R4)', async () => {
    const ns = await client.namespace('outage');
    const op = await startOperator(cp.kubeConfig, {
      controllerName: 'l4gw.test/outage',
      leaderElect: true,
      leaderElectionNamespace: ns,
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 500,
    });
    try {
      await eventually('leader', () => op.isLeader());
      await cp.stopApiServer();
      // It cannot renew: it must stop writing before another replica could take the lease over.
      await eventually('stepped down', () => !op.isLeader(), 10_000);
      await cp.startApiServer();
      await eventually('leader again', () => op.isLeader(), 60_000);
    } finally {
      await op.stop();
    }
  });

  it('should start while the API server is down and converge once it is up (R2, R3)', async () => {
    const ns = await client.namespace('cold');
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.62.1.10-10.62.1.20' }));
    await client.create(gatewayClass('cold', 'l4gw.test/cold'));
    await client.create(gateway(ns, 'gw', 'cold', [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    await cp.stopApiServer();
    const op = await startOperator(cp.kubeConfig, { controllerName: 'l4gw.test/cold', ipamConfigMap: `${ns}/pools` });
    try {
      expect(op.isReady()).toBe(false);
      await cp.startApiServer();
      await op.whenSynced();
      const gw = await eventually('Programmed after the server came up', async () => {
        const g = await client.get(GW, 'Gateway', ns, 'gw');
        return condition(g, 'Programmed')?.status === 'True' && g;
      }, 60_000);
      expect(addressesOf(gw)).toEqual(['10.62.1.10']);
    } finally {
      await op.stop();
    }
  });
});
