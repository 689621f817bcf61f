import { createHash, randomInt } from 'node:crypto';
import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Container,
  type V1Deployment,
  type V1Pod,
  type V1PodStatus,
} from '@kubernetes/client-node';
import { registerExitCleanup, spawnManaged, type ManagedProcess } from '@l4gw/envtest';
import type { EndpointSliceController, PodEndpoint } from './endpoint-slices.js';
import { command } from './ip.js';
import { createPodNetwork, deletePodNetwork, type PodNetwork } from './pod-network.js';
import { ADDRESSES, NODE_NAME, type NamespaceNames } from './topology.js';

/** The program a container runs: the test bed has no images, so the caller maps each one to a binary. */
export interface ContainerProgram {
  readonly file: string;
  readonly args: readonly string[];
}

/** The pod a container runs in, for programs that need its name or address on their command line. */
export interface PodIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
}

/** Maps a container (its image, args) to the program that stands for it; throws for an image it cannot run. */
export type ContainerRuntime = (container: V1Container, pod: PodIdentity) => ContainerProgram;

export interface WorkloadsOptions {
  readonly run: NamespaceNames;
  readonly kubeConfig: KubeConfig;
  readonly runtime: ContainerRuntime;
  /** Gets every ready pod, as the EndpointSlice controller would see them. */
  readonly slices: EndpointSliceController;
  readonly log: (line: string) => void;
  /** How often Deployments are listed; default 100 ms. */
  readonly intervalMs?: number;
  /** How long a container may take to listen on its ports; default 30 s. */
  readonly startTimeoutMs?: number;
}

export interface Workloads {
  /** Stops every pod's processes, deletes their networks and their Pod objects. */
  stop(): Promise<void>;
}

/** Labels of the Pods made here: their Deployment, and its template's hash, as the ReplicaSet controller's. */
const DEPLOYMENT_LABEL = 'l4dp.test/deployment';
const TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

interface RunningPod extends PodEndpoint {
  readonly deployment: string;
  readonly hash: string;
  readonly network: PodNetwork;
  readonly processes: readonly ManagedProcess[];
  ready: boolean;
}

function templateHash(deployment: V1Deployment): string {
  const digest = createHash('sha256').update(JSON.stringify(deployment.spec?.template ?? {})).digest();
  return [...digest.subarray(0, 10)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

function suffix(): string {
  return Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** The container's environment as kubelet resolves it: values, and the Pod fields the suite uses. */
function environment(pod: V1Pod, ip: string, container: V1Container): string[] {
  const fields: Record<string, string> = {
    'metadata.name': pod.metadata?.name ?? '',
    'metadata.namespace': pod.metadata?.namespace ?? '',
    'spec.nodeName': NODE_NAME,
    'status.podIP': ip,
    'status.hostIP': ADDRESSES.nodeClientSide,
  };
  return (container.env ?? []).map((variable) => {
    const path = variable.valueFrom?.fieldRef?.fieldPath;
    if (variable.valueFrom && (path === undefined || !(path in fields))) {
      throw new Error(`container ${container.name}: env ${variable.name} takes its value from ${JSON.stringify(variable.valueFrom)}, which the test bed does not provide`);
    }
    return `${variable.name}=${path !== undefined ? fields[path] : (variable.value ?? '')}`;
  });
}

/** `ss` lines for the sockets listening (TCP) or bound (UDP) in `namespace`, as `tcp:3000`, `udp:53`. */
async function listeningPorts(namespace: string): Promise<Set<string>> {
  const ports = new Set<string>();
  for (const [flag, protocol] of [['-t', 'tcp'], ['-u', 'udp']] as const) {
    const out = await command('ip', ['netns', 'exec', namespace, 'ss', '-H', '-l', '-n', flag]);
    for (const line of out.split('\n')) {
      const local = line.trim().split(/\s+/)[3];
      const port = local?.slice(local.lastIndexOf(':') + 1);
      if (port) ports.add(`${protocol}:${port}`);
    }
  }
  return ports;
}

function readyStatus(ip: string, ready: boolean, message?: string): V1PodStatus {
  const now = new Date();
  const condition = (type: string, status: boolean) => ({ type, status: status ? 'True' : 'False', lastTransitionTime: now, ...(status || !message ? {} : { message }) });
  return {
    phase: ready ? 'Running' : 'Pending',
    hostIP: ADDRESSES.nodeClientSide,
    podIP: ip || undefined,
    podIPs: ip ? [{ ip }] : undefined,
    startTime: now,
    conditions: [condition('PodScheduled', true), condition('Initialized', true), condition('ContainersReady', ready), condition('Ready', ready)],
  };
}

/**
 * Stands in for the Deployment and ReplicaSet controllers and for kubelet, which the test bed does
 * not run: for every Deployment it keeps `replicas` Pods (named `<deployment>-<template hash>-<xxxxx>`,
 * as the ReplicaSet controller names them), and runs each Pod's containers as processes in a
 * network namespace of its own (pod-network.ts), the program for each image chosen by `runtime`.
 * Once every declared container port listens (any port, when none is declared) it writes the Pod
 * Running and Ready with its address, and hands the ready pods to the EndpointSlice stand-in.
 * A container that exits turns its Pod not Ready; nothing is restarted. Pods of a Deployment that
 * is gone, or whose template changed, are stopped and deleted.
 */
export function startWorkloads(options: WorkloadsOptions): Workloads {
  const apps = options.kubeConfig.makeApiClient(AppsV1Api);
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  /** namespace/pod name → the running pod. */
  const pods = new Map<string, RunningPod>();
  /** namespace/deployment → why its pods cannot run (logged once, not retried every pass). */
  const broken = new Map<string, string>();
  let stopped = false;

  const writeStatus = (namespace: string, name: string, status: V1PodStatus) =>
    core.patchNamespacedPodStatus({ namespace, name, body: { status } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  const publish = () => options.slices.setPods([...pods.values()].filter((pod) => pod.ready));

  // Stopping a pod is split so that a pass can first take every stale pod out of the API and the
  // endpoints (as a terminating pod drops out at once) and create the new Pod objects, and only
  // then spend time stopping processes: the suite waits for "all Pods Ready" and must never see
  // an old pod Ready while a new Deployment's Pod does not exist yet.
  const retirePod = async (key: string, pod: RunningPod): Promise<void> => {
    pods.delete(key);
    await core.deleteNamespacedPod({ namespace: pod.namespace, name: pod.name, gracePeriodSeconds: 0 }).catch((error: unknown) => {
      if ((error as { code?: number }).code !== 404) throw error;
    });
  };
  const stopProcesses = async (key: string, pod: RunningPod): Promise<void> => {
    for (const process of pod.processes) {
      await process.stop(2_000);
      options.log(`pod ${key} stopped; its output ended with:\n${process.outputTail().slice(-1500)}`);
    }
    await deletePodNetwork(pod.network);
  };

  /** A Pod object created, its containers not started yet. */
  interface PendingPod {
    readonly deploymentKey: string;
    readonly owner: string;
    readonly hash: string;
    readonly created: V1Pod;
    readonly containers: readonly V1Container[];
  }

  const createPodObject = async (deployment: V1Deployment, hash: string): Promise<PendingPod> => {
    const namespace = deployment.metadata?.namespace ?? '';
    const owner = deployment.metadata?.name ?? '';
    const template = deployment.spec?.template;
    const containers = template?.spec?.containers ?? [];
    const labels = { ...(template?.metadata?.labels ?? {}), [DEPLOYMENT_LABEL]: owner, [TEMPLATE_HASH_LABEL]: hash };
    const name = `${owner}-${hash}-${suffix()}`;
    const created = await core.createNamespacedPod({
      namespace,
      body: { metadata: { name, namespace, labels }, spec: { ...template?.spec, containers, nodeName: NODE_NAME } },
    });
    return { deploymentKey: `${namespace}/${owner}`, owner, hash, created, containers };
  };

  const runPod = async ({ owner, hash, created, containers }: PendingPod): Promise<void> => {
    const name = created.metadata?.name ?? '';
    const namespace = created.metadata?.namespace ?? '';
    const labels = created.metadata?.labels ?? {};
    const network = await createPodNetwork(options.run);
    const key = `${namespace}/${name}`;
    let programs: { container: V1Container; program: ContainerProgram }[];
    try {
      programs = containers.map((container) => ({ container, program: options.runtime(container, { name, namespace, ip: network.ip }) }));
    } catch (error) {
      await deletePodNetwork(network);
      throw error;
    }
    const processes = programs.map(({ container, program }) => {
      const env = ['PATH=/usr/local/bin:/usr/bin:/bin', ...environment(created, network.ip, container)];
      const child = spawnManaged(`pod ${key} ${container.name}`, 'ip', ['netns', 'exec', network.namespace, 'env', '-i', ...env, program.file, ...program.args]);
      const unregister = registerExitCleanup(() => child.killNow());
      void child.exited.then(unregister);
      return child;
    });
    const pod: RunningPod = { name, namespace, labels, ip: network.ip, deployment: owner, hash, network, processes, ready: false };
    pods.set(key, pod);
    const declared = programs.flatMap(({ container }) => (container.ports ?? []).map((p) => `${(p.protocol ?? 'TCP').toLowerCase()}:${p.containerPort}`));
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      const exited = processes.find((p) => p.hasExited());
      if (exited) throw new Error(`pod ${key}: a container exited at start:\n${exited.outputTail().slice(-2000)}`);
      const listening = await listeningPorts(network.namespace);
      if (declared.length === 0 ? listening.size > 0 : declared.every((port) => listening.has(port))) break;
      if (Date.now() > deadline) throw new Error(`pod ${key}: not listening on ${declared.join(', ') || 'any port'} after ${startTimeoutMs} ms (listening: ${[...listening].join(', ')})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await writeStatus(namespace, name, readyStatus(network.ip, true));
    pod.ready = true;
    await publish();
    options.log(`pod ${key} ready at ${network.ip} in ${network.namespace}`);
  };

  const describe = (error: unknown): string => (error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : String(error));

  const pass = async (): Promise<void> => {
    const deployments = (await apps.listDeploymentForAllNamespaces()).items.filter((d) => !d.metadata?.deletionTimestamp);
    const wanted = new Map(deployments.map((d) => [`${d.metadata?.namespace}/${d.metadata?.name}`, { deployment: d, hash: templateHash(d) }]));
    // 1. Pods whose Deployment is gone or changed, or beyond its replicas: out of the API and the endpoints.
    const kept = new Map<string, number>();
    const retired: [string, RunningPod][] = [];
    for (const [key, pod] of [...pods]) {
      const deploymentKey = `${pod.namespace}/${pod.deployment}`;
      const want = wanted.get(deploymentKey);
      const count = kept.get(deploymentKey) ?? 0;
      if (!want || want.hash !== pod.hash || count >= (want.deployment.spec?.replicas ?? 1)) {
        await retirePod(key, pod);
        retired.push([key, pod]);
      } else kept.set(deploymentKey, count + 1);
    }
    if (retired.length > 0) await publish();
    // 2. The missing Pod objects, all at once.
    const pending: PendingPod[] = [];
    for (const [deploymentKey, { deployment, hash }] of wanted) {
      if (broken.get(deploymentKey) === hash) continue;
      for (let n = kept.get(deploymentKey) ?? 0; n < (deployment.spec?.replicas ?? 1) && !stopped; n++) {
        try {
          pending.push(await createPodObject(deployment, hash));
        } catch (error) {
          broken.set(deploymentKey, hash);
          options.log(`Deployment ${deploymentKey}: cannot create its Pod: ${describe(error)}`);
        }
      }
    }
    // 3. The retired pods' processes and networks.
    for (const [key, pod] of retired) await stopProcesses(key, pod);
    // 4. The new pods' containers.
    for (const next of pending) {
      await runPod(next).catch((error: unknown) => {
        broken.set(next.deploymentKey, next.hash);
        options.log(`Deployment ${next.deploymentKey}: its pods cannot run here: ${describe(error)}`);
      });
    }
    // A container that exited makes its pod not Ready, as kubelet's status would.
    for (const [key, pod] of pods) {
      const exited = pod.processes.find((p) => p.hasExited());
      if (!pod.ready || !exited) continue;
      pod.ready = false;
      await publish();
      await writeStatus(pod.namespace, pod.name, readyStatus(pod.ip, false, 'a container exited'));
      options.log(`pod ${key}: a container exited:\n${exited.outputTail().slice(-2000)}`);
    }
  };

  const loop = (async () => {
    while (!stopped) {
      await pass().catch((error: unknown) => options.log(`workloads: ${error instanceof Error ? error.message : String(error)} (retrying)`));
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      for (const [key, pod] of [...pods]) {
        await retirePod(key, pod).catch(() => undefined);
        await stopProcesses(key, pod).catch(() => deletePodNetwork(pod.network));
      }
      await publish().catch(() => undefined);
    },
  };
}
