// The Deployment / kubelet stand-in (src/workloads.ts) the conformance run uses: Deployments
// become Pods named as the ReplicaSet controller names them, each in a network namespace of its
// own, Ready with their address, behind their Service's EndpointSlice; traffic to the Service's
// ClusterIP reaches them through kube-proxy; scaling down and deleting stop them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { createTestNamespace, eventually } from '@l4gw/envtest';
import { eventuallyServedBy, listNamespaces, startEndpointSliceController, startWorkloads, type EndpointSliceController, type Testbed, type Workloads } from '@l4gw/dataplane';
import { sharedTestbed } from '@l4gw/dataplane/vitest';
import { agentScript } from '../src/agents.js';
import { POD_TCP_PORT, POD_UDP_PORT, type TestObject } from './fixtures.js';

const IMAGE = 'l4dp.test/echo:1';

function deployment(namespace: string, replicas: number): TestObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'echo', namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'echo' } },
      template: {
        metadata: { labels: { app: 'echo' } },
        spec: { containers: [{ name: 'echo', image: IMAGE, ports: [{ containerPort: POD_TCP_PORT }, { containerPort: POD_UDP_PORT, protocol: 'UDP' }] }] },
      },
    },
  };
}

describe('workloads: Deployments run as pods in namespaces of their own', () => {
  let bed: Testbed;
  let namespace: string;
  let slices: EndpointSliceController;
  let workloads: Workloads;
  let log = '';
  const readyPods = async (): Promise<V1Pod[]> =>
    (await bed.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace })).items.filter((pod) =>
      pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );

  beforeAll(async () => {
    bed = await sharedTestbed();
    // Not bed.namespace(): the test bed's own slice stand-in would write this Service's slice too.
    namespace = await createTestNamespace(bed.kubeConfig, 'dp-workloads');
    slices = startEndpointSliceController(bed.kubeConfig);
    workloads = startWorkloads({
      run: bed.run,
      kubeConfig: bed.kubeConfig,
      slices,
      log: (line) => void (log += `${line}\n`),
      runtime: (container, pod) => {
        if (container.image !== IMAGE) throw new Error(`no program for ${container.image}`);
        return { file: process.execPath, args: [agentScript('backend-server'), pod.name, '0.0.0.0', String(POD_TCP_PORT), String(POD_UDP_PORT)] };
      },
    });
    // Named first: an object literal passed straight in is checked against the bare object type.
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace }, spec: { selector: { app: 'echo' }, ports: [{ name: 'tcp', port: 80, targetPort: POD_TCP_PORT }, { name: 'udp', port: 81, protocol: 'UDP', targetPort: POD_UDP_PORT }] } };
    await bed.apply(service, deployment(namespace, 2));
  });
  afterAll(async () => {
    await workloads?.stop();
    slices?.stop();
    await bed?.close();
  });

  it('should run every replica, Ready, in its own namespace, behind the Service', async () => {
    const pods = await eventually(`two Ready pods (log: ${log})`, async () => {
      const ready = await readyPods();
      return ready.length === 2 ? ready : undefined;
    });
    for (const pod of pods) {
      expect(pod.metadata?.name).toMatch(/^echo-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.status?.podIP).toMatch(/^10\.99\.3\.\d+$/);
    }
    expect(new Set(pods.map((pod) => pod.status?.podIP)).size).toBe(2);
    const own = (await listNamespaces()).filter((name) => name.startsWith(`l4dp-${bed.run.owner}-pod`));
    expect(own.length).toBeGreaterThanOrEqual(2);
    const service = await bed.kubeConfig.makeApiClient(CoreV1Api).readNamespacedService({ name: 'echo', namespace });
    const names = pods.map((pod) => pod.metadata?.name ?? '');
    await eventuallyServedBy(bed.client, 'tcp', service.spec?.clusterIP ?? '', 80, names);
    await eventuallyServedBy(bed.client, 'udp', service.spec?.clusterIP ?? '', 81, names);
  });

  it('should stop the extra pod when scaled down, and every pod when the Deployment goes', async () => {
    await bed.apply(deployment(namespace, 1));
    await eventually('one pod left', async () => ((await readyPods()).length === 1 ? true : undefined));
    await bed.remove(deployment(namespace, 1));
    await eventually('no pod and no pod namespace left', async () => {
      const pods = await bed.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
      const own = (await listNamespaces()).filter((name) => name.startsWith(`l4dp-${bed.run.owner}-pod`));
      return pods.items.length === 0 && own.length === 0 ? true : undefined;
    });
  });
});
