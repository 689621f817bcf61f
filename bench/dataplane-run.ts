// The data-plane bench inside the test bed's node namespace (started by bench/dataplane.ts):
//   - route created → first answered request: a TCPRoute applied to a Programmed Gateway, until the
//     client's first TCP answer on the VIP;
//   - backend endpoint changed → traffic follows: the backend Service's EndpointSlice switched from
//     one pod to a new one (as the EndpointSlice controller would on a rollout), until the first
//     answer from the new pod.
// Each is split at the moment l4gw's mirrored EndpointSlice shows the change (polled every 5 ms):
// before it is l4gw's share, after it kube-proxy's (its sync, and for a new Service the announcer).
// L4GW_BENCH_DATAPLANE_N changes of each (default 20).
import { CustomObjectsApi, DiscoveryV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { openTestbed, startPod, startTestbedServices, stopPod, type Pod } from '@l4gw/dataplane';
import { formatMs, machineLoad, percentile, printTable, verdict } from './lib.ts';

const N = Number(process.env['L4GW_BENCH_DATAPLANE_N'] ?? 20);
const CLASS = 'bench-dp';
const POD_PORT = 9000;
const LISTENER_PORT = 8080;

/** Some Kubernetes object as a plain literal. */
const object = (literal: Record<string, unknown>): KubernetesObject => literal as KubernetesObject;

/** Polls `probe` every 5 ms (finer than the changes measured) until true; returns when, or fails after 30 s. */
async function until(probe: () => Promise<boolean>, what: string): Promise<number> {
  const deadline = performance.now() + 30_000;
  while (!(await probe().catch(() => false))) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now();
}

interface Split {
  readonly totalMs: number;
  readonly l4gwMs: number;
  readonly kubeProxyMs: number;
}

const services = await startTestbedServices();
const bed = await openTestbed(services.controlPlane.kubeconfigPath);
const discovery = bed.kubeConfig.makeApiClient(DiscoveryV1Api);
try {
  const ns = await bed.namespace('bench-dp');
  await bed.apply(
    object({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ipam', namespace: ns }, data: { 'range-global': '10.77.0.10-10.77.0.200' } }),
    object({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName: `l4dp.test/${CLASS}` } }),
  );
  await bed.startOperator({ controllerName: `l4dp.test/${CLASS}`, ipamConfigMap: `${ns}/ipam` });
  const pod = (name: string) => ({ name, namespace: ns, labels: { app: 'echo' }, tcpPorts: [POD_PORT] });
  let current: Pod = await startPod(bed.run.backend, pod('p0'));
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

  /** The addresses in l4gw's mirrored slices behind the Gateway's Service. */
  const mirrored = async (): Promise<string[]> => {
    const slices = await discovery.listNamespacedEndpointSlice({
      namespace: ns,
      labelSelector: `endpointslice.kubernetes.io/managed-by=l4gw,kubernetes.io/service-name=gw-${CLASS}`,
    });
    return slices.items.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses));
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

  // Route created → first answer, then the route deleted and the port silent again.
  const created: Split[] = [];
  for (let i = 0; i < N; i++) {
    await bed.apply(route);
    const t0 = performance.now();
    const sliced = until(async () => (await mirrored()).includes(current.ip), 'l4gw’s slice');
    const answered = until(async () => {
      if (vip === '') vip = await readVip();
      return answeredBy(current.name);
    }, 'the first answer');
    const [t1, t2] = await Promise.all([sliced, answered]);
    created.push({ totalMs: t2 - t0, l4gwMs: t1 - t0, kubeProxyMs: Math.max(0, t2 - t1) });
    await bed.remove(route);
    await until(async () => !(await answeredBy(current.name)) && !(await mirrored()).includes(current.ip), 'the route gone');
  }

  // Backend endpoint changed → traffic follows.
  await bed.apply(route);
  await until(() => answeredBy(current.name), 'the route back');
  const changed: Split[] = [];
  for (let i = 1; i <= N; i++) {
    const next = await startPod(bed.run.backend, pod(`p${i}`));
    await bed.slices.setPods([next]); // the backend's slice now holds only the new pod
    const t0 = performance.now();
    const sliced = until(async () => (await mirrored()).includes(next.ip), 'l4gw’s mirrored slice');
    const followed = until(() => answeredBy(next.name), 'traffic on the new pod');
    const [t1, t2] = await Promise.all([sliced, followed]);
    changed.push({ totalMs: t2 - t0, l4gwMs: t1 - t0, kubeProxyMs: Math.max(0, t2 - t1) });
    await stopPod(bed.run.backend, current);
    current = next;
  }
  await stopPod(bed.run.backend, current);

  const ms = (values: readonly number[], q: number): string => formatMs(percentile([...values].sort((a, b) => a - b), q));
  const row = (name: string, splits: readonly Split[]): string[] => {
    const l4gw = splits.map((s) => s.l4gwMs);
    return [
      name,
      String(splits.length),
      ms(splits.map((s) => s.totalMs), 0.5),
      ms(splits.map((s) => s.totalMs), 0.95),
      ms(l4gw, 0.5),
      ms(l4gw, 0.95),
      ms(splits.map((s) => s.kubeProxyMs), 0.5),
      ms(splits.map((s) => s.kubeProxyMs), 0.95),
      verdict(percentile([...l4gw].sort((a, b) => a - b), 0.95) <= 200, 'l4gw p95 ≤ 200 ms'),
    ];
  };
  printTable(
    `Data plane on the test bed (kube-proxy nftables, ${machineLoad()})`,
    ['change', 'n', 'total p50', 'total p95', 'l4gw p50', 'l4gw p95', 'kube-proxy p50', 'kube-proxy p95', 'target'],
    [row('route created → first answer', created), row('endpoint changed → traffic follows', changed)],
  );
} finally {
  await bed.close();
  await services.stop();
}
