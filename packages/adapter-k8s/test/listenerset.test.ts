// ListenerSets on a real API server (LS1–LS4): the operator discovers the v1 kind, writes the
// ListenerSets' status and the Gateway's attachedListenerSets, and puts an admitted team's
// listener on the Gateway's Service.

import type { KubeObject } from '@l4gw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import { GW, gatewayClass, ipamConfigMap, route, service, startOperator } from './fixtures.js';

describe('ListenerSets', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const id = uniq();
  const controllerName = `l4gw.test/ls-${id}`;
  const className = `ls-${id}`;
  let infra: string;
  let team: string;
  let op: OperatorHandle | undefined;

  const listenerSet = (namespace: string, name: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): KubeObject => ({
    apiVersion: GW,
    kind: 'ListenerSet',
    metadata: { namespace, name },
    spec: { parentRef: { name: 'shared', namespace: infra }, listeners: [{ name: 'l', port, protocol }] },
  });

  beforeAll(async () => {
    infra = await client.namespace('ls-infra');
    team = await client.namespace('ls-team', { 'l4gw.test/listeners': id });
    await client.create(ipamConfigMap(infra, 'pools', { 'range-global': '10.93.0.10-10.93.0.20' }));
    await client.create(gatewayClass(className, controllerName));
    await client.create({
      apiVersion: GW,
      kind: 'Gateway',
      metadata: { namespace: infra, name: 'shared' },
      spec: {
        gatewayClassName: className,
        allowedListeners: { namespaces: { from: 'Selector', selector: { matchLabels: { 'l4gw.test/listeners': id } } } },
        listeners: [{ name: 'own', port: 80, protocol: 'TCP' }],
      },
    });
    op = await startOperator(kc, { controllerName, ipamConfigMap: `${infra}/pools` });
  });

  afterAll(async () => {
    await op?.stop();
  });

  it('should accept an admitted ListenerSet, refuse one from elsewhere, and put the accepted listener on the Gateway’s Service (LS1, LS3, LS4)', async () => {
    await client.create(listenerSet(team, 'db', 5432));
    await client.create(listenerSet(infra, 'not-labelled', 5433));
    await client.create(service(team, 'pg', [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }]));
    await client.create({ ...route('TCPRoute', team, 'pg', { name: 'db' }, [{ name: 'pg', port: 5432 }]), spec: { parentRefs: [{ kind: 'ListenerSet', name: 'db' }], rules: [{ backendRefs: [{ name: 'pg', port: 5432 }] }] } });

    const db = await eventually('ListenerSet db Programmed', async () => {
      const ls = await client.get(GW, 'ListenerSet', team, 'db');
      return condition(ls, 'Programmed')?.status === 'True' && ls;
    });
    expect(condition(db, 'Accepted')?.reason).toBe('Accepted');
    const entry = ((db['status'] as { listeners: { name: string; attachedRoutes: number }[] }).listeners ?? [])[0];
    expect(entry?.name).toBe('l');
    await eventually('the route counted on the ListenerSet listener', async () => {
      const ls = await client.get(GW, 'ListenerSet', team, 'db');
      return (ls?.['status'] as { listeners?: { attachedRoutes: number }[] } | undefined)?.listeners?.[0]?.attachedRoutes === 1;
    });

    const refused = await eventually('ListenerSet not-labelled refused', async () => {
      const ls = await client.get(GW, 'ListenerSet', infra, 'not-labelled');
      return condition(ls, 'Accepted')?.status === 'False' && ls;
    });
    expect(condition(refused, 'Accepted')?.reason).toBe('NotAllowed');
    expect(condition(refused, 'Programmed')?.reason).toBe('NotAllowed');

    const gw = await eventually('attachedListenerSets 1', async () => {
      const g = await client.get(GW, 'Gateway', infra, 'shared');
      return (g?.['status'] as { attachedListenerSets?: number } | undefined)?.attachedListenerSets === 1 && g;
    });
    expect(condition(gw, 'Programmed')?.status).toBe('True');
    const svc = await eventually('the Gateway Service with both ports', async () => {
      const s = await client.get('v1', 'Service', infra, `shared-${className}`);
      const ports = ((s?.['spec'] as { ports?: { port: number }[] } | undefined)?.ports ?? []).map((p) => p.port).sort((a, b) => a - b);
      return ports.length === 2 && ports;
    });
    expect(svc).toEqual([80, 5432]);
    const pg = await client.get(GW, 'TCPRoute', team, 'pg');
    const parent = (pg?.['status'] as { parents: { parentRef: { kind: string }; conditions: { type: string; status: string }[] }[] }).parents[0];
    expect(parent?.parentRef.kind).toBe('ListenerSet');
    expect(parent?.conditions.find((c) => c.type === 'Accepted')?.status).toBe('True');
  });
});
