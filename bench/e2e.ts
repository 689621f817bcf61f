// End-to-end convergence on a real API server (docs/operations.md, Sizing; rule R1 in docs/rules.md): N Gateways and N
// TCPRoutes created at once under a running operator (a child process, as deployed) → time until
// every Gateway is Programmed and every route Accepted; API writes issued against the minimum;
// writes during an idle minute with resyncs (must be 0); the operator's peak RSS.
//
// Needs the envtest binaries (tools/envtest/build.sh --print-env). L4GW_BENCH_E2E_N overrides N.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import { startControlPlane } from '@l4gw/envtest';
import { formatMs, printTable, verdict } from './lib.ts';

const N = Number(process.env['L4GW_BENCH_E2E_N'] ?? 1000);
const IDLE_MS = Number(process.env['L4GW_BENCH_E2E_IDLE_MS'] ?? 60_000);
const RESYNC_MS = 20_000;
const GROUP = 'gateway.networking.k8s.io';
const CONTROLLER = 'l4gw.bench/e2e';
const NS = 'bench';
const OPERATOR_SCRIPT = fileURLToPath(new URL('../packages/adapter-k8s/test/operator-process.mjs', import.meta.url));

interface Stats {
  readonly writes: number;
  readonly writesBy: Readonly<Record<string, number>>;
  readonly reconciles: number;
  readonly maxRssBytes: number;
  readonly memory: { readonly rss: number; readonly heapUsed: number };
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

interface Condition {
  readonly type: string;
  readonly status: string;
}
type WithStatus = { status?: { conditions?: Condition[]; parents?: { controllerName: string; conditions?: Condition[] }[] } };

export default async function e2e(): Promise<void> {
  // Every generated LoadBalancer Service needs a ClusterIP: widen envtest's small service range.
  const cp = await startControlPlane({ apiServerArgs: ['--service-cluster-ip-range=10.0.0.0/16'] });
  const child = fork(OPERATOR_SCRIPT, [
    JSON.stringify({
      kubeconfig: cp.kubeconfigPath,
      controllerName: CONTROLLER,
      ipamConfigMap: `${NS}/pools`,
      metricsBindAddress: '0',
      healthProbeBindAddress: '0',
      logLevel: process.env['L4GW_BENCH_LOG_LEVEL'] ?? 'error',
      logFormat: 'text',
      resyncPeriodMs: RESYNC_MS, // three full resyncs during the idle minute
    }),
  ], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // L4GW_BENCH_OPERATOR_FLAGS (e.g. "--max-old-space-size=128") shows how much of the RSS is
    // garbage V8 had no reason to collect yet.
    execArgv: ['--expose-gc', ...(process.env['L4GW_BENCH_OPERATOR_FLAGS'] ?? '').split(' ').filter(Boolean)],
  });
  const stats = (): Promise<Stats> =>
    new Promise((resolve) => {
      const on = (m: { type?: string } & Stats): void => {
        if (m.type !== 'stats') return;
        child.off('message', on);
        resolve(m);
      };
      child.on('message', on);
      child.send('stats');
    });
  try {
    const objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
    const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
    const create = (o: KubernetesObject): Promise<unknown> => objects.create(o);
    await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: NS, name: 'pools' }, data: { 'range-global': '10.96.0.0/20' } } as KubernetesObject);
    await create({ apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: 'bench' }, spec: { controllerName: CONTROLLER } } as KubernetesObject);
    await create({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: NS, name: 'echo' }, spec: { selector: { app: 'echo' }, ports: [{ name: 'tcp', port: 80, targetPort: 8080, protocol: 'TCP' }] } } as KubernetesObject);
    await create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { namespace: NS, name: 'echo-abcde', labels: { 'kubernetes.io/service-name': 'echo' } },
      addressType: 'IPv4',
      ports: [{ name: 'tcp', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.0.10'], conditions: { ready: true } }],
    } as KubernetesObject);
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`operator exited with ${code}`)));
      child.on('message', (m: { type?: string }) => m.type === 'synced' && resolve());
    });
    // Let the class be accepted (and finalized) before the burst, so the burst is measured alone.
    await new Promise((r) => setTimeout(r, 2000));
    const before = await stats();

    const names = Array.from({ length: N }, (_, i) => `gw-${String(i).padStart(5, '0')}`);
    const start = performance.now();
    const creating = pool(names, 32, async (name) => {
      await create({
        apiVersion: `${GROUP}/v1`,
        kind: 'Gateway',
        metadata: { namespace: NS, name },
        spec: { gatewayClassName: 'bench', listeners: [{ name: 'tcp', port: 80, protocol: 'TCP' }] },
      } as KubernetesObject);
      await create({
        apiVersion: `${GROUP}/v1`,
        kind: 'TCPRoute',
        metadata: { namespace: NS, name },
        spec: { parentRefs: [{ name }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] },
      } as KubernetesObject);
    });
    let createdMs = 0;
    void creating.then(() => (createdMs = performance.now() - start));
    let programmedMs = 0;
    let acceptedMs = 0;
    while (programmedMs === 0 || acceptedMs === 0) {
      // Poll once a second: listing N objects more often would load the API server under test.
      await new Promise((r) => setTimeout(r, 1000));
      if (programmedMs === 0) {
        const gws = (await custom.listNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'gateways' })) as { items: WithStatus[] };
        const done = gws.items.filter((g) => g.status?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True')).length;
        if (done === N) programmedMs = performance.now() - start;
      }
      if (acceptedMs === 0) {
        const routes = (await custom.listNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'tcproutes' })) as { items: WithStatus[] };
        const done = routes.items.filter((r) =>
          r.status?.parents?.some((p) => p.controllerName === CONTROLLER && p.conditions?.some((c) => c.type === 'Accepted' && c.status === 'True')),
        ).length;
        if (done === N) acceptedMs = performance.now() - start;
      }
      if (performance.now() - start > 15 * 60_000) throw new Error('no convergence within 15 minutes');
    }
    await creating;
    // Wait for the writes in flight (e.g. the last EndpointSlices) to finish: two quiet seconds.
    let converged = await stats();
    for (;;) {
      await new Promise((r) => setTimeout(r, 2000));
      const now = await stats();
      if (now.writes === converged.writes) break;
      converged = now;
    }
    // Minimum: each Gateway's and route's status once, each generated Service and EndpointSlice
    // once, the class finalizer (GC5), added when the first Gateway appears, and one Normal Event
    // per Gateway when it becomes Programmed (docs/operations.md, Logs and Events).
    const selector = 'app.kubernetes.io/managed-by=l4gw';
    const generatedServices = (await objects.list('v1', 'Service', NS, undefined, undefined, undefined, undefined, selector)).items.length;
    const generatedSlices = (await objects.list('discovery.k8s.io/v1', 'EndpointSlice', NS, undefined, undefined, undefined, undefined, selector)).items.length;
    const minimum = 3 * N + generatedServices + generatedSlices + 1;
    const issued = converged.writes - before.writes;

    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idle = await stats();
    const idleWrites = idle.writes - converged.writes;

    printTable(
      `End-to-end on kube-apiserver (${N} Gateways + ${N} TCPRoutes created at once, operator in a child process)`,
      ['measure', 'value', 'target'],
      [
        ['all objects created (client, 32 in flight)', formatMs(createdMs), ''],
        ['all Gateways Programmed', formatMs(programmedMs), ''],
        ['all TCPRoutes Accepted', formatMs(acceptedMs), ''],
        ['API writes issued', String(issued), ''],
        ['minimum writes (statuses + generated objects + finalizer + Programmed Events)', String(minimum), ''],
        ['writes / minimum', `${(issued / minimum).toFixed(2)}x`, ''],
        [`writes during ${Math.round(IDLE_MS / 1000)} s idle (${Math.floor(IDLE_MS / RESYNC_MS)} full resyncs)`, String(idleWrites), verdict(idleWrites === 0, '0')],
        ['reconciles (burst + idle)', String(idle.reconciles - before.reconciles), ''],
        ['operator peak RSS', `${(idle.maxRssBytes / 2 ** 20).toFixed(0)} MiB`, ''],
        ['operator RSS / live JS heap after idle', `${(idle.memory.rss / 2 ** 20).toFixed(0)} / ${(idle.memory.heapUsed / 2 ** 20).toFixed(0)} MiB`, ''],
      ],
    );
    const byKey = Object.keys(idle.writesBy).sort();
    printTable(
      'End-to-end API writes by kind / verb / result (burst + idle)',
      ['kind/verb/result', 'writes'],
      byKey.map((k) => [k, String((idle.writesBy[k] ?? 0) - (before.writesBy[k] ?? 0))]),
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await cp.stop();
  }
}
