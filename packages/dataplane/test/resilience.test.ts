// Under continuous traffic (a request per protocol every 50 ms): the operator killed and restarted,
// and a leader failover between two replicas. kube-proxy keeps forwarding while l4gw is down, the
// VIP never moves, and not one request may fail (the bound is 0).
import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { eventually } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventuallyServedBy, failures, startProber, type Operator, type ProbeRecord, type Testbed } from '@l4gw/dataplane';
import { sharedTestbed } from '@l4gw/dataplane/vitest';
import {
  echoGateway,
  gatewayAddress,
  gatewayClass,
  GATEWAY_TCP_PORT as TCP,
  GATEWAY_UDP_PORT as UDP,
  ipamConfigMap,
  podSpec,
  ROUTED_POOL,
  startEchoPods,
} from './fixtures.js';

const PROBE_INTERVAL_MS = 50;

/** Sets up a namespace with two pods, a Gateway and routes of class `className`; returns namespace and VIP. */
async function servedGateway(bed: Testbed, prefix: string, className: string, start: (ns: string) => Promise<unknown>) {
  const ns = await bed.namespace(prefix);
  await bed.apply(ipamConfigMap(ns, ROUTED_POOL), gatewayClass(className, `l4dp.test/${className}`));
  await start(ns);
  await startEchoPods(bed, ns, ['r1', 'r2']);
  await bed.apply(...echoGateway(ns, className));
  const vip = await gatewayAddress(bed.kubeConfig, ns, 'gw');
  await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['r1', 'r2']);
  await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['r1', 'r2']);
  return { ns, vip };
}

function summary(records: readonly ProbeRecord[]): { sent: number; failed: number } {
  return { sent: records.length, failed: failures(records).length };
}

/** The figures for the report (not assertions). */
function report(event: string, records: readonly ProbeRecord[]): void {
  const { sent, failed } = summary(records);
  process.stderr.write(`[l4dp] ${event}: ${sent} requests every ${PROBE_INTERVAL_MS} ms per protocol, ${failed} failed\n`);
}

async function serviceIngress(bed: Testbed, ns: string, name: string): Promise<string[]> {
  const service = await bed.kubeConfig.makeApiClient(CoreV1Api).readNamespacedService({ namespace: ns, name });
  return (service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '');
}

describe('traffic while the operator restarts or fails over', () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await sharedTestbed();
  });
  afterAll(async () => bed?.close());

  it('should keep serving, on the same address, while the operator is killed and restarted', async () => {
    const className = 'dp-restart';
    const options = { controllerName: `l4dp.test/${className}` };
    let operator: Operator | undefined;
    const { ns, vip } = await servedGateway(bed, 'dp-restart', className, async (namespace) => {
      operator = await bed.startOperator({ ...options, ipamConfigMap: `${namespace}/ipam` });
    });
    const targets = [
      { protocol: 'tcp', host: vip, port: TCP },
      { protocol: 'udp', host: vip, port: UDP },
    ] as const;
    const prober = startProber(bed.client, targets, PROBE_INTERVAL_MS);
    const killedAt = Date.now();
    await operator?.kill();
    // While no l4gw runs, kube-proxy keeps forwarding what it was given.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const restartedAt = Date.now();
    await bed.startOperator({ ...options, ipamConfigMap: `${ns}/ipam` });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const records = await prober.stop();

    const whileDown = records.filter((r) => r.at >= killedAt && r.at < restartedAt);
    report(`operator killed, restarted after 3 s (${whileDown.length} requests while down)`, records);
    expect(whileDown.length).toBeGreaterThan(20);
    expect(summary(whileDown)).toEqual({ sent: whileDown.length, failed: 0 });
    expect(summary(records)).toEqual({ sent: records.length, failed: 0 });
    expect(await gatewayAddress(bed.kubeConfig, ns, 'gw')).toBe(vip);
    expect(await serviceIngress(bed, ns, `gw-${className}`)).toEqual([vip]);
  });

  it('should keep serving, on the same address, through a leader failover between two replicas', async () => {
    const className = 'dp-failover';
    const replicas: Operator[] = [];
    const { ns, vip } = await servedGateway(bed, 'dp-failover', className, async (namespace) => {
      for (let i = 0; i < 2; i++) {
        replicas.push(
          await bed.startOperator({ controllerName: `l4dp.test/${className}`, ipamConfigMap: `${namespace}/ipam`, leaderElectionNamespace: namespace }),
        );
      }
    });
    const leases = bed.kubeConfig.makeApiClient(CoordinationV1Api);
    const holder = async (): Promise<string> =>
      (await leases.readNamespacedLease({ namespace: ns, name: 'l4gw-leader-election' })).spec?.holderIdentity ?? '';
    const firstLeader = await eventually('a leader', async () => (await holder()) || undefined, 30_000);
    const leader = replicas.find((r) => r.process.outputTail().includes(firstLeader));
    expect(leader).toBeDefined();

    const targets = [
      { protocol: 'tcp', host: vip, port: TCP },
      { protocol: 'udp', host: vip, port: UDP },
    ] as const;
    const prober = startProber(bed.client, targets, PROBE_INTERVAL_MS);
    await leader?.kill();
    const secondLeader = await eventually('the standby to take the lease', async () => {
      const now = await holder();
      return now !== '' && now !== firstLeader ? now : undefined;
    }, 60_000);
    // The new leader is in charge: a third pod is followed.
    await bed.startPod(podSpec(ns, 'r3', { app: 'echo' }));
    await eventuallyServedBy(bed.client, 'tcp', vip, TCP, ['r1', 'r2', 'r3'], { count: 30 });
    await eventuallyServedBy(bed.client, 'udp', vip, UDP, ['r1', 'r2', 'r3'], { count: 30 });
    const records = await prober.stop();
    report('leader failover (SIGKILL, lease taken over, a new pod followed)', records);

    expect(secondLeader).not.toBe(firstLeader);
    expect(summary(records)).toEqual({ sent: records.length, failed: 0 });
    expect(await gatewayAddress(bed.kubeConfig, ns, 'gw')).toBe(vip);
    expect(await serviceIngress(bed, ns, `gw-${className}`)).toEqual([vip]);
  });
});
