// Metrics, probes, Events and the idle resync (R1): what an operator's user sees from outside.

import type { KubeObject } from '@l4gw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../src/observability/metrics.js';
import type { OperatorHandle } from '../src/operator.js';
import { condition, eventually, sharedKubeConfig, TestClient, uniq } from './helpers.js';
import {
  backendSlice,
  gateway,
  gatewayClass,
  GW,
  ipamConfigMap,
  route,
  service,
  startOperator,
} from './fixtures.js';

async function get(address: string | undefined, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://${address}${path}`);
  return { status: res.status, body: await res.text() };
}

describe('operator observability', () => {
  const kc = sharedKubeConfig();
  const client = new TestClient(kc);
  const id = uniq();
  const controllerName = `l4gw.test/observability-${id}`;
  const className = `observability-${id}`;
  let ns: string;
  let op: OperatorHandle;
  const logLines: string[] = [];

  beforeAll(async () => {
    ns = await client.namespace('observability');
    // One address only: the second Gateway finds the pool exhausted.
    await client.create(ipamConfigMap(ns, 'pools', { 'range-global': '10.64.0.10-10.64.0.10' }));
    await client.create(gatewayClass(className, controllerName));
    await client.create(service(ns, 'echo', [{ name: 'tcp', port: 80, targetPort: 8080, protocol: 'TCP' }]));
    await client.create(backendSlice(ns, 'echo', { name: 'tcp', port: 8080, protocol: 'TCP' }, ['10.244.1.5']));
    op = await startOperator(kc, {
      controllerName,
      ipamConfigMap: `${ns}/pools`,
      resyncPeriodMs: 1500,
      logLevel: 'info',
      logFormat: 'json',
      logSink: (line) => logLines.push(line),
      version: '9.8.7-test',
    });
    await op.whenSynced();
    await client.create(gateway(ns, 'first', className, [{ name: 'tcp', port: 80, protocol: 'TCP' }]));
    await client.create(route('TCPRoute', ns, 'r', { name: 'first' }, [{ name: 'echo', port: 80 }]));
    await eventually('first Programmed', async () => condition(await client.get(GW, 'Gateway', ns, 'first'), 'Programmed')?.status === 'True');
  });

  afterAll(async () => {
    await op?.stop();
  });

  it('should answer /healthz and /readyz once informers have synced', async () => {
    expect(await get(op.healthProbeAddress, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect((await get(op.healthProbeAddress, '/readyz')).status).toBe(200);
    expect((await get(op.healthProbeAddress, '/nope')).status).toBe(404);
  });

  it('should export reconcile, write, queue, pool and leader metrics in Prometheus format', async () => {
    const { status, body } = await get(op.metricsAddress, '/metrics');
    expect(status).toBe(200);
    for (const name of Object.values(METRIC_NAMES)) expect(body).toContain(`# TYPE ${name} `);
    expect(body).toMatch(/l4gw_api_writes_total\{kind="Service",verb="apply",result="success"\} [1-9]/);
    expect(body).toMatch(/l4gw_api_writes_total\{kind="Gateway",verb="updateStatus",result="success"\} [1-9]/);
    expect(body).toMatch(/l4gw_pool_capacity_addresses\{pool="[^"]*range-global[^"]*",family="IPv4"\} 1/);
    expect(body).toMatch(/l4gw_pool_used_addresses\{pool="[^"]*range-global[^"]*",family="IPv4"\} 1/);
    expect(body).toMatch(/^l4gw_leader 1$/m);
  });

  it('should export controller-runtime compatible families, build info and the standard process metrics', async () => {
    const { body } = await get(op.metricsAddress, '/metrics');
    expect(body).toMatch(/^l4gw_build_info\{version="9\.8\.7-test",node_version="v\d+[^"]*"\} 1$/m);
    expect(body).toMatch(/^controller_runtime_reconcile_total\{controller="l4gw",result="success"\} [1-9]/m);
    expect(body).toMatch(/^controller_runtime_reconcile_errors_total\{controller="l4gw"\} 0$/m);
    expect(body).toMatch(/^controller_runtime_reconcile_time_seconds_count\{controller="l4gw"\} [1-9]/m);
    expect(body).toMatch(/^workqueue_depth\{controller="l4gw",name="l4gw"\} [01]$/m);
    expect(body).toMatch(/^rest_client_requests_total\{code="200",method="GET",host="127\.0\.0\.1:\d+"\} [1-9]/m);
    expect(body).toMatch(/^rest_client_requests_total\{code="201",method="PATCH",host="[^"]+"\} [1-9]/m);
    expect(body).toMatch(/^leader_election_master_status\{name="l4gw-leader-election"\} 1$/m);
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    expect(body).not.toContain('l4gw_process_');
  });

  it('should log each write with its object, verb and result, and each address assigned (info)', () => {
    const records = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ level: 'info', msg: 'write', object: `Gateway ${ns}/first`, verb: 'updateStatus', result: 'success' }));
    expect(records).toContainEqual(expect.objectContaining({ level: 'info', msg: 'write', object: expect.stringMatching(new RegExp(`^Service ${ns}/first-`)), verb: 'apply', result: 'success' }));
    expect(records).toContainEqual(expect.objectContaining({ level: 'info', msg: 'address assigned', gateway: `${ns}/first`, address: '10.64.0.10' }));
  });

  it('should emit one Normal Event when a Gateway is given its address and becomes Programmed', async () => {
    const normal = await eventually('Normal Event recorded', async () => {
      const list = await client.list('events.k8s.io/v1', 'Event', ns);
      const mine = list.filter((e) => (e['regarding'] as { name: string }).name === 'first' && e['type'] === 'Normal');
      return mine.length > 0 && mine;
    });
    expect(normal.map((e) => [e['reason'], e['note']])).toEqual([['Programmed', 'programmed with address 10.64.0.10']]);
  });

  it('should emit one Event when the pool is exhausted, not one per reconcile', async () => {
    await client.create(gateway(ns, 'second', className, [{ name: 'tcp', port: 81, protocol: 'TCP' }]));
    const gw = await eventually('second not Programmed', async () => {
      const g = await client.get(GW, 'Gateway', ns, 'second');
      return condition(g, 'Programmed')?.status === 'False' && g;
    });
    expect(condition(gw, 'Programmed')?.reason).toBe('AddressNotAssigned');
    const events = await eventually('Event recorded', async () => {
      const list = await client.list('events.k8s.io/v1', 'Event', ns);
      const mine = list.filter((e) => (e['regarding'] as { name: string }).name === 'second' && e['type'] === 'Warning');
      return mine.length > 0 && mine;
    });
    const ev = events[0] as KubeObject & { type: string; reason: string; reportingController: string };
    expect(ev.type).toBe('Warning');
    expect(ev.reason).toBe('AddressNotAssigned');
    expect(ev.reportingController).toBe(controllerName);
    // Several resyncs later the same event has not been emitted again.
    const reconciles = op.reconciles();
    await eventually('two more reconciles', () => op.reconciles() >= reconciles + 2, 15_000);
    const again = (await client.list('events.k8s.io/v1', 'Event', ns)).filter(
      (e) => (e['regarding'] as { name: string }).name === 'second' && e['type'] === 'Warning',
    );
    expect(again).toHaveLength(1);
  });

  it('should issue zero writes during idle resyncs of an unchanged cluster (R1)', async () => {
    await op.whenReconciled();
    const writes = op.writes();
    const reconciles = op.reconciles();
    const lists = op.cache.informer('services')!.lists;
    // Wait for at least three resync periods: full relists and reconciles of everything.
    await eventually('three resyncs', () => op.cache.informer('services')!.lists >= lists + 3, 20_000);
    await op.whenReconciled();
    expect(op.reconciles()).toBeGreaterThan(reconciles);
    expect(op.writes()).toBe(writes);
  });

  it('should report not ready and stop answering after stop()', async () => {
    const address = op.healthProbeAddress;
    await op.stop();
    expect(op.isReady()).toBe(false);
    await expect(fetch(`http://${address}/healthz`)).rejects.toThrow();
  });
});
