// The data-plane bench inside the test bed's node namespace (started by bench/dataplane.ts):
//   - route created → first answered request: a TCPRoute applied to a Programmed Gateway, until the
//     client's first TCP answer on the VIP;
//   - backend endpoint changed → traffic follows: the backend Service's EndpointSlice switched from
//     one pod to a new one (as the EndpointSlice controller would on a rollout), until the first
//     answer from the new pod.
// Each change is timed from the moment the bench's own write returned, and split where the bench's
// watch on l4gw's mirrored EndpointSlices sees the change: before it is l4gw's share, after it
// kube-proxy's (its sync, and for a new Service the announcer). l4gw's share is split again from
// the operator's own log (`-log-level debug`: each write, and each run's queuedMs, reconcileMs,
// planMs and writeMs): until its run started, core's reconcile and plan, the slice's write, and
// the watch event's way back to the bench.
//
// L4GW_BENCH_DATAPLANE_N changes of each (default 20). L4GW_BENCH_DATAPLANE_BASELINE names another
// build's packages/cli/dist/main.js (say main's): the bench then runs that build and this one in
// turns (blocks of 10 changes, A B A B) on the same test bed, and prints their ratios.
import { CustomObjectsApi, Watch, type KubernetesObject, type V1EndpointSlice } from '@kubernetes/client-node';
import { openTestbed, startPod, startTestbedServices, stopPod, type Operator, type Pod } from '@l4gw/dataplane';
import { formatMs, formatRatio, machineLoad, percentile, printTable, verdict } from './lib.ts';

const N = Number(process.env['L4GW_BENCH_DATAPLANE_N'] ?? 20);
const BASELINE = process.env['L4GW_BENCH_DATAPLANE_BASELINE'];
/** Changes of each kind per operator run in an A/B; each block starts with one unmeasured warm-up. */
const BLOCK = 10;
const CLASS = 'bench-dp';
const POD_PORT = 9000;
const LISTENER_PORT = 8080;

/** Some Kubernetes object as a plain literal. */
const object = (literal: Record<string, unknown>): KubernetesObject => literal as KubernetesObject;

/** Polls `probe` every 5 ms (finer than the changes measured) until true; returns when, or fails after 30 s. */
async function until(probe: () => Promise<boolean> | boolean, what: string): Promise<number> {
  const deadline = performance.now() + 30_000;
  while (!(await Promise.resolve(probe()).catch(() => false))) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now();
}

/** Where l4gw's share of one change went, in ms, from the operator's log. */
interface Steps {
  /** The bench's write returned → l4gw's run started: watch delivery, then the loop's wait. */
  readonly toRunMs: number;
  /** Of which the loop's own wait (debounce), when the build logs it. */
  readonly queuedMs: number | undefined;
  /** Snapshot, core's reconcile and plan. */
  readonly reconcileMs: number;
  /** Plan done → l4gw had the API server's answer to its slice write. */
  readonly writeMs: number;
  /** That answer → the bench's watch saw the slice. */
  readonly toBenchMs: number;
}

interface Change {
  readonly totalMs: number;
  readonly l4gwMs: number;
  readonly kubeProxyMs: number;
  readonly steps: Steps | undefined;
}

interface LogLine {
  readonly at: number;
  readonly msg?: string;
  readonly object?: string;
  readonly verb?: string;
  readonly queuedMs?: number;
  readonly reconcileMs?: number;
  readonly planMs?: number;
  readonly writeMs?: number;
}

/** The operator's JSON log lines (its output tail), with their time as epoch ms. */
function logLines(operator: Operator): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of operator.process.outputTail().split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      const line = JSON.parse(text) as Omit<LogLine, 'at'> & { ts?: string };
      if (line.ts !== undefined) lines.push({ ...line, at: Date.parse(line.ts) });
    } catch {
      // a line cut by the tail's start
    }
  }
  return lines;
}

/**
 * The steps of one change: the first apply of a slice in `namespace` logged after `sinceWall`
 * (epoch ms, just before the bench's write), and the run that made it. `wall` maps the bench's
 * performance.now() to epoch ms.
 */
async function stepsOf(
  operator: Operator,
  namespace: string,
  sinceWall: number,
  t0: number,
  seen: number,
  wall: (t: number) => number,
): Promise<Steps | undefined> {
  const deadline = performance.now() + 3_000;
  while (performance.now() < deadline) {
    const lines = logLines(operator);
    const write = lines.find(
      (l) => l.msg === 'write' && l.verb === 'apply' && l.at >= sinceWall && l.object?.startsWith(`EndpointSlice ${namespace}/`),
    );
    const run = write && lines.find((l) => l.msg === 'reconciled' && l.at >= write.at);
    if (write && run) {
      const reconcileMs = (run.reconcileMs ?? 0) + (run.planMs ?? 0);
      const runStart = run.at - reconcileMs - (run.writeMs ?? 0);
      return {
        toRunMs: runStart - wall(t0),
        queuedMs: run.queuedMs,
        reconcileMs,
        writeMs: write.at - runStart - reconcileMs,
        toBenchMs: wall(seen) - write.at,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined; // the log line was not found (say so in the table's count, not as zero)
}

/** One build of l4gw under test. */
interface Variant {
  readonly name: string;
  readonly cliMain: string | undefined;
  readonly created: Change[];
  readonly changed: Change[];
}

const loadBefore = machineLoad();
const services = await startTestbedServices();
const bed = await openTestbed(services.controlPlane.kubeconfigPath);
let stopWatch: (() => void) | undefined;
try {
  const ns = await bed.namespace('bench-dp');
  await bed.apply(
    object({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ipam', namespace: ns }, data: { 'range-global': '10.77.0.10-10.77.0.200' } }),
    object({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName: `l4dp.test/${CLASS}` } }),
  );
  const pod = (name: string) => ({ name, namespace: ns, labels: { app: 'echo' }, tcpPorts: [POD_PORT] });
  let podCount = 0;
  let current: Pod = await startPod(bed.run.backend, pod(`p${podCount}`));
  await bed.slices.setPods([current]);
  const route = object({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'TCPRoute',
    metadata: { name: 'tcp', namespace: ns },
    spec: { parentRefs: [{ name: 'gw', sectionName: 'tcp' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] },
  });
  await bed.apply(
    object({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: ns }, spec: { selector: { app: 'echo' }, ports: [{ name: 'tcp', port: 80, targetPort: POD_PORT }] } }),
    object({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: ns },
      spec: { gatewayClassName: CLASS, listeners: [{ name: 'tcp', protocol: 'TCP', port: LISTENER_PORT }] },
    }),
  );

  // The addresses in l4gw's mirrored slices behind the Gateway's Service, as the bench's watch
  // last saw them, and the waiters for a change in them (resolved with the event's arrival time).
  const slices = new Map<string, string[]>();
  let waiters: { test: (addresses: readonly string[]) => boolean; resolve: (at: number) => void }[] = [];
  const mirrored = (): string[] => [...slices.values()].flat();
  const watchRequest = await new Watch(bed.kubeConfig).watch(
    `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
    { labelSelector: `endpointslice.kubernetes.io/managed-by=l4gw,kubernetes.io/service-name=gw-${CLASS}` },
    (type: string, slice: V1EndpointSlice) => {
      const at = performance.now();
      const name = slice.metadata?.name ?? '';
      if (type === 'DELETED') slices.delete(name);
      else if (type === 'ADDED' || type === 'MODIFIED') slices.set(name, (slice.endpoints ?? []).flatMap((e) => e.addresses));
      const addresses = mirrored();
      const ready = waiters.filter((w) => w.test(addresses));
      waiters = waiters.filter((w) => !w.test(addresses));
      for (const w of ready) w.resolve(at);
    },
    (error: unknown) => {
      if (error) console.error(`the bench's EndpointSlice watch ended: ${String(error)}`);
    },
  );
  stopWatch = () => watchRequest.abort();
  /** When the watch shows `test` true (now, if it already does); fails after 30 s. */
  const sliceShows = (test: (addresses: readonly string[]) => boolean, what: string): Promise<number> => {
    if (test(mirrored())) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30_000);
      waiters.push({ test, resolve: (at) => (clearTimeout(timer), resolve(at)) });
    });
  };

  let vip = '';
  const answeredBy = async (name: string): Promise<boolean> => {
    if (vip === '') return false;
    const a = await bed.client.request('tcp', vip, LISTENER_PORT, 300);
    return 'answer' in a && a.answer === name;
  };
  const readVip = async (): Promise<string> => {
    const gw = (await bed.kubeConfig
      .makeApiClient(CustomObjectsApi)
      .getNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace: ns, plural: 'gateways', name: 'gw' })) as {
      status?: { addresses?: { value?: string }[] };
    };
    return gw.status?.addresses?.[0]?.value ?? '';
  };
  const wallAt = (t0: number, t0Wall: number) => (t: number) => t0Wall + (t - t0);
  const routeGone = () =>
    until(async () => !mirrored().includes(current.ip) && !(await answeredBy(current.name)), 'the route gone');

  /** Route created → first answer, then the route deleted and the port silent again. */
  const createRoute = async (operator: Operator): Promise<Change> => {
    const sinceWall = Date.now();
    await bed.apply(route);
    const t0 = performance.now();
    const t0Wall = Date.now();
    const sliced = sliceShows((a) => a.includes(current.ip), 'l4gw’s slice');
    const answered = until(async () => {
      if (vip === '') vip = await readVip();
      return answeredBy(current.name);
    }, 'the first answer');
    const [t1, t2] = await Promise.all([sliced, answered]);
    const steps = await stepsOf(operator, ns, sinceWall, t0, t1, wallAt(t0, t0Wall));
    await bed.remove(route);
    await routeGone();
    return { totalMs: t2 - t0, l4gwMs: t1 - t0, kubeProxyMs: Math.max(0, t2 - t1), steps };
  };

  /** Backend endpoint changed → traffic follows. */
  const changeEndpoint = async (operator: Operator): Promise<Change> => {
    const next = await startPod(bed.run.backend, pod(`p${++podCount}`));
    const sinceWall = Date.now();
    await bed.slices.setPods([next]); // the backend's slice now holds only the new pod
    const t0 = performance.now();
    const t0Wall = Date.now();
    const sliced = sliceShows((a) => a.includes(next.ip), 'l4gw’s mirrored slice');
    const followed = until(() => answeredBy(next.name), 'traffic on the new pod');
    const [t1, t2] = await Promise.all([sliced, followed]);
    const steps = await stepsOf(operator, ns, sinceWall, t0, t1, wallAt(t0, t0Wall));
    await stopPod(bed.run.backend, current);
    current = next;
    return { totalMs: t2 - t0, l4gwMs: t1 - t0, kubeProxyMs: Math.max(0, t2 - t1), steps };
  };

  const variants: Variant[] = [
    { name: 'this build', cliMain: undefined, created: [], changed: [] },
    ...(BASELINE ? [{ name: 'baseline', cliMain: BASELINE, created: [], changed: [] }] : []),
  ];
  // Alone, one operator does all N changes. In an A/B, each build runs in blocks, in turns, so
  // both see the same drift of a shared machine's load.
  const block = variants.length > 1 ? BLOCK : N;
  for (let done = 0; done < N; done += block) {
    for (const variant of variants) {
      const count = Math.min(block, N - done);
      const operator = await bed.startOperator({
        controllerName: `l4dp.test/${CLASS}`,
        ipamConfigMap: `${ns}/ipam`,
        extraArgs: ['-log-format', 'json', '-log-level', 'debug'],
        ...(variant.cliMain ? { cliMain: variant.cliMain } : {}),
      });
      await createRoute(operator); // warm-up, not counted: a fresh process's first run is slower
      for (let i = 0; i < count; i++) variant.created.push(await createRoute(operator));
      await bed.apply(route);
      await until(() => answeredBy(current.name), 'the route back');
      for (let i = 0; i < count; i++) variant.changed.push(await changeEndpoint(operator));
      await bed.remove(route);
      await routeGone();
      await operator.stop();
    }
  }
  await stopPod(bed.run.backend, current);

  const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
  const p = (values: readonly number[], q: number): number => percentile(sorted(values), q);
  const pair = (values: readonly number[]): string =>
    values.length === 0 ? '—' : `${formatMs(p(values, 0.5))} / ${formatMs(p(values, 0.95))}`;
  const cases = (v: Variant): [string, Change[]][] => [
    ['route created → first answer', v.created],
    ['endpoint changed → traffic follows', v.changed],
  ];
  const label = (v: Variant, change: string): string => (variants.length > 1 ? `${v.name}: ${change}` : change);
  const loads = `load ${loadBefore.replace(/^load /, '')} before, ${machineLoad().replace(/^load /, '')} after`;

  printTable(
    `Data plane on the test bed (kube-proxy nftables, ${loads}; p50 / p95)`,
    ['change', 'n', 'total', 'l4gw', 'kube-proxy', 'target'],
    variants.flatMap((v) =>
      cases(v).map(([change, list]) => {
        const l4gw = list.map((c) => c.l4gwMs);
        return [
          label(v, change),
          String(list.length),
          pair(list.map((c) => c.totalMs)),
          pair(l4gw),
          pair(list.map((c) => c.kubeProxyMs)),
          verdict(p(l4gw, 0.95) <= 200, 'l4gw p95 ≤ 200 ms'),
        ];
      }),
    ),
  );
  printTable(
    "Where l4gw's share goes (from its log; p50 / p95)",
    ['change', 'n', 'to its run', 'of which queued', 'reconcile+plan', 'slice write', 'back to bench'],
    variants.flatMap((v) =>
      cases(v).map(([change, list]) => {
        const steps = list.flatMap((c) => (c.steps ? [c.steps] : []));
        const queued = steps.flatMap((s) => (s.queuedMs === undefined ? [] : [s.queuedMs]));
        return [
          label(v, change),
          `${steps.length}/${list.length}`,
          pair(steps.map((s) => s.toRunMs)),
          pair(queued),
          pair(steps.map((s) => s.reconcileMs)),
          pair(steps.map((s) => s.writeMs)),
          pair(steps.map((s) => s.toBenchMs)),
        ];
      }),
    ),
  );
  const [mine, base] = variants;
  if (mine && base) {
    const ratio = (a: readonly Change[], b: readonly Change[], pick: (c: Change) => number, q: number): string =>
      formatRatio(p(a.map(pick), q) / p(b.map(pick), q));
    printTable(
      'This build / baseline (below 1: this build is faster; one shared machine, blocks in turns)',
      ['change', 'l4gw p50', 'l4gw p95', 'total p50', 'total p95'],
      cases(mine).map(([change, list], i) => {
        const other = cases(base)[i]![1];
        return [
          change,
          ratio(list, other, (c) => c.l4gwMs, 0.5),
          ratio(list, other, (c) => c.l4gwMs, 0.95),
          ratio(list, other, (c) => c.totalMs, 0.5),
          ratio(list, other, (c) => c.totalMs, 0.95),
        ];
      }),
    );
  }
} finally {
  stopWatch?.();
  await bed.close();
  await services.stop();
}
