// End-to-end convergence on a real API server (docs/operations.md, Sizing; rule R1 in docs/rules.md),
// once per size given by `--gateways` (e.g. `pnpm bench e2e --gateways 100,1000,10000`), each on a
// fresh API server: the operator idle (nothing to serve yet), then N Gateways and N TCPRoutes
// created at once under it (a child process, as deployed) → time until every Gateway is Programmed
// and every route Accepted; API writes issued against the minimum and every request it made; writes
// during an idle time with full resyncs (must be 0); its CPU time, peak RSS and heap.
//
// The objects are the ones l4gw writes in a cluster: a LoadBalancer Service per Gateway, with a
// ClusterIP and a node port per listener allocated by the API server. So the API server gets a
// service CIDR and a NodePort range wide enough for MAX_GATEWAYS (its defaults hold 2,768 node
// ports), and the pool enough addresses. Everything lives in that API server, whose etcd data is
// removed when it stops; the operator is stopped with it, also when the bench is interrupted.
//
// Needs the envtest binaries (tools/envtest/build.sh --print-env, which `pnpm bench` calls).

import { KubernetesObjectApi, CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import type { LogLevel } from '@l4gw/adapter-k8s';
import { startControlPlane } from '@l4gw/envtest';
import { forkOperator, type OperatorStats } from '../packages/adapter-k8s/test/process.ts';
import { formatMiB, formatMs, printTable, verdict, type SectionFlags } from './lib.ts';

export const flags = {
  gateways: { type: 'string', default: '1000', help: 'comma-separated sizes: N Gateways + N TCPRoutes, one run each on a fresh API server' },
  'idle-seconds': { type: 'string', default: '60', help: 'idle time after convergence (a full resync every 20 s), writes must stay 0' },
  'operator-node-options': { type: 'string', default: '', help: 'Node flags for the operator process, given with "=", e.g. --operator-node-options=--max-old-space-size=768 as the chart sets' },
  'timeout-minutes': { type: 'string', default: '60', help: 'give up on a size that has not converged after this long' },
  'operator-log-level': { type: 'string', default: 'error', help: 'the operator\'s -log-level (debug, info, warn, error), to stderr' },
} as const satisfies SectionFlags;

const RESYNC_MS = 20_000;
const GROUP = 'gateway.networking.k8s.io';
const CONTROLLER = 'l4gw.bench/e2e';
const NS = 'bench';
/** One listener per Gateway, so one node port each: the range below holds 30,001. */
const MAX_GATEWAYS = 30_000;
const API_SERVER_ARGS = ['--service-cluster-ip-range=10.0.0.0/16', '--service-node-port-range=30000-60000'];
/** 65,536 addresses, disjoint from the service CIDR. */
const POOL = '10.96.0.0/16';
const CREATE_WIDTH = 32;
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

interface Options {
  readonly idleMs: number;
  readonly timeoutMs: number;
  readonly operatorNodeOptions: readonly string[];
  readonly operatorLogLevel: LogLevel;
}

/** The figures of one size, for its own tables and the summary. */
interface ScaleResult {
  readonly n: number;
  readonly pollMs: number;
  readonly createdMs: number;
  readonly programmedMs: number;
  readonly acceptedMs: number;
  readonly minimumWrites: number;
  /** Operator stats: idle before the burst, converged (writes settled), after the idle time. */
  readonly before: OperatorStats;
  readonly converged: OperatorStats;
  readonly idle: OperatorStats;
}

interface Condition {
  readonly type: string;
  readonly status: string;
}
type WithStatus = { status?: { conditions?: Condition[]; parents?: { controllerName: string; conditions?: Condition[] }[] } };

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sum = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const writeRequests = (stats: OperatorStats): number =>
  sum(Object.fromEntries(Object.entries(stats.requestsBy).filter(([key]) => !key.startsWith('GET/'))));

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_GATEWAYS) {
      throw new Error(`--gateways "${text}": each size must be an integer from 1 to ${MAX_GATEWAYS} (the NodePort range the bench gives its API server)`);
    }
  }
  return sizes;
}

function logLevel(text: string): LogLevel {
  const level = LOG_LEVELS.find((known) => known === text);
  if (level === undefined) throw new Error(`--operator-log-level "${text}": not one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function nonNegative(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} "${text}": not a non-negative number`);
  return value;
}

async function runScale(n: number, options: Options): Promise<ScaleResult> {
  const cp = await startControlPlane({ apiServerArgs: API_SERVER_ARGS });
  try {
    const operator = await forkOperator(
      {
        kubeconfig: cp.kubeconfigPath,
        controllerName: CONTROLLER,
        ipamConfigMap: `${NS}/pools`,
        metricsBindAddress: '0',
        healthProbeBindAddress: '0',
        logLevel: options.operatorLogLevel,
        logFormat: 'text',
        resyncPeriodMs: RESYNC_MS,
      },
      ['--expose-gc', ...options.operatorNodeOptions],
    );
    try {
      return await measureScale(n, options, cp.kubeConfig, operator.stats);
    } finally {
      await operator.terminate();
    }
  } finally {
    await cp.stop();
  }
}

async function measureScale(n: number, options: Options, kubeConfig: Parameters<typeof KubernetesObjectApi.makeApiClient>[0], stats: () => Promise<OperatorStats>): Promise<ScaleResult> {
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  // An overloaded API server drops connections ("terminated", timeouts): a create is retried, and
  // one that went through before its answer was lost comes back 409, which is its success.
  const create = async (o: KubernetesObject): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await objects.create(o);
        return;
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === 409 && attempt > 1) return;
        const transient = code === undefined || code === 429 || code >= 500;
        if (!transient || attempt >= 5) throw error;
        await sleep(1000 * attempt);
      }
    }
  };
  await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: NS, name: 'pools' }, data: { 'cidr-global': POOL } } as KubernetesObject);
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
  // Let the class be accepted (and finalized) before the burst, so the burst is measured alone;
  // this is also the idle operator: synced, nothing to serve.
  await sleep(2000);
  const before = await stats();

  const names = Array.from({ length: n }, (_, i) => `gw-${String(i).padStart(5, '0')}`);
  const start = performance.now();
  const creating = pool(names, CREATE_WIDTH, async (name) => {
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
  let createFailure: unknown;
  void creating.then(
    () => (createdMs = performance.now() - start),
    (error: unknown) => (createFailure = error),
  );
  // Listing N objects loads the API server under test: once a second up to 2,000, then less often
  // (the convergence times are this coarse).
  const pollMs = Math.min(5000, Math.max(1000, n / 2));
  let programmedMs = 0;
  let acceptedMs = 0;
  let programmed = 0;
  let accepted = 0;
  let reported = start;
  while (programmedMs === 0 || acceptedMs === 0) {
    await sleep(pollMs);
    if (createFailure !== undefined) throw new Error(`creating the ${n} Gateways and routes failed`, { cause: createFailure });
    // A list the overloaded API server drops is tried again at the next poll.
    const list = async (plural: string): Promise<WithStatus[] | undefined> => {
      try {
        return ((await custom.listNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural })) as { items: WithStatus[] }).items;
      } catch (error) {
        console.error(`e2e ${n}: listing ${plural} failed, polling again: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    };
    if (programmedMs === 0) {
      const gws = await list('gateways');
      if (gws !== undefined) programmed = gws.filter((g) => g.status?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True')).length;
      if (programmed === n) programmedMs = performance.now() - start;
    }
    if (acceptedMs === 0) {
      const routes = await list('tcproutes');
      if (routes !== undefined) accepted = routes.filter((r) =>
        r.status?.parents?.some((p) => p.controllerName === CONTROLLER && p.conditions?.some((c) => c.type === 'Accepted' && c.status === 'True')),
      ).length;
      if (accepted === n) acceptedMs = performance.now() - start;
    }
    const elapsed = performance.now() - start;
    if (elapsed > options.timeoutMs) {
      throw new Error(`${n} Gateways: not converged after ${formatMs(elapsed)} (${programmed} Programmed, ${accepted} routes Accepted)`);
    }
    // A long run says where it is (stderr, so that the tables on stdout stay clean).
    if (performance.now() - reported > 30_000) {
      reported = performance.now();
      console.error(`e2e ${n}: ${formatMs(elapsed)}: ${programmed}/${n} Gateways Programmed, ${accepted}/${n} TCPRoutes Accepted${createdMs === 0 ? ', still creating' : ''}`);
    }
  }
  await creating;
  // Wait for the writes in flight (e.g. the last EndpointSlices) to finish: two quiet seconds.
  let converged = await stats();
  for (;;) {
    await sleep(2000);
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
  const minimumWrites = 3 * n + generatedServices + generatedSlices + 1;

  await sleep(options.idleMs);
  const idle = await stats();
  return { n, pollMs, createdMs, programmedMs, acceptedMs, minimumWrites, before, converged, idle };
}

/** Mean CPU use while idle, in cores (what a CPU request covers). */
function idleCores(r: ScaleResult, options: Options): number {
  return options.idleMs === 0 ? 0 : (r.idle.cpuMicros - r.converged.cpuMicros) / 1000 / options.idleMs;
}

function printScale(r: ScaleResult, options: Options): void {
  const issued = r.converged.writes - r.before.writes;
  const idleWrites = r.idle.writes - r.converged.writes;
  const idleSeconds = Math.round(options.idleMs / 1000);
  const requests = sum(r.converged.requestsBy) - sum(r.before.requestsBy);
  const flagsNote = options.operatorNodeOptions.length > 0 ? `, operator ${options.operatorNodeOptions.join(' ')}` : '';
  printTable(
    `End-to-end on kube-apiserver (${r.n} Gateways + ${r.n} TCPRoutes created at once, operator in a child process${flagsNote})`,
    ['measure', 'value', 'target'],
    [
      ['operator idle, synced, nothing to serve: RSS / live JS heap', `${formatMiB(r.before.memory.rss)} / ${formatMiB(r.before.memory.heapUsed)}`, ''],
      [`all objects created (client, ${CREATE_WIDTH} in flight)`, formatMs(r.createdMs), ''],
      [`all Gateways Programmed (polled every ${formatMs(r.pollMs)})`, formatMs(r.programmedMs), ''],
      ['all TCPRoutes Accepted', formatMs(r.acceptedMs), ''],
      ['API writes issued', String(issued), ''],
      ['minimum writes (statuses + generated objects + finalizer + Programmed Events)', String(r.minimumWrites), ''],
      ['writes / minimum', `${(issued / r.minimumWrites).toFixed(2)}x`, ''],
      ['API requests until converged (all verbs; writes among them)', `${requests} (${writeRequests(r.converged) - writeRequests(r.before)})`, ''],
      ['operator CPU until converged', formatMs((r.converged.cpuMicros - r.before.cpuMicros) / 1000), ''],
      [`writes during ${idleSeconds} s idle (${Math.floor(options.idleMs / RESYNC_MS)} full resyncs)`, String(idleWrites), verdict(idleWrites === 0, '0')],
      [`API requests during ${idleSeconds} s idle`, String(sum(r.idle.requestsBy) - sum(r.converged.requestsBy)), ''],
      [`operator CPU during ${idleSeconds} s idle (mean cores)`, `${idleCores(r, options).toFixed(3)}`, ''],
      ['reconciles (burst + idle)', String(r.idle.reconciles - r.before.reconciles), ''],
      ['operator peak RSS', formatMiB(r.idle.maxRssBytes), ''],
      ['operator peak JS heap used / committed (sampled every 250 ms)', `${formatMiB(r.idle.peakHeapUsedBytes)} / ${formatMiB(r.idle.peakHeapTotalBytes)}`, ''],
      ['operator RSS / live JS heap after idle', `${formatMiB(r.idle.memory.rss)} / ${formatMiB(r.idle.memory.heapUsed)}`, ''],
    ],
  );
  const byKey = Object.keys(r.idle.writesBy).sort();
  printTable(
    `End-to-end API writes by kind / verb / result (${r.n} Gateways, burst + idle)`,
    ['kind/verb/result', 'writes'],
    byKey.map((k) => [k, String((r.idle.writesBy[k] ?? 0) - (r.before.writesBy[k] ?? 0))]),
  );
}

/** The sizing table of docs/operations.md: one line per size. */
function printSummary(results: readonly ScaleResult[], options: Options): void {
  const flagsNote = options.operatorNodeOptions.length > 0 ? `, operator ${options.operatorNodeOptions.join(' ')}` : '';
  printTable(
    `End-to-end sizing (operator idle at 0 Gateways, then N Gateways + N TCPRoutes${flagsNote})`,
    ['Gateways', 'all Programmed', 'routes Accepted', 'writes / minimum', 'API requests', 'CPU', 'peak RSS', 'peak heap used', 'live heap', `idle writes (${Math.round(options.idleMs / 1000)} s)`],
    [
      ['0 (idle)', '', '', '', '', '', formatMiB(results[0]?.before.memory.rss ?? 0), '', formatMiB(results[0]?.before.memory.heapUsed ?? 0), ''],
      ...results.map((r) => [
        String(r.n),
        formatMs(r.programmedMs),
        formatMs(r.acceptedMs),
        `${r.converged.writes - r.before.writes} / ${r.minimumWrites}`,
        String(sum(r.converged.requestsBy) - sum(r.before.requestsBy)),
        formatMs((r.converged.cpuMicros - r.before.cpuMicros) / 1000),
        formatMiB(r.idle.maxRssBytes),
        formatMiB(r.idle.peakHeapUsedBytes),
        formatMiB(r.idle.memory.heapUsed),
        String(r.idle.writes - r.converged.writes),
      ]),
    ],
  );
}

export default async function e2e(values: Readonly<Record<string, string>>): Promise<void> {
  const sizes = parseSizes(values['gateways'] ?? flags.gateways.default);
  const options: Options = {
    idleMs: nonNegative('idle-seconds', values['idle-seconds'] ?? flags['idle-seconds'].default) * 1000,
    timeoutMs: nonNegative('timeout-minutes', values['timeout-minutes'] ?? flags['timeout-minutes'].default) * 60_000,
    operatorNodeOptions: (values['operator-node-options'] ?? '').split(' ').filter(Boolean),
    operatorLogLevel: logLevel(values['operator-log-level'] ?? flags['operator-log-level'].default),
  };
  const results: ScaleResult[] = [];
  try {
    for (const n of sizes) {
      const result = await runScale(n, options);
      printScale(result, options);
      results.push(result);
    }
  } finally {
    // A size that fails (no convergence in time) still leaves the summary of those before it.
    if (results.length > 1 || (results.length === 1 && sizes.length > 1)) printSummary(results, options);
  }
}
