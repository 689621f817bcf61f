import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort, pollUntil, probe, registerExitCleanup, spawnManaged, type ManagedProcess } from '@l4gw/envtest';

/** How one l4gw operator process is started. */
export interface OperatorOptions {
  readonly kubeconfigPath: string;
  /** `-gateway-class-name`: the controller name its GatewayClasses carry. */
  readonly controllerName: string;
  /** `-ipam-configmap` (`namespace/name`). */
  readonly ipamConfigMap: string;
  /** `-lb-annotations`; default the operator's own (kube-vip). */
  readonly lbAnnotations?: 'kube-vip' | 'metallb' | 'cilium' | 'none';
  /** Run with `-leader-elect` (Lease in `leaderElectionNamespace`). */
  readonly leaderElectionNamespace?: string;
  readonly extraArgs?: readonly string[];
  /** Another build's `packages/cli/dist/main.js` (the bench's A/B baseline); default this one's. */
  readonly cliMain?: string;
}

/** A running `l4gw run` process. */
export interface Operator {
  readonly process: ManagedProcess;
  /** `host:port` of its /healthz and /readyz. */
  readonly healthAddress: string;
  /** Whether /readyz answers 200 now (synced; leader or standby). */
  isReady(): Promise<boolean>;
  /** SIGKILL: no shutdown, no lease release. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** The built CLI (packages/cli/dist/main.js); `pnpm build` makes it. */
function cliMain(): string {
  return realpathSync(fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url)));
}

/**
 * Starts the real operator — the built `l4gw run`, as a Deployment would run it — inside the node
 * namespace, and resolves once /readyz answers 200 (its informers have synced).
 */
export async function startOperator(options: OperatorOptions, timeoutMs = 60_000): Promise<Operator> {
  const port = await freeLoopbackPort();
  const healthAddress = `127.0.0.1:${port}`;
  const args = [
    options.cliMain ?? cliMain(),
    'run',
    '-kubeconfig',
    options.kubeconfigPath,
    '-gateway-class-name',
    options.controllerName,
    '-ipam-configmap',
    options.ipamConfigMap,
    '-metrics-bind-address',
    '0',
    '-health-probe-bind-address',
    healthAddress,
    ...(options.lbAnnotations ? ['-lb-annotations', options.lbAnnotations] : []),
    ...(options.leaderElectionNamespace ? ['-leader-elect', '-leader-election-namespace', options.leaderElectionNamespace] : []),
    ...(options.extraArgs ?? []),
  ];
  const child = spawnManaged('l4gw', process.execPath, args);
  const unregister = registerExitCleanup(() => child.killNow());
  void child.exited.then(unregister);
  const isReady = async (): Promise<boolean> => {
    const result = await probe(`http://${healthAddress}/readyz`, {}, 1_000);
    return 'status' in result && result.status === 200;
  };
  await pollUntil(async () => ((await isReady()) ? true : undefined), {
    timeoutMs,
    what: 'l4gw /readyz',
    abortReason: () => (child.hasExited() ? `l4gw exited:\n${child.outputTail().slice(-4000)}` : undefined),
  });
  return {
    process: child,
    healthAddress,
    isReady,
    kill: async () => {
      child.killNow();
      await child.exited;
    },
    stop: () => child.stop(10_000),
  };
}
